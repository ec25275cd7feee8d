import HostProtocol

/// `S4`/`S5` decrypt data (IC form).
/// Request (`ICDecryptRequest`): as `S3`; the data is the cryptogram (whole blocks; CFB /
/// OFB with padding `05`: any length).
/// Response (`ICCipherResponse`): length 4H, the clear data with its padding removed
/// (padding `02`, zeros, is left in place: zeros cannot be told from data).
/// Errors: `27` key type, `10` key of another type, `15` mode, padding (also padding that
/// does not check after decryption), session mode, IV (none with `02`/`03`); `80` empty data
/// or data that is not whole blocks; besides `13`, `15`, `80` from the request layout.
/// The work is `ICHandlerSupport`, shared with `S3` and `S5`.
enum ICDecryptHandler {
    static let entry = (ICDecryptRequest.command, CommandHandler(run: Handlers.typed(decrypt)))

    static func decrypt(_ ctx: HandlerContext, _ r: ICDecryptRequest) throws -> ICCipherResponse {
        let f = r.fields
        var key = try ICHandlerSupport.workingKey(ctx, f.key, permitted: ICHandlerSupport.dataTypes,
                                                  maxLevels: ICHandlerSupport.maxDerivationLevels)
        defer { key.wipe() }
        return try ICHandlerSupport.response(try ICHandlerSupport.decrypt(f.data, key: key, mode: f.mode, padding: f.padding, iv: f.iv))
    }
}
