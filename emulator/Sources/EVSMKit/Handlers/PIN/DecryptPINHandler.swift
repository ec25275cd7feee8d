import HSMCrypto
import HostProtocol

/// `NG`/`NH` decrypt a PIN under the LMK.
/// Request (`DecryptPINRequest`): account 12N, PIN under LMK 16H.
/// Response (`DecryptPINResponse`): the PIN digits only (rest of the reply).
/// Errors: `20` PIN under LMK does not decrypt to a PIN for the account; besides `13`, `15`,
/// `80` from the request layout.
enum DecryptPINHandler {
    static let entry = (DecryptPINRequest.command, CommandHandler(run: Handlers.typed(decryptPIN)))

    static func decryptPIN(_ ctx: HandlerContext, _ r: DecryptPINRequest) throws -> DecryptPINResponse {
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: r.account)
        defer { SecureBytes.wipe(&pin) }
        return DecryptPINResponse(pin: String(decoding: pin.map { $0 + 0x30 }, as: UTF8.self))
    }
}
