import HSMNet
/// Counters of a host group and of each member, for `metricsText()` (Prometheus /
/// OpenMetrics text) and `metricsSnapshot()`.
///
/// Cheap on the hot path: every counter is a plain integer updated under the group's
/// lock at a point where the call already holds it (the pick, the reply's bookkeeping, a
/// failure's bookkeeping); the histograms are fixed arrays of buckets allocated once. No
/// allocation and no extra lock per call.

/// A latency histogram with fixed bucket bounds (seconds, Prometheus `le`), counts per
/// bucket (not cumulative: the exposition sums them), the sum in nanoseconds and the count.
/// Guarded by the lock of its owner.
final class LatencyHistogram {
    /// Upper bounds in nanoseconds: 100 us ... 10 s; a last bucket takes the rest (+Inf).
    static let boundsNs: [Int64] = [100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
                                    10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000,
                                    500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000]
    /// The same bounds as the text of the `le` label.
    static let boundLabels: [String] = ["0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
                                        "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"]

    private let counts: UnsafeMutablePointer<Int>
    private let bucketCount = LatencyHistogram.boundsNs.count + 1
    private(set) var sumNs: Int64 = 0
    private(set) var count = 0

    init() {
        counts = UnsafeMutablePointer<Int>.allocate(capacity: bucketCount)
        counts.initialize(repeating: 0, count: bucketCount)
    }

    deinit { counts.deallocate() }

    @inline(__always)
    func record(nanoseconds ns: Int64) {
        let v = max(0, ns)
        var i = 0
        // 16 constant bounds: a bounded scan, not a search over data.
        while i < LatencyHistogram.boundsNs.count && v > LatencyHistogram.boundsNs[i] { i += 1 }
        counts[i] += 1
        sumNs &+= v
        count += 1
    }

    /// The counts per bucket (the last is +Inf only), the sum and the count.
    var snapshot: HistogramSnapshot {
        HistogramSnapshot(buckets: (0..<bucketCount).map { counts[$0] }, sumNs: sumNs, count: count)
    }
}

/// A copy of a `LatencyHistogram`.
public struct HistogramSnapshot: Sendable, Equatable {
    /// Counts per bucket in the order of `LatencyHistogram.boundsNs`, then +Inf (not cumulative).
    public var buckets: [Int]
    public var sumNs: Int64
    public var count: Int
}

/// One member's counters beyond `MemberStatus` (which already has replies, failures and
/// ejections). Guarded by the group's lock.
final class MemberMetrics {
    /// Attempts sent to the member (first sends and re-sends).
    var calls = 0
    /// Attempts that were re-sends of a call that failed on another member.
    var resends = 0
    /// Background `NC` probes of this member while it was live but idle (StandbyProber).
    var standbyProbes = 0
    /// When the last attempt or standby probe started (monotonic ns): idle members get probed.
    var lastActivityNs: Int64 = 0
    let replyTime = LatencyHistogram()
    /// Where state changes go (set once by the group before any traffic).
    var observer: StateObserver?
}

/// The group's counters. Guarded by the group's lock.
final class GroupCounters {
    var calls = 0
    var failures = 0
    var resends = 0
    /// Hedged requests (a second request sent before the first answered). The group bumps it
    /// with `noteHedge()`; 0 while the group does not hedge.
    var hedges = 0
    let callTime = LatencyHistogram()
}

/// What `CACipherClient.metricsSnapshot()` returns: everything `metricsText()` shows.
public struct GroupMetricsSnapshot: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var status: MemberStatus
        public var calls: Int
        public var resends: Int
        public var poolWaits: Int
        public var standbyProbes: Int
        public var replyTime: HistogramSnapshot
    }
    public var calls: Int
    public var failures: Int
    public var resends: Int
    public var hedges: Int
    public var callTime: HistogramSnapshot
    public var members: [Member]
}
