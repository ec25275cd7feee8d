import HSMCrypto
import HostProtocol

/// `JE`/`JF` PIN block under a ZPK to PIN under the LMK.
/// Request (`PINBlockToLMKRequest`): ZPK, PIN block 16H/32H, format 2N, account 12N.
/// Response (`PINUnderLMKResponse`): PIN under LMK 16H.
/// Errors: `10` parity, `15` block size not the key's, `20` bad block, `23` format, `24` PIN
/// length; besides `13`, `15`, `80` from the request layout.
enum PINBlockToLMKHandler {
    static let entry = (PINBlockToLMKRequest.command, CommandHandler(run: Handlers.typed(blockToLMK)))

    static func blockToLMK(_ ctx: HandlerContext, _ r: PINBlockToLMKRequest) throws -> PINUnderLMKResponse {
        try PINHandlerSupport.requireFormat(r.format)
        var k = try ctx.clearKey(r.zpk, type: .zpk)
        defer { k.wipe() }
        var pin = try PINHandlerSupport.openBlock(r.pinBlock, key: k, format: r.format, account: r.account)
        defer { SecureBytes.wipe(&pin) }
        return PINUnderLMKResponse(pinUnderLMK: try PINBlock.encryptUnderLMK(try ctx.keys, pin: pin, account: r.account))
    }
}
