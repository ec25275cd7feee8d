import HostProtocol

/// `BU`/`BV` key check value.
/// Request (`CheckValueRequest`): key type code 2H (an LMK pair code, or `FF`), length flag
/// 1N (0 single, 1 double/SM4/AES, 2 triple), key field, [`;` key type 3H (required with
/// `FF`; wins when present)].
/// Response (`CheckValueResponse`): KCV 16H.
/// Errors: `10` parity, `15` flag/length mismatch (key material only; a `K` index key has
/// its stored length) or no key type, `27` key type, `12` no key
/// at the `K` index; besides `13`, `15`, `80` from the request layout.
enum KeyCheckValueHandler {
    static let entry = (CheckValueRequest.command, CommandHandler(run: Handlers.typed(checkValue)))

    static func checkValue(_ ctx: HandlerContext, _ r: CheckValueRequest) throws -> CheckValueResponse {
        guard let t = r.effectiveKeyType else { throw HostFailure(.invalidInput) }
        try KeyHandlerSupport.requireKnownType(t)
        var k = try ctx.clearKey(r.key, type: t)
        defer { k.wipe() }
        // The flag is checked against key material sent in the request; a key at a `K` index
        // has the length it was stored with, which the caller cannot know.
        if case .encrypted = r.key {
            let expected = k.scheme.algorithm == .des ? (k.bytes.count / 8 - 1) : 1
            guard r.lengthFlag == expected else { throw HostFailure(.invalidInput) }
        }
        return CheckValueResponse(checkValue: try HandlerContext.checkValue(k))
    }
}
