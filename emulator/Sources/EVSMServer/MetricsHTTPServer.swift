import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `evsm --metrics-port`: the emulator's counters (`DeviceMetrics`) over HTTP/1.1
/// `GET /metrics` (Prometheus text, `text/plain; version=0.0.4`). Any other path is 404,
/// any other method 405. Bound to 127.0.0.1 unless told otherwise; one event loop.
public final class MetricsHTTPServer: @unchecked Sendable {
    private let text: @Sendable () -> String
    private let lock = NSLock()
    private var group: MultiThreadedEventLoopGroup?
    private var channel: Channel?

    /// `text` renders the body of each `GET /metrics`.
    public init(text: @escaping @Sendable () -> String) { self.text = text }

    /// Binds and serves; returns the bound port (an ephemeral one for 0).
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int) throws -> Int {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let text = self.text
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 16)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(text: text))
                }
            }
        do {
            let ch = try bootstrap.bind(host: host, port: port).wait()
            lock.withLock {
                self.group = group
                self.channel = ch
            }
            return ch.localAddress?.port ?? port
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    public func stop() {
        let (g, c): (MultiThreadedEventLoopGroup?, Channel?) = lock.withLock {
            let r = (group, channel)
            group = nil
            channel = nil
            return r
        }
        try? c?.close().wait()
        try? g?.syncShutdownGracefully()
    }

    deinit { stop() }
}

/// Answers each request once its end arrives.
final class MetricsHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let text: @Sendable () -> String
    private var head: HTTPRequestHead?

    init(text: @escaping @Sendable () -> String) { self.text = text }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(h):
            head = h
        case .body:
            break
        case .end:
            guard let h = head else { return }
            head = nil
            let status: HTTPResponseStatus
            let body: String
            var type = "text/plain; charset=utf-8"
            let path = h.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? h.uri
            if h.method != .GET && h.method != .HEAD {
                status = .methodNotAllowed
                body = "only GET /metrics\n"
            } else if path != "/metrics" {
                status = .notFound
                body = "not found: GET /metrics\n"
            } else {
                status = .ok
                body = text()
                type = "text/plain; version=0.0.4; charset=utf-8"
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: "\(body.utf8.count)")
            let keepAlive = h.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: status, headers: headers))), promise: nil)
            if h.method != .HEAD {
                var buf = context.channel.allocator.buffer(capacity: body.utf8.count)
                buf.writeString(body)
                context.write(wrapOutboundOut(.body(.byteBuffer(buf))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive { done.whenComplete { _ in context.close(promise: nil) } }
        }
    }
}
