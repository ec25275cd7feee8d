#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol
import HSMNet

/// One call's hedge (issue 15, item 1): the second copy of a slow safe call, sent to
/// another member by a thread of its own. Shared by the caller and that thread; `lock`
/// guards every field and is never held across network I/O (`interrupt()` is one
/// `shutdown(2)`, which does not wait).
final class HedgeCall: @unchecked Sendable {
    let lock = ConditionLock()
    let member: GroupMember
    /// The caller's connection, interrupted when the hedge wins (until `primaryDone`).
    let primaryConn: Connection
    var primaryDone = false
    /// The hedge's connection while its exchange runs, interrupted when the caller wins.
    var hedgeConn: Connection?
    var cancelled = false
    var result: Result<CheckedReply, TransportFailure>?

    init(member: GroupMember, primaryConn: Connection) {
        self.member = member
        self.primaryConn = primaryConn
    }
}

/// What became of a hedge once the caller's own copy failed.
enum HedgeOutcome {
    /// The hedge answered: the call's reply.
    case reply(CheckedReply)
    /// The caller's copy timed out (a whole attempt without a reply) and the hedge had not
    /// answered either: the call fails now (the group does not answer), not after another
    /// member's whole attempt.
    case bothSilent
    /// The hedge failed too (or the call's deadline passed first).
    case hedgeFailed(TransportFailure)
}

extension GroupCore {
    /// The hedge delay for a call on `m`, or `nil` (hedging off). Lock held.
    func hedgeDelayLocked(_ m: GroupMember) -> Int? {
        switch options.hedgeDelay ?? .auto {
        case .off: return nil
        case let .fixed(ms): return max(1, ms)
        case .auto:
            return m.latencies.hedgeDelayMs(factor: options.hedgeFactor, minMs: options.hedgeMinMs,
                                            maxMs: min(options.hedgeMaxMs, max(1, m.config.readTimeoutMs / 2)))
        }
    }

    /// Sends the hedge: picks another live member not tried yet, takes a retry-budget token
    /// (no token, no hedge: hedging never adds more load than the budget allows) and starts
    /// the hedge's thread. Called on the caller's thread when its copy is slow; no lock held.
    func startHedge(primary m: GroupMember, conn: Connection, tried: TriedSet, payload: [UInt8],
                    command: CommandCode, callDeadline: Deadline) -> HedgeCall? {
        lock.lock()
        var others = tried
        others.insert(m.index)
        guard !isShutdown, let m2 = pickLocked(others) else {
            lock.unlock()
            return nil
        }
        guard budget.withdraw() else {
            hedgesRefused += 1
            lock.unlock()
            return nil
        }
        m2.inFlight += 1
        hedgesSent += 1
        counters.hedges += 1  // metrics: cacipher_hedges_total
        let needsCheck = m2.state == .unknown
        lock.unlock()
        let h = HedgeCall(member: m2, primaryConn: conn)
        guard let t = NativeThread.start({ [self] in
            hedgeWorker(h, needsCheck: needsCheck, payload: payload, command: command, callDeadline: callDeadline)
        }) else {
            lock.withLock { m2.inFlight -= 1 }
            return nil
        }
        t.detach()
        return h
    }

