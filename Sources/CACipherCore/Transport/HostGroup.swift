#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol
import HSMNet

/// One logical HSM over all configured `[HOSTn]` members.
///
/// Callers never pick a host: `transmit` balances by least outstanding requests (config
/// order breaks ties), ejects members on transport failures (never on HSM error codes,
/// never the last live member), probes kept-out members in the background and brings them
/// back, re-sends a failed command to another member when that is safe, hedges slow safe
/// calls (HostGroup+Hedging.swift), drains outliers (OutlierPolicy.swift) and keeps out any
/// member whose DMK check value differs from the group's, decided by quorum when it is not
/// pinned (HostGroup+Quorum.swift). See `docs/failover.md`.
///
/// Thread safe; fork safe (a child process opens its own connections on first use).
public final class HostGroup: @unchecked Sendable {
    let core: GroupCore  // metrics: internal for HostGroup+Metrics.swift

    public init(hosts: [HostConfig], log: Log, options: GroupOptions = GroupOptions()) {
        core = GroupCore(hosts: hosts, log: log, options: options)
    }

    deinit { core.shutdown() }

    /// Sends one command (`payload` = command code + fields) and returns the reply from the
    /// response code on (`RSP ERR FIELDS`), whatever its `ERR`: HSM error codes are the
    /// caller's business, not transport failures.
    ///
    /// - Parameter idempotent: `true` (every stateless command): after any transport
    ///   failure the command is re-sent to another member. `false` (a command that stores
    ///   into the HSM): re-sent only when the request provably did not reach the first one.
    /// - Throws: `CACipherError` with `.invalidArgument`, `.connect`, `.timeout`, `.io`,
    ///   `.badFrame`, `.poolExhausted`, `.allMembersDown`, `.dmkMismatch`,
    ///   `.retryBudgetExhausted`, `.notInitialized` (after `shutdown`); see failover.md.
    public func transmit(_ payload: [UInt8], idempotent: Bool = true) throws -> [UInt8] {
        try core.transmit(payload, idempotent: idempotent)
    }

    /// A snapshot of every member, in configuration order.
    public func memberStatus() -> [MemberStatus] { core.memberStatus() }

    /// Hedged requests sent so far, and hedges not sent for want of a retry-budget token.
    public func hedgeCounts() -> (sent: Int, refused: Int) { core.hedgeCounts() }

    /// Stops the prober and closes every connection. Later calls fail with `.notInitialized`.
    public func shutdown() { core.shutdown() }
}

/// The group's shared state; the prober thread keeps it alive until `shutdown`.
final class GroupCore: @unchecked Sendable {
    let members: [GroupMember]
    let log: Log
    let options: GroupOptions
    private let maxHeaderLength: Int
    private let singleMember: Bool
    /// One call's deadline (see `GroupOptions.callTimeoutMs`).
    let callTimeoutMs: Int

    /// Guards every member's mutable fields and everything below; its condition wakes the
    /// prober. Never held across network I/O.
    let lock = ConditionLock()  // metrics: internal for StandbyProber, HostGroup+Metrics
    @exclusivity(unchecked) var budget: RetryBudget  // guarded by `lock`, per call
    /// Hedges sent, and refused for want of a budget token (guarded by `lock`).
    var hedgesSent = 0
    var hedgesRefused = 0
    var groupDMK: String?
    /// The DMK quorum round (no `dmkCheckValue` pinned); `quorumChanged` wakes its waiters.
    var quorum = DMKQuorumRound()
    let quorumChanged = ConditionLock.Condition()
    /// Decision lines of the round, written outside the lock (`flushQuorumLog`).
    var quorumLogQueue: [(LogCategories, String)] = []
    /// Slow/recovered lines (member index, text), written outside the lock.
    private var slowLogQueue: [(Int, String)] = []
    private var pid: pid_t = getpid()
    private var epoch = ForkEpoch.start()
    private var prober: NativeThread?
    private var stopping = false
    var isShutdown = false
    var rng = SystemRandomNumberGenerator()
    let backoff: ProbeBackoff
    // metrics: counters, state-change observer, background checks of idle members.
    let counters = GroupCounters()
    let observer = StateObserver()
    private(set) var standby: StandbyProber?

