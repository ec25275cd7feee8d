import HSMNet
import HostProtocol

// The async `transmit`'s fast path (AsyncBridge.swift, docs/architecture.md "Async on top"):
// the calling task's thread books the call, takes an idle pooled connection and writes the
// request without waiting; the client's `ReadinessReactor` waits for the reply and its
// thread reads it, books it and resumes the task. Everything that might wait (a pool wait,
// a connect, the DMK check, a DMK quorum round, a hedge, a re-send after a failure) takes the
// blocking path on an I/O thread, from the point the call has reached, with the same code
// as every blocking call (`drive`, `attempt`, `attemptFailed`).
extension GroupCore {
    /// Starts the async `transmit` of `payload` on the calling thread, without waiting.
    /// `done` is then called exactly once (on this thread, the reactor's or an I/O
    /// thread), with the reply or the call's error.
    ///
    /// Returns `false` when nothing was booked and `done` will not be called: the whole
    /// call should take the blocking path (trace logging on, a hedgeable call, a DMK quorum
    /// round to wait for, or no reactor on this system).
    func startWithoutWaiting(_ payload: [UInt8], idempotent: Bool, control: CallControl, reactor: ReadinessReactor,
                             ioThreads: IOThreadPool, done: @escaping (Result<CheckedReply, Error>) -> Void) -> Bool {
        // trace: frame dumps are written by the blocking path only.
        guard ReadinessReactor.isAvailable, !log.isEnabled(.trace) else { return false }
        let command: CommandCode
        var call: CallProgress
        let next: NextAttempt
        do {
            command = try checkedCommand(payload)
            try control.checkStart()
            call = newCall(payload, idempotent: idempotent, control)
            // Hedged calls keep the blocking path (the hedge waits on the attempt's thread).
            if call.hedgeable { return false }
            guard let first = try openCallNow(&call) else { return false }  // a DMK quorum round decides first
            next = first
        } catch {
            finishAsync(.failure(error), payload, lastTried: -1, done)
            return true
        }
        let job = AsyncJob(payload: payload, command: command, idempotent: idempotent, control: control,
                           ioThreads: ioThreads, done: done)
        guard case let .attempt(a) = next else {
            continueBlocking(next, job, call, lastTried: -1)
            return true
        }
        let m = a.member
        // A member still to be checked, a TLS member, no idle connection: the blocking path.
        guard !a.needsCheck, m.pool.reactorCapable, let c = m.pool.acquireIdleNow() else {
            continueBlocking(next, job, call, lastTried: -1)
            return true
        }
        // A connection that has not passed NC, or no reactor thread: the blocking path too
        // (nothing sent yet; the connection goes back first).
        guard c.dmkChecked, let fd = c.reactorDescriptor, reactor.ensureRunning() else {
            m.pool.release(c)
            continueBlocking(next, job, call, lastTried: -1)
            return true
        }
        call.tried.insert(m.index)
        let exchange = ReactorExchange(core: self, job: job, attempt: a, call: call, connection: c, fd: fd,
                                       attemptDeadline: Self.attemptDeadline(m, call), reactor: reactor)
        exchange.start()
        return true
    }

    /// Runs the call on from `next` on an I/O thread (it may wait), or ends it when no
    /// member is left. A picked member's booking is undone when the attempt never starts
    /// (cancelled or out of time while it waited for a thread, or the client closed).
    func continueBlocking(_ next: NextAttempt, _ job: AsyncJob, _ call: CallProgress, lastTried: Int) {
        guard case let .attempt(a) = next else {
            let e = CallControl.with(job.control) { finalError(next, call) }
            finishAsync(.failure(e), job.payload, lastTried: lastTried, job.done)
            return
        }
        let control = job.control
        let pool = job.ioThreads
        let queued = pool.submit({ [self, call] in
            if control.isCancelled || (control.deadline?.hasPassed ?? false) {
                // Nothing is sent after a cancellation or past the deadline.
                unbook(a)
                let e = control.isCancelled ? CACipherError(.timeout, "the call was cancelled")
                    : CACipherClient.queuedTooLong(control, pool)
                finishAsync(.failure(e), job.payload, lastTried: a.member.index, job.done)
                return
            }
            var call = call
            var last = lastTried
            let r = Result<CheckedReply, Error> {
                try CallControl.with(control) {
                    try drive(next, job.payload, job.command, idempotent: job.idempotent, control, &call, lastTried: &last)
                }
            }
            finishAsync(r, job.payload, lastTried: last, job.done)
        }, deadline: control.deadline, onExpiry: { [self] in
            // Every I/O thread stayed busy until the deadline: resumed now, never run.
            unbook(a)
            finishAsync(.failure(CACipherClient.queuedTooLong(control, pool)), job.payload, lastTried: a.member.index, job.done)
        })
        if !queued {
            unbook(a)
            finishAsync(.failure(CACipherError(.notInitialized, "instance is closed")), job.payload,
                        lastTried: a.member.index, job.done)
        }
    }