    /// The hedge's thread: the same attempt as the caller's, on `h.member`. The first valid
    /// reply wins; the loser's connection is interrupted and closed, never reused.
    private func hedgeWorker(_ h: HedgeCall, needsCheck: Bool, payload: [UInt8], command: CommandCode,
                             callDeadline: Deadline) {
        let m = h.member
        let attemptDeadline = min(callDeadline, Deadline.after(milliseconds: max(m.config.readTimeoutMs, m.config.connTimeoutMs)))
        var conn: Connection?
        do {
            let c = try m.pool.acquire(deadline: attemptDeadline)
            conn = c
            let cancelled: Bool = h.lock.withLock {
                if !h.cancelled { h.hedgeConn = c }
                return h.cancelled
            }
            if cancelled {
                m.pool.release(c)
                lock.withLock { m.inFlight -= 1 }
                return
            }
            if !c.dmkChecked && (needsCheck || c.pooled) {
                let timeout = max(1, min(m.config.readTimeoutMs, Int(attemptDeadline.remainingPollMilliseconds)))
                guard try admit(m, readDMK(on: c, timeoutMs: timeout), byProber: false) else {
                    var f = TransportFailure(.dmkMismatch, "kept out by the DMK guard", notSent: true)
                    f.byProxy = true
                    throw f
                }
                c.dmkChecked = true
            }
            let start = Deadline.nowNanoseconds()
            let timeout = max(1, min(m.config.readTimeoutMs, Int(attemptDeadline.remainingPollMilliseconds)))
            let reply = try c.exchange(payload, command: command, timeoutMs: timeout)
            let end = Deadline.nowNanoseconds()
            h.lock.withLock {
                h.hedgeConn = nil
                if !h.cancelled && h.result == nil {
                    h.result = .success(reply)
                    if !h.primaryDone { h.primaryConn.interrupt() }
                    h.lock.broadcast()
                }
            }
            m.pool.release(c)
            lock.withLock {
                m.inFlight -= 1
                recordSuccessLocked(m, micros: Double(end - start) / 1000, endNs: end)
            }
        } catch {
            var f = (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: false)
            // Unregistered first (under the hedge's lock), closed after: the caller may be
            // interrupting it right now.
            let cancelled: Bool = h.lock.withLock {
                h.hedgeConn = nil
                if !h.cancelled && h.result == nil {
                    f.message = "hedge: " + f.message
                    h.result = .failure(f)
                    h.lock.broadcast()
                    return false
                }
                return h.cancelled
            }
            if let c = conn {
                c.close()
                m.pool.release(c)
            }
            if cancelled {
                lock.withLock { m.inFlight -= 1 }  // interrupted because the caller won: not its fault
            } else {
                recordFailure(m, f, command: f.notSent ? nil : payload)
            }
        }
    }

    /// The caller's copy succeeded: the hedge (if still running) is cancelled and its
    /// connection interrupted.
    func cancelHedge(_ h: HedgeCall) {
        h.lock.withLock {
            h.primaryDone = true
            h.cancelled = true
            h.hedgeConn?.interrupt()
        }
    }

    /// The caller's copy failed with `f`: the hedge's reply if it won, else what to do.
    func resolveHedge(_ h: HedgeCall, primaryFailure f: TransportFailure, callDeadline: Deadline) -> HedgeOutcome {
        h.lock.lock()
        defer { h.lock.unlock() }
        h.primaryDone = true
        if case let .success(r)? = h.result { return .reply(r) }
        if h.result == nil && f.code == .timeout {
            h.cancelled = true
            h.hedgeConn?.interrupt()
            return .bothSilent
        }
        while h.result == nil && !callDeadline.hasPassed { _ = h.lock.wait(until: callDeadline) }
        switch h.result {
        case let .success(r)?: return .reply(r)
        case let .failure(f2)?: return .hedgeFailed(f2)
        case nil:
            h.cancelled = true
            h.hedgeConn?.interrupt()
            return .hedgeFailed(TransportFailure(.timeout, "hedge: no reply before the call's deadline", notSent: false))
        }
    }

    /// The hedge answered before `m` did: `m` lost one hedged call. After
    /// `hedgeEjectAfter` in a row it is ejected (never the last live member): a member
    /// whose replies never come is out within a few hedge delays, not after `readTimeout`.
    ///
    /// The streak also has to span time: `m` answered nothing for `hedgeEjectAfter` hedge
    /// delays. Concurrent calls that all lose their hedges in one short pause of a healthy
    /// member (a CPU-starved host) reach three losses within one delay; they used to eject
    /// healthy members repeatedly (make bench, outlier scenario "wrong": 6 + 6 in 30 s).
    func recordHedgeLoss(_ m: GroupMember, delayMs: Int) {
        let after = max(1, options.hedgeEjectAfter)
        let (streak, silentNs): (Int, Int64) = lock.withLock {
            m.inFlight -= 1
            m.hedgeLosses += 1
            return (m.hedgeLosses, Deadline.nowNanoseconds() - m.lastSuccessNs)
        }
        guard streak >= after, silentNs >= Int64(after) * Int64(max(1, delayMs)) * 1_000_000 else { return }
        lock.withLock { m.hedgeLosses = 0 }
        recordFailure(m, TransportFailure(.timeout,
            "no reply to \(streak) hedged calls in a row (each answered by another member after the hedge delay of \(delayMs) ms)",
            notSent: false), inFlight: false, forceEject: true)
    }

    /// Hedges sent and refused for want of a retry-budget token (tests, bench, status).
    func hedgeCounts() -> (sent: Int, refused: Int) {
        lock.withLock { (hedgesSent, hedgesRefused) }
    }
}
