import HSMNet

/// Picks the connector for a host's `socketProtocol`.
enum StreamConnectors {
    static func make(for host: HostConfig, log: Log = .off) -> StreamConnector {
        switch host.socketProtocol {
        case .tcp: return TCPConnector(host: host.host, port: host.port)
        case .tls12, .tls13: return TLSConnector.make(for: host, log: log)
        }
    }
}
