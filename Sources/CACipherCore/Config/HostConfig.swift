/// One `[HOSTn]` section: how to reach one HSM of the group.
public struct HostConfig: Equatable, Sendable {
    /// The section name as written (`HOST1`, `HOST 2`), for messages.
    public var section: String
    /// Device model / command dialect (`hsmModel`), default `SJJ1310`.
    public var hsmModel: String = "SJJ1310"
    /// IP address or DNS name (`host`), required.
    public var host: String
    /// TCP port (`port`), required, 1...65535.
    public var port: Int
    /// `linkNum`: |linkNum| pooled connections; negative = pool only, positive = pool then
    /// short-lived connections under load, 0 = the vendor's short-connection mode (no pool:
    /// every exchange on a connection of its own, closed after it). Default -10.
    public var linkNum: Int = -10
    /// Connect timeout in milliseconds (`connTimeout`, falls back to `timeout`), default 6000.
    public var connTimeoutMs: Int = 6000
    /// Read (response) timeout in milliseconds (`readTimeout`, falls back to `timeout`).
    public var readTimeoutMs: Int = 6000
    /// Timeout of one background probe of a kept-out member (`probeTimeout`), connect and
    /// `NC` answer each; default the read timeout, at most 2000 ms.
    public var probeTimeoutMs: Int = 2000
    /// `socketProtocol`: TCP or a minimum TLS version.
    public var socketProtocol: SocketProtocol = .tcp
    /// `msgheadlength`: bytes of message header after the length prefix, default 0.
    public var headerLength: Int = 0
    /// `encodetype`, kept as given (undocumented by the vendor), default 0.
    public var encodeType: Int = 0
    /// TLS settings (used when `socketProtocol` is a TLS version).
    public var tls: TLSSettings = TLSSettings()

    public init(section: String, host: String, port: Int) {
        self.section = section
        self.host = host
        self.port = port
    }

    /// Pooled (long-lived) connections to keep.
    public var poolSize: Int { abs(linkNum) }
    /// Whether short-lived connections may be opened beyond the pool (all of them with `linkNum=0`).
    public var allowsOverflow: Bool { linkNum >= 0 }
}

/// `socketProtocol`.
public enum SocketProtocol: String, Equatable, Sendable {
    case tcp = "TCP"
    case tls12 = "TLSv1.2"
    case tls13 = "TLSv1.3"
}

/// TLS keys of a `[HOSTn]` section (see docs/config.md).
public struct TLSSettings: Equatable, Sendable {
    /// PEM bundle of CAs that may sign the HSM's certificate (`tlsCAFile`).
    public var caFile: String?
    /// Client certificate and key for mutual TLS (`tlsCertFile`, `tlsKeyFile`).
    public var certFile: String?
    public var keyFile: String?
    /// Expected server name (`tlsServerName`), default: the host.
    public var serverName: String?
    /// `tlsVerify=0` turns verification off (warned at every start).
    public var verify: Bool = true

    public init() {}
}