    private static let ncPayload: [UInt8] = Array("NC".utf8)
    private static let nc = CommandCode("NC")

    init(hosts: [HostConfig], log: Log, options: GroupOptions) {
        let replyLimit = max(1, min(options.maxReplyLength, FrameCodec.maxBodyLength))
        members = hosts.enumerated().map { GroupMember(index: $0.offset, config: $0.element, maxReplyLength: replyLimit, log: log) }
        self.log = log
        self.options = options
        self.maxHeaderLength = hosts.map(\.headerLength).max() ?? 0
        self.singleMember = hosts.count == 1
        let t = hosts.map { max($0.readTimeoutMs, $0.connTimeoutMs) }.max() ?? 0
        self.callTimeoutMs = max(1, options.callTimeoutMs ?? (hosts.count > 1 ? 2 * t : t))
        backoff = ProbeBackoff(initialMs: options.probeInitialBackoffMs, maxMs: options.probeMaxBackoffMs)
        budget = RetryBudget(ratio: options.retryRatio, perSecond: options.retryMinPerSecond, burst: options.retryBurst)
        if let v = options.expectedDMKCheckValue {
            groupDMK = String(decoding: Array(v.utf8).map { $0 >= 0x61 && $0 <= 0x66 ? $0 - 0x20 : $0 }, as: UTF8.self)
        }
        for m in members { m.metrics.observer = observer }  // metrics:
        standby = StandbyProber.start(self)  // metrics: idle members are probed too
    }

    // MARK: - Calls

    func transmit(_ payload: [UInt8], idempotent: Bool) throws -> [UInt8] {
        // The index, not the member: no reference counting on the success path.
        var lastTried = -1
        do {
            return try send(payload, idempotent: idempotent, lastTried: &lastTried)
        } catch let e as CACipherError {
            lock.withLock { counters.failures += 1 }  // metrics:
            logFailedCall(e, payload, lastTried >= 0 ? members[lastTried] : nil)
            throw e
        }
    }

    /// A call that failed with a library error (never an HSM's error code: those are
    /// replies) is one `error` line, at most one per second per error code (see
    /// `Log.errorLimited`): the code's name, the command code (never the payload), the
    /// last member tried and the message.
    private func logFailedCall(_ e: CACipherError, _ payload: [UInt8], _ last: GroupMember?) {
        log.errorLimited(key: e.code, {
            let name = CACipherError.Code(rawValue: e.code)?.cName ?? "code"
            let command = payload.count >= 2 ? FrameMasking.code(payload[0], payload[1]) : "-"
            return "call failed: \(name) (\(e.code)), command \(command), last member tried \(last?.label ?? "none"): "
                + ConfigText.shown(e.message, limit: 400)
        }())
    }

