#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, with the `withLock` shape of `Synchronization.Mutex`.
///
/// For state that ThreadSanitizer checks (`make tsan`): `Mutex` on Linux locks with futex
/// system calls that ThreadSanitizer does not see, so every access under it would be
/// reported as a race; pthread mutexes are intercepted. Never held across network I/O.
public final class PThreadLocked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    /// A value on a forked child's call path: the `ForkSafety` handlers take its lock
    /// before a fork (in `rank`'s place of the lock order), release it in the parent and
    /// initialise it afresh in the child.
    public convenience init(_ value: Value, forkRank rank: ForkRank) {
        self.init(value)
        ForkSafety.register(self, rank: rank)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    @inlinable
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

extension PThreadLocked: ForkSafeLock {
    public func forkAcquire() { pthread_mutex_lock(mutex) }
    public func forkRelease() { pthread_mutex_unlock(mutex) }
    public func forkReinitialise() { pthread_mutex_init(mutex, nil) }
}
