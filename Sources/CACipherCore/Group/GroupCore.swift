import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

/// The group's shared state and its calls: `transmit` (admit, pick, re-send, final error).
/// One attempt on one member (HostGroup+Attempt.swift), member health and admission
/// (HostGroup+Health.swift), the DMK check (HostGroup+DMKCheck.swift), the prober
/// (HostGroup+Prober.swift), hedging, the DMK quorum and metrics are extensions in the
/// files beside it. The prober thread keeps it alive
/// until `shutdown`.
final class GroupCore: @unchecked Sendable {
    let members: [GroupMember]
    let log: Log
    let options: GroupOptions
    private let maxHeaderLength: Int
    let singleMember: Bool
    /// One call's deadline (see `GroupOptions.callTimeoutMs`).
    let callTimeoutMs: Int

    /// Guards every member's mutable fields and everything below; its condition wakes the
    /// prober. Never held across network I/O.
    let lock = ConditionLock(forkRank: .group)  // metrics: internal for StandbyProber, HostGroup+Metrics
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
    var slowLogQueue: [(Int, String)] = []
    private var fork = ForkWatcher()
    var prober: NativeThread?
    var stopping = false
    var isShutdown = false
    var rng = SystemRandomNumberGenerator()
    let backoff: ProbeBackoff
    // metrics: counters, state-change observer, background checks of idle members.
    let counters = GroupCounters()
    let observer = StateObserver()
    /// Guarded by `lock` (a forked child replaces it).
    private(set) var standby: StandbyProber?

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
        lock.adopt(quorumChanged)  // a child's quorum round signals it afresh
        for m in members { m.metrics.observer = observer }  // metrics:
        standby = StandbyProber.start(self)  // metrics: idle members are probed too
    }
    // MARK: - Calls

    func transmit(_ payload: [UInt8], idempotent: Bool) throws -> CheckedReply {
        // The index, not the member: no reference counting on the success path.
        var lastTried = -1
        do {
            return try send(payload, idempotent: idempotent, lastTried: &lastTried)
        } catch let e as CACipherError {
            noteFailedCall(e, payload, lastTried: lastTried)
            throw e
        }
    }

    /// Books and logs a call that failed with `e` (`lastTried`: the index of the last member
    /// tried, -1 for none).
    func noteFailedCall(_ e: CACipherError, _ payload: [UInt8], lastTried: Int) {
        lock.withLock { counters.failures += 1 }  // metrics:
        logFailedCall(e, payload, lastTried >= 0 ? members[lastTried] : nil)
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

    /// One call: admitted, then one attempt per member until one answers, the call fails
    /// where it may not go on, or no member is left (`finalError`).
    private func send(_ payload: [UInt8], idempotent: Bool, lastTried: inout Int) throws -> CheckedReply {
        let command = try checkedCommand(payload)
        // async: the call's own deadline and cancellation (async API, CACipher_TransmitTimeout).
        let control = CallControl.current
        try control?.checkStart()
        var call = newCall(payload, idempotent: idempotent, control)
        let next = try openCall(&call)
        return try drive(next, payload, command, idempotent: idempotent, control, &call, lastTried: &lastTried)
    }

    /// A call's progress before its first attempt; hedged requests for safe commands only
    /// (an allow-list by code), never a storing one.
    func newCall(_ payload: [UInt8], idempotent: Bool, _ control: CallControl?) -> CallProgress {
        let hedgeable = idempotent && !singleMember && options.hedgeDelay != .off
            && HedgeSafety.isSafe(payload[0], payload[1])
        // Every wait of this call (pool, connect, NC, the command, re-sends) ends by then.
        return CallProgress(tried: TriedSet(count: members.count), hedgeable: hedgeable,
                            deadline: CallControl.callDeadline(control, groupMs: callTimeoutMs))
    }

    /// Runs the call's attempts from `next` on (blocking) until one answers or the call ends.
    func drive(_ next: NextAttempt, _ payload: [UInt8], _ command: CommandCode, idempotent: Bool,
               _ control: CallControl?, _ call: inout CallProgress, lastTried: inout Int) throws -> CheckedReply {
        var next = next
        while case let .attempt(a) = next {
            lastTried = a.member.index
            if let reply = try attempt(a, payload, command, idempotent: idempotent, control, &call) { return reply }
            next = lock.withLock { nextAttemptLocked(&call) }
        }
        throw finalError(next, call)
    }

    /// The one check of a raw command on its way to the wire (`HostGroup.transmit`,
    /// `CACipherClient.transmit`, `CACipher_Transmit` and every typed call pass here): a
    /// command code, and room in one frame with the longest configured header.
    func checkedCommand(_ payload: [UInt8]) throws -> CommandCode {
        guard payload.count >= 2 else {
            throw CACipherError(.invalidArgument, "command of \(payload.count) bytes: need at least the 2-character command code")
        }
        guard let command = CommandCode(wire: payload[0], payload[1]) else {
            throw CACipherError(.invalidArgument, "a command must start with a two-character command code")
        }
        guard payload.count + maxHeaderLength <= FrameCodec.maxBodyLength else {
            throw CACipherError(.invalidArgument,
                "command of \(payload.count) bytes exceeds the frame limit of \(FrameCodec.maxBodyLength - maxHeaderLength)")
        }
        guard !members.isEmpty else { throw CACipherError(config: .noHost, "the host group has no members") }
        return command
    }

    /// Admits the call (the group is not shut down, a forked child has forgotten its
    /// parent, the group's DMK value is decided) and picks its first member: one lock round
    /// trip unless a DMK quorum round must decide first.
    private func openCall(_ call: inout CallProgress) throws -> NextAttempt {
        if let first = try openCallNow(&call) { return first }
        let e = lock.withLock { awaitQuorumLocked(deadline: call.deadline) }
        flushQuorumLog()
        if let e { throw e }
        return lock.withLock { startCallLocked(&call) }
    }

    /// `openCall` without waiting: `nil` when a DMK quorum round must decide first (nothing
    /// booked then).
    func openCallNow(_ call: inout CallProgress) throws -> NextAttempt? {
        try lock.withLock {
            guard !isShutdown else { throw CACipherError(.notInitialized, "host group was shut down") }
            forkCheckLocked()
            // No pinned value: nothing is sent until the quorum has decided it.
            if groupDMK == nil && !singleMember { return nil }
            return startCallLocked(&call)
        }
    }

    /// Books the call (retry budget, counters) and picks its first member. Lock held.
    private func startCallLocked(_ call: inout CallProgress) -> NextAttempt {
        budget.deposit()
        counters.calls += 1  // metrics:
        call.startNs = Deadline.nowNanoseconds()  // metrics:
        return nextAttemptLocked(&call)
    }

    /// The call's next member, or why there is none: no member left, none with evidence of
    /// life after a timeout, the call's deadline passed, or no retry-budget token for a
    /// re-send. A picked member's in-flight count is taken here. Lock held.
    func nextAttemptLocked(_ call: inout CallProgress) -> NextAttempt {
        // After a read timeout, only a member with evidence of life is worth the wait.
        let aliveOnly = call.failed.last?.failure.code == .timeout
        guard let m = pickLocked(call.tried, aliveOnly: aliveOnly) else {
            return aliveOnly && call.failed.allSatisfy({ $0.failure.code == .timeout }) ? .noneAnswering : .noMember
        }
        let resend = !call.failed.isEmpty
        if resend && call.deadline.hasPassed { return .deadlinePassed }
        if resend && !budget.withdraw() { return .budgetExhausted }
        m.inFlight += 1
        noteAttemptLocked(m, resend: resend, at: call.startNs)  // metrics:
        return .attempt(Attempt(member: m, needsCheck: m.state == .unknown, completedAtPick: m.completed,
                                hedgeMs: call.hedgeable ? hedgeDelayLocked(m) : nil))
    }

    /// The time left for one read on `m`: its read timeout, cut short by the attempt's deadline.
    static func readMs(_ m: GroupMember, _ deadline: Deadline) -> Int {
        max(1, min(m.config.readTimeoutMs, Int(deadline.remainingPollMilliseconds)))
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

    /// The error of a call that ran out of members to try (`why`: what the last pick said).
    func finalError(_ why: NextAttempt, _ call: CallProgress) -> CACipherError {
        let failed = call.failed
        switch why {
        case .noneAnswering:
            let detail = failed.map { "\($0.member.label): \($0.failure.message)" }.joined(separator: "; ")
            return CACipherError(.timeout, "no member answered within its read timeout (none left has answered since its last timeout): \(detail)")
        case .budgetExhausted:
            let last = failed[failed.count - 1]
            return CACipherError(.retryBudgetExhausted,
                "retry budget exhausted; not re-sending after \(last.member.label): \(last.failure.message)")
        case .deadlinePassed:
            return finalError(failed, deadlinePassed: true)
        case .noMember, .attempt:
            return finalError(failed, deadlinePassed: false)
        }
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

    // MARK: - Lifecycle

    /// In a forked child: forget the parent's in-flight counts, prober and standby checker
    /// (none of their threads exists here) and start a standby checker of the child's own;
    /// pools drop inherited connections on their own. Lock held.
    private func forkCheckLocked() {
        // The epoch changes in every forked child (a load, not a system call per command).
        guard !fork.isUnchanged, fork.forkedSinceLastCheck() else { return }
        prober = nil
        // The parent's checker is left alone, never stopped or joined here: its lock and
        // condition may hold its thread's state at the fork (its thread still retains it, so
        // it is never freed either). A new one, with its own lock and thread, takes over.
        standby = stopping ? nil : StandbyProber.start(self)
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
        let thread = fork.isSameProcess ? prober : nil
        prober = nil
        // A child that made no call still holds the parent's checker: its thread is not ours to join.
        let standbyChecker = fork.isSameProcess ? standby : nil
        standby = nil
        lock.broadcast()
        lock.broadcast(quorumChanged)
        lock.unlock()
        thread?.join()
        standbyChecker?.stop()  // metrics:
        for m in members { m.pool.shutdown() }
        observer.shutdown()  // metrics:
        if sent > 0 || refused > 0 {
            log.info("hedged requests: \(sent) sent, \(refused) not sent for want of a retry-budget token")
        }
    }
}
