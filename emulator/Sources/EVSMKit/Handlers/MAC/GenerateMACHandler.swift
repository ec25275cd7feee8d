import HostProtocol

/// `M6`/`M7` generate a MAC.
/// Request (`GenerateMACRequest`): mode 1N (0 only, 1 first, 2 middle, 3 last), input format
/// 1N (0 binary, 1 hex, 2 text), MAC size 1N (0 = 8H, 1 = 16H), algorithm 1N (1 ISO 9797-1
/// alg 1 / X9.9, 3 alg 3 / X9.19), padding 1N (0 none, 1 zeros, 2 `80` then zeros), key
/// type 3H (`003` TAK, `008` ZAK), key, [IV for modes 2/3], length 4H, data.
/// Response (`GenerateMACResponse`): modes 0/3 the MAC (8H/16H); modes 1/2 the chaining
/// value to send as the next IV.
/// Errors: `27` key type, `10` parity, `15` algorithm, padding or IV, `80` data not whole
/// blocks (padding 0 or modes 1/2); besides `13`, `15`, `80` from the request layout.
/// The computation is `MACHandlerSupport.compute`, shared with `M8`.
enum GenerateMACHandler {
    static let entry = (GenerateMACRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: GenerateMACRequest) throws -> GenerateMACResponse {
        let full = try MACHandlerSupport.compute(ctx, r.fields)
        let last = r.fields.mode == 0 || r.fields.mode == 3
        return GenerateMACResponse(mac: last ? Array(full.prefix(r.fields.macSize == 0 ? 4 : 8)) : full)
    }
}
