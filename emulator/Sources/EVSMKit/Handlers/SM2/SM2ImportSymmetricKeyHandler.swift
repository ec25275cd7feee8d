import HSMCrypto
import HostProtocol

/// `TY`/`TZ` import a symmetric key from under an SM2 public key (vendor layout).
/// Request (`SM2ImportSymmetricKeyRequest`): curve `07`, key type 3H, LMK scheme 1A,
/// [`K` index, label], expected KCV 16H (zeros = not checked), length 4H, cryptogram
/// (C1 || C3 || C2), SM2 index 4N or 9999 + 4N + private key under the LMK.
/// Response (`ImportKeyResponse`): key under the LMK (field), KCV 16H. DES keys get odd
/// parity, as `A6`.
/// Errors: `27` key type, `26` scheme, `15` the cryptogram does not decrypt or is not a key
/// of the scheme's length, `01` the expected KCV differs, `10`/`12`/`27` for the SM2 key;
/// besides `13`, `15`, `80`.
enum SM2ImportSymmetricKeyHandler {
    static let entry = (SM2ImportSymmetricKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    static func importKey(_ ctx: HandlerContext, _ r: SM2ImportSymmetricKeyRequest) throws -> ImportKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.scheme)
        var d = try SM2HandlerSupport.privateKey(ctx, r.privateKey)
        defer { SecureBytes.wipe(&d) }
        var bytes: [UInt8]
        do { bytes = try SM2Ops.decrypt(privateKey: d, cipher: r.keyUnderSM2) } catch { throw HostFailure(.invalidInput) }
        var clear = ClearKey(bytes: bytes, scheme: r.scheme)
        SecureBytes.wipe(&bytes)
        defer { clear.wipe() }
        guard clear.bytes.count == r.scheme.keyLength else { throw HostFailure(.invalidInput) }
        if clear.cipher == .des { Prim.adjustParity(&clear.bytes) }
        let kcv = try HandlerContext.checkValue(clear)
        if r.expectedCheckValue.contains(where: { $0 != 0 }), !Prim.equal(kcv, r.expectedCheckValue) {
            throw HostFailure(.verificationFailed)
        }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.scheme)
        if let s = r.store, s.index != sm2CarriedIndex {
            try KeyHandlerSupport.storeIfAsked(ctx, s, type: r.keyType, scheme: r.scheme, material: underLMK)
        }
        return ImportKeyResponse(key: .encrypted(scheme: r.scheme, material: underLMK), checkValue: kcv)
    }
}
