import HostProtocol

/// `A8`/`A9` export a key from under the LMK to under a ZMK.
/// Request (`ExportKeyRequest`): key type 3H, ZMK field, key field (under LMK or `K`),
/// ZMK scheme 1A.
/// Response (`ExportKeyResponse`): key under ZMK, KCV 16H.
/// Errors: `10` ZMK parity, `11` exported key parity, `26` scheme, `27` key type, `12` no
/// key at the `K` index; besides `13`, `15`, `80` from the request layout.
enum ExportKeyHandler {
    static let entry = (ExportKeyRequest.command, CommandHandler(run: Handlers.typed(exportKey)))

    /// Errors: ZMK parity `10`, exported key parity `11`.
    static func exportKey(_ ctx: HandlerContext, _ r: ExportKeyRequest) throws -> ExportKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.zmkScheme)
        var zmk = try ctx.clearKey(r.zmk, type: .zmk, parity: .sourceKeyParity)
        defer { zmk.wipe() }
        var clear = try ctx.clearKey(r.key, type: r.keyType, parity: .destinationKeyParity)
        defer { clear.wipe() }
        try KeyHandlerSupport.requireCompatible(r.zmkScheme, clear.scheme)
        let out = try HandlerContext.underZMK(clear.bytes, zmk: zmk, scheme: r.zmkScheme, encrypt: true)
        return ExportKeyResponse(key: .encrypted(scheme: r.zmkScheme, material: out), checkValue: try HandlerContext.checkValue(clear))
    }
}
