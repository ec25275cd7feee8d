import Synchronization

/// One library instance: a parsed configuration and its logger (and, later, the host group).
///
/// Creating a client reads no network: it sets up logging from `config.logger`, logs the
/// configuration warnings (at `warn`) and one line per host (at `info`). `close()` is
/// idempotent and safe from any thread.
public final class CACipherClient: @unchecked Sendable {
    public let config: CACipherConfig
    public let log: Log

    /// The hosts of the group, in configuration order (`HOST1` first).
    public var hosts: [HostConfig] { config.hosts }

    private let closed = Mutex<Bool>(false)

    /// Opens an instance with logging as configured (`[LOGGER]`).
    ///
    /// - Throws: `CACipherError(.logSetup)` when `logPath` is missing or unwritable (only
    ///   checked when at least one `logsw` category is on).
    public convenience init(config: CACipherConfig) throws {
        let sink: LogSink? = config.logger.categories.isEmpty ? nil : try FileLogSink(directory: config.logger.path)
        self.init(config: config, logSink: sink)
    }

    /// Opens an instance that logs to `logSink` instead of the configured directory (tests,
    /// embedding applications). `config.logger.categories` still selects what is logged.
    public init(config: CACipherConfig, logSink: LogSink?) {
        self.config = config
        self.log = Log(categories: config.logger.categories, sink: logSink)
        for w in config.warnings { log.warn("config: \(w)") }
        for (i, h) in config.hosts.enumerated() {
            log.info("host \(i + 1) [\(h.section)]: \(h.host):\(h.port) model \(h.hsmModel), linkNum \(h.linkNum) (\(h.poolSize) pooled\(h.allowsOverflow ? ", then short connections" : ", pool only")), connect timeout \(h.connTimeoutMs) ms, read timeout \(h.readTimeoutMs) ms, \(h.socketProtocol.rawValue), header \(h.headerLength) bytes")
        }
        log.info("libcacipher \(CACipherVersion.string) opened with \(config.hosts.count) host(s)")
        // MARK: Host group (lead, to come)
        // The host group (Transport/: connection pools per host, balancing, ejection,
        // probes) is created here from `config.hosts`, and `transmit` is added to this
        // class. Until then a client holds configuration and logging only and sends nothing.
    }

    /// Parses `fileOrContent` (`{...}` string form or a file path) and opens an instance.
    public static func open(fileOrContent: String) throws -> CACipherClient {
        try CACipherClient(config: ConfigParser.parse(fileOrContent: fileOrContent))
    }

    public var isClosed: Bool { closed.withLock { $0 } }

    /// Shuts the instance down. Calling it again does nothing.
    public func close() {
        let first = closed.withLock { c -> Bool in
            if c { return false }
            c = true
            return true
        }
        guard first else { return }
        // MARK: Host group shutdown (lead, to come): close pooled connections here.
        log.info("libcacipher instance closed")
    }

    deinit { close() }
}
