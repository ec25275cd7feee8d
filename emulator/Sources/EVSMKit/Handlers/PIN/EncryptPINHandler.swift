import HSMCrypto
import HostProtocol

/// `BA`/`BB` encrypt a clear PIN under the LMK.
/// Request (`EncryptPINRequest`): PIN padded on the right with `F` (1..16 chars; 4..12
/// digits), account 12N.
/// Response (`PINUnderLMKResponse`): PIN under LMK 16H.
/// Errors: `24` PIN length, `15` a character other than a digit before the `F` padding;
/// besides `13`, `15`, `80` from the request layout.
enum EncryptPINHandler {
    static let entry = (EncryptPINRequest.command, CommandHandler(run: Handlers.typed(encryptPIN)))

    static func encryptPIN(_ ctx: HandlerContext, _ r: EncryptPINRequest) throws -> PINUnderLMKResponse {
        var digits: [UInt8] = []
        defer { SecureBytes.wipe(&digits) }
        var padding = false
        for c in r.paddedPIN.utf8 {
            if c == UInt8(ascii: "F") || c == UInt8(ascii: "f") {
                padding = true
            } else {
                guard !padding, c >= 0x30, c <= 0x39 else { throw HostFailure(.invalidInput) }
                digits.append(c - 0x30)
            }
        }
        guard digits.count >= 4, digits.count <= 12 else { throw HostFailure(.pinLength) }
        return PINUnderLMKResponse(pinUnderLMK: try PINBlock.encryptUnderLMK(try ctx.keys, pin: digits, account: r.account))
    }
}
