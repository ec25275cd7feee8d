import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The DMK quorum round of a group without `[GROUP] dmkCheckValue` (issue 15, item 2):
/// no member serves traffic until the group's DMK check value is known by quorum
/// (`DMKQuorum.decide`). See docs/failover.md, "DMK guard".
extension GroupCore {
    /// Waits until the group's DMK check value is known, starting a quorum round if none
    /// runs. Lock held on entry and on return (released while waiting).
    ///
    /// - Returns: `nil` when the value is known; else the error the call fails with
    ///   (nothing was sent to any member but `NC`).
    func awaitQuorumLocked(deadline: Deadline) -> CACipherError? {
        var joined = -1  // the round this call waited for
        while groupDMK == nil {
            if isShutdown { return CACipherError(.notInitialized, "host group was shut down") }
            if !quorum.running {
                let early = Deadline.nowNanoseconds() < quorum.retryAfterNs
                if quorum.number == joined && quorum.nobodyAnswered && quorum.silentRound {
                    // The call waited a whole window and nobody answered NC: one attempt's
                    // time is spent; failing now keeps it within one readTimeout.
                    return CACipherError(.timeout,
                        "no member answered the DMK check (NC) within the quorum round's window of \(quorumWindowMs) ms; nothing was sent")
                }
                if quorum.number == joined || early || quorum.nobodyAnswered {
                    // The round this call waited for ended undecided (or one did very recently):
                    // its error, or (nobody answered) the normal path, whose errors name each
                    // member's failure and whose NC checks start the next round. After a
                    // round nobody answered, calls never start one themselves: with every
                    // member silent each call would wait a whole window more (issue 15
                    // bench: every call took 2 x readTimeout to fail instead of one).
                    return quorum.failure
                }
                startQuorumRoundLocked()
            }
            joined = quorum.number
            let roundEnd = quorum.deadline
            if deadline.hasPassed {
                return CACipherError(.timeout,
                    "the group's DMK check value was not decided within the call's deadline of \(callTimeoutMs) ms (quorum of the members' NC answers)")
            }
            lock.wait(quorumChanged, until: min(deadline, Deadline(nanoseconds: roundEnd.nanoseconds + 1_000_000)))
            if quorum.running && roundEnd.hasPassed { finishQuorumLocked(complete: true) }
        }
        return nil
    }

    /// A round's window: one attempt (connect, then the NC reply) of the slowest member.
    var quorumWindowMs: Int { members.map { max($0.config.connTimeoutMs, $0.config.readTimeoutMs) }.max() ?? 1000 }

    /// Starts one worker per member, each reading `NC` on a pooled connection. Lock held.
    func startQuorumRoundLocked() {
        // The window: one attempt's time (connect, then the NC reply) of the slowest
        // member, so a slow majority is counted, not outvoted by a fast minority.
        let windowMs = quorumWindowMs
        quorum.running = true
        quorum.nobodyAnswered = false
        quorum.number += 1
        quorum.answers = []
        quorum.pending = members.count
        quorum.deadline = .after(milliseconds: max(1, windowMs))
        let round = quorum.number
        let deadline = quorum.deadline
        for m in members {
            let ejections = m.ejections  // lock held: the round's NC is fresh only until the next ejection
            let t = NativeThread.start { [self] in quorumWorker(m, round: round, deadline: deadline, ejectionsAtStart: ejections) }
            if let t { t.detach() } else {
                quorum.pending -= 1  // cannot ask this one; it is checked on first use
            }
        }
        if quorum.pending == 0 { finishQuorumLocked(complete: true) }
    }

