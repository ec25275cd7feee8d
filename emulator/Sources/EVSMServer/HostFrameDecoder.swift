import HostProtocol
import NIOCore

/// What the host-port decoder produces from the byte stream.
enum HostFrame {
    /// A complete request body (header, command, fields).
    case request([UInt8])
    /// A frame longer than the limit: its first bytes (header + command, where present).
    /// The rest of the frame is skipped, so the connection stays in step.
    case oversize(prefix: [UInt8])
    /// A zero-length frame: nothing to answer; the connection is closed.
    case empty
}

/// Splits the host port's byte stream into frames with `FrameCodec.split`. While a frame is
/// incomplete (bytes buffered, or an oversize frame still being skipped) its `deadline`
/// runs; a complete frame disarms it.
struct HostFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = HostFrame

    let limit: Int
    let headerLength: Int
    let deadline: FrameDeadline?
    /// Bytes of an oversize frame still to skip.
    private var discard = 0

    init(limit: Int, headerLength: Int, deadline: FrameDeadline? = nil) {
        self.limit = limit
        self.headerLength = headerLength
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
        do {
            guard let (range, consumed) = try FrameCodec.split(view, limit: limit) else { return incomplete(context, buffer) }
            let body = Array(view[range])
            buffer.moveReaderIndex(forwardBy: consumed)
            deadline?.complete()
            context.fireChannelRead(wrapInboundOut(.request(body)))
            return .continue
        } catch let FrameError.oversize(length, _) {
            let want = min(length, headerLength + 2)
            guard buffer.readableBytes >= 2 + want else { return incomplete(context, buffer) }
            let prefix = Array(view.dropFirst(2).prefix(want))
            buffer.moveReaderIndex(forwardBy: 2)
            discard = length
            context.fireChannelRead(wrapInboundOut(.oversize(prefix: prefix)))
            return .continue
        } catch {
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
