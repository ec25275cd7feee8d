import HSMNet
import HostProtocol

/// Tuning of a `HostGroup`. Defaults suit production; tests shorten the probe backoff.
public struct GroupOptions: Sendable {
    /// The DMK check value (16 hex) every member must report in `NC`. `nil`: decided by
    /// quorum of the members' answers before any traffic (`DMKQuorum`, docs/failover.md).
    public var expectedDMKCheckValue: String?
    /// Probe backoff for ejected members: first delay, doubled per failed probe up to
    /// the maximum, each delay jittered to 50...100 % of its value.
    public var probeInitialBackoffMs: Int = 100
    public var probeMaxBackoffMs: Int = 5_000
    /// Consecutive transport failures that eject a member (never the last live one).
    public var ejectAfterFailures: Int = 1
    /// Retry budget: each call deposits `retryRatio` tokens, time adds
    /// `retryMinPerSecond` tokens per second, the balance is capped at `retryBurst`
    /// (also the starting balance); each re-send takes one token.
    public var retryRatio: Double = 0.2
    public var retryMinPerSecond: Double = 10
    public var retryBurst: Double = 20
    /// The deadline of one call (pool waits, connects, `NC` checks, the command and every
    /// re-send), milliseconds. `nil`: the group's largest `readTimeout`/`connTimeout` (T)
    /// for a single member, 2 x T for more (room for one re-send after a member that used
    /// a whole attempt). Each attempt on one member takes at most T (its own
    /// `max(readTimeout, connTimeout)`) and never past the call's deadline.
    public var callTimeoutMs: Int?
    /// Outlier handling (docs/failover.md, "Outliers"). A member ejected again before it
    /// completed `readmitProvedAfterCalls` calls since its last rejoin has its next
    /// re-admission delayed exponentially: `probeInitialBackoffMs` x 2^level, at most
    /// `readmitDampingMaxMs`.
    public var readmitProvedAfterCalls: Int = 20
    public var readmitDampingMaxMs: Int = 60_000
    /// A member whose latency (EWMA) is above `slowLatencyFactor` x the fastest other live
    /// member's and at least `slowLatencyMinGapMs` more is drained (not ejected): it gets
    /// traffic only when no other member can take it, and one trial call every
    /// `slowTrialIntervalMs` so that it is taken back when it speeds up.
    public var slowLatencyFactor: Double = 4
    public var slowLatencyMinGapMs: Int = 50
    public var slowTrialIntervalMs: Int = 200
    /// Hedged requests (docs/failover.md, "Hedged requests"): `nil` means `.auto` unless the
    /// configuration's `[GROUP] hedgeDelay` says otherwise.
    public var hedgeDelay: HedgeDelay?
    /// `.auto`: the delay is `hedgeFactor` x the `hedgePercentile` of the member's recent
    /// reply times, within `hedgeMinMs`...`hedgeMaxMs` (`hedgeMaxMs` until 16 replies are known).
    public var hedgeMinMs: Int = 10
    public var hedgeMaxMs: Int = 200
    public var hedgePercentile: Double = 0.95
    public var hedgeFactor: Double = 2
    /// A member that gave no reply to this many hedged calls in a row (each answered by
    /// the hedge first) is ejected (never the last live one).
    public var hedgeEjectAfter: Int = 3
    /// Largest reply body accepted from an HSM (at most 65535).
    public var maxReplyLength: Int = FrameCodec.maxBodyLength
    /// Live members that carried no call for this long are checked with `NC` in the
    /// background, milliseconds (a dead standby is ejected before it is needed). 0: off.
    /// Only for groups of two or more members.
    public var standbyProbeIntervalMs: Int = 5_000

    public init() {}
}

/// When a group sends a second copy of a slow safe call to another member.
public enum HedgeDelay: Sendable, Equatable {
    /// Never.
    case off
    /// After a delay adapted per member from its recent reply times (the default).
    case auto
    /// After this many milliseconds.
    case fixed(milliseconds: Int)
}

/// Where a member stands.
public enum MemberState: String, Sendable, Equatable {
    /// Not contacted yet (its DMK check value is read on first use).
    case unknown
    /// Serving traffic.
    case up
    /// Kept out after transport failures; probed in the background until it answers.
    case ejected
    /// Kept out: its DMK check value differs from the group's; probed, rejoins when equal.
    case dmkMismatch
    /// Kept out: it answered `NC` with an HSM error (e.g. 13, no DMK loaded); probed.
    case notInitialized
}

/// A snapshot of one member, for `memberStatus()`.
public struct MemberStatus: Sendable, Equatable {
    /// Position in the configuration (0-based).
    public var index: Int
    public var section: String
    public var host: String
    public var port: Int
    public var state: MemberState
    /// Commands being exchanged with it right now.
    public var inFlight: Int
    /// Commands answered (any HSM error code included).
    public var completed: Int
    /// Transport failures (connect, timeout, I/O, bad frame).
    public var failures: Int
    /// Times it was kept out (ejected, DMK mismatch, not initialised).
    public var ejections: Int
    /// The last transport or DMK-guard problem, if any.
    public var lastError: String?
    /// The DMK check value it reported in `NC` (16 hex), once known.
    public var dmkCheckValue: String?
    /// Exponentially weighted moving average of successful exchange times, microseconds
    /// (0 until the first answer).
    public var latencyMicros: Double
}
