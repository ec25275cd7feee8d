import EVSMKit
import HostProtocol
import Logging
import NIOCore
import NIOPosix

/// One host connection: each frame goes to `Device.handle` on the thread pool; replies
/// are written in request order (each request waits for the one before it).
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

    let device: Device
    let pool: NIOThreadPool
    let headerLength: Int
    /// The frame rules' answers (shared with the TLS host port).
    let responder: HostFrameResponder
    let logger: Logger
    /// The connection's frame deadline, suspended while reads are held back.
    let deadline: FrameDeadline?
    /// The reply chain of this connection (touched on its event loop only).
    private var tail: EventLoopFuture<Void>?
    /// Requests whose reply is not written yet; whether a `read` was held back (event loop only).
    private var pending = 0
    private var readHeld = false
    private var context: ChannelHandlerContext?

    init(device: Device, pool: NIOThreadPool, headerLength: Int, logger: Logger, deadline: FrameDeadline? = nil) {
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
        enqueue(channel: channel, loop: loop) { responder.reply(to: frame) }
    }

    /// Runs `work` on the pool after the previous request of this connection, then writes.
    private func enqueue(channel: Channel, loop: EventLoop, _ work: @escaping @Sendable () -> [UInt8]) {
        let pool = self.pool
        let logger = self.logger
        pending += 1
        let previous = tail ?? loop.makeSucceededVoidFuture()
        let next = previous.flatMap {
            pool.runIfActive(eventLoop: loop, work)
        }.flatMap { bytes -> EventLoopFuture<Void> in
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
        }.flatMapErrorThrowing { error in
            logger.debug("reply not written: \(error)")
        }.always { [weak self] _ in
            self?.replyDone()
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
