import HSMNet
/// The group's counters and state-change observation (GroupMetrics.swift,
/// StateObserver.swift), kept out of HostGroup.swift: the group calls these at a few
/// marked points (`// metrics:`), always with its lock already held.
extension GroupCore {
    /// An attempt on `m` starts (lock held).
    @inline(__always)
    func noteAttemptLocked(_ m: GroupMember, resend: Bool, at now: Int64) {
        let mm = m.metrics
        mm.calls += 1
        mm.lastActivityNs = now
        if resend {
            mm.resends += 1
            counters.resends += 1
        }
    }

    /// `m` answered after `exchangeNs`; the whole call took `callNs` (lock held).
    @inline(__always)
    func noteReplyLocked(_ m: GroupMember, exchangeNs: Int64, callNs: Int64) {
        m.metrics.replyTime.record(nanoseconds: exchangeNs)
        counters.callTime.record(nanoseconds: callNs)
    }

    /// A hedged request was sent (for the group's hedging, when it has one).
    func noteHedge() { lock.withLock { counters.hedges += 1 } }

    func metricsSnapshot() -> GroupMetricsSnapshot {
        // Pool waits come from each pool's own lock, never nested in the group's.
        let waits = members.map { $0.pool.waits }
        return lock.withLock {
            GroupMetricsSnapshot(
                calls: counters.calls, failures: counters.failures, resends: counters.resends, hedges: counters.hedges,
                callTime: counters.callTime.snapshot,
                members: members.map { m in
                    GroupMetricsSnapshot.Member(status: m.status, calls: m.metrics.calls, resends: m.metrics.resends,
                                                poolWaits: waits[m.index], standbyProbes: m.metrics.standbyProbes,
                                                replyTime: m.metrics.replyTime.snapshot)
                })
        }
    }
}

extension HostGroup {
    /// Every counter of the group and its members (see `MetricsText` for the text form).
    public func metricsSnapshot() -> GroupMetricsSnapshot { core.metricsSnapshot() }

    /// Where member state changes are delivered (closures, `AsyncStream`).
    public var stateObserver: StateObserver { core.observer }

    /// Counts a hedged request (`cacipher_hedges_total`).
    public func noteHedge() { core.noteHedge() }
}
