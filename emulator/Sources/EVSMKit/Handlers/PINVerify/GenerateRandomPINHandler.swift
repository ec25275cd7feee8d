import HSMCrypto
import HostProtocol

/// `JA`/`JB` generate a random PIN.
/// Request (`GenerateRandomPINRequest`): account 12N, PIN length 2N (04..12).
/// Response (`PINUnderLMKResponse`): the PIN under the LMK, 16H (the `BA` form, docs/wire.md).
/// Errors: `24` PIN length out of range; besides `13`, `15`, `80` from the request layout.
enum GenerateRandomPINHandler {
    static let entry = (GenerateRandomPINRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GenerateRandomPINRequest) throws -> PINUnderLMKResponse {
        guard (4...12).contains(r.pinLength) else { throw HostFailure(.pinLength) }
        var pin = try PINVerifyHandlerSupport.randomDigits(r.pinLength)
        defer { SecureBytes.wipe(&pin) }
        return PINUnderLMKResponse(pinUnderLMK: try PINBlock.encryptUnderLMK(try ctx.keys, pin: pin, account: r.account))
    }
}
