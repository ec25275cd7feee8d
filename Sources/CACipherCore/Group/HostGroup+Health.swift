import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

// Member health: successes and failures booked, ejection (never the last live member),
// the slow-member outlier test, and admission through the DMK guard (docs/failover.md).
extension GroupCore {
    /// Counts `f` against `m` and ejects it if that was one failure too many (never the last
    /// live member). `inFlight`: the failed exchange was counted in `m.inFlight`.
    ///
    /// `command`: the request whose reply failed (the command reached the member); a probe
    /// replays it when that is safe (`HedgeSafety.mayReplayInProbe`).
    func recordFailure(_ m: GroupMember, _ f: TransportFailure, inFlight: Bool = true, command: [UInt8]? = nil,
                       forceEject: Bool = false) {
        var line: (LogCategories, String)?
        var ejected = false
        lock.withLock {
            if inFlight { m.inFlight -= 1 }
            guard f.blamesMember else { return }
            m.failures += 1
            m.consecutiveFailures += 1
            m.lastError = f.message
            if f.code == .timeout { m.lastTimeoutNs = Deadline.nowNanoseconds() }
            if let c = command, HedgeSafety.mayReplayInProbe(c) { m.probeCommand = c }
            guard m.isLive, forceEject || m.consecutiveFailures >= max(1, options.ejectAfterFailures) else { return }
            let othersLive = members.contains { $0 !== m && $0.isLive }
            if othersLive {
                let old = m.state
                m.state = .ejected
                m.ejections += 1
                m.probeAttempt = 0
                // Damped re-admission: ejected again before it proved itself since its last
                // rejoin, it waits exponentially longer for its first probe.
                m.damping = OutlierPolicy.dampingAfterEjection(level: m.damping, rejoined: m.rejoinedAtNs != 0,
                    completedSinceRejoin: m.completed - m.completedAtRejoin, provedAfter: options.readmitProvedAfterCalls)
                scheduleProbeLocked(m, nominalMs: m.damping > 0
                    ? OutlierPolicy.dampedDelayMs(level: m.damping, initialMs: options.probeInitialBackoffMs, maxMs: options.readmitDampingMaxMs)
                    : nil)
                ejected = true
                let damped = m.damping > 0 ? " (re-admission damped, level \(m.damping))" : ""
                line = (.warn, "\(m.label): \(old.rawValue) -> ejected after \(m.consecutiveFailures) transport failure(s): \(f.message)\(damped)")
            } else if m.consecutiveFailures == max(1, options.ejectAfterFailures) || forceEject {
                line = (.warn, "\(m.label): transport failure (\(f.message)) but it is the last live member; kept in")
            }
        }
        if ejected { m.pool.drainIdle() }
        // Ejections and "kept in" are state changes: written whenever `warn` or `error` is on.
        if let (c, text) = line { log.stateChange(c, key: Int32(truncatingIfNeeded: m.index), text) }
    }

    /// Books one answered exchange of `m` (its in-flight count is the caller's). Lock held.
    func recordSuccessLocked(_ m: GroupMember, micros: Double, endNs: Int64) {
        m.completed += 1
        m.consecutiveFailures = 0
        m.hedgeLosses = 0
        m.lastSuccessNs = endNs
        m.latencyMicros = m.latencyMicros == 0 ? micros : m.latencyMicros * 0.8 + micros * 0.2
        if options.hedgeDelay != .off { m.latencies.add(micros: micros, percentile: options.hedgePercentile) }
        // Re-tested on every 8th answer, and on any answer that took longer than the slow
        // gap (rare on a healthy member).
        if m.slow || m.completed & 7 == 0 || micros > Double(options.slowLatencyMinGapMs) * 1000 { updateSlowLocked(m) }
    }

    /// A pool wait that timed out while the member answered nothing at all (no call on it
    /// completed since this one picked it): its connections are held by calls that get no
    /// reply, so the cause is a member that does not answer (`.timeout`), not a busy pool.
    func poolWaitCause(_ m: GroupMember, _ f: TransportFailure, completedAtPick: Int) -> TransportFailure {
        let (stuck, last) = lock.withLock { (m.completed == completedAtPick, m.lastError) }
        guard stuck else { return f }
        var t = TransportFailure(.timeout,
            "no reply on any of its \(m.config.poolSize) pooled connection(s): \(f.message) without an answer"
                + (last.map { " (last error: \($0))" } ?? ""), notSent: true)
        t.byProxy = true
        return t
    }

