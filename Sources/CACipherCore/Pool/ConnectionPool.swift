import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The connections to one member (one `[HOSTn]`), bounded by `linkNum`.
///
/// - Up to `|linkNum|` pooled, long-lived connections, opened lazily: a connection is
///   opened when a caller needs one and none is idle, never ahead of demand.
/// - `linkNum < 0` (pool only): when all pooled connections are busy, a caller waits for
///   one to come back, at most the read timeout, then gets `.poolExhausted`.
/// - `linkNum > 0`: when all pooled connections are busy, the caller opens a short-lived
///   connection that is closed after its one exchange.
/// - A connection that failed in any way is closed and its slot freed, so the next caller
///   opens a fresh one; an idle connection found stale (peer closed it) is replaced.
/// - Fork: the pool remembers `getpid()` and the `ForkEpoch` (which changes in every forked
///   child, so `getpid()` is only called then). In a child, connections inherited from the
///   parent are abandoned (closed without any shutdown, so the parent's are unaffected)
///   and new ones are opened on first use.
final class ConnectionPool: @unchecked Sendable {
    let config: HostConfig
    private let connector: StreamConnector
    private let maxReplyLength: Int
    private let log: Log
    /// Internal for the fork tests (a lock held by another thread at the fork).
    let cond = ConditionLock(forkRank: .pool)

    // Guarded by `cond`. `@exclusivity(unchecked)`: the lock already serialises every
    // access and none nests another (Array calls that may release a Connection made the
    // compiler keep a run-time exclusivity check on each one, per checkout and return).
    @exclusivity(unchecked) private var idle: [Connection] = []
    private var open = 0
    private var generation = 0
    private var fork = ForkWatcher()
    private var closed = false
    /// The callers waiting for a connection, oldest first, each on a condition of its own
    /// (so a returned connection wakes the first waiter only, not all of them).
    @exclusivity(unchecked) private var waiting: [ConditionLock.Condition] = []
    private var statOpened = 0
    private var statOverflow = 0
    private var statDiscarded = 0
    /// metrics: callers that had to wait for a pooled connection (guarded by `cond`).
    private var statWaits = 0
    var waits: Int { cond.withLock { statWaits } }

    /// Whether its connections are plain TCP sockets the async API's reactor can wait on.
    let reactorCapable: Bool

    init(config: HostConfig, connector: StreamConnector, maxReplyLength: Int, log: Log = .off) {
        self.config = config
        self.reactorCapable = connector is TCPConnector
        self.log = log
        self.connector = connector
        self.maxReplyLength = maxReplyLength
        idle.reserveCapacity(config.poolSize)
    }

    /// Counters for tests and status.
    struct Stats: Equatable, Sendable {
        var idle: Int
        var open: Int
        /// Connections opened (pooled and overflow).
        var opened: Int
        var overflow: Int
        /// Pooled connections closed because they broke or went stale.
        var discarded: Int
    }

    var stats: Stats {
        cond.withLock {
            Stats(idle: idle.count, open: open, opened: statOpened, overflow: statOverflow, discarded: statDiscarded)
        }
    }

    /// In a forked child (once): drops the inherited connections. Lock held. Returns the
    /// debug line to write once the lock is released (a log sink is never called under a
    /// lock the fork handlers take: an application's sink may wait for a lock of its own
    /// that a forking thread holds).
    private func forkCheckLocked() -> String? {
        // The epoch changes in every forked child (a load, not a system call per command).
        guard !fork.isUnchanged, fork.forkedSinceLastCheck() else { return nil }
        let line = log.isEnabled(.debug)
            ? "\(config.section): forked child \(fork.processID) drops \(idle.count) inherited connection(s)" : nil
        for c in idle { c.abandon() }
        idle.removeAll()
        waiting.removeAll()  // the parent's waiting threads do not exist here
        open = 0
        generation += 1
        return line
    }

    /// `forkCheckLocked` where the caller goes on under the lock: the line is written with
    /// the lock released for the moment (the pool's state is then looked at afresh).
    private func forkCheckRelocking() {
        guard let line = forkCheckLocked() else { return }
        cond.unlock()
        log.debug(line)
        cond.lock()
    }

