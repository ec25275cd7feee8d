import HostProtocol

/// `M8`/`M9` verify a MAC.
/// Request (`VerifyMACRequest`): as `M6` (modes 0 and 3 only), then the MAC (8H/16H).
/// Response: no fields; `00` the MAC matches, `01` it does not.
/// Errors: as `M6` (`27`, `10`, `15`, `80`); `15` for modes 1/2; besides `13`, `15`, `80`
/// from the request layout.
/// The computation is `MACHandlerSupport.compute`, shared with `M6`.
enum VerifyMACHandler {
    static let entry = (VerifyMACRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try VerifyMACRequest.decodeAll(fields)
        guard r.fields.mode == 0 || r.fields.mode == 3 else { throw HostFailure(.invalidInput) }
        let full = try MACHandlerSupport.compute(ctx, r.fields)
        let mac = Array(full.prefix(r.fields.macSize == 0 ? 4 : 8))
        return HandlerOutput(code: mac == r.mac ? .ok : .verificationFailed, fields: [])
    }
}
