import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

// One attempt of a call on one member (GroupCore.send runs them): a connection, the DMK
// check when due, the command, its hedge when slow, and what a failure means for the call.
extension GroupCore {
    /// One attempt on `a.member`: a connection, the DMK check when due, the command (hedged
    /// when slow). Returns the reply, or `nil` when the call goes on to another member (the
    /// failure is in `call.failed`, or the DMK guard kept the member out before the command
    /// was sent); throws when the call ends here.
    func attempt(_ a: Attempt, _ payload: [UInt8], _ command: CommandCode, idempotent: Bool,
                         _ control: CallControl?, _ call: inout CallProgress) throws -> CheckedReply? {
        let m = a.member
        let hedgeAt = a.hedgeMs.map { Deadline.after(milliseconds: $0) }
        // One attempt takes at most the member's own timeout, never past the call's deadline.
        let attemptDeadline = Self.attemptDeadline(m, call)
        call.tried.insert(m.index)
        let (tried, callDeadline) = (call.tried, call.deadline)
        var conn: Connection?
        var hedge: HedgeCall?  // set when this attempt was slow and a hedge went out
        var hedgeTried = false  // one try per attempt (NC check or command, whichever is slow)
        func onSlow(_ c: Connection) {
            if !hedgeTried {
                hedgeTried = true
                hedge = startHedge(primary: m, conn: c, tried: tried, payload: payload, command: command, callDeadline: callDeadline)
            }
        }
        do {
            // async: a call cancelled while every pooled connection is busy stops waiting at once.
            let c = try m.pool.acquire(deadline: attemptDeadline, control: control)
            conn = c
            // A pooled connection that passed `NC` is not checked again, even by a call
            // that picked the member while it was still `unknown`.
            if !c.dmkChecked && (a.needsCheck || c.pooled) {
                let accepted: Bool
                do {
                    accepted = try admit(m, readDMK(on: c, timeoutMs: Self.readMs(m, attemptDeadline), hedgeAt: hedgeAt) { onSlow(c) },
                                         byProber: false)
                } catch var f as TransportFailure {
                    f.message = "DMK check (NC) failed: " + f.message
                    f.notSent = true  // the caller's command itself was never sent
                    throw f
                }
                if !accepted {
                    // Kept out by the DMK guard; the command was not sent (unless by its hedge).
                    let outcome = hedge.map { resolveHedge($0, primaryFailure: TransportFailure(.io, "kept out", notSent: true),
                                                           callDeadline: callDeadline) }
                    m.pool.release(c)
                    m.pool.drainIdle()
                    lock.withLock { m.inFlight -= 1 }
                    if case let .reply(r)? = outcome { return r }
                    if let h = hedge { call.tried.insert(h.member.index) }
                    call.hedgeable = false
                    return nil
                }
                c.dmkChecked = true
            }
            // trace: frame dumps, masked (FrameMasking shows codes and lengths, never fields).
            let tracing = log.isEnabled(.trace)
            if tracing { log.trace("\(m.label) " + FrameMasking.render(payload, headerLength: 0, .request)) }
            let start = Deadline.nowNanoseconds()
            let readMs = Self.readMs(m, attemptDeadline)
            // async: a cancelled call interrupts this exchange (the connection is then closed).
            let reply = try control.map { try $0.exchange(on: c) { try c.exchange(payload, command: command, timeoutMs: readMs, hedgeAt: hedgeAt) { onSlow(c) } } }
                ?? c.exchange(payload, command: command, timeoutMs: readMs, hedgeAt: hedgeAt) { onSlow(c) }
            if let h = hedge { cancelHedge(h) }
            let end = Deadline.nowNanoseconds()
            let micros = Double(end - start) / 1000
            if tracing {
                log.trace("\(m.label) " + FrameMasking.render(reply.bytes, headerLength: 0, .response) + " in \(Int(micros)) us")
            }
            m.pool.release(c)
            let slowLines: Bool = lock.withLock {
                m.inFlight -= 1
                recordSuccessLocked(m, micros: micros, endNs: end)
                noteReplyLocked(m, exchangeNs: end - start, callNs: end - call.startNs)  // metrics:
                return !slowLogQueue.isEmpty
            }
            if slowLines { flushSlowLog() }
            return reply
        } catch let error {
            let f = (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: false)
            if let h = hedge {
                // This attempt was hedged: the hedge's reply, or both silent, or go on.
                call.tried.insert(h.member.index)
                call.hedgeable = false
                let outcome = resolveHedge(h, primaryFailure: f, callDeadline: callDeadline)
                if let c = conn {
                    c.close()
                    m.pool.release(c)
                }
                conn = nil
                switch outcome {
                case let .reply(r):
                    recordHedgeLoss(m, delayMs: a.hedgeMs ?? 0)
                    return r
                case .bothSilent:
                    // Another member that has answered since its last timeout may still
                    // serve the call within its deadline; with none, the group does not
                    // answer and the call fails now (within one read timeout).
                    let untried = call.tried
                    let answering = lock.withLock {
                        members.contains { !untried.contains($0.index) && $0.isLive && $0.lastSuccessNs > $0.lastTimeoutNs }
                    }
                    guard answering && !callDeadline.hasPassed else {
                        recordFailure(m, f, command: f.notSent ? nil : payload)
                        throw CACipherError(.timeout, "no reply within the read timeout from \(m.label) (\(f.message)) nor from its hedge \(h.member.label)")
                    }
                    call.failed.append((h.member, TransportFailure(.timeout, "hedge: no reply within \(m.label)'s read timeout", notSent: false)))
                case let .hedgeFailed(f2):
                    call.failed.append((h.member, f2))
                }
            }
            if let c = conn {
                c.close()
                m.pool.release(c)
            }
            try attemptFailed(a, f, attemptDeadline: attemptDeadline, payload, idempotent: idempotent, control, &call)
            return nil
        }
    }

    /// One attempt takes at most the member's own timeout, never past the call's deadline.
    static func attemptDeadline(_ m: GroupMember, _ call: CallProgress) -> Deadline {
        min(call.deadline, Deadline.after(milliseconds: max(m.config.readTimeoutMs, m.config.connTimeoutMs)))
    }

    /// What a failed attempt (no hedge; its connection already closed and returned) means
    /// for the call: booked against the member unless it was not the member's fault; throws
    /// when the call ends here (cancelled, a caller's error, a command that may have reached
    /// the HSM and must not be re-sent), else records the failure and returns (go on).
    func attemptFailed(_ a: Attempt, _ failure: TransportFailure, attemptDeadline: Deadline, _ payload: [UInt8],
                       idempotent: Bool, _ control: CallControl?, _ call: inout CallProgress) throws {
        let m = a.member
        var f = failure
        if f.code == .poolExhausted { f = poolWaitCause(m, f, completedAtPick: a.completedAtPick) }
        control?.classify(&f, attemptDeadline: attemptDeadline)  // async: not the member's fault
        recordFailure(m, f, command: f.notSent ? nil : payload)
        if control?.isCancelled == true { throw f.error(prefix: "\(m.label): ") }  // async: no re-send
        if f.code == .notInitialized || f.code == .invalidArgument || f.code == .internal {
            throw f.error(prefix: "\(m.label): ")
        }
        call.failed.append((m, f))
        if !idempotent && !f.notSent {
            throw CACipherError(CACipherError.Code(f.code), "\(m.label): \(f.message); not re-sent: the command may have reached the HSM")
        }
    }
}
