import HostProtocol

/// `B2`/`B3` echo; answers on a factory-fresh device too.
/// Request (`EchoRequest`): length 4H, data.
/// Response (`EchoResponse`): the data.
/// Errors: only `15`, `80` from the request layout (never `13`).
enum EchoHandler {
    static let entry = (EchoRequest.command, CommandHandler(worksUninitialised: true, run: Handlers.typed(echo)))

    static func echo(_ ctx: HandlerContext, _ r: EchoRequest) throws -> EchoResponse { EchoResponse(data: r.data) }
}
