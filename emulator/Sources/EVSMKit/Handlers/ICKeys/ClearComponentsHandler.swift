import HSMCrypto
import HostProtocol

/// `AM`/`AN` form a key from clear components (also the TASS "put plain key": the clear
/// key plus an all-zero component).
/// Request (`ClearComponentsKeyRequest`): key type 3H, scheme 1A, composition mode 2N
/// (`00` = XOR), component count 2N (1...9), the clear components (16H / 32H / 48H each by
/// the scheme), [SAVED-KEY].
/// Response (`ICKeyResponse`): key under LMK (XOR of the components; DES keys get odd
/// parity, the KCV is that of the adjusted key), KCV 16H.
/// Errors: `27` key type, `26` SM1, `15` composition mode not 00, count not 1...9; besides
/// `13`, `15` (non-hex component), `80` from the layout. The decoded components are zeroed.
enum ClearComponentsHandler {
    static let entry = (ClearComponentsKeyRequest.command, CommandHandler(writesState: true, run: run))

    static func run(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        var r = try ClearComponentsKeyRequest.decodeAll(fields)
        defer { for i in r.components.indices { SecureBytes.wipe(&r.components[i]) } }
        return HandlerOutput(fields: try form(ctx, r).fields())
    }

    static func form(_ ctx: HandlerContext, _ r: ClearComponentsKeyRequest) throws -> ICKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.keyType)
        try KeyHandlerSupport.requireUsableScheme(r.scheme)
        guard r.mode == 0, (1...9).contains(r.components.count) else { throw HostFailure(.invalidInput) }
        var acc = [UInt8](repeating: 0, count: r.scheme.keyLength)
        for c in r.components {
            guard c.count == acc.count else { SecureBytes.wipe(&acc); throw HostFailure(.lengthError) }
            for i in acc.indices { acc[i] ^= c[i] }
        }
        if r.scheme.algorithm == .des { Prim.adjustParity(&acc) }
        var clear = ClearKey(bytes: acc, scheme: r.scheme)
        acc = []
        defer { clear.wipe() }
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.keyType, scheme: r.scheme)
        let kcv = try HandlerContext.checkValue(clear)
        try ICKeysHandlerSupport.store(ctx, r.store, type: r.keyType, scheme: r.scheme, material: underLMK)
        return ICKeyResponse(key: .encrypted(scheme: r.scheme, material: underLMK), checkValue: kcv)
    }
}
