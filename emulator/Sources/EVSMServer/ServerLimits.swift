// The limits every evsm listener applies to its connections (host port, TLS host port,
// management port; docs/evsm.md "Connection limits", docs/hardening.md): an idle timeout,
// a deadline for a frame once its first byte arrived, a cap on connections open at once and
// the listen backlog; for the host ports also the largest frame answered
// (`HostFrameResponder`). `evsm --idle-timeout --frame-timeout --max-connections
// --mgmt-max-connections --backlog` set them.
import HostProtocol

/// Connection limits of one listener. A time of 0 switches that limit off.
public struct ServerLimits: Sendable, Equatable {
    /// Seconds a connection may stay without a byte read or written before it is closed.
    public var idleTimeout: Double
    /// Seconds from the first byte of a frame to its last; a slower (slowloris or stalled)
    /// frame closes the connection.
    public var frameTimeout: Double
    /// Most connections open at once; one more is accepted and closed at once (existing
    /// connections keep being served).
    public var maxConnections: Int
    /// The listen backlog (the kernel caps it at net.core.somaxconn).
    public var backlog: Int32
    /// The largest request body a host port answers (both host ports, `HostFrameResponder`):
    /// a longer frame is answered with error 80 and skipped. At most (and by default)
    /// `FrameCodec.maxBodyLength`, all a 2-byte length can announce.
    public var maxFrameLength: Int

    public init(idleTimeout: Double = 300, frameTimeout: Double = 5, maxConnections: Int = 1000, backlog: Int32 = 1024,
                maxFrameLength: Int = FrameCodec.maxBodyLength) {
        self.idleTimeout = idleTimeout
        self.frameTimeout = frameTimeout
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.maxFrameLength = maxFrameLength
    }

    /// The host ports' defaults.
    public static let host = ServerLimits()
    /// The management port's defaults: an operator channel, few connections.
    public static let management = ServerLimits(maxConnections: 8, backlog: 16)
}
