import HSMNet
import Synchronization
import HostProtocol

/// One library instance: a parsed configuration, its logger and the host group that makes
/// all `[HOSTn]` one logical HSM.
///
/// Creating a client reads no network: it sets up logging from `config.logger`, logs the
/// configuration warnings (at `warn`) and one line per host (at `info`), and creates the
/// group, whose connections open lazily on first use (an HSM that is down at start-up is
/// a member to recover, not a failed open). `close()` is idempotent and safe from any
/// thread.
public final class CACipherClient: @unchecked Sendable {
    public let config: CACipherConfig
    public let log: Log
    /// The group of HSMs (balancing, failover, probes, DMK guard; see docs/failover.md).
    public let group: HostGroup

    /// The hosts of the group, in configuration order (`HOST1` first).
    public var hosts: [HostConfig] { config.hosts }

    /// The I/O threads of the async API (`AsyncBridge.swift`): started on demand, at most
    /// twice the group's pooled connections (4 to 256).
    let ioThreads: IOThreadPool
    /// The async `transmit`'s reply waiter (`AsyncBridge.swift`): one thread, started on
    /// demand, that waits with epoll for the replies of calls written without waiting.
    let reactor = ReadinessReactor()

    private let closed = PThreadLocked<Bool>(false, forkRank: .client)

    /// Opens an instance with logging as configured (`[LOGGER]`).
    ///
    /// - Throws: `CACipherError(.logSetup)` when `logPath` is missing or unwritable (only
    ///   checked when at least one `logsw` category is on).
    public convenience init(config: CACipherConfig, options: GroupOptions = GroupOptions()) throws {
        let sink: LogSink? = config.logger.categories.isEmpty ? nil : try FileLogSink(directory: config.logger.path)
        self.init(config: config, logSink: sink, options: options)
    }

    /// Opens an instance that logs to `logSink` instead of the configured directory (tests,
    /// embedding applications). `config.logger.categories` still selects what is logged.
    public init(config: CACipherConfig, logSink: LogSink?, options: GroupOptions = GroupOptions()) {
        self.config = config
        self.log = Log(categories: config.logger.categories, sink: logSink)
        self.ioThreads = IOThreadPool(maxThreads: min(256, max(4, 2 * config.hosts.reduce(0) { $0 + max(1, $1.poolSize) })))
        // Configuration warnings (unknown keys, a host section after a numbering gap) are
        // written once at open even when `warn` is off: the default `logsw=error` must not
        // make them silent (docs/config.md, "Warnings").
        for w in config.warnings { log.always(.warn, "config: \(w)") }
        for (i, h) in config.hosts.enumerated() {
            log.info("host \(i + 1) [\(h.section)]: \(h.host):\(h.port) model \(h.hsmModel), linkNum \(h.linkNum) (\(h.poolSize) pooled\(h.allowsOverflow ? ", then short connections" : ", pool only")), connect timeout \(h.connTimeoutMs) ms, read timeout \(h.readTimeoutMs) ms, \(h.socketProtocol.rawValue), header \(h.headerLength) bytes")
        }
        log.info("libcacipher \(CACipherVersion.string) opened with \(config.hosts.count) host(s)")
        var options = options
        if options.expectedDMKCheckValue == nil { options.expectedDMKCheckValue = config.expectedDMKCheckValue }
        if let ms = config.standbyProbeIntervalMs { options.standbyProbeIntervalMs = ms }
        if options.hedgeDelay == nil { options.hedgeDelay = config.hedgeDelay }
        self.group = HostGroup(hosts: config.hosts, log: log, options: options)
    }

    /// Sends one raw command (command code + fields, no length prefix or header) through
    /// the group and returns the reply from the response code on (`RSP ERR FIELDS`),
    /// whatever its error code.
    ///
    /// - Parameter idempotent: whether the command may be re-sent to another member after
    ///   a transport failure that may have reached the HSM. Commands that store into the
    ///   HSM (`K` index) are not. `nil` classifies the payload (`ResendSafety`).
    /// - Throws: `CACipherError` (`.notInitialized` after `close()`, transport errors).
    @available(*, noasync, message: "use the async form (await transmit) or run(timeout:_:)")
    public func transmit(_ payload: [UInt8], idempotent: Bool? = nil) throws -> [UInt8] {
        try transmitChecked(payload, idempotent: idempotent).bytes
    }

    /// The same, with the reply's error code as the connection checked it: the one path of
    /// the typed calls (TypedExchange.swift) and TassCompat, which read `code` and `fields`
    /// instead of parsing the reply again. The command code and frame limit are checked
    /// once, by the group.
    @available(*, noasync, message: "use the async form (await transmit) or run(timeout:_:)")
    package func transmitChecked(_ payload: [UInt8], idempotent: Bool? = nil) throws -> CheckedReply {
        guard !isClosed else { throw CACipherError(.notInitialized, "instance is closed") }
        return try group.transmitChecked(payload, idempotent: idempotent ?? ResendSafety.isIdempotent(payload))
    }

    /// Per-member state, counters and DMK check value, in configuration order.
    public func memberStatus() -> [MemberStatus] { group.memberStatus() }

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
        ioThreads.shutdown()
        reactor.shutdown()
        group.shutdown()
        log.info("libcacipher instance closed")
    }

    deinit { close() }
}
