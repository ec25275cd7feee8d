import HSMCrypto
import HostProtocol

/// `JG`/`JH` PIN under the LMK to a PIN block under a ZPK.
/// Request (`PINFromLMKRequest`): ZPK, format 2N, account 12N, PIN under LMK 16H.
/// Response (`PINBlockResponse`): PIN block 16H/32H.
/// Errors: `10` parity, `20` PIN under LMK does not decrypt to a PIN for the account, `23`
/// format, `24` PIN length; besides `13`, `15`, `80` from the request layout.
enum PINFromLMKHandler {
    static let entry = (PINFromLMKRequest.command, CommandHandler(run: Handlers.typed(lmkToBlock)))

    static func lmkToBlock(_ ctx: HandlerContext, _ r: PINFromLMKRequest) throws -> PINBlockResponse {
        try PINHandlerSupport.requireFormat(r.format)
        var k = try ctx.clearKey(r.zpk, type: .zpk)
        defer { k.wipe() }
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: r.account)
        defer { SecureBytes.wipe(&pin) }
        return PINBlockResponse(pinBlock: try PINHandlerSupport.sealBlock(pin, key: k, format: r.format, account: r.account))
    }
}
