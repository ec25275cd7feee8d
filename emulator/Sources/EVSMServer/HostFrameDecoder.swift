import HostProtocol
import NIOCore

/// Splits the host port's byte stream into frames by `HostFrameRules`. While a frame is
/// incomplete (bytes buffered, or an oversize frame still being skipped) its `deadline`
/// runs; a complete frame disarms it.
struct HostFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = HostFrame

    let rules: HostFrameRules
    let deadline: FrameDeadline?
    /// Bytes of an oversize frame still to skip.
    private var discard = 0

    init(limit: Int, headerLength: Int, deadline: FrameDeadline? = nil) {
        self.rules = HostFrameRules(limit: limit, headerLength: headerLength)
        self.deadline = deadline
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discard > 0 {
            let n = min(discard, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: n)
            discard -= n
            if discard == 0 {
                deadline?.complete()
                return .continue
            }
            deadline?.partial(context)
            return .needMoreData
        }
        guard buffer.readableBytes >= 2 else { return incomplete(context, buffer) }
        let view = buffer.readableBytesView
        let length = FrameCodec.bodyLength(view[view.startIndex], view[view.startIndex + 1])
        switch rules.plan(length: length) {
        case .request(let n):
            guard buffer.readableBytes >= 2 + n else { return incomplete(context, buffer) }
            let body = Array(view.dropFirst(2).prefix(n))
            buffer.moveReaderIndex(forwardBy: 2 + n)
            deadline?.complete()
            context.fireChannelRead(wrapInboundOut(.request(body)))
            return .continue
        case let .oversize(want, length):
            guard buffer.readableBytes >= 2 + want else { return incomplete(context, buffer) }
            let prefix = Array(view.dropFirst(2).prefix(want))
            buffer.moveReaderIndex(forwardBy: 2)
            discard = length
            context.fireChannelRead(wrapInboundOut(.oversize(prefix: prefix)))
            return .continue
        case .empty:
            buffer.moveReaderIndex(forwardBy: 2)
            deadline?.complete()
            context.fireChannelRead(wrapInboundOut(.empty))
            return .continue
        }
    }

    /// Not a whole frame yet: the deadline runs once a byte of it is here.
    private func incomplete(_ context: ChannelHandlerContext, _ buffer: ByteBuffer) -> DecodingState {
        if buffer.readableBytes > 0 { deadline?.partial(context) } else { deadline?.complete() }
        return .needMoreData
    }

    mutating func decoderRemoved(context: ChannelHandlerContext) {
        deadline?.complete()
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while buffer.readableBytes > 0, try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