    /// Undoes the booking of an attempt that never started (its member's in-flight count;
    /// not the member's fault).
    private func unbook(_ a: Attempt) {
        var f = TransportFailure(.timeout, "the attempt never started", notSent: true)
        f.byProxy = true
        recordFailure(a.member, f)
    }

    /// Books a failed call as `transmit` does and hands the outcome to `done`.
    func finishAsync(_ r: Result<CheckedReply, Error>, _ payload: [UInt8], lastTried: Int,
                     _ done: (Result<CheckedReply, Error>) -> Void) {
        if case let .failure(e as CACipherError) = r { noteFailedCall(e, payload, lastTried: lastTried) }
        done(r)
    }
}

/// What an async call carries from thread to thread.
struct AsyncJob {
    let payload: [UInt8]
    let command: CommandCode
    let idempotent: Bool
    let control: CallControl
    let ioThreads: IOThreadPool
    let done: (Result<CheckedReply, Error>) -> Void
}

/// One exchange of the fast path: written by the calling thread, then owned by the
/// reactor's thread (handed over by the reactor's lock) until it ends, once.
final class ReactorExchange: ReactorWaiter, @unchecked Sendable {
    private let core: GroupCore
    private let job: AsyncJob
    private let attempt: Attempt
    private var call: CallProgress
    private let connection: Connection
    private let fd: Int32
    private let attemptDeadline: Deadline
    private let reactor: ReadinessReactor
    private let readMs: Int
    private var exchangeDeadline: Deadline
    private var startNs: Int64 = 0
    /// The frame has not completely left yet (waiting for the socket to be writable).
    private var sending = false

    init(core: GroupCore, job: AsyncJob, attempt: Attempt, call: CallProgress, connection: Connection, fd: Int32,
         attemptDeadline: Deadline, reactor: ReadinessReactor) {
        self.core = core
        self.job = job
        self.attempt = attempt
        self.call = call
        self.connection = connection
        self.fd = fd
        self.attemptDeadline = attemptDeadline
        self.reactor = reactor
        readMs = GroupCore.readMs(attempt.member, attemptDeadline)
        exchangeDeadline = .after(milliseconds: readMs)
    }

    /// Writes the request (what the socket takes now) and hands the wait to the reactor.
    func start() {
        // async: a cancelled call sends nothing; a later cancellation interrupts the exchange
        // (shutdown(2): the reactor sees the socket readable and the read fails).
        guard job.control.attach(connection) else {
            failed(CallControl.cancelledFailure(notSent: true))
            return
        }
        startNs = Deadline.nowNanoseconds()
        exchangeDeadline = .after(milliseconds: readMs)
        do {
            sending = !(try connection.startExchangeNow(job.payload, command: job.command))
        } catch {
            failed(error)
            return
        }
        arm()
    }

    private func arm() {
        guard reactor.register(fd, sending ? .writable : .readable, deadline: exchangeDeadline, waiter: self) else {
            failed(TransportFailure(.io, "cannot wait for the reply (epoll_ctl: \(errnoText()))", notSent: false))
            return
        }
    }

    func reactorEvent(_ event: ReactorEvent) {
        switch event {
        case .timedOut:
            failed(sending ? TransportFailure(.timeout, "timed out sending the request", notSent: true)
                           : TransportFailure(.timeout, Connection.readTimeoutMessage(readMs), notSent: false))
        case .ready:
            do {
                if sending {
                    if try connection.continueSendNow() { sending = false }
                    arm()
                    return
                }
                guard let reply = try connection.receiveNow() else {
                    arm()
                    return
                }
                succeeded(reply)
            } catch {
                failed(error)
            }
        }
    }

    private func succeeded(_ reply: CheckedReply) {
        connection.endExchangeNow(broken: false)
        job.control.detach()
        let m = attempt.member
        let end = Deadline.nowNanoseconds()
        m.pool.release(connection)
        let core = core
        let callStart = call.startNs
        let slowLines: Bool = core.lock.withLock {
            m.inFlight -= 1
            core.recordSuccessLocked(m, micros: Double(end - startNs) / 1000, endNs: end)
            core.noteReplyLocked(m, exchangeNs: end - startNs, callNs: end - callStart)  // metrics:
            return !core.slowLogQueue.isEmpty
        }
        if slowLines { core.flushSlowLog() }
        job.done(.success(reply))
    }

    private func failed(_ error: Error) {
        connection.endExchangeNow(broken: true)
        job.control.detach()
        let m = attempt.member
        reactor.forget(fd)
        connection.close()
        m.pool.release(connection)
        let f = (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: false)
        do {
            try core.attemptFailed(attempt, f, attemptDeadline: attemptDeadline, job.payload,
                                   idempotent: job.idempotent, job.control, &call)
        } catch {
            core.finishAsync(.failure(error), job.payload, lastTried: m.index, job.done)
            return
        }
        let next = core.lock.withLock { core.nextAttemptLocked(&call) }
        core.continueBlocking(next, job, call, lastTried: m.index)
    }
}
