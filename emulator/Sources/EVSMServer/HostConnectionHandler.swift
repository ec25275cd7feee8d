import Dispatch
import EVSMKit
import HostProtocol
import Logging
import NIOCore
import NIOPosix

/// One host connection: each frame is answered by `Device.handle`, replies are written in
/// request order.
///
/// Where a request runs: on the connection's event loop when nothing of this connection is
/// waiting on the thread pool, its command is not one that may block (`Device.mayBlock`:
/// RSA key generation; storing a key on a device with a state directory) and this read burst has spent less than `inlineBudgetNanos` of the
/// loop's time on commands; otherwise on the thread pool, after the request before it. A
/// client that sends one request and waits for its reply (every library connection) is thus
/// answered without two thread hand-offs per request (event loop -> pool -> event loop),
/// while a connection that pipelines many requests, or a key generation, cannot hold an
/// event loop (and the other connections on it) for more than about a millisecond. The
/// budget is reset when the channel's read burst completes (`channelReadComplete`).
///
/// Backpressure: at most `maxPendingReplies` requests may wait for their reply to be
/// written to the socket (handled, queued or in NIO's outbound buffer). Beyond that the
/// handler stops asking the channel to read, so a client that sends and never reads its
/// replies is left with full socket buffers instead of growing evsm's memory; reading
/// resumes when half of them are written.
final class HostConnectionHandler: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HostFrame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Requests of one connection whose replies are not written yet, before reading stops.
    static let maxPendingReplies = 64
    /// Event-loop time one read burst of a connection may spend answering requests inline.
    static let inlineBudgetNanos: UInt64 = 1_000_000

    let device: Device
    let pool: NIOThreadPool
    let headerLength: Int
    /// The frame rules' answers (shared with the TLS host port).
    let responder: HostFrameResponder
    let logger: Logger
    /// The connection's frame deadline, suspended while reads are held back.
    let deadline: FrameDeadline?
    /// Whether requests may run on the event loop (`HostDispatch`).
    let inline: Bool
    /// The reply chain of this connection (touched on its event loop only).
    private var tail: EventLoopFuture<Void>?
    /// Requests whose reply is not written yet; whether a `read` was held back (event loop only).
    private var pending = 0
    /// Requests handed to the thread pool whose reply is not written yet (event loop only):
    /// while there are any, later requests queue behind them to keep the replies in order.
    private var offloaded = 0
    /// Event-loop time spent answering inline in this read burst (event loop only).
    private var inlineSpent: UInt64 = 0
    private var readHeld = false
    private var context: ChannelHandlerContext?

    init(device: Device, pool: NIOThreadPool, headerLength: Int, logger: Logger, deadline: FrameDeadline? = nil,
         dispatch: HostDispatch = .adaptive) {
        self.inline = dispatch == .adaptive
        self.device = device
        self.pool = pool
        self.headerLength = headerLength
        self.responder = HostFrameResponder(device: device, headerLength: headerLength)
        self.logger = logger
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Holds reads back while too many replies wait to be written.
    func read(context: ChannelHandlerContext) {
        if pending >= Self.maxPendingReplies {
            readHeld = true
            deadline?.suspend()
            return
        }
        context.read()
    }

    /// One reply written (or given up): reads resume below half the limit.
    private func replyDone() {
        pending -= 1
        if readHeld, pending <= Self.maxPendingReplies / 2, let context {
            readHeld = false
            deadline?.resume()
            context.read()
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        logger.info("host connection opened", metadata: ["peer": "\(context.remoteAddress?.description ?? "?")"])
        device.metrics.connectionOpened()  // metrics:
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        logger.info("host connection closed", metadata: ["peer": "\(context.remoteAddress?.description ?? "?")"])
        device.metrics.connectionClosed()  // metrics:
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let channel = context.channel
        let loop = context.eventLoop
        let responder = self.responder
        if let reason = HostFrameResponder.closeReason(for: frame) {
            logger.warning("\(reason): closing the connection")
            context.close(promise: nil)
            return
        }
        if case .oversize = frame { logger.warning("oversize frame answered with error 80 and skipped") }
        if inline, offloaded == 0, inlineSpent < Self.inlineBudgetNanos, !responder.mayBlock(frame) {
            answerInline(context: context, frame)
        } else {
            enqueue(channel: channel, loop: loop) { responder.reply(to: frame) }
        }
    }

    /// A new read burst: the inline budget starts again.
    func channelReadComplete(context: ChannelHandlerContext) {
        inlineSpent = 0
        context.fireChannelReadComplete()
    }

    /// Answers `frame` on the event loop and writes the reply (nothing is queued on the pool,
    /// so it is in order).
    private func answerInline(context: ChannelHandlerContext, _ frame: HostFrame) {
        let start = DispatchTime.now().uptimeNanoseconds
        let bytes = responder.reply(to: frame)
        inlineSpent &+= DispatchTime.now().uptimeNanoseconds &- start
        pending += 1
        let logger = self.logger
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes))).whenComplete { [weak self] result in
            if case let .failure(error) = result { logger.debug("reply not written: \(error)") }
            self?.replyDone()
        }
    }

    /// Runs `work` on the pool after the previous request of this connection, then writes.
    private func enqueue(channel: Channel, loop: EventLoop, _ work: @escaping @Sendable () -> [UInt8]) {
        let pool = self.pool
        let logger = self.logger
        pending += 1
        offloaded += 1
        let previous = tail ?? loop.makeSucceededVoidFuture()
        let next = previous.flatMap {
            pool.runIfActive(eventLoop: loop, work)
        }.flatMap { bytes -> EventLoopFuture<Void> in
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        }.flatMapErrorThrowing { error in
            logger.debug("reply not written: \(error)")
        }.always { [weak self] _ in
            guard let self else { return }
            self.offloaded -= 1
            if self.offloaded == 0 { self.tail = nil }
            self.replyDone()
        }
        tail = next
    }

    /// The idle timeout (IdleStateHandler, `ServerLimits.idleTimeout`): nothing read or
    /// written for that long closes the connection.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            logger.notice("host connection closed: idle (--idle-timeout)",
                          metadata: ["peer": "\(context.remoteAddress?.description ?? "?")"])
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("host connection error, closing: \(error)")
        context.close(promise: nil)
    }
}
