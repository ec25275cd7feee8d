#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
#if os(Linux)
import CLinuxIO
#endif

/// What a `ReadinessReactor` tells a waiter, once per registration.
public enum ReactorEvent: Sendable {
    /// The descriptor is readable (or writable, as asked), or has an error or hang-up
    /// pending: the next non-blocking `recv`/`send` reports which.
    case ready
    /// The registration's deadline passed first.
    case timedOut
}

/// A registration's owner: told on the reactor's thread, with no lock held.
public protocol ReactorWaiter: AnyObject {
    func reactorEvent(_ event: ReactorEvent)
}

/// One thread waiting with `epoll` for many sockets at once (the async API's fast path):
/// a caller that has written its request without blocking registers the socket with a
/// deadline and returns; the reactor's thread tells the waiter when the socket is ready or
/// the deadline passed, and the waiter reads the reply and resumes its task. So an async
/// call costs one thread hand-over (the reply's), not two (to an I/O thread and back).
///
/// - Registrations are one-shot (`EPOLLONESHOT`): one event each, then the descriptor is
///   disarmed until registered again (the next exchange on a pooled connection re-arms it
///   with `EPOLL_CTL_MOD`, no add/remove per call).
/// - The thread starts on the first registration and ends after `idleSeconds` with nothing
///   registered. A registration whose deadline is earlier than the thread's current sleep
///   wakes it (an `eventfd`); any other does not (the common case: the thread sleeps at
///   most `tickMs` while idle, and read timeouts are longer).
/// - A deadline is checked each time the thread wakes; it fires at most a millisecond late
///   (epoll's resolution), or later by the time other waiters' callbacks take.
/// - Fork: a forked child has neither the thread nor the parent's registrations; its first
///   registration creates an epoll instance of its own (the inherited one is shared with
///   the parent and is never touched in the child). The lock is registered with
///   `ForkSafety` (`ForkRank.reactor`).
/// - `shutdown`: no new thread starts; the thread ends when its last registration ended.
///
/// Linux only (epoll); elsewhere `isAvailable` is false and callers use their blocking path.
public final class ReadinessReactor: @unchecked Sendable {
    public enum Interest: Sendable { case readable, writable }

    private struct Slot {
        var fd: Int32 = -1
        var deadlineNs: Int64 = 0
        var waiter: ReactorWaiter?
        var generation: UInt32 = 0
    }

    private struct State {
        var slots: [Slot] = []
        var free: [Int] = []
        var active = 0
        var epfd: Int32 = -1
        var wakeFd: Int32 = -1
        var running = false
        var stopping = false
        /// The thread's `epoll_wait` ends by then (ns; 0 while it is awake, `.max` with no thread).
        var sleepingUntil: Int64 = .max
        var lastActiveNs: Int64 = 0
        /// When the last registration was made (the thread keeps looking for `spinNs` after it).
        var lastRegisterNs: Int64 = 0
        var fork = ForkWatcher()
        var threadsStarted = 0
        var wakes = 0
        var timeouts = 0
    }

    private let state: PThreadLocked<State>
    private let idleNs: Int64
    private let tickMs: Int32
    private let spinNs: Int64
    /// The epoll data of the wake-up eventfd (no slot has this token).
    private static let wakeToken = UInt64.max

    /// - Parameters:
    ///   - idleSeconds: the thread ends after this long with nothing registered.
    ///   - tickMs: the longest sleep while nothing is registered (a registration with a
    ///     shorter deadline wakes the thread).
    ///   - spinMicroseconds: after an event, how long the thread keeps looking for the next one
    ///     (yielding the CPU in between) before it sleeps; 0: never.
    public init(idleSeconds: Int = 10, tickMs: Int = 250, spinMicroseconds: Int = 50) {
        spinNs = Int64(max(0, min(spinMicroseconds, 10_000))) * 1000
        state = PThreadLocked(State(), forkRank: .reactor)
        idleNs = Int64(max(1, idleSeconds)) * 1_000_000_000
        self.tickMs = Int32(max(1, min(tickMs, 60_000)))
    }

    deinit {
        // Only a reactor without a thread is freed (the thread retains it).
        state.withLock { s in
            if s.epfd >= 0 { close(s.epfd) }
            if s.wakeFd >= 0 { close(s.wakeFd) }
        }
    }

    #if os(Linux)
    public static let isAvailable = true
    #else
    public static let isAvailable = false
    #endif

    /// Counters for tests: threads started, wake-ups through the eventfd, deadlines fired,
    /// registrations now, whether the thread runs.
    public var stats: (threadsStarted: Int, wakes: Int, timeouts: Int, active: Int, running: Bool) {
        state.withLock { ($0.threadsStarted, $0.wakes, $0.timeouts, $0.active, $0.running) }
    }

