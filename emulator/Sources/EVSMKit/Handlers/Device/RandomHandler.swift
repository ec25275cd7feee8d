import HostProtocol

/// `CR`/`CS` random bytes.
/// Request (`RandomRequest`): count 4N (1..2048).
/// Response (`RandomResponse`): the bytes (binary).
/// Errors: `80` count out of range; besides `13`, `15`, `80` from the request layout.
enum RandomHandler {
    static let entry = (RandomRequest.command, CommandHandler(run: Handlers.typed(random)))

    static func random(_ ctx: HandlerContext, _ r: RandomRequest) throws -> RandomResponse {
        guard r.count >= 1, r.count <= RandomRequest.maxCount else { throw HostFailure(.lengthError) }
        return RandomResponse(bytes: try Prim.random(r.count))
    }
}
