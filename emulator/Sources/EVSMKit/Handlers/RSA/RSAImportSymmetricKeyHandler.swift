import HSMCrypto
import HostProtocol

/// `TW`/`TX` import a symmetric key from under an RSA public key (private key usage 1 or 2).
/// Request (`RSAImportSymmetricKeyRequest`): padding 2N (`01`), key type 3H, LMK scheme 1A,
/// [`K` index, label], expected KCV 16H (all `0`: not checked), cryptogram length 4H,
/// cryptogram, RSA private key reference.
/// Response (`RSAImportSymmetricKeyResponse`): key under the LMK, KCV 16H. DES keys get odd
/// parity (as `A6`).
/// Errors: `15` padding, a cryptogram that does not decrypt or holds a key of another
/// length than the scheme's, `01` KCV mismatch, `26` scheme, `27` type or a sign-only key,
/// `10` blob refused.
enum RSAImportSymmetricKeyHandler {
    static let entry = (RSAImportSymmetricKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    static func importKey(_ ctx: HandlerContext, _ r: RSAImportSymmetricKeyRequest) throws -> RSAImportSymmetricKeyResponse {
        guard r.padding == 1 else { throw HostFailure(.invalidInput) }
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.scheme)
        var der = try RSAHandlerSupport.privateKey(ctx, r.privateKey, for: .keyManagement)
        defer { SecureBytes.wipe(&der) }
        let bits = try RSAHandlerSupport.crypto { try HSMCrypto.RSA.modulusBits(der, isPrivate: true) }
        guard r.cryptogram.count == (bits + 7) / 8 else { throw HostFailure(.lengthError) }
        var clear = ClearKey(bytes: try RSAHandlerSupport.crypto { try HSMCrypto.RSA.decrypt(r.cryptogram, privateKey: der, padding: .pkcs1) },
                             scheme: r.scheme)
        defer { clear.wipe() }
        guard clear.bytes.count == r.scheme.keyLength else { throw HostFailure(.invalidInput) }
        if clear.cipher == .des { Prim.adjustParity(&clear.bytes) }
        let kcv = try HandlerContext.checkValue(clear)
        if r.expectedCheckValue.contains(where: { $0 != 0 }), !Prim.equal(kcv, r.expectedCheckValue) { throw HostFailure(.verificationFailed) }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.scheme)
        try KeyHandlerSupport.storeIfAsked(ctx, r.store, type: r.keyType, scheme: r.scheme, material: underLMK)
        return RSAImportSymmetricKeyResponse(key: .encrypted(scheme: r.scheme, material: underLMK), checkValue: kcv)
    }
}
