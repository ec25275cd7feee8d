#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A lock the `pthread_atfork` handlers of `ForkSafety` take before a fork and release
/// (parent) or re-initialise (child) after it. Implemented by `ConditionLock` and
/// `PThreadLocked`; an owner opts in with a `ForkRank` at creation.
public protocol ForkSafeLock: AnyObject {
    /// Locks the mutex (prepare handler).
    func forkAcquire()
    /// Unlocks it (parent handler).
    func forkRelease()
    /// Initialises the mutex (and any condition on it) afresh: the forked child's only
    /// thread holds it, and threads of the parent may have waited on its conditions.
    func forkReinitialise()
}

/// The library's lock order, outermost first: a thread that holds a lock of one rank takes
/// only locks of higher ranks (never a lower one, never a second lock of the same rank).
/// The prepare handler takes every registered lock in this order, so it waits only for
/// holders to finish what they do under their lock (none holds one across network I/O).
public enum ForkRank: Int, Comparable, Sendable {
    /// The C API's instance table and the vendor API's runtime state (looked up, released).
    case runtime = 10
    /// A client's closed flag.
    case client = 20
    /// A host group's lock (`GroupCore.lock`, with its quorum condition).
    case group = 30
    /// A member's connection pool (taken under the group's lock by some paths, never the reverse).
    case pool = 40
    /// The state-change observer's queue (taken under the group's lock).
    case observer = 50
    /// The async bridge's I/O thread pool.
    case ioThreads = 60
    /// The async API's readiness reactor (`ReadinessReactor`; no other lock is taken under it).
    case reactor = 65
    /// The host name resolver's cache.
    case resolver = 70
    /// A TLS context's kept session.
    case tlsSession = 80
    /// A log rate limiter.
    case logLimiter = 90
    /// A log sink's file or buffer (taken under a pool's lock when it logs a debug line).
    case logSink = 100

    public static func < (a: ForkRank, b: ForkRank) -> Bool { a.rawValue < b.rawValue }
}

/// Fork safety against the library's own threads (and the application's threads in a
/// call): without it, a lock held at `fork()` by a thread that does not exist in the child
/// (the prober, the standby checker, the observer's notifier, an I/O thread) stays held
/// there for ever and the child's first call deadlocks.
///
/// Registered locks (weakly: an entry of a freed lock is dropped at the next
/// registration) are taken by a `pthread_atfork` prepare handler in `ForkRank` order,
/// released by the parent handler and initialised afresh by the child handler. The
/// owners' state (threads that are gone, in-flight counts, inherited connections) is
/// rebuilt on the child's first call as before (`ForkWatcher`). The handlers are
/// registered once per process, at the first registration.
///
/// Not covered: locks held across work that may block for long (the C API's and the vendor
/// API's Init/Finalize serialisation) are not registered, so a fork during Init or Finalize
/// is still the application's to avoid; the standby checker's own lock is not on a child's
/// call path (the child starts a checker of its own) and is not registered either.
public enum ForkSafety {
    private struct Entry {
        weak var lock: (any ForkSafeLock)?
        let rank: ForkRank
        let order: Int
    }

    private final class Registry: @unchecked Sendable {
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        var entries: [Entry] = []
        /// Strong references to the locks the prepare handler took (until parent / child).
        var held: [any ForkSafeLock] = []
        var added = 0
        /// Live entries after the last pruning (entries are pruned when twice this many).
        var pruneAt = 64
        /// Forks this registry prepared (tests).
        var prepared = 0

        init() {
            mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
            mutex.initialize(to: pthread_mutex_t())
            pthread_mutex_init(mutex, nil)
        }
    }

    private static let registry = Registry()

    private static let handlersInstalled: Bool = {
        pthread_atfork({ ForkSafety.prepare() }, { ForkSafety.parent() }, { ForkSafety.child() }) == 0
    }()

    /// Adds `lock` (of `rank`) to the locks the fork handlers take. Must not be called while
    /// holding a registered lock (the prepare handler holds the registry's lock while it
    /// waits for them); owners register in their initialisers.
    public static func register(_ lock: any ForkSafeLock, rank: ForkRank) {
        _ = handlersInstalled
        let r = registry
        pthread_mutex_lock(r.mutex)
        defer { pthread_mutex_unlock(r.mutex) }
        if r.entries.count >= r.pruneAt {
            r.entries.removeAll { $0.lock == nil }
            r.pruneAt = max(64, 2 * r.entries.count)
        }
        r.added += 1
        r.entries.append(Entry(lock: lock, rank: rank, order: r.added))
    }

    /// Whether the fork handlers are installed (`pthread_atfork` can fail for want of memory).
    public static var isInstalled: Bool { handlersInstalled }

    /// Registered locks still alive (tests).
    public static var liveCount: Int {
        let r = registry
        pthread_mutex_lock(r.mutex)
        defer { pthread_mutex_unlock(r.mutex) }
        return r.entries.reduce(0) { $0 + ($1.lock == nil ? 0 : 1) }
    }

    /// Entries kept, live or not yet pruned (tests: the registry stays bounded).
    static var entryCount: Int {
        let r = registry
        pthread_mutex_lock(r.mutex)
        defer { pthread_mutex_unlock(r.mutex) }
        return r.entries.count
    }

    /// Forks prepared by the handler in this process image (tests).
    public static var preparedForks: Int {
        let r = registry
        pthread_mutex_lock(r.mutex)
        defer { pthread_mutex_unlock(r.mutex) }
        return r.prepared
    }

    private static func prepare() {
        let r = registry
        pthread_mutex_lock(r.mutex)  // held until the parent or child handler
        r.prepared += 1
        // Rank order, then creation order within a rank (no two of a rank are nested).
        var live: [(lock: any ForkSafeLock, rank: ForkRank, order: Int)] = []
        live.reserveCapacity(r.entries.count)
        for e in r.entries {
            if let l = e.lock { live.append((l, e.rank, e.order)) }
        }
        live.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.order < $1.order }
        r.held.removeAll(keepingCapacity: true)
        r.held.reserveCapacity(live.count)
        for l in live {
            l.lock.forkAcquire()
            r.held.append(l.lock)
        }
    }

    private static func parent() {
        let r = registry
        for l in r.held.reversed() { l.forkRelease() }
        r.held.removeAll(keepingCapacity: true)
        pthread_mutex_unlock(r.mutex)
    }

    private static func child() {
        let r = registry
        for l in r.held { l.forkReinitialise() }
        r.held.removeAll(keepingCapacity: true)
        pthread_mutex_init(r.mutex, nil)
    }
}