    /// Makes sure the thread runs (starting it when needed), so that a registration made
    /// after a request was written can only fail if `epoll_ctl` itself does. `false`: no
    /// thread can run (shut down, or the system refused a thread or descriptor): nothing
    /// should be sent for this reactor to wait on.
    public func ensureRunning() -> Bool {
        let start: Bool? = state.withLock { s in
            forkCheckLocked(&s)
            if s.running {
                // Not idle: the thread does not end before the caller's registration.
                s.lastActiveNs = Deadline.nowNanoseconds()
                return false
            }
            if s.stopping { return nil }
            guard openLocked(&s) else { return nil }
            s.running = true
            s.threadsStarted += 1
            s.lastActiveNs = Deadline.nowNanoseconds()
            s.sleepingUntil = 0
            return true
        }
        guard let start else { return false }
        if start {
            guard let t = NativeThread.start(name: "cacipher-reactor", { [self] in loop() }) else {
                state.withLock { s in
                    s.running = false
                    s.sleepingUntil = .max
                }
                return false
            }
            t.detach()
        }
        return true
    }

    /// Registers `fd` for one event (`interest`, or an error/hang-up) until `deadline`;
    /// `waiter` is told once, on the reactor's thread. Returns `false` (nothing registered,
    /// `waiter` never told) when the thread is not running (call `ensureRunning` first) or
    /// `epoll_ctl` failed (`errno` then says why).
    public func register(_ fd: Int32, _ interest: Interest, deadline: Deadline, waiter: ReactorWaiter) -> Bool {
        #if os(Linux)
        guard fd >= 0 else { return false }
        let r: (epfd: Int32, wakeFd: Int32, token: UInt64, wake: Bool)? = state.withLock { s in
            forkCheckLocked(&s)
            guard s.running else { return nil }
            let i: Int
            if let f = s.free.popLast() {
                i = f
            } else {
                i = s.slots.count
                s.slots.append(Slot())
            }
            s.slots[i].generation &+= 1
            s.slots[i].fd = fd
            s.slots[i].deadlineNs = deadline.nanoseconds
            s.slots[i].waiter = waiter
            s.active += 1
            if spinNs > 0 { s.lastRegisterNs = Deadline.nowNanoseconds() }
            let wake = deadline.nanoseconds < s.sleepingUntil
            if wake {
                s.sleepingUntil = 0  // one wake-up is enough until it sleeps again
                s.wakes += 1
            }
            return (s.epfd, s.wakeFd, UInt64(i) | (UInt64(s.slots[i].generation) << 32), wake)
        }
        guard let r else { return false }
        var ev = epoll_event()
        ev.events = (interest == .readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : EPOLLOUT.rawValue) | EPOLLONESHOT.rawValue
        ev.data.u64 = r.token
        // A pooled connection's socket stays in the set between exchanges (disarmed): re-arm it;
        // a new socket (ENOENT) is added.
        if epoll_ctl(r.epfd, EPOLL_CTL_MOD, fd, &ev) != 0 {
            let failed = errno != ENOENT || epoll_ctl(r.epfd, EPOLL_CTL_ADD, fd, &ev) != 0
            if failed {
                let saved = errno
                state.withLock { s in
                    let i = Int(r.token & 0xFFFF_FFFF)
                    if i < s.slots.count, s.slots[i].waiter != nil, UInt64(s.slots[i].generation) == r.token >> 32 {
                        s.slots[i].waiter = nil
                        s.slots[i].fd = -1
                        s.free.append(i)
                        s.active -= 1
                    }
                }
                errno = saved
                return false
            }
        }
        if r.wake {
            var one: UInt64 = 1
            _ = write(r.wakeFd, &one, 8)
        }
        return true
        #else
        return false
        #endif
    }