    private func send(_ payload: [UInt8], idempotent: Bool, lastTried: inout Int) throws -> [UInt8] {
        guard payload.count >= 2, let command = CommandCode(wire: payload[0], payload[1]) else {
            throw CACipherError(.invalidArgument, "a command must start with a two-character command code")
        }
        guard payload.count + maxHeaderLength <= FrameCodec.maxBodyLength else {
            throw CACipherError(.invalidArgument,
                "command of \(payload.count) bytes exceeds the frame limit of \(FrameCodec.maxBodyLength - maxHeaderLength)")
        }
        guard !members.isEmpty else { throw CACipherError(.config, "the host group has no members") }
        var tried = TriedSet(count: members.count)
        var failed: [(member: GroupMember, failure: TransportFailure)] = []
        // async: the call's own deadline and cancellation (async API, CACipher_TransmitTimeout).
        let control = CallControl.current
        try control?.checkStart()
        // Hedged requests: safe commands only (an allow-list by code), never a storing one.
        var hedgeable = idempotent && !singleMember && options.hedgeDelay != .off
            && HedgeSafety.isSafe(payload[0], payload[1])
        // Every wait of this call (pool, connect, NC, the command, re-sends) ends by then.
        let callDeadline = CallControl.callDeadline(control, groupMs: callTimeoutMs)
        var deadlinePassed = false

        lock.lock()
        if isShutdown {
            lock.unlock()
            throw CACipherError(.notInitialized, "host group was shut down")
        }
        forkCheckLocked()
        if groupDMK == nil && !singleMember {
            // No pinned value: nothing is sent until the quorum has decided it.
            let e = awaitQuorumLocked(deadline: callDeadline)
            lock.unlock()
            flushQuorumLog()
            if let e { throw e }
            lock.lock()
        }
        budget.deposit()
        counters.calls += 1  // metrics:
        let callStart = Deadline.nowNanoseconds()  // metrics:
        // The lock stays held into the first pick (one lock round trip less per call).
        var locked = true

        while true {
            if !locked { lock.lock() }
            locked = false
            // After a read timeout, only a member with evidence of life is worth the wait.
            let aliveOnly = failed.last?.failure.code == .timeout
            guard let m = pickLocked(tried, aliveOnly: aliveOnly) else {
                lock.unlock()
                if aliveOnly && failed.allSatisfy({ $0.failure.code == .timeout }) {
                    let detail = failed.map { "\($0.member.label): \($0.failure.message)" }.joined(separator: "; ")
                    throw CACipherError(.timeout, "no member answered within its read timeout (none left has answered since its last timeout): \(detail)")
                }
                break
            }
            if !failed.isEmpty && callDeadline.hasPassed {
                lock.unlock()
                deadlinePassed = true
                break
            }
            if !failed.isEmpty && !budget.withdraw() {
                lock.unlock()
                let last = failed[failed.count - 1]
                throw CACipherError(.retryBudgetExhausted,
                    "retry budget exhausted; not re-sending after \(last.member.label): \(last.failure.message)")
            }
            m.inFlight += 1
            noteAttemptLocked(m, resend: !failed.isEmpty, at: callStart)  // metrics:
            let needsCheck = m.state == .unknown
            let completedAtPick = m.completed
            let hedgeMs = hedgeable ? hedgeDelayLocked(m) : nil
            lock.unlock()
            let hedgeAt = hedgeMs.map { Deadline.after(milliseconds: $0) }
            // One attempt takes at most the member's own timeout, never past the call's deadline.
            let attemptDeadline = min(callDeadline,
                                      Deadline.after(milliseconds: max(m.config.readTimeoutMs, m.config.connTimeoutMs)))
            tried.insert(m.index)
            lastTried = m.index

            var conn: Connection?
            var hedge: HedgeCall?  // set when this attempt was slow and a hedge went out
            var hedgeTried = false  // one try per attempt (NC check or command, whichever is slow)
            do {
                let c = try m.pool.acquire(deadline: attemptDeadline)
                conn = c
                // A pooled connection that passed `NC` is not checked again, even by a call
                // that picked the member while it was still `unknown`.
                if !c.dmkChecked && (needsCheck || c.pooled) {
                    let accepted: Bool
                    do {
                        accepted = try admit(m, readDMK(on: c, timeoutMs: Self.readMs(m, attemptDeadline), hedgeAt: hedgeAt) {
                            if !hedgeTried { hedgeTried = true; hedge = startHedge(primary: m, conn: c, tried: tried, payload: payload,
                                                                 command: command, callDeadline: callDeadline) }
                        }, byProber: false)
                    } catch var f as TransportFailure {
                        f.message = "DMK check (NC) failed: " + f.message
                        f.notSent = true  // the caller's command itself was never sent
                        throw f
                    }
                    if !accepted {
                        if let h = hedge, case let .reply(r) = resolveHedge(h, primaryFailure: TransportFailure(.io, "kept out", notSent: true), callDeadline: callDeadline) {
                            m.pool.release(c)
                            m.pool.drainIdle()
                            lock.withLock { m.inFlight -= 1 }
                            return r
                        }
                        if let h = hedge { tried.insert(h.member.index) }
                        hedgeable = false
                        m.pool.release(c)
                        conn = nil
                        m.pool.drainIdle()
                        lock.withLock { m.inFlight -= 1 }
                        continue  // kept out by the DMK guard; the command was not sent
                    }
                    c.dmkChecked = true
                }
                // trace: frame dumps, masked (FrameMasking shows codes and lengths, never fields).
                let tracing = log.isEnabled(.trace)
                if tracing { log.trace("\(m.label) " + FrameMasking.render(payload, headerLength: 0, .request)) }
                let start = Deadline.nowNanoseconds()
                let readMs = Self.readMs(m, attemptDeadline)
                func onSlow() {
                    if !hedgeTried { hedgeTried = true; hedge = startHedge(primary: m, conn: c, tried: tried, payload: payload,
                                                         command: command, callDeadline: callDeadline) }
                }
                // async: a cancelled call interrupts this exchange (the connection is then closed).
                let reply = try control.map { try $0.exchange(on: c) { try c.exchange(payload, command: command, timeoutMs: readMs, hedgeAt: hedgeAt, onSlow: onSlow) } }
                    ?? c.exchange(payload, command: command, timeoutMs: readMs, hedgeAt: hedgeAt, onSlow: onSlow)
                if let h = hedge { cancelHedge(h) }
                let end = Deadline.nowNanoseconds()
                let micros = Double(end - start) / 1000
                if tracing {
                    log.trace("\(m.label) " + FrameMasking.render(reply, headerLength: 0, .response) + " in \(Int(micros)) us")
                }
                m.pool.release(c)
                let slowLines: Bool = lock.withLock {
                    m.inFlight -= 1
                    recordSuccessLocked(m, micros: micros, endNs: end)
                    noteReplyLocked(m, exchangeNs: end - start, callNs: end - callStart)  // metrics:
                    return !slowLogQueue.isEmpty
                }
                if slowLines { flushSlowLog() }
                return reply
            } catch let error {
                var f = (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: false)
                if let h = hedge {
                    // This attempt was hedged: the hedge's reply, or both silent, or go on.
                    tried.insert(h.member.index)
                    hedgeable = false
                    let outcome = resolveHedge(h, primaryFailure: f, callDeadline: callDeadline)
                    if let c = conn {
                        c.close()
                        m.pool.release(c)
                    }
                    switch outcome {
                    case let .reply(r):
                        recordHedgeLoss(m, delayMs: hedgeMs ?? 0)
                        return r
                    case .bothSilent:
                        // Another member that has answered since its last timeout may still
                        // serve the call within its deadline; with none, the group does not
                        // answer and the call fails now (within one read timeout).
                        let untried = tried
                        let answering = lock.withLock {
                            members.contains { !untried.contains($0.index) && $0.isLive && $0.lastSuccessNs > $0.lastTimeoutNs }
                        }
                        guard answering && !callDeadline.hasPassed else {
                            recordFailure(m, f, command: f.notSent ? nil : payload)
                            throw CACipherError(.timeout, "no reply within the read timeout from \(m.label) (\(f.message)) nor from its hedge \(h.member.label)")
                        }
                        failed.append((h.member, TransportFailure(.timeout, "hedge: no reply within \(m.label)'s read timeout", notSent: false)))
                    case let .hedgeFailed(f2):
                        failed.append((h.member, f2))
                    }
                    conn = nil
                }
                if let c = conn {
                    c.close()
                    m.pool.release(c)
                }
                if f.code == .poolExhausted { f = poolWaitCause(m, f, completedAtPick: completedAtPick) }
                control?.classify(&f, attemptDeadline: attemptDeadline)  // async: not the member's fault
                recordFailure(m, f, command: f.notSent ? nil : payload)
                if control?.isCancelled == true { throw f.error(prefix: "\(m.label): ") }  // async: no re-send
                if f.code == .notInitialized || f.code == .invalidArgument || f.code == .internal {
                    throw f.error(prefix: "\(m.label): ")
                }
                failed.append((m, f))
                if !idempotent && !f.notSent {
                    throw CACipherError(CACipherError.Code(f.code), "\(m.label): \(f.message); not re-sent: the command may have reached the HSM")
                }
            }
        }
        throw finalError(failed, deadlinePassed: deadlinePassed)
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

    /// The time left for one read on `m`: its read timeout, cut short by the attempt's deadline.
    private static func readMs(_ m: GroupMember, _ deadline: Deadline) -> Int {
        max(1, min(m.config.readTimeoutMs, Int(deadline.remainingPollMilliseconds)))
    }

    /// A pool wait that timed out while the member answered nothing at all (no call on it
    /// completed since this one picked it): its connections are held by calls that get no
    /// reply, so the cause is a member that does not answer (`.timeout`), not a busy pool.
    private func poolWaitCause(_ m: GroupMember, _ f: TransportFailure, completedAtPick: Int) -> TransportFailure {
        let (stuck, last) = lock.withLock { (m.completed == completedAtPick, m.lastError) }
        guard stuck else { return f }
        var t = TransportFailure(.timeout,
            "no reply on any of its \(m.config.poolSize) pooled connection(s): \(f.message) without an answer"
                + (last.map { " (last error: \($0))" } ?? ""), notSent: true)
        t.byProxy = true
        return t
    }

    /// Least outstanding requests among live, untried members; config order breaks ties.
    /// A slow member (`OutlierPolicy`) is drained: picked only when no other member is
    /// left, or for its periodic trial call (one at a time).
    /// `aliveOnly`: skip members whose last read timed out after their last answer.
    func pickLocked(_ tried: TriedSet, aliveOnly: Bool = false) -> GroupMember? {
        var best: GroupMember?
        var bestSlow: GroupMember?
        var trial: GroupMember?
        var now: Int64 = 0
        for m in members where !tried.contains(m.index) && m.isLive {
            if aliveOnly && m.lastTimeoutNs > m.lastSuccessNs { continue }
            if m.slow {
                if now == 0 { now = Deadline.nowNanoseconds() }
                if m.inFlight == 0 && m.nextTrialNs <= now { trial = m }
                if (bestSlow?.inFlight ?? Int.max) > m.inFlight { bestSlow = m }
                continue
            }
            if let b = best, b.inFlight <= m.inFlight { continue }
            best = m
        }
        if best != nil, let t = trial {
            t.nextTrialNs = now + Int64(max(1, options.slowTrialIntervalMs)) * 1_000_000
            return t
        }
        return best ?? bestSlow
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
    private func flushSlowLog() {
        let lines: [(Int, String)] = lock.withLock {
            let l = slowLogQueue
            slowLogQueue.removeAll()
            return l
        }
        for (i, text) in lines { log.stateChange(.warn, key: Int32(truncatingIfNeeded: i), text) }
    }


    private func finalError(_ failed: [(member: GroupMember, failure: TransportFailure)],
                            deadlinePassed: Bool) -> CACipherError {
        if failed.isEmpty {
            let (summary, anyDMK) = lock.withLock { () -> (String, Bool) in
                (members.map { "\($0.label) \($0.state.rawValue)" }.joined(separator: ", "),
                 members.contains { $0.state == .dmkMismatch || $0.state == .notInitialized })
            }
            if anyDMK {
                return CACipherError(.dmkMismatch, "no member holds the group's DMK: \(summary)")
            }
            return CACipherError(.allMembersDown, "no member of the group is available: \(summary)")
        }
        if singleMember, let only = failed.first, failed.count == 1 {
            return only.failure.error(prefix: "\(only.member.label): ")
        }
        let detail = failed.map { "\($0.member.label): \($0.failure.message)" }.joined(separator: "; ")
        if failed.allSatisfy({ $0.failure.code == .poolExhausted }) {
            return CACipherError(.poolExhausted, detail)
        }
        if deadlinePassed {
            return CACipherError(.timeout, "the call's deadline of \(CallControl.current?.timeoutMs ?? callTimeoutMs) ms passed before another member could be tried: \(detail)")
        }
        return CACipherError(.allMembersDown, "every available member failed: \(detail)")
    }

    // MARK: - Health

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

    /// What a member answered to `NC`.
    enum NCAnswer {
        case checkValue(String)
        case hsmError(HostErrorCode)
    }

    /// Sends `NC` on `conn` and reads the DMK check value (16H) from the reply.
    func readDMK(on conn: Connection, timeoutMs: Int, hedgeAt: Deadline? = nil, onSlow: () -> Void = {}) throws -> NCAnswer {
        let reply = try conn.exchange(GroupCore.ncPayload, command: GroupCore.nc, timeoutMs: timeoutMs,
                                      hedgeAt: hedgeAt, onSlow: onSlow)
        guard reply.count >= 4, let err = HostResponse.parseErrorCode(reply[2], reply[3]) else {
            throw TransportFailure(.badFrame, "NC reply too short", notSent: false)
        }
        guard err == .ok else { return .hsmError(err) }
        var reader = FieldReader(reply[4...])
        guard let kcv = try? reader.take(16, "DMK check value"), kcv.allSatisfy({ Hex.nibble($0) != nil }) else {
            throw TransportFailure(.badFrame, "NC reply has no 16-hex DMK check value", notSent: false)
        }
        // A device without a DMK answers NC with sixteen zeros (DeviceInfoResponse.noDMKCheckValue):
        // it is not initialised, and must never define the group's value.
        guard !kcv.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return .hsmError(.notInitialised) }
        return .checkValue(String(decoding: kcv.map { $0 >= 0x61 && $0 <= 0x66 ? $0 - 0x20 : $0 }, as: UTF8.self))
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

    // MARK: - Prober

    /// Sets the next probe time with jittered exponential backoff and wakes the prober
    /// (starting it on first need). Lock held.
    private func scheduleProbeLocked(_ m: GroupMember, nominalMs: Int? = nil) {
        let delay: Int
        if let n = nominalMs {
            delay = n / 2 + Int.random(in: 0...(n - n / 2), using: &rng)  // the same equal jitter
        } else {
            delay = backoff.delayMs(attempt: m.probeAttempt, using: &rng)
        }
        m.probeAttempt += 1
        m.nextProbeNs = Deadline.nowNanoseconds() + Int64(delay) * 1_000_000
        ensureProberLocked()
        lock.signal()
    }

    /// Starts the prober thread if this process has none. Lock held.
    private func ensureProberLocked() {
        guard prober == nil, !stopping else { return }
        prober = NativeThread.start { [self] in proberLoop() }
        if prober == nil { log.error("cannot start the prober thread; ejected members will not rejoin") }
    }

    private func proberLoop() {
        lock.lock()
        while !stopping {
            var due: GroupMember?
            for m in members where m.isKeptOut && !m.probing {
                if let d = due, d.nextProbeNs <= m.nextProbeNs { continue }
                due = m
            }
            guard let m = due else { lock.wait(); continue }
            if m.nextProbeNs > Deadline.nowNanoseconds() {
                lock.wait(until: Deadline(nanoseconds: m.nextProbeNs))
                continue
            }
            m.probing = true
            lock.unlock()
            let outcome = probe(m)
            lock.lock()
            m.probing = false
            guard m.isKeptOut, !stopping else { continue }
            switch outcome {
            case let .success(answer):
                lock.unlock()
                _ = admit(m, answer, byProber: true)
                lock.lock()
            case let .failure(f):
                m.lastError = "probe: \(f.message)"
                scheduleProbeLocked(m)
                if log.isEnabled(.debug) {
                    let text = "\(m.label): probe failed (\(f.message)); next in \((m.nextProbeNs - Deadline.nowNanoseconds()) / 1_000_000) ms"
                    lock.unlock()
                    log.debug(text)
                    lock.lock()
                }
            }
        }
        lock.unlock()
    }

    /// One probe: a fresh short-lived connection, `NC`, then (when the member was ejected
    /// for a command's failed reply and that command is safe to replay) that command, which
    /// must get a well-formed reply (any HSM error code); closed again.
    func probe(_ m: GroupMember) -> Result<NCAnswer, TransportFailure> {
        do {
            let probeMs = m.config.probeTimeoutMs
            let replay: [UInt8]? = lock.withLock { m.state == .ejected ? m.probeCommand : nil }
            let stream = try m.connector.connect(deadline: .after(milliseconds: min(m.config.connTimeoutMs, probeMs)))
            let conn = Connection(stream: stream, headerLength: m.config.headerLength,
                                  maxReplyLength: options.maxReplyLength, pooled: false, generation: -1)
            defer { conn.close() }
            let answer = try readDMK(on: conn, timeoutMs: probeMs)
            if let r = replay, case .checkValue = answer, let code = CommandCode(wire: r[0], r[1]) {
                do {
                    _ = try conn.exchange(r, command: code, timeoutMs: probeMs)
                } catch var f as TransportFailure {
                    f.message = "\(code) replayed: " + f.message
                    throw f
                }
            }
            return .success(answer)
        } catch let f as TransportFailure {
            return .failure(f)
        } catch {
            return .failure(TransportFailure(.internal, "\(error)", notSent: true))
        }
    }

    // MARK: - Lifecycle

    /// In a forked child: forget the parent's in-flight counts and prober thread (neither
    /// exists here); pools drop inherited connections on their own. Lock held.
    private func forkCheckLocked() {
        // The epoch changes in every forked child (a load, not a system call per command).
        let e = ForkEpoch.current
        guard e != epoch || !ForkEpoch.isReliable else { return }
        epoch = e
        let now = getpid()
        guard now != pid else { return }
        pid = now
        prober = nil
        quorum.running = false  // its workers are threads of the parent
        for m in members {
            m.inFlight = 0
            m.probing = false
        }
        if members.contains(where: { $0.isKeptOut }) { ensureProberLocked() }
    }

    func memberStatus() -> [MemberStatus] {
        lock.withLock { members.map(\.status) }
    }

    func shutdown() {
        lock.lock()
        if isShutdown {
            lock.unlock()
            return
        }
        isShutdown = true
        stopping = true
        let (sent, refused) = (hedgesSent, hedgesRefused)
        let thread = pid == getpid() ? prober : nil
        prober = nil
        lock.broadcast()
        lock.broadcast(quorumChanged)
        lock.unlock()
        thread?.join()
        standby?.stop()  // metrics:
        for m in members { m.pool.shutdown() }
        observer.shutdown()  // metrics:
        if sent > 0 || refused > 0 {
            log.info("hedged requests: \(sent) sent, \(refused) not sent for want of a retry-budget token")
        }
    }
}

/// The members a call has tried: a bit mask, with an array only for groups over 64.
struct TriedSet {
    private var bits: UInt64 = 0
    private var more: [Bool]

    init(count: Int) { more = count > 64 ? [Bool](repeating: false, count: count) : [] }

    mutating func insert(_ i: Int) {
        if i < 64 { bits |= 1 << UInt64(i) } else if i < more.count { more[i] = true }
    }

    func contains(_ i: Int) -> Bool {
        i < 64 ? bits & (1 << UInt64(i)) != 0 : (i < more.count && more[i])
    }
}
