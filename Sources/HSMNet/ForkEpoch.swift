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
    @usableFromInline static let counter = Atomic<Int>(0)

    /// Registers the handler (idempotent; thread safe through the lazy global).
    private static let registered: Bool = {
        _ = counter.load(ordering: .relaxed)
        return pthread_atfork(nil, nil, { ForkEpoch.counter.add(1, ordering: .relaxed) }) == 0
    }()

    /// The current value; call `start()` first (the owners' initialisers do).
    @inlinable
    public static var current: Int { counter.load(ordering: .relaxed) }

    /// Makes sure the handler is registered and returns the current value. If registration
    /// failed (no memory), `isReliable` is false and owners fall back to `getpid()`.
    public static func start() -> Int {
        _ = registered
        return current
    }

    public static var isReliable: Bool { registered }
}

/// The fork check of one owner (a pool, a group): remembers the process id and the
/// `ForkEpoch` it was created in, and tells, once, that it now runs in a forked child.
///
/// Cheap when nothing forked: one relaxed load per check; `getpid()` is called only after
/// the epoch moved, or on every check if the `pthread_atfork` handler could not be
/// registered (`ForkEpoch.isReliable`). Not thread safe: the owner calls it under its lock.
public struct ForkWatcher {
    @usableFromInline var pid: pid_t
    @usableFromInline var epoch: Int
    /// `ForkEpoch.isReliable`, read once (a lazy global's check on every call showed in
    /// `make perf`).
    @usableFromInline let reliable: Bool

    /// Remembers the current process and fork epoch (registering the fork handler).
    public init() {
        epoch = ForkEpoch.start()
        pid = getpid()
        reliable = ForkEpoch.isReliable
    }

    /// Whether no fork can have happened since the last check: one relaxed load, and a read
    /// of the owner's watcher only, so the owner's common path takes no modify access.
    @inlinable
    public var isUnchanged: Bool { reliable && ForkEpoch.current == epoch }

    /// `true` once in each forked child (the first check there), `false` otherwise.
    @inlinable
    public mutating func forkedSinceLastCheck() -> Bool {
        if isUnchanged { return false }
        return checkProcess()
    }

    @usableFromInline
    mutating func checkProcess() -> Bool {
        epoch = ForkEpoch.current
        let now = getpid()
        guard now != pid else { return false }
        pid = now
        return true
    }

    /// The process id seen at the last check (or at `init`).
    public var processID: pid_t { pid }

    /// Whether the calling process is the one seen at the last check: `false` in a forked
    /// child that has not checked yet (threads remembered by the owner are the parent's).
    public var isSameProcess: Bool { pid == getpid() }
}
