import EVSMKit
import Foundation
import HostProtocol
import Logging
import NIOCore
import NIOPosix

/// The host-command listener of the emulator (SwiftNIO).
///
/// ```swift
/// let server = EVSMHostServer()
/// let port = try server.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0)
/// ...
/// server.stop()
/// ```
/// Frames are split and answered by the host frame rules both host ports share
/// (`HostFrameResponder`; limit `ServerLimits.maxFrameLength`, 65535 by default); a request
/// runs on its connection's event loop or on a thread pool (`HostDispatch`: key generation
/// and pipelined bursts go to the pool), replies go back in order per connection. An oversize frame is
/// answered with error `80` and skipped; a body that does not parse gets error `15`; an empty
/// frame closes the connection. Many connections are served at once, up to `ServerLimits.maxConnections`;
/// a connection idle for `idleTimeout` seconds (IdleStateHandler) or with a frame still
/// incomplete `frameTimeout` seconds after its first byte is closed (docs/evsm.md).
public final class EVSMHostServer: @unchecked Sendable {
    public let logger: Logger
    private let lock = NSLock()
    private var group: MultiThreadedEventLoopGroup?
    private var pool: NIOThreadPool?
    private var serverChannel: Channel?
    private var children: [ObjectIdentifier: Channel] = [:]
    private var boundPort = 0
    private let refusals = RefusalLog()

    /// The port the listener is bound to (0 when not running).
    public var port: Int { lock.withLock { boundPort } }
    /// Connections open now.
    public var openConnections: Int { lock.withLock { children.count } }
    /// Connections refused at the cap since this server was created.
    public var refusedConnections: Int { refusals.refusedTotal }

    public init(logger: Logger = Logger(label: "evsm.host")) {
        self.logger = logger
    }

    /// Binds and starts serving; returns the bound port (an ephemeral one for `port` 0).
    /// `maxFrameLength`, when given, replaces `limits.maxFrameLength`.
    @discardableResult
    public func start(device: Device, host: String = "127.0.0.1", port: Int = 8018, headerLength: Int = 0,
                      maxFrameLength: Int? = nil, eventLoops: Int = System.coreCount,
                      workers: Int = max(2, System.coreCount), limits: ServerLimits = .host,
                      dispatch: HostDispatch = .adaptive) throws -> Int {
        guard headerLength >= 0, headerLength <= FrameCodec.maxHeaderLength else {
            throw EVSMServerError.invalidHeaderLength(headerLength)
        }
        guard lock.withLock({ self.group == nil }) else { throw EVSMServerError.alreadyRunning }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, eventLoops))
        let pool = NIOThreadPool(numberOfThreads: max(1, workers))
        pool.start()
        let logger = self.logger
        let refusals = self.refusals
        let idle: TimeAmount? = limits.idleTimeout > 0 ? .nanoseconds(Int64(limits.idleTimeout * 1e9)) : nil
        let frameTimeout: TimeAmount? = limits.frameTimeout > 0 ? .nanoseconds(Int64(limits.frameTimeout * 1e9)) : nil
        let maxConnections = limits.maxConnections
        let maxFrameLength = maxFrameLength ?? limits.maxFrameLength
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: limits.backlog)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak self] channel in
                guard let self, self.admit(channel, limit: maxConnections) else {
                    // At the cap: accepted and closed at once, so the backlog keeps moving and
                    // the open connections keep being served.
                    if let n = refusals.refused() {
                        logger.warning("host connection refused: \(maxConnections) connections already open (--max-connections); \(n) refused since the last such line")
                    }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RefuseHandler())
                    }
                }
                let deadline = FrameDeadline(timeout: frameTimeout, logger: logger)
                return channel.eventLoop.makeCompletedFuture {
                    if let idle {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(HostFrameDecoder(limit: maxFrameLength, headerLength: headerLength,
                                                              deadline: deadline)))
                    try channel.pipeline.syncOperations.addHandler(
                        HostConnectionHandler(device: device, pool: pool, headerLength: headerLength, logger: logger,
                                              deadline: deadline, dispatch: dispatch))
                }
            }
        let channel: Channel
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? pool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            throw error
        }
        let bound = channel.localAddress?.port ?? port
        lock.withLock {
            self.group = group
            self.pool = pool
            self.serverChannel = channel
            self.boundPort = bound
        }
        logger.info("host port listening", metadata: ["address": "\(host):\(bound)", "header-length": "\(headerLength)"])
        return bound
    }

    /// Tracks `channel` unless `limit` connections are open already.
    private func admit(_ channel: Channel, limit: Int) -> Bool {
        let id = ObjectIdentifier(channel)
        let ok: Bool = lock.withLock {
            guard children.count < limit else { return false }
            children[id] = channel
            return true
        }
        guard ok else { return false }
        channel.closeFuture.whenComplete { [weak self] _ in
            guard let self = self else { return }
            self.lock.withLock { _ = self.children.removeValue(forKey: id) }
        }
        return true
    }

    /// Stops listening, closes every connection and shuts the threads down. Idempotent.
    public func stop() {
        let taken: (Channel?, [Channel], MultiThreadedEventLoopGroup?, NIOThreadPool?) = lock.withLock {
            let r = (serverChannel, Array(children.values), self.group, self.pool)
            serverChannel = nil
            children.removeAll()
            self.group = nil
            self.pool = nil
            boundPort = 0
            return r
        }
        guard let g = taken.2 else { return }
        try? taken.0?.close().wait()
        for c in taken.1 { try? c.close().wait() }
        try? taken.3?.syncShutdownGracefully()
        try? g.syncShutdownGracefully()
        logger.info("host port stopped")
    }

    deinit { stop() }
}

public enum EVSMServerError: Error, CustomStringConvertible {
    case invalidHeaderLength(Int)
    case alreadyRunning
    public var description: String {
        switch self {
        case let .invalidHeaderLength(n): return "header length \(n) is outside 0...\(FrameCodec.maxHeaderLength)"
        case .alreadyRunning: return "the host server is already running"
        }
    }
}
