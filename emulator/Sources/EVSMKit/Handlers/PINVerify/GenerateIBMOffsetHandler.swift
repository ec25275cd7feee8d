import HSMCrypto
import HostProtocol

/// `DE`/`DF` generate an IBM 3624 PIN offset.
/// Request (`GenerateIBMOffsetRequest`): PVK, PIN under LMK 16H, check length 2N (04..12),
/// account 12N, decimalisation table 16N, PIN validation data 12A (hex and one `N`).
/// Response (`IBMOffsetResponse`): offset 12H, one digit per PIN digit, padded with `F`.
/// Errors: `10` PVK parity, `27`, `26` as `DG`; `20` PIN under LMK; `24` PIN shorter than the
/// check length; `15` check length out of range, no `N` (or two) in the validation data;
/// besides `13`, `15`, `80` from the request layout.
enum GenerateIBMOffsetHandler {
    static let entry = (GenerateIBMOffsetRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GenerateIBMOffsetRequest) throws -> IBMOffsetResponse {
        let p = r.parameters
        guard PINVerifyHandlerSupport.checkLengths.contains(p.checkLength) else { throw HostFailure(.invalidInput) }
        var k = try PINVerifyHandlerSupport.pvk(ctx, r.pvk)
        defer { k.wipe() }
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: p.account)
        defer { SecureBytes.wipe(&pin) }
        guard pin.count >= p.checkLength else { throw HostFailure(.pinLength) }
        var natural = try PINVerifyHandlerSupport.naturalPIN(key: k, p)
        defer { SecureBytes.wipe(&natural) }
        return IBMOffsetResponse(offset: PINVerifyHandlerSupport.offset(pin: pin, natural: natural))
    }
}
