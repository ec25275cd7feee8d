import HSMCrypto
import HostProtocol

/// `SI`/`SJ` import a key from under a protection key (optionally derived).
/// Request (`ICImportKeyRequest`): encryption mode 2N, protection key type 3H, protection
/// KEY, its DERIVE (32H factors), its SESSION (00 only), imported key type 3H, scheme 1A,
/// cryptogram length 4H (bytes), cryptogram, [SAVED-KEY], key header length 2N + header,
/// [`P` padding 2N (00 none, 01 `80` then zeros), IV (CBC only), expected KCV 16H].
/// Response (`ICKeyResponse`): key under LMK, KCV 16H.
/// The decrypted cryptogram must be header || key [|| padding]; DES keys get odd parity.
/// Errors: `27`, `10` protection key parity, `26` families differ or SM1, `80` cryptogram
/// not whole blocks or not header + key (+ padding) long, `15` header mismatch, bad padding,
/// unknown padding code, session mode other than 00, `01` expected KCV does not match;
/// besides `13`, `15`, `80` from the layout.
enum ProtectedImportHandler {
    static let entry = (ICImportKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    static func importKey(_ ctx: HandlerContext, _ r: ICImportKeyRequest) throws -> ICKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.scheme)
        var pk = try ICKeysHandlerSupport.protectionKey(ctx, r.protection)
        defer { pk.wipe() }
        try ICKeysHandlerSupport.requireSameFamily(r.scheme, pk)
        let ext = r.importExtension
        var plain = try ICKeysHandlerSupport.crypt(pk, mode: r.protection.mode, iv: ext?.iv, data: r.cryptogram, encrypt: false)
        defer { SecureBytes.wipe(&plain) }
        guard plain.count >= r.header.count + r.scheme.keyLength else { throw HostFailure(.lengthError) }
        guard Prim.equal(Array(plain.prefix(r.header.count)), r.header) else { throw HostFailure(.invalidInput) }
        var body = Array(plain.dropFirst(r.header.count))
        defer { SecureBytes.wipe(&body) }
        switch ext?.padding ?? 0 {
        case 0:
            guard body.count == r.scheme.keyLength else { throw HostFailure(.lengthError) }
        case 1:
            let tail = body.dropFirst(r.scheme.keyLength)
            guard tail.first == 0x80, tail.dropFirst().allSatisfy({ $0 == 0 }) else { throw HostFailure(.invalidInput) }
        default:
            throw HostFailure(.invalidInput)
        }
        var clear = ClearKey(bytes: Array(body.prefix(r.scheme.keyLength)), scheme: r.scheme)
        defer { clear.wipe() }
        if clear.cipher == .des { Prim.adjustParity(&clear.bytes) }
        let kcv = try HandlerContext.checkValue(clear)
        if let want = ext?.checkValue, !Prim.equal(want, kcv) { throw HostFailure(.verificationFailed) }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.scheme)
        try ICKeysHandlerSupport.store(ctx, r.store, type: r.keyType, scheme: r.scheme, material: underLMK)
        return ICKeyResponse(key: .encrypted(scheme: r.scheme, material: underLMK), checkValue: kcv)
    }
}
