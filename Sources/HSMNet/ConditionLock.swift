#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A pthread mutex with one condition variable (on the monotonic clock).
///
/// Used for pool waits and the prober's timed sleep. Holders keep it for bookkeeping only:
/// no network I/O ever happens while it is held.
public final class ConditionLock: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let cond: UnsafeMutablePointer<pthread_cond_t>
    /// Conditions of this lock that a forked child initialises afresh with it (`adopt`).
    private var adopted: [Condition] = []

    /// A lock the fork handlers leave alone (per-call and per-thread locks).
    public init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        cond = ConditionLock.monotonicCondition()
    }

    /// A lock on a forked child's call path: the `ForkSafety` handlers take it before a
    /// fork (in `rank`'s place of the lock order), release it in the parent and initialise
    /// it (and its conditions) afresh in the child.
    public convenience init(forkRank rank: ForkRank) {
        self.init()
        ForkSafety.register(self, rank: rank)
    }

    /// Makes a forked child initialise `c` afresh with this lock (a long-lived condition
    /// that threads of the parent may wait on). Call before the lock is shared.
    public func adopt(_ c: Condition) { adopted.append(c) }

    deinit {
        ConditionLock.release(cond)
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    // Inlinable: the group and the pool take this lock a few times per command.
    @inlinable public func lock() { pthread_mutex_lock(mutex) }
    @inlinable public func unlock() { pthread_mutex_unlock(mutex) }

    @inlinable
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a signal (lock must be held). Spurious wake-ups are possible.
    public func wait() { pthread_cond_wait(cond, mutex) }

    /// Waits for a signal or the deadline (lock must be held).
    /// - Returns: `false` when the deadline has passed.
    @discardableResult
    public func wait(until deadline: Deadline) -> Bool {
        if deadline.hasPassed { return false }
        var ts = timespec()
        ts.tv_sec = Int(deadline.nanoseconds / 1_000_000_000)
        ts.tv_nsec = Int(deadline.nanoseconds % 1_000_000_000)
        let rc = pthread_cond_timedwait(cond, mutex, &ts)
        return rc != ETIMEDOUT
    }

    @inlinable public func signal() { pthread_cond_signal(cond) }
    @inlinable public func broadcast() { pthread_cond_broadcast(cond) }

    /// A condition variable on the monotonic clock (the deadlines' clock), allocated.
    fileprivate static func monotonicCondition() -> UnsafeMutablePointer<pthread_cond_t> {
        let c = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        c.initialize(to: pthread_cond_t())
        initMonotonic(c)
        return c
    }

    fileprivate static func initMonotonic(_ c: UnsafeMutablePointer<pthread_cond_t>) {
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(c, &attr)
        pthread_condattr_destroy(&attr)
    }

    fileprivate static func release(_ c: UnsafeMutablePointer<pthread_cond_t>) {
        pthread_cond_destroy(c)
        c.deinitialize(count: 1)
        c.deallocate()
    }

    /// A condition variable of its own on this lock's mutex (monotonic clock), so that
    /// exactly one chosen thread is woken (the first of a FIFO queue) instead of all.
    public final class Condition {
        fileprivate let cond: UnsafeMutablePointer<pthread_cond_t>

        public init() {
            cond = ConditionLock.monotonicCondition()
        }

        deinit { ConditionLock.release(cond) }
    }

    /// Waits on `c` for a signal or the deadline (lock must be held).
    /// - Returns: `false` when the deadline has passed.
    @discardableResult
    public func wait(_ c: Condition, until deadline: Deadline) -> Bool {
        if deadline.hasPassed { return false }
        var ts = timespec()
        ts.tv_sec = Int(deadline.nanoseconds / 1_000_000_000)
        ts.tv_nsec = Int(deadline.nanoseconds % 1_000_000_000)
        return pthread_cond_timedwait(c.cond, mutex, &ts) != ETIMEDOUT
    }

    public func signal(_ c: Condition) { pthread_cond_signal(c.cond) }

    /// Wakes every thread waiting on `c`.
    public func broadcast(_ c: Condition) { pthread_cond_broadcast(c.cond) }
}

extension ConditionLock: ForkSafeLock {
    public func forkAcquire() { pthread_mutex_lock(mutex) }
    public func forkRelease() { pthread_mutex_unlock(mutex) }

    /// In the child: a fresh mutex (the prepare handler's hold is gone with it) and fresh
    /// conditions (the parent's waiters do not exist here; glibc's condition variables
    /// keep count of waiters, which a signal in the child must not wait for).
    public func forkReinitialise() {
        pthread_mutex_init(mutex, nil)
        ConditionLock.initMonotonic(cond)
        for c in adopted { ConditionLock.initMonotonic(c.cond) }
    }
}
