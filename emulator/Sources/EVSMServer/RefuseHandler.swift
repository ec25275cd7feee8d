// The pipeline of a host connection refused at the connection cap: closed as soon as it is
// active, before a byte is read (`EVSMHostServer`, `ServerLimits.maxConnections`).
import NIOCore

final class RefuseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
