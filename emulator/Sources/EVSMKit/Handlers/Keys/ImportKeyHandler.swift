import HostProtocol

/// `A6`/`A7` import a key from under a ZMK to under the LMK.
/// Request (`ImportKeyRequest`): key type 3H, ZMK field, key under ZMK (field), LMK scheme
/// 1A, [`K` index 4N, label length 2N, label].
/// Response (`ImportKeyResponse`): key under LMK, KCV 16H.
/// Errors: `10` ZMK parity, `26` scheme, `27` key type, `15` key field not under the ZMK or
/// `K` index out of range; besides `13`, `15`, `80` from the request layout.
/// The imported DES key gets odd parity.
enum ImportKeyHandler {
    static let entry = (ImportKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    /// Errors: ZMK parity `10`. The imported DES key gets odd parity.
    static func importKey(_ ctx: HandlerContext, _ r: ImportKeyRequest) throws -> ImportKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.lmkScheme)
        guard case let .encrypted(zs, material) = r.keyUnderZMK else { throw HostFailure(.invalidInput) }
        try KeyHandlerSupport.requireUsableScheme(zs)
        try KeyHandlerSupport.requireCompatible(zs, r.lmkScheme)
        var zmk = try ctx.clearKey(r.zmk, type: .zmk, parity: .sourceKeyParity)
        defer { zmk.wipe() }
        var clear = ClearKey(bytes: try HandlerContext.underZMK(material, zmk: zmk, scheme: zs, encrypt: false), scheme: r.lmkScheme)
        defer { clear.wipe() }
        // As payShield's key import (and public simulators), the imported DES key is
        // parity-adjusted; the KCV is that of the adjusted key.
        if clear.cipher == .des { Prim.adjustParity(&clear.bytes) }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        try KeyHandlerSupport.storeIfAsked(ctx, r.store, type: r.keyType, scheme: r.lmkScheme, material: underLMK)
        return ImportKeyResponse(key: .encrypted(scheme: r.lmkScheme, material: underLMK), checkValue: try HandlerContext.checkValue(clear))
    }
}