    /// Re-tests whether `m` is much slower than the fastest other live member. Lock held.
    private func updateSlowLocked(_ m: GroupMember) {
        var baseline = 0.0
        for o in members where o !== m && o.isLive && !o.slow && o.latencyMicros > 0 {
            if baseline == 0 || o.latencyMicros < baseline { baseline = o.latencyMicros }
        }
        let slow = OutlierPolicy.isSlow(micros: m.latencyMicros, baselineMicros: baseline,
                                        factor: options.slowLatencyFactor, minGapMs: options.slowLatencyMinGapMs)
        guard slow != m.slow else { return }
        m.slow = slow
        if slow { m.nextTrialNs = Deadline.nowNanoseconds() + Int64(max(1, options.slowTrialIntervalMs)) * 1_000_000 }
        let text = slow
            ? "\(m.label): slow (latency \(Int(m.latencyMicros / 1000)) ms, the fastest other member \(Int(baseline / 1000)) ms): drained, kept in"
            : "\(m.label): no longer slow (latency \(Int(m.latencyMicros / 1000)) ms): takes traffic again"
        slowLogQueue.append((m.index, text))
    }

    /// Writes the slow/recovered lines queued under the lock (nothing to do on most calls).
    func flushSlowLog() {
        let lines: [(Int, String)] = lock.withLock {
            let l = slowLogQueue
            slowLogQueue.removeAll()
            return l
        }
        for (i, text) in lines { log.stateChange(.warn, key: Int32(truncatingIfNeeded: i), text) }
    }


    /// Applies the DMK guard to an `NC` answer. Returns whether the member may serve.
    ///
    /// Only the prober (`byProber`) brings a kept-out member back: an application thread
    /// that picked the member while it was live and checks a new connection after another
    /// thread ejected it gets `false` (its command goes elsewhere) and the state stays, so
    /// the probe backoff is never skipped.
    ///
    /// `ejectionsSeen`: the member's ejection count when the answer's `NC` was sent (the
    /// quorum round); if it was ejected since, the answer is stale and does not re-admit it
    /// (only the prober does, issue 19).
    func admit(_ m: GroupMember, _ answer: NCAnswer, byProber: Bool, ejectionsSeen: Int? = nil) -> Bool {
        // State changes (rejoined, kept out) go through `Log.stateChange`, so the default
        // `logsw=error` records them; a first join and the group's DMK value are `info`.
        var line: (LogCategories, String)?
        var dmkLine: String?
        var joinLine: String?
        let accepted: Bool = lock.withLock {
            let byProber = byProber && (ejectionsSeen == nil || ejectionsSeen == m.ejections)
            switch answer {
            case let .checkValue(value):
                m.dmkCheckValue = value
                // Undecided (a failed quorum round): nobody is admitted until a round decides.
                if groupDMK == nil && singleMember {
                    // A group of one: its own answer is the quorum.
                    groupDMK = value
                    dmkLine = "group DMK check value set to \(value) by \(m.label), the only member"
                }
                guard let group = groupDMK else {
                    // Undecided (no member answered the last round): an answer now starts a
                    // new round; nobody is admitted before it decides.
                    m.lastError = "DMK check value \(value) reported; the group's value is not decided yet"
                    if m.isKeptOut { scheduleProbeLocked(m) }
                    if !quorum.running { startQuorumRoundLocked() }
                    return false
                }
                if value == group {
                    // Kept out meanwhile by another thread: only the prober re-admits.
                    if m.isKeptOut && !byProber { return false }
                    let old = m.state
                    m.state = .up
                    m.consecutiveFailures = 0
                    m.probeAttempt = 0
                    if old == .unknown {
                        joinLine = "\(m.label): unknown -> up: joined the group, DMK check value \(value)"
                    } else if old != .up {
                        line = (.info, "\(m.label): \(old.rawValue) -> up: rejoined the group, DMK check value \(value)")
                        m.rejoinedAtNs = Deadline.nowNanoseconds()
                        m.completedAtRejoin = m.completed
                        if byProber { m.probeCommand = nil }  // the probe replayed it successfully
                    }
                    return true
                }
                m.lastError = "DMK check value \(value) differs from the group's \(group)"
                if m.state != .dmkMismatch {
                    let old = m.state
                    m.state = .dmkMismatch
                    m.ejections += 1
                    line = (.error, "\(m.label): \(old.rawValue) -> dmkMismatch: DMK check value \(value) differs from the group's \(group); no traffic will be sent to it")
                }
                scheduleProbeLocked(m)
                return false
            case let .hsmError(code):
                m.lastError = "NC answered \(code)"
                if m.state != .notInitialized {
                    let old = m.state
                    m.state = .notInitialized
                    m.ejections += 1
                    line = (.error, "\(m.label): \(old.rawValue) -> notInitialized: NC answered \(code); kept out")
                }
                scheduleProbeLocked(m)
                return false
            }
        }
        if let text = dmkLine { log.info(text) }
        if let (c, text) = line { log.stateChange(c, key: Int32(truncatingIfNeeded: m.index), text) }
        if let text = joinLine { log.info(text) }
        return accepted
    }
}
