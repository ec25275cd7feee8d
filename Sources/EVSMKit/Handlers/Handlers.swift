import HostProtocol

/// What a handler returns: an error code (normally `00`, `01` for a failed verification)
/// and the reply fields.
struct HandlerOutput {
    var code: HostErrorCode = .ok
    var fields: [UInt8]
}

/// One host command's implementation.
struct CommandHandler {
    /// `NC` and `B2` answer on a factory-fresh device; everything else gets `13`.
    var worksUninitialised = false
    var run: (HandlerContext, ArraySlice<UInt8>) throws -> HandlerOutput
}

enum Handlers {
    /// Command code -> handler. One file per command family adds its entries.
    static let table: [CommandCode: CommandHandler] = {
        var t: [CommandCode: CommandHandler] = [:]
        for family in [DeviceHandlers.entries, KeyHandlers.entries, PINHandlers.entries, MACHandlers.entries,
                       DataHandlers.entries, SM2Handlers.entries] {
            for (c, h) in family { t[c] = h }
        }
        return t
    }()

    /// Decodes a request layout (nothing may follow it), runs `body`, encodes the response.
    static func typed<Req: HostCommandRequest, Rsp: HostCommandResponse>(
        _ body: @escaping (HandlerContext, Req) throws -> Rsp
    ) -> (HandlerContext, ArraySlice<UInt8>) throws -> HandlerOutput {
        { ctx, fields in
            let req = try Req.decodeAll(fields)
            let rsp = try body(ctx, req)
            return HandlerOutput(fields: try rsp.fields())
        }
    }
}
