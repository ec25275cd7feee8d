import HSMNet
/// The outlier rules of a group (issue 15, item 3; anchors: Envoy's outlier detection,
/// Finagle's failure accrual): damped re-admission of a member that fails right after
/// rejoining, and the latency test that drains a member much slower than its peers.
/// Pure functions; `GroupCore` applies them under its lock. See docs/failover.md, "Outliers".
enum OutlierPolicy {
    /// The damping level after an ejection: one more when the member had been readmitted
    /// and completed fewer than `provedAfter` calls since, else 0 (it had proved itself, or
    /// this is its first ejection).
    static func dampingAfterEjection(level: Int, rejoined: Bool, completedSinceRejoin: Int, provedAfter: Int) -> Int {
        guard rejoined, completedSinceRejoin < max(1, provedAfter) else { return 0 }
        return min(level + 1, 30)
    }

    /// The nominal delay before the first probe of a member ejected at damping `level`:
    /// `initialMs` x 2^level, at most `maxMs` (level 0: `initialMs`, the usual backoff).
    static func dampedDelayMs(level: Int, initialMs: Int, maxMs: Int) -> Int {
        let shift = min(max(0, level), 30)
        let initial = max(1, initialMs)
        let capped = max(initial, maxMs)
        return initial > capped >> shift ? capped : min(capped, initial << shift)
    }

    /// Whether a member with latency `micros` is much slower than `baselineMicros` (the
    /// fastest other live member's): above `factor` x the baseline and `minGapMs` more.
    static func isSlow(micros: Double, baselineMicros: Double, factor: Double, minGapMs: Int) -> Bool {
        guard baselineMicros > 0, micros > 0 else { return false }
        return micros > max(1, factor) * baselineMicros && micros - baselineMicros > Double(max(0, minGapMs)) * 1000
    }
}