    /// One member's part of a round: `NC` on a pooled connection (so the connection counts
    /// as checked when the member is admitted), the answer recorded, then the decision
    /// awaited and applied to this member.
    private func quorumWorker(_ m: GroupMember, round: Int, deadline: Deadline, ejectionsAtStart: Int) {
        var conn: Connection?
        var answer: NCAnswer?
        var failure: TransportFailure?
        do {
            let c = try m.pool.acquire(deadline: deadline)
            conn = c
            answer = try readDMK(on: c, timeoutMs: max(1, Int(deadline.remainingPollMilliseconds)))
        } catch {
            if let c = conn {
                c.close()
                m.pool.release(c)
                conn = nil
            }
            var f = (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: true)
            f.message = "DMK check (NC) failed: " + f.message
            failure = f
        }
        lock.lock()
        if quorum.running && quorum.number == round {
            if case let .checkValue(v)? = answer {
                quorum.answers.append(DMKQuorum.Answer(index: m.index, value: v))
                m.dmkCheckValue = v
            }
            if let f = failure { m.lastError = f.message }
            quorum.pending -= 1
            finishQuorumLocked(complete: quorum.pending == 0 || deadline.hasPassed)
            // Wait for the decision (bounded by the round's deadline).
            while quorum.running && quorum.number == round && !isShutdown {
                if !lock.wait(quorumChanged, until: deadline) {
                    if quorum.running && quorum.number == round { finishQuorumLocked(complete: true) }
                }
            }
        }
        let decided = groupDMK != nil
        lock.unlock()
        flushQuorumLog()
        guard let c = conn else { return }
        // Decided: the member is admitted or kept out like any later joiner. Undecided (the
        // round failed): its connection goes back unchecked and the member stays `unknown`.
        // The round's NC is a fresh check, like a probe: it may bring back a kept-out member.
        if decided, let a = answer, c.isReusable {
            if admit(m, a, byProber: true, ejectionsSeen: ejectionsAtStart) {
                c.dmkChecked = true
                m.pool.release(c)
            } else {
                m.pool.release(c)
                m.pool.drainIdle()
            }
        } else {
            m.pool.release(c)
        }
    }

    /// Decides if the answers allow it; sets the group's value or records the failure and
    /// wakes every waiter. Lock held.
    private func finishQuorumLocked(complete: Bool) {
        guard quorum.running else { return }
        switch DMKQuorum.decide(configured: members.count, answers: quorum.answers, complete: complete) {
        case .pending:
            return
        case let .decided(value, tie):
            groupDMK = value
            quorum.running = false
            quorum.failure = nil
            quorum.failedRounds = 0
            let support = quorum.answers.filter { $0.value == value }.count
            let listing = DMKQuorum.describe(quorum.answers)
            let text: String
            if tie {
                text = "group DMK check value set to \(value) by HOST1: a tie broken by HOST1 (\(listing)); set [GROUP] dmkCheckValue"
            } else {
                text = "group DMK check value set to \(value) by quorum: \(support) of \(members.count) member(s) (\(listing))"
            }
            quorumLogQueue.append((tie ? .warn : .info, text))
        case .failed where quorum.answers.isEmpty:
            // Nobody answered: not a DMK question. Calls take the normal path (which counts
            // each member's failure, ejects and probes); the first NC answered there or by a
            // probe starts the next round.
            quorum.running = false
            quorum.failure = nil
            quorum.nobodyAnswered = true
            quorum.silentRound = quorum.pending > 0 || quorum.deadline.hasPassed
            quorum.retryAfterNs = Deadline.nowNanoseconds() + Int64(backoff.initialMs) * 1_000_000
        case let .failed(reason):
            quorum.running = false
            let delay = backoff.delayMs(attempt: quorum.failedRounds, using: &rng)
            quorum.failedRounds += 1
            quorum.retryAfterNs = Deadline.nowNanoseconds() + Int64(delay) * 1_000_000
            let e = CACipherError(.dmkMismatch,
                "the group's DMK check value cannot be decided by quorum: \(reason); nothing was sent. Set [GROUP] dmkCheckValue")
            quorum.failure = e
            quorumLogQueue.append((.error, e.message))
        }
        lock.broadcast(quorumChanged)
    }

    /// Writes the round's decision line (called without the lock).
    func flushQuorumLog() {
        let lines: [(LogCategories, String)] = lock.withLock {
            let l = quorumLogQueue
            quorumLogQueue.removeAll()
            return l
        }
        for (c, text) in lines {
            switch c {
            case .error: log.stateChange(.error, key: -1, text)
            case .warn: log.stateChange(.warn, key: -1, text)
            default: log.info(text)
            }
        }
    }
}
