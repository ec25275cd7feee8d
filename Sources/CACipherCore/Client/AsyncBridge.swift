import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one bridge from Swift concurrency to the blocking group: every async call of the
/// library (`transmit` and each typed call in `AsyncTypedCalls.swift`) is this function
/// around its blocking form.
///
/// The blocking work runs on the client's own I/O threads (`IOThreadPool`), never on the
/// cooperative pool or an event loop; the caller's task is suspended on a continuation and
/// resumed with the result. A cancelled task is resumed at once with `CancellationError`
/// and its exchange in progress is interrupted (its connection closed, never reused with a
/// reply still to come), or, still waiting for a pooled connection, leaves that wait at once
/// without sending anything; a `timeout` is the call's own deadline (it replaces the group's
/// `callTimeoutMs`; each attempt still ends at the member's `readTimeout`). A call still
/// queued for an I/O thread (all busy) when its deadline passes is resumed then with
/// `CACipherError(.timeout)` and never runs.
extension CACipherClient {
    /// Runs `body` (blocking calls on this client) on the library's I/O threads.
    ///
    /// - Parameters:
    ///   - timeout: the deadline of the call, from now (waiting for an I/O thread included);
    ///     `nil`: the group's `callTimeoutMs`.
    ///   - body: blocking work; it runs with the call's control, so the group calls it makes
    ///     honour the deadline and the cancellation.
    /// - Throws: `CancellationError` when the task is cancelled; `CACipherError(.timeout)`
    ///   when the deadline passes; whatever `body` throws.
    public func run<T>(timeout: Duration? = nil, _ body: @escaping (CACipherClient) throws -> T) async throws -> T {
        try Task.checkCancellation()
        let control = CallControl(timeoutMs: timeout.map(Self.milliseconds))
        let once = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<T, Error>) in
                once.set(c)
                submitBlocking(control, once, body)
            }
        } onCancel: {
            // Resume first: cancelling the control interrupts the exchange, whose thread then
            // fails with CACipherError(.cancelled) and would otherwise race this resume.
            once.resume(.failure(CancellationError()))
            control.cancel()
        }
    }

    /// Queues `body` for an I/O thread; its result (or the reason it never ran) goes to `once`.
    private func submitBlocking<T>(_ control: CallControl, _ once: ResumeOnce<T>,
                                   _ body: @escaping (CACipherClient) throws -> T) {
        let pool = ioThreads
        let queued = pool.submit({ [self] in
            // A call cancelled while it waited for a thread does nothing.
            guard !control.isCancelled else { return }
            // Nor does one whose deadline passed while it waited (the deadline
            // thread has resumed it, or is about to).
            if let d = control.deadline, d.hasPassed {
                once.resume(.failure(Self.queuedTooLong(control, pool)))
                return
            }
            let r = Result<T, Error> { try CallControl.with(control) { try body(self) } }
            once.resume(r)
        }, deadline: control.deadline, onExpiry: {
            // Every I/O thread stayed busy until the deadline: resumed now, never run.
            once.resume(.failure(Self.queuedTooLong(control, pool)))
        })
        if !queued { once.resume(.failure(CACipherError(.notInitialized, "instance is closed"))) }
    }

    /// `transmit` without blocking the caller's thread, with the deadline and cancellation
    /// of `run(timeout:_:)`.
    ///
    /// The fast path (plain TCP members; docs/architecture.md "Async on top"): the calling
    /// task's thread takes an idle pooled connection and writes the request without
    /// waiting, and the client's reactor thread (`ReadinessReactor`, epoll) reads the reply
    /// and resumes the task: one thread hand-over per call instead of two. Whatever might
    /// wait (every pooled connection busy, a connect, the DMK check, a DMK quorum round, a
    /// re-send after a failure), a call that may be hedged (two or more members, hedging on,
    /// a hedge-safe command) and every TLS member run on the I/O threads as in
    /// `run(timeout:_:)`, as does everything while trace logging is on.
    public func transmit(_ payload: [UInt8], idempotent: Bool? = nil, timeout: Duration? = nil) async throws -> [UInt8] {
        try Task.checkCancellation()
        let control = CallControl(timeoutMs: timeout.map(Self.milliseconds))
        let once = ResumeOnce<CheckedReply>()
        let idempotent = idempotent ?? ResendSafety.isIdempotent(payload)
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { (c: UnsafeContinuation<CheckedReply, Error>) in
                once.setUnarmed(c)
                defer { once.arm() }
                guard !isClosed else {
                    once.resume(.failure(CACipherError(.notInitialized, "instance is closed")))
                    return
                }
                let started = group.core.startWithoutWaiting(payload, idempotent: idempotent, control: control,
                                                             reactor: reactor, ioThreads: ioThreads) { once.resume($0) }
                if !started {
                    submitBlocking(control, once) { try $0.transmitChecked(payload, idempotent: idempotent) }
                }
            }
        } onCancel: {
            once.resume(.failure(CancellationError()))
            control.cancel()
        }.bytes
    }

    /// The error of a call whose deadline passed while it waited for an I/O thread.
    static func queuedTooLong(_ control: CallControl, _ pool: IOThreadPool) -> CACipherError {
        CACipherError(.timeout, "the call's deadline of \(control.timeoutMs ?? 0) ms passed while it waited for "
            + "one of \(pool.maxThreads) busy I/O threads")
    }

    static func milliseconds(_ d: Duration) -> Int {
        let (s, atto) = d.components
        if s < 0 { return 0 }
        if s > 365 * 86_400 { return 365 * 86_400_000 }
        return Int(s) * 1000 + Int((atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Runs `body` (blocking calls on this client) on the calling thread with `timeoutMs`
    /// as the deadline of every group call it makes (the C API's `CACipher_TransmitTimeout`).
    public func withDeadline<T>(milliseconds timeoutMs: Int, _ body: () throws -> T) throws -> T {
        let control = CallControl(timeoutMs: timeoutMs)
        return try CallControl.with(control) { try body() }
    }
}

/// Resumes a continuation exactly once: with the call's result or with the cancellation,
/// whichever comes first (the other is dropped). The continuation may be set after the
/// cancellation arrived (the task was cancelled while it was being suspended).
final class ResumeOnce<T>: @unchecked Sendable {
    private struct State {
        var continuation: UnsafeContinuation<T, Error>?
        var pending: Result<T, Error>?
        var done = false
        /// `false` between `setUnarmed` and `arm`: a result is kept, not resumed yet.
        var armed = true
    }
    /// A bare mutex: nothing waits on it, so no condition variable to allocate per call.
    private let state = PThreadLocked(State())

    func set(_ c: UnsafeContinuation<T, Error>) {
        let early: Result<T, Error>? = state.withLock { s in
            if let r = s.pending {
                s.pending = nil
                s.done = true
                return r
            }
            s.continuation = c
            return nil
        }
        if let early { c.resume(with: early) }
    }

    /// Sets the continuation but keeps any result until `arm` (called by the thread that
    /// set it, at the end of the continuation's closure). The reactor path's reply can
    /// arrive while the calling thread is still inside that closure; a resume from another
    /// thread then would complete the await without the enqueue through which
    /// ThreadSanitizer sees the hand-over of the task's context (a reported race on it).
    func setUnarmed(_ c: UnsafeContinuation<T, Error>) {
        state.withLock { s in
            s.continuation = c
            s.armed = false
        }
    }

    /// Resumes with a result that arrived since `setUnarmed` (on this thread), and lets later
    /// ones resume at once.
    func arm() {
        let (c, r): (UnsafeContinuation<T, Error>?, Result<T, Error>?) = state.withLock { s in
            s.armed = true
            guard !s.done, let r = s.pending, let c = s.continuation else { return (nil, nil) }
            s.pending = nil
            s.continuation = nil
            s.done = true
            return (c, r)
        }
        if let c, let r { c.resume(with: r) }
    }

    func resume(_ r: Result<T, Error>) {
        let c: UnsafeContinuation<T, Error>? = state.withLock { s in
            guard !s.done else { return nil }
            guard s.armed, let c = s.continuation else {
                if s.pending == nil { s.pending = r }
                return nil
            }
            s.continuation = nil
            s.done = true
            return c
        }
        c?.resume(with: r)
    }
}
