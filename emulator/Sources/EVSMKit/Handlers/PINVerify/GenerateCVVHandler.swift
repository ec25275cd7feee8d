import HostProtocol

/// `CW`/`CX` generate a Visa CVV.
/// Request (`GenerateCVVRequest`): CVK (a double-length key field of type `402` or a `K`
/// index; or payShield's CVK A 16H + CVK B 16H), full PAN 8..19N, `;`, expiry 4N, service
/// code 3N.
/// Response (`GenerateCVVResponse`): CVV 3N.
/// Errors: `10` CVK parity (a key of another type), `27` a CVK that is not double-length or
/// a `K` index of another type, `26` an SM4/AES/SM1 key; besides `13`, `15`, `80` from the
/// request layout. The algorithm is `PINVerifyHandlerSupport.cvv`, shared with `CY`.
enum GenerateCVVHandler {
    static let entry = (GenerateCVVRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GenerateCVVRequest) throws -> GenerateCVVResponse {
        var k = try PINVerifyHandlerSupport.cvk(ctx, r.cvk)
        defer { k.wipe() }
        return GenerateCVVResponse(cvv: try PINVerifyHandlerSupport.cvv(key: k, pan: r.pan, expiry: r.expiry, serviceCode: r.serviceCode))
    }
}