    /// Checks out a connection. Throws `TransportFailure` (`.connect` or `.poolExhausted`,
    /// both with `notSent: true`). Waits (pool only) at most the read timeout and connects
    /// within the connect timeout, both cut short by `deadline` (the call's) when given.
    ///
    /// `control` (async calls, `CACipher_TransmitTimeout`; `nil` for plain blocking calls,
    /// which then pay nothing for it): a call cancelled while it waits is woken by
    /// `CallControl.cancel` and leaves the queue at once with a cancelled failure (`.timeout`,
    /// `notSent: true`, not the member's fault), taking no connection; a wait ended by the
    /// call's own deadline is `.timeout` (`byProxy`), not `.poolExhausted`.
    ///
    /// Waiters (pool only, every connection busy) are served in arrival order: a caller that
    /// finds others waiting queues behind them even if a connection is idle at that moment,
    /// and only the first in the queue may take one. So a thread that returns a connection
    /// and asks again at once cannot overtake threads that were waiting (no starvation).
    func acquire(deadline: Deadline? = nil, control: CallControl? = nil) throws -> Connection {
        let startNs = Deadline.nowNanoseconds()
        let ownWait = Deadline.after(milliseconds: config.readTimeoutMs)
        let waitDeadline = deadline.map { min($0, ownWait) } ?? ownWait
        cond.lock()
        var ticket: ConditionLock.Condition?  // our place in `waiting`, once we had to wait
        // Set once the control knows of our wait (so `cancel` wakes us); undone on every exit.
        var toldControl = false
        defer { if toldControl { control?.waitEnds() } }
        while true {
            forkCheckRelocking()
            if closed {
                leaveQueueLocked(ticket)
                cond.unlock()
                throw TransportFailure(.notInitialized, "host group was shut down", notSent: true)
            }
            if toldControl, let control, control.isCancelled {
                // Woken by the cancellation (or it came first): leave without a connection.
                leaveQueueLocked(ticket)
                cond.unlock()
                throw CallControl.cancelledFailure(notSent: true)
            }
            let myTurn = waiting.isEmpty || waiting[waiting.startIndex] === ticket
            if myTurn, let c = idle.popLast() {
                cond.unlock()
                if c.isReusable {
                    if ticket != nil { cond.withLock { leaveQueueLocked(ticket) } }
                    return c
                }
                log.debug("\(config.section): idle connection closed by the peer; replacing it")
                c.close()
                cond.lock()
                if c.generation == generation { open -= 1; statDiscarded += 1 }
                continue
            }
            if myTurn, open < config.poolSize {
                open += 1
                statOpened += 1
                let gen = generation
                leaveQueueLocked(ticket)
                cond.unlock()
                do {
                    return try makeConnection(pooled: true, generation: gen, deadline: deadline)
                } catch {
                    cond.withLock {
                        if gen == generation { open -= 1 }
                        wakeLocked()
                    }
                    throw error
                }
            }
            if config.allowsOverflow {
                statOpened += 1
                statOverflow += 1
                let gen = generation
                cond.unlock()
                return try makeConnection(pooled: false, generation: gen, deadline: deadline)
            }
            let me: ConditionLock.Condition
            if let t = ticket {
                me = t
            } else {
                me = ConditionLock.Condition()
                ticket = me
                waiting.append(me)
                statWaits += 1  // metrics: a pool wait
                if let control {
                    toldControl = true
                    if !control.waitBegins(in: self, on: me) { continue }  // cancelled: the check above
                }
            }
            if !cond.wait(me, until: waitDeadline) && waitDeadline.hasPassed {
                leaveQueueLocked(ticket)
                let size = config.poolSize
                cond.unlock()
                let waited = (Deadline.nowNanoseconds() - startNs) / 1_000_000
                if let own = control?.deadline, own <= waitDeadline {
                    // The call's own deadline ended the wait: its time, not the member's fault.
                    var f = TransportFailure(.timeout, "the call's deadline of \(control?.timeoutMs ?? 0) ms passed while "
                        + "waiting \(waited) ms for one of \(size) busy pooled connection(s)", notSent: true)
                    f.byProxy = true
                    throw f
                }
                throw TransportFailure(.poolExhausted,
                    "all \(size) pooled connections stayed busy for \(waited) ms", notSent: true)
            }
        }
    }

