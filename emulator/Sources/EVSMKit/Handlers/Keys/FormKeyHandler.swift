import HSMCrypto
import HostProtocol

/// `A4`/`A5` form a key from components.
/// Request (`FormKeyRequest`): count 1N (2..9), key type 3H, LMK scheme 1A, count x
/// component (key fields under the LMK of the type).
/// Response (`FormKeyResponse`): key under LMK (XOR of the components, DES parity set),
/// KCV 16H.
/// Errors: `10` component parity, `26` scheme (SM1, or a component of another kind),
/// `27` key type, `15` component count; besides `13`, `15`, `80` from the request layout.
enum FormKeyHandler {
    static let entry = (FormKeyRequest.command, CommandHandler(run: Handlers.typed(form)))

    /// XOR of the clear components (each under the LMK of the type); DES results get odd parity.
    static func form(_ ctx: HandlerContext, _ r: FormKeyRequest) throws -> FormKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.lmkScheme)
        guard (2...9).contains(r.components.count) else { throw HostFailure(.invalidInput) }
        var acc = [UInt8](repeating: 0, count: r.lmkScheme.keyLength)
        defer { SecureBytes.wipe(&acc) }
        for c in r.components {
            var k = try ctx.clearKey(c, type: r.keyType)
            defer { k.wipe() }
            try KeyHandlerSupport.requireCompatible(k.scheme, r.lmkScheme)
            for i in acc.indices { acc[i] ^= k.bytes[i] }
        }
        if r.lmkScheme.algorithm == .des { Prim.adjustParity(&acc) }
        var clear = ClearKey(bytes: acc, scheme: r.lmkScheme)
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.lmkScheme)
        return FormKeyResponse(key: .encrypted(scheme: r.lmkScheme, material: underLMK), checkValue: try HandlerContext.checkValue(clear))
    }
}
