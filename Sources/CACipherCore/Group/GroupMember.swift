import HSMNet

/// One HSM of a group: its pool and its health record.
///
/// The mutable fields are guarded by the group's lock; `pool` has its own lock.
final class GroupMember {
    let index: Int
    let config: HostConfig
    let connector: StreamConnector
    let pool: ConnectionPool
    /// `HOST1 (10.0.0.1:1500)`, for messages.
    let label: String

    // Touched on every call, always under the group's lock and never by a nested access:
    // `@exclusivity(unchecked)` drops the run-time exclusivity bookkeeping on them.
    // metrics: every state change goes to the observer (delivered outside the locks).
    @exclusivity(unchecked) var state: MemberState = .unknown {
        didSet { if state != oldValue { metrics.observer?.memberChanged(self, from: oldValue, to: state) } }
    }
    /// metrics: counters beyond `status` (GroupMetrics.swift); guarded by the group's lock.
    let metrics = MemberMetrics()
    @exclusivity(unchecked) var inFlight = 0
    @exclusivity(unchecked) var completed = 0
    var failures = 0
    @exclusivity(unchecked) var consecutiveFailures = 0
    var ejections = 0
    var lastError: String?
    var dmkCheckValue: String?
    @exclusivity(unchecked) var latencyMicros: Double = 0
    /// Probe schedule while kept out.
    var probeAttempt = 0
    var nextProbeNs: Int64 = 0
    var probing = false

    // Outlier handling (OutlierPolicy.swift).
    /// Re-admission damping level: raised by an ejection soon after a rejoin (a member whose
    /// probe passes while its real calls fail), back to 0 once it has proved itself.
    var damping = 0
    var rejoinedAtNs: Int64 = 0
    var completedAtRejoin = 0
    /// The (safe, PIN-free) command whose reply failed last: probes replay it after `NC`.
    var probeCommand: [UInt8]?
    /// Much slower than its peers: drained (traffic only when no other member can take
    /// it, plus one trial call per `slowTrialIntervalMs` to notice it has recovered).
    @exclusivity(unchecked) var slow = false
    var nextTrialNs: Int64 = 0
    /// Recent reply times, for the adaptive hedge delay; hedged calls in a row it did not
    /// answer before its hedge did.
    @exclusivity(unchecked) var latencies = LatencyWindow()
    @exclusivity(unchecked) var hedgeLosses = 0
    /// When it last answered a command, and when a read on it last timed out.
    @exclusivity(unchecked) var lastSuccessNs: Int64 = 0
    var lastTimeoutNs: Int64 = 0

    init(index: Int, config: HostConfig, maxReplyLength: Int, log: Log) {
        self.index = index
        self.config = config
        self.connector = StreamConnectors.make(for: config, log: log)
        self.pool = ConnectionPool(config: config, connector: connector, maxReplyLength: maxReplyLength, log: log)
        let hostText = config.host.contains(":") ? "[\(config.host)]" : config.host
        self.label = "\(config.section) (\(hostText):\(config.port))"
    }

    /// Eligible for traffic (a member of unknown state is checked with `NC` on first use).
    var isLive: Bool { state == .up || state == .unknown }

    /// Kept out and waiting for the prober.
    var isKeptOut: Bool { state == .ejected || state == .dmkMismatch || state == .notInitialized }

    var status: MemberStatus {
        MemberStatus(index: index, section: config.section, host: config.host, port: config.port, state: state,
                     inFlight: inFlight, completed: completed, failures: failures, ejections: ejections,
                     lastError: lastError, dmkCheckValue: dmkCheckValue, latencyMicros: latencyMicros)
    }
}