    /// An idle connection now, without waiting or connecting (the async API's reactor path):
    /// `nil` when none is idle, callers are queued for one (they keep their turn), or the
    /// pool is shut down. The caller then takes the blocking path (`acquire`).
    func acquireIdleNow() -> Connection? {
        cond.lock()
        while true {
            forkCheckLocked()
            guard !closed, waiting.isEmpty, let c = idle.popLast() else {
                cond.unlock()
                return nil
            }
            cond.unlock()
            if c.isReusable { return c }
            log.debug("\(config.section): idle connection closed by the peer; replacing it")
            c.close()
            cond.lock()
            if c.generation == generation { open -= 1; statDiscarded += 1 }
            wakeLocked()  // a caller that queued meanwhile may open one in the freed slot
        }
    }

    /// Takes `ticket` out of the wait queue (if it is there) and lets the next waiter look.
    private func leaveQueueLocked(_ ticket: ConditionLock.Condition?) {
        guard let t = ticket, let i = waiting.firstIndex(where: { $0 === t }) else { return }
        waiting.remove(at: i)
        wakeLocked()
    }

    /// Wakes the waiter on `ticket` (`CallControl.cancel`: its call was cancelled). The lock
    /// is taken so the wake cannot fall between the waiter's check and its wait.
    func wake(_ ticket: ConditionLock.Condition) {
        cond.withLock { cond.signal(ticket) }
    }

    /// Callers waiting for a pooled connection now (tests, status).
    var waitingNow: Int { cond.withLock { waiting.count } }

    /// Wakes the first waiter (the only one that may take a connection) after a connection
    /// came back or a slot was freed; nothing is done when nobody waits.
    private func wakeLocked() {
        if let first = waiting.first { cond.signal(first) }
    }

    private func makeConnection(pooled: Bool, generation: Int, deadline: Deadline?) throws -> Connection {
        let own = Deadline.after(milliseconds: config.connTimeoutMs)
        let callDeadline = deadline.flatMap { $0 < own ? $0 : nil }  // set when it cuts the connect short
        let stream: ByteStream
        do {
            stream = try connector.connect(deadline: callDeadline ?? own)
        } catch var f as TransportFailure where f.code == .connect && (callDeadline?.hasPassed ?? false) {
            // Out of the call's time, not the member's fault: a timeout, not counted against it.
            f = TransportFailure(.timeout, "the call's deadline passed while connecting (\(f.message))", notSent: true)
            f.byProxy = true
            throw f
        }
        log.debug("\(config.section): opened a \(pooled ? "pooled" : "short-lived") connection to \(config.host):\(config.port)")
        return Connection(stream: stream, headerLength: config.headerLength, maxReplyLength: maxReplyLength,
                          pooled: pooled, generation: generation)
    }

    /// Returns a connection. A broken one (or any after shutdown) is closed and its slot
    /// freed; short-lived ones are always closed.
    func release(_ c: Connection) {
        guard c.pooled else { c.close(); return }
        cond.lock()
        forkCheckRelocking()
        guard c.generation == generation else {
            // Opened before a fork in another process image: not ours to close on the wire.
            cond.unlock()
            c.abandon()
            return
        }
        if c.broken || closed {
            open -= 1
            if c.broken { statDiscarded += 1 }
            wakeLocked()
            cond.unlock()
            c.close()
            return
        }
        idle.append(c)
        wakeLocked()
        cond.unlock()
    }

    /// Closes every idle connection (the member was ejected: they are likely dead too).
    func drainIdle() {
        let (dropped, line): ([Connection], String?) = cond.withLock {
            let line = forkCheckLocked()
            let d = idle
            idle.removeAll()
            open -= d.count
            statDiscarded += d.count
            wakeLocked()
            return (d, line)
        }
        if let line { log.debug(line) }
        for c in dropped { c.close() }
    }

    /// Closes idle connections and makes later `acquire`s fail; checked-out connections
    /// are closed when they come back.
    func shutdown() {
        let (dropped, line): ([Connection], String?) = cond.withLock {
            let line = forkCheckLocked()
            closed = true
            let d = idle
            idle.removeAll()
            open -= d.count
            for w in waiting { cond.signal(w) }  // every waiter fails now
            return (d, line)
        }
        if let line { log.debug(line) }
        for c in dropped { c.close() }
    }
}
