import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The controls of one call beyond the group's defaults: a deadline of its own and a
/// cancellation flag (the async Swift API, `CACipher_TransmitTimeout`).
///
/// The group finds the control of the call in progress on the calling thread
/// (`CallControl.current`, a pthread key read once per call; `nil` for ordinary blocking
/// calls, which then behave exactly as before). A cancelled call interrupts its exchange
/// in progress (`shutdown(2)` of the connection's socket, which wakes its `poll`); the
/// connection is then broken and closed, never returned to the pool with a reply still to
/// come, and the failure is not counted against the member. A cancelled call that is still
/// waiting for a pooled connection (every one busy) is woken and leaves the queue at once
/// (`ConnectionPool.acquire`): it sends nothing and frees its thread.
final class CallControl: @unchecked Sendable {
    /// The call's own deadline (replaces `GroupOptions.callTimeoutMs` for this call).
    let deadline: Deadline?
    /// The deadline's length in milliseconds, for messages.
    let timeoutMs: Int?
    private struct State {
        var cancelled = false
        /// The connection whose exchange is in progress. The owner detaches it before it
        /// closes or returns it, so `cancel` never touches a closed descriptor.
        var attached: Connection?
        /// The pool wait in progress, if any: `cancel` wakes that waiter. Lock order: a
        /// pool's lock, then this one (`cancel` takes the pool's only after releasing this one).
        var waitPool: ConnectionPool?
        var waitTicket: ConditionLock.Condition?
    }
    /// A bare mutex around the state: nothing waits on it, so no condition variable to
    /// allocate per call.
    private let state = PThreadLocked(State())

    init(timeoutMs: Int?) {
        self.timeoutMs = timeoutMs
        self.deadline = timeoutMs.map { Deadline.after(milliseconds: max(1, $0)) }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Marks the call cancelled and interrupts its exchange in progress, if any. Any thread.
    func cancel() {
        let (pool, ticket) = state.withLock { s in
            s.cancelled = true
            s.attached?.interrupt()  // shutdown(2): returns at once, no network wait
            return (s.waitPool, s.waitTicket)
        }
        // A wait for a pooled connection: wake exactly that waiter (it sees `cancelled`).
        if let pool, let ticket { pool.wake(ticket) }
    }

    /// Records that the call waits in `pool` on `ticket` (the pool's lock is held), so that
    /// `cancel` can wake it. Returns `false` when the call is already cancelled (do not wait).
    func waitBegins(in pool: ConnectionPool, on ticket: ConditionLock.Condition) -> Bool {
        state.withLock { s in
            s.waitPool = pool
            s.waitTicket = ticket
            return !s.cancelled
        }
    }

    /// The call no longer waits for a pooled connection.
    func waitEnds() {
        state.withLock { s in
            s.waitPool = nil
            s.waitTicket = nil
        }
    }

    /// Runs one exchange on `c` with `c` attached (so `cancel` can interrupt it).
    func exchange<R>(on c: Connection, _ body: () throws -> R) throws -> R {
        let ok: Bool = state.withLock { s in
            if s.cancelled { return false }
            s.attached = c
            return true
        }
        guard ok else { throw Self.cancelledFailure() }
        defer { state.withLock { $0.attached = nil } }
        return try body()
    }

    /// Attaches `c` for an exchange that outlives this stack frame (the reactor path):
    /// `false` when the call is already cancelled (send nothing). `detach` ends it.
    func attach(_ c: Connection) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.attached = c
            return true
        }
    }

    /// Ends what `attach` began, before the connection is closed or returned.
    func detach() {
        state.withLock { $0.attached = nil }
    }

    /// A failure seen by a cancelled call or one cut short by the call's own deadline is
    /// not the member's fault: marked `byProxy` (not counted, no ejection).
    func classify(_ f: inout TransportFailure, attemptDeadline: Deadline) {
        if isCancelled {
            f = Self.cancelledFailure()
        } else if f.code == .timeout, let d = deadline, d <= attemptDeadline {
            f.byProxy = true
        }
    }

    static func cancelledFailure(notSent: Bool = false) -> TransportFailure {
        var f = TransportFailure(.timeout, "the call was cancelled", notSent: notSent)
        f.byProxy = true
        return f
    }

    /// The deadline of a call: its own when it has one, else the group's.
    @inline(__always)
    static func callDeadline(_ control: CallControl?, groupMs: Int) -> Deadline {
        control?.deadline ?? Deadline.after(milliseconds: groupMs)
    }

    /// Throws when the call was cancelled or its own deadline passed before it started
    /// (for example while it waited for an I/O thread).
    func checkStart() throws {
        if isCancelled { throw CACipherError(.timeout, "the call was cancelled") }
        if let d = deadline, d.hasPassed {
            throw CACipherError(.timeout, "the call's deadline of \(timeoutMs ?? 0) ms passed before it was sent")
        }
    }

    // MARK: - The calling thread's control

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// The control of the call running on this thread (`nil`: none).
    @inline(__always)
    static var current: CallControl? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<CallControl>.fromOpaque(p).takeUnretainedValue()
    }

    /// Runs `body` with `control` as this thread's current control (restored afterwards).
    static func with<T>(_ control: CallControl, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(control).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return try withExtendedLifetime(control) { try body() }
    }
}
