import HSMCrypto
import HostProtocol

/// `SH`/`SI` export a key (optionally derived) under a protection key (optionally derived).
/// Request (`ICExportKeyRequest`): encryption mode 2N (00 ECB, 01 CBC with a zero IV),
/// protection key type 3H, protection KEY, its DERIVE (32H factors), its SESSION (00 only),
/// exported key type 3H, exported KEY, its DERIVE (32H factors), key header length 2N (bytes),
/// header (hex, at most 32 bytes).
/// Response (`ICExportKeyResponse`): byte count 4H, cryptogram = mode(protection key,
/// header || clear key) in hex, KCV 16H of the exported (derived) key.
/// Errors: `27` protection type not `000`/`x09` or unknown exported type, `10` protection
/// key parity, `11` exported key parity, `26` families differ (DES key under an SM4/AES
/// protection key or the reverse) or SM1, `80` header || key not whole blocks, `15` session
/// mode other than 00, more than 8 levels; besides `13`, `15`, `80` from the layout.
enum ProtectedExportHandler {
    static let entry = (ICExportKeyRequest.command, CommandHandler(run: Handlers.typed(export)))

    static func export(_ ctx: HandlerContext, _ r: ICExportKeyRequest) throws -> ICExportKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        var pk = try ICKeysHandlerSupport.protectionKey(ctx, r.protection)
        defer { pk.wipe() }
        var key = try ctx.clearKey(r.key, type: r.keyType, parity: .destinationKeyParity)
        defer { key.wipe() }
        try ICKeysHandlerSupport.derive(&key, r.derivation)
        try ICKeysHandlerSupport.requireSameFamily(key.scheme, pk)
        var plain = r.header + key.bytes
        defer { SecureBytes.wipe(&plain) }
        let c = try ICKeysHandlerSupport.crypt(pk, mode: r.protection.mode, iv: nil, data: plain, encrypt: true)
        return ICExportKeyResponse(cryptogram: c, checkValue: try HandlerContext.checkValue(key))
    }
}
