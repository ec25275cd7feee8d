import HSMNet

// A configured host's TLS settings in HSMNet's terms (`TLSClientSettings`), and the TLS
// connector built from them at instance open.
extension TLSClientSettings {
    /// The TLS settings of `host` (`socketProtocol`, `tls*` keys; messages prefixed `[HOST1]`).
    init(_ host: HostConfig) {
        self.init(host: host.host, label: "[\(host.section)]",
                  minimumVersion: host.socketProtocol == .tls13 ? .tls13 : .tls12,
                  caFile: host.tls.caFile, certFile: host.tls.certFile, keyFile: host.tls.keyFile,
                  serverName: host.tls.serverName, verify: host.tls.verify)
    }
}

extension TLSClientContext {
    /// Builds the context for `host`.
    ///
    /// - Throws: `TransportFailure(.tls)` naming the file (and OpenSSL's reason) when a CA,
    ///   certificate or key file cannot be used.
    static func make(for host: HostConfig) throws -> TLSClientContext {
        try make(TLSClientSettings(host))
    }
}

extension TLSConnector {
    /// The connector for `host`. A context that cannot be built (unreadable CA, certificate
    /// or key file) gives a connector that fails every connect with that message; the
    /// error is logged once here, at open.
    static func make(for host: HostConfig, log: Log) -> StreamConnector {
        let label = "\(host.section) (\(host.host):\(host.port))"
        do {
            let context = try TLSClientContext.make(for: host)
            if !host.tls.verify {
                log.warn("\(label): tlsVerify=0: the HSM's TLS certificate is NOT verified; anyone on the path can impersonate it")
            }
            return TLSConnector(tcp: TCPConnector(host: host.host, port: host.port), context: context, label: label)
        } catch let f as TransportFailure {
            log.error("\(label): TLS is not usable: \(f.message)")
            return UnavailableConnector(reason: f.message)
        } catch {
            log.error("\(label): TLS is not usable: \(error)")
            return UnavailableConnector(reason: "\(label): TLS setup failed: \(error)")
        }
    }

}
