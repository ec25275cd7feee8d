import HSMCrypto
import HostProtocol

/// `S5`/`S6` translate a cryptogram from one key to another (IC form).
/// Request (`ICTranslateRequest`): source side (mode 2N, key type 3H, key, DERIVE, SESSION,
/// padding 2N, [IV for `01` CBC]), destination side (the same), data length
/// 4H, data (binary: the cryptogram under the source side).
/// The data is decrypted and unpadded as `S4` does with the source side, then padded and
/// encrypted as `S3` does with the destination side; the clear data never leaves the HSM.
/// Response (`ICCipherResponse`): length 4H, the cryptogram under the destination side.
/// Errors: as `S3`/`S4`; a destination key of another type is `11`; besides `13`, `15`,
/// `80` from the request layout.
enum ICTranslateHandler {
    static let entry = (ICTranslateRequest.command, CommandHandler(run: Handlers.typed(translate)))

    static func translate(_ ctx: HandlerContext, _ r: ICTranslateRequest) throws -> ICCipherResponse {
        let s = r.source, d = r.destination
        var clear: [UInt8]
        do {
            var key = try ICHandlerSupport.workingKey(ctx, s.key, permitted: ICHandlerSupport.dataTypes,
                                                      maxLevels: ICHandlerSupport.maxDerivationLevels)
            defer { key.wipe() }
            clear = try ICHandlerSupport.decrypt(r.data, key: key, mode: s.mode, padding: s.padding, iv: s.iv)
        }
        defer { SecureBytes.wipe(&clear) }
        var key = try ICHandlerSupport.workingKey(ctx, d.key, permitted: ICHandlerSupport.dataTypes,
                                                  maxLevels: ICHandlerSupport.maxDerivationLevels,
                                                  parity: .destinationKeyParity)
        defer { key.wipe() }
        return try ICHandlerSupport.response(try ICHandlerSupport.encrypt(clear, key: key, mode: d.mode, padding: d.padding, iv: d.iv))
    }
}
