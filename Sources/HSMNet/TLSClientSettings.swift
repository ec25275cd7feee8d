/// What a `TLSClientContext` is built from: one host's TLS client settings as plain values
/// (the client converts its configuration to it; HSMNet knows no configuration file).
public struct TLSClientSettings: Sendable, Equatable {
    /// The lowest protocol version offered (no maximum).
    public enum MinimumVersion: Sendable, Equatable { case tls12, tls13 }

    /// The address connected to; the expected server name when `serverName` is nil.
    public var host: String
    /// Prefix of every message about these settings (`[HOST1]`).
    public var label: String
    public var minimumVersion: MinimumVersion
    /// PEM bundle of CAs that may sign the peer's certificate (nil: the system store).
    public var caFile: String?
    /// Client certificate (chain) and key for mutual TLS (the key may be in `certFile`).
    public var certFile: String?
    public var keyFile: String?
    /// Expected server name (default `host`); an IP address is matched against IP SANs.
    public var serverName: String?
    /// Whether the peer's certificate chain and name are verified.
    public var verify: Bool

    public init(host: String, label: String, minimumVersion: MinimumVersion, caFile: String? = nil,
                certFile: String? = nil, keyFile: String? = nil, serverName: String? = nil, verify: Bool = true) {
        self.host = host
        self.label = label
        self.minimumVersion = minimumVersion
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.verify = verify
    }
}
