import HSMCrypto
import HostProtocol

/// `DG`/`DH` generate a Visa PVV.
/// Request (`GeneratePVVRequest`): PVK (type `002`, any DES key field or `K` index), PIN
/// under LMK 16H, account 12N, PVKI 1H.
/// Response (`GeneratePVVResponse`): PVV 4N.
/// Errors: `10` PVK parity (a key of another type), `27` a `K` index of another type, `26`
/// an SM4/AES/SM1 PVK, `20` the PIN under LMK is not a PIN for the account; besides `13`,
/// `15`, `80` from the request layout.
enum GeneratePVVHandler {
    static let entry = (GeneratePVVRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GeneratePVVRequest) throws -> GeneratePVVResponse {
        var k = try PINVerifyHandlerSupport.pvk(ctx, r.pvk)
        defer { k.wipe() }
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: r.account)
        defer { SecureBytes.wipe(&pin) }
        return GeneratePVVResponse(pvv: try PINVerifyHandlerSupport.pvv(key: k, account: r.account, pvki: r.pvki, pin: pin))
    }
}