    /// Takes `fd` out of the epoll set (its owner is about to close it). Never in a forked
    /// child for a descriptor of the parent's (the set would be the parent's).
    public func forget(_ fd: Int32) {
        #if os(Linux)
        let epfd: Int32 = state.withLock { s in
            forkCheckLocked(&s)
            return s.epfd
        }
        guard epfd >= 0, fd >= 0 else { return }
        var ev = epoll_event()
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev)
        #endif
    }

    /// No new thread starts after this; the running one ends once its last registration ended.
    public func shutdown() {
        let wakeFd: Int32 = state.withLock { s in
            s.stopping = true
            return s.running ? s.wakeFd : -1
        }
        if wakeFd >= 0 {
            var one: UInt64 = 1
            _ = write(wakeFd, &one, 8)
        }
    }

    /// Creates the epoll set and the wake-up eventfd (once per process image). Lock held.
    private func openLocked(_ s: inout State) -> Bool {
        #if os(Linux)
        if s.epfd >= 0 { return true }
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { return false }
        let w = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard w >= 0 else {
            close(ep)
            return false
        }
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.u64 = Self.wakeToken
        guard epoll_ctl(ep, EPOLL_CTL_ADD, w, &ev) == 0 else {
            close(ep)
            close(w)
            return false
        }
        s.epfd = ep
        s.wakeFd = w
        return true
        #else
        return false
        #endif
    }

    /// In a forked child (once): no thread, no registrations (the parent's calls), and a
    /// fresh epoll set later (the inherited one is the parent's: only our copy is closed).
    private func forkCheckLocked(_ s: inout State) {
        guard !s.fork.isUnchanged, s.fork.forkedSinceLastCheck() else { return }
        if s.epfd >= 0 { close(s.epfd) }
        if s.wakeFd >= 0 { close(s.wakeFd) }
        s.epfd = -1
        s.wakeFd = -1
        s.slots.removeAll()
        s.free.removeAll()
        s.active = 0
        s.running = false
        s.sleepingUntil = .max
    }

    private func loop() {
        #if os(Linux)
        let capacity = 64
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        var fired: [(ReactorWaiter, ReactorEvent)] = []
        fired.reserveCapacity(capacity)
        // After an event, the thread keeps looking (yielding the CPU) for `spinNs` before it
        // sleeps in epoll_wait: the next reply then costs no wake-up.
        var spinUntil: Int64 = 0
        while true {
            let spinEnd = spinUntil
            let plan: (epfd: Int32, wakeFd: Int32, timeoutMs: Int32)? = state.withLock { s in
                let now = Deadline.nowNanoseconds()
                if s.active > 0 && now < max(spinEnd, s.lastRegisterNs + spinNs) {
                    // A reply usually follows the last one closely: look again without sleeping.
                    s.sleepingUntil = 0
                    return (s.epfd, s.wakeFd, 0)
                }
                if s.active == 0 && (s.stopping || now - s.lastActiveNs >= idleNs) {
                    s.running = false
                    s.sleepingUntil = .max
                    if s.stopping {
                        if s.epfd >= 0 { close(s.epfd) }
                        if s.wakeFd >= 0 { close(s.wakeFd) }
                        s.epfd = -1
                        s.wakeFd = -1
                    }
                    return nil
                }
                var until = now + Int64(tickMs) * 1_000_000
                if s.active > 0 {
                    for slot in s.slots where slot.waiter != nil && slot.deadlineNs < until { until = slot.deadlineNs }
                }
                s.sleepingUntil = until
                let ms = until <= now ? 0 : (until - now + 999_999) / 1_000_000
                return (s.epfd, s.wakeFd, Int32(min(ms, 60_000)))
            }
            guard let plan else { return }
            if plan.timeoutMs == 0 && spinEnd > 0 { sched_yield() }
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(plan.epfd, $0.baseAddress, Int32(capacity), plan.timeoutMs) }
            var drainWake = false
            state.withLock { s in
                s.sleepingUntil = 0  // awake: registrations need not wake it
                if n > 0 {
                    for k in 0..<Int(n) {
                        let token = events[k].data.u64
                        if token == Self.wakeToken {
                            drainWake = true
                            continue
                        }
                        let i = Int(token & 0xFFFF_FFFF)
                        guard i < s.slots.count, UInt64(s.slots[i].generation) == token >> 32,
                              let w = s.slots[i].waiter else { continue }  // a registration that already timed out
                        fired.append((w, .ready))
                        s.slots[i].waiter = nil
                        s.slots[i].fd = -1
                        s.free.append(i)
                        s.active -= 1
                    }
                }
                if s.active > 0 {
                    let now = Deadline.nowNanoseconds()
                    for i in s.slots.indices where s.slots[i].waiter != nil && s.slots[i].deadlineNs <= now {
                        // Still armed in the set: a late event carries this generation and is ignored.
                        fired.append((s.slots[i].waiter!, .timedOut))
                        s.slots[i].waiter = nil
                        s.slots[i].fd = -1
                        s.free.append(i)
                        s.active -= 1
                        s.timeouts += 1
                    }
                }
                if !fired.isEmpty || s.active > 0 { s.lastActiveNs = Deadline.nowNanoseconds() }
                return ()
            }
            if drainWake {
                var v: UInt64 = 0
                _ = read(plan.wakeFd, &v, 8)
            }
            if !fired.isEmpty || n > 0 {
                spinUntil = spinNs > 0 && n > 0 ? Deadline.nowNanoseconds() + spinNs : 0
            } else if Deadline.nowNanoseconds() >= spinUntil {
                spinUntil = 0
            }
            for (w, e) in fired { w.reactorEvent(e) }
            fired.removeAll(keepingCapacity: true)
        }
        #endif
    }
}
