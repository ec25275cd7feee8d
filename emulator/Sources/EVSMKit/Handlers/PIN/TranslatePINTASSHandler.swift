import HSMCrypto
import HostProtocol

/// `TI`/`TJ` translate a PIN block (TASS form: key kinds and an account per side).
/// Request (`TranslatePINTASSRequest`): source kind 1N (1 TPK, 2 ZPK), source key,
/// destination kind 1N, destination key, max PIN length 2N, PIN block 16H/32H, source format
/// 2N, source account 12N, destination format 2N, destination account 12N.
/// Response (`PINBlockResponse`): PIN block 16H/32H.
/// Errors: as `CA` (`10`, `11`, `15`, `20`, `23`, `24`); `27` unknown key kind; besides `13`,
/// `15`, `80` from the request layout.
enum TranslatePINTASSHandler {
    static let entry = (TranslatePINTASSRequest.command, CommandHandler(run: Handlers.typed(translateTASS)))

    /// Key kind 1 = TPK (type 002), 2 = ZPK (type 001); anything else `27`.
    static func kind(_ k: Int) throws -> KeyType {
        switch k {
        case 1: return .tpk
        case 2: return .zpk
        default: throw HostFailure(.keyTypeNotPermitted)
        }
    }

    /// `TI`: like `CC`, with key kinds and an account per side.
    static func translateTASS(_ ctx: HandlerContext, _ r: TranslatePINTASSRequest) throws -> PINBlockResponse {
        try PINHandlerSupport.requireFormat(r.sourceFormat)
        try PINHandlerSupport.requireFormat(r.destinationFormat)
        var src = try ctx.clearKey(r.sourceKey, type: try kind(r.sourceKind), parity: .sourceKeyParity)
        defer { src.wipe() }
        var dst = try ctx.clearKey(r.destinationKey, type: try kind(r.destinationKind), parity: .destinationKeyParity)
        defer { dst.wipe() }
        var pin = try PINHandlerSupport.openBlock(r.pinBlock, key: src, format: r.sourceFormat, account: r.sourceAccount)
        defer { SecureBytes.wipe(&pin) }
        guard pin.count <= r.maxPINLength else { throw HostFailure(.pinLength) }
        return PINBlockResponse(pinBlock: try PINHandlerSupport.sealBlock(pin, key: dst, format: r.destinationFormat, account: r.destinationAccount))
    }
}
