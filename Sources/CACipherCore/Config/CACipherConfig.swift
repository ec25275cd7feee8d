/// A whole parsed configuration: the logger settings and the hosts, in order.
public struct CACipherConfig: Equatable, Sendable {
    public var logger: LoggerConfig = LoggerConfig()
    /// `[HOST1]`, `[HOST2]`, ... up to the first gap in the numbering.
    public var hosts: [HostConfig] = []
    /// Things worth telling the operator that did not stop the parse (unknown keys,
    /// host sections after a gap). Logged at `warn` when the instance opens.
    public var warnings: [String] = []
    /// `[GROUP] dmkCheckValue=`: the DMK check value (16H) every member must report. When
    /// absent, the value is decided by quorum of the members' answers (docs/failover.md).
    public var expectedDMKCheckValue: String?
    /// `[GROUP] standbyCheckInterval=` (ms): background `NC` checks of idle live members
    /// (`GroupOptions.standbyProbeIntervalMs`); `nil`: the default.
    public var standbyProbeIntervalMs: Int?
    /// `[GROUP] hedgeDelay=auto|off|N` (N milliseconds): when a slow safe call is sent a
    /// second time to another member (docs/failover.md, "Hedged requests"). `nil`: auto.
    public var hedgeDelay: HedgeDelay?

    public init() {}
}

/// `[LOGGER]`.
public struct LoggerConfig: Equatable, Sendable {
    /// `logsw`: the categories switched on. Default `error`.
    public var categories: LogCategories = .error
    /// `logPath`: directory for log files. Default `./`.
    public var path: String = "./"

    public init() {}
}
