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
    /// The serialisation of Init/Finalize (the C API's `CACipher_Init` ... `CACipher_Finalize`,
    /// the vendor API's `SDF_HsmApiInit` and device opening): held while a configuration is
    /// read and an instance created, which registers the instance's own locks. The prepare
    /// handler takes these first, before the registry's lock (see `ForkSafety`), so a fork
    /// waits for a running Init or Finalize to finish and the child sees the state before
    /// or after it, never half of it.
    case lifecycle = 5
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
    /// A log sink's file or buffer (the library's own sinks; taken under a lifecycle lock
    /// when Init logs its configuration lines). Application sinks are never called under a
    /// registered lock, except the group's for the one line of a prober that cannot start.
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
/// Lifecycle locks (`ForkRank.lifecycle`) are held while an instance is created, and
/// creating one registers locks; so the prepare handler takes them first and without the
/// registry's lock (which `register` needs), then the registry's lock and every other rank.
/// A lifecycle lock registered meanwhile (they are a few process-wide statics) is taken in
/// another round. A lifecycle lock is never held across network I/O (instances connect
/// lazily), so a fork waits for parsing and set-up only.
///
/// Not covered: the standby checker's own lock is not on a child's call path (the child
/// starts a checker of its own) and is not registered.
///
/// The library never calls application code (a `LogSink`, a state callback) while it holds
/// a registered lock: a sink that takes a lock of its own which the forking thread holds
/// (or which the application's own `pthread_atfork` handler takes) cannot block a holder
/// the prepare handler waits for.
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
    /// holding a registered lock other than a lifecycle one (the prepare handler holds the
    /// registry's lock while it waits for those); owners register in their initialisers.
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
        // 1. The lifecycle locks, without the registry's lock: their holders create
        //    instances, which register locks. Rounds until no new one appeared meanwhile.
        var lifecycle: [(lock: any ForkSafeLock, order: Int)] = []
        while true {
            pthread_mutex_lock(r.mutex)
            var fresh: [(lock: any ForkSafeLock, order: Int)] = []
            for e in r.entries where e.rank == .lifecycle {
                if let l = e.lock, !lifecycle.contains(where: { $0.order == e.order }) { fresh.append((l, e.order)) }
            }
            if fresh.isEmpty { break }  // the registry's lock stays held (step 2)
            pthread_mutex_unlock(r.mutex)
            // Creation order (no two lifecycle locks are nested, so any order is deadlock free).
            fresh.sort { $0.order < $1.order }
            for l in fresh {
                l.lock.forkAcquire()
                lifecycle.append(l)
            }
        }
        // 2. Held until the parent or child handler.
        r.prepared += 1
        r.held.removeAll(keepingCapacity: true)
        r.held.reserveCapacity(r.entries.count)
        for l in lifecycle { r.held.append(l.lock) }
        // Rank order, then creation order within a rank (no two of a rank are nested).
        var live: [(lock: any ForkSafeLock, rank: ForkRank, order: Int)] = []
        live.reserveCapacity(r.entries.count)
        for e in r.entries where e.rank != .lifecycle {
            if let l = e.lock { live.append((l, e.rank, e.order)) }
        }
        live.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.order < $1.order }
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
