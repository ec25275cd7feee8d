#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Counts the forks this process image descends from, so the pools and the group notice
/// that they run in a forked child without a `getpid()` system call on every command.
///
/// A `pthread_atfork` child handler (registered once, before the first pool or group can
/// exist) adds one in every child created by `fork()`; an owner that remembered another
/// value is in a new process. `_Fork()` and raw `clone` run no handlers, but a child made
/// that way may only call async-signal-safe functions until it `exec`s, so it cannot use
/// the library anyway.
public enum ForkEpoch {
    private static let counter = Atomic<Int>(0)

    /// Registers the handler (idempotent; thread safe through the lazy global).
    private static let registered: Bool = {
        _ = counter.load(ordering: .relaxed)
        return pthread_atfork(nil, nil, { ForkEpoch.counter.add(1, ordering: .relaxed) }) == 0
    }()

    /// The current value; call `start()` first (the owners' initialisers do).
    @inline(__always)
    public static var current: Int { counter.load(ordering: .relaxed) }

    /// Makes sure the handler is registered and returns the current value. If registration
    /// failed (no memory), `isReliable` is false and owners fall back to `getpid()`.
    public static func start() -> Int {
        _ = registered
        return current
    }

    public static var isReliable: Bool { registered }
}
