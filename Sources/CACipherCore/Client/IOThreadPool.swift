#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HSMNet
import Synchronization

/// The library's own I/O threads for the async API: blocking group calls run here, never
/// on Swift's cooperative pool or an event loop.
///
/// Threads start on demand (a job queued while no thread is idle starts one, up to
/// `maxThreads`), wait for work on a condition, and end after `idleSeconds` without any.
/// A job with a deadline that has to queue behind busy threads is watched by a deadline
/// thread (one per pool, started on demand, ending after `idleSeconds` with nothing to
/// watch): when the deadline passes before a thread takes the job, the job is taken out of
/// the queue (it never runs) and its `onExpiry` is called instead.
/// Jobs run in submission order. `shutdown` lets the running jobs finish and refuses new
/// ones; threads end once the queue is empty.
final class IOThreadPool: @unchecked Sendable {
    typealias Job = () -> Void

    let maxThreads: Int
    private let idleSeconds: Int
    private let lock = ConditionLock(forkRank: .ioThreads)
    // A ring buffer of jobs, guarded by `lock` (no O(n) removal at the head).
    @exclusivity(unchecked) private var ring: [Job?]
    private var head = 0
    private var count = 0
    private var threads = 0
    private var idle = 0
    /// Workers in their short spin before sleeping (a caller that just got its reply
    /// usually submits its next call within microseconds: no wake-up needed then).
    private var spinning = 0
    /// `count` for the spinners, read without the lock.
    private let queued = Atomic<Int>(0)
    private static let spinNs: Int64 = 50_000
    private var stopping = false
    private var startedTotal = 0
    /// A queued job with a deadline, watched by the deadline thread.
    private struct Timed {
        let seq: Int
        let deadline: Deadline
        let expire: Job
    }
    /// Jobs with a deadline that queued behind busy threads, in submission order (guarded by `lock`).
    @exclusivity(unchecked) private var timed: [Timed] = []
    /// The number of the job at `head` (jobs are numbered in submission order).
    private var headSeq = 0
    private var timerRunning = false
    /// Wakes the deadline thread (a condition of `lock`, re-initialised with it in a child).
    private let timerWake = ConditionLock.Condition()
    /// Jobs taken out of the queue by their deadline (tests).
    private var expiredTotal = 0
    var expiredCount: Int { lock.withLock { expiredTotal } }
    /// A forked child has none of the parent's threads: `forkCheckLocked`.
    private var fork = ForkWatcher()

    init(maxThreads: Int, idleSeconds: Int = 10) {
        self.maxThreads = max(1, maxThreads)
        self.idleSeconds = max(1, idleSeconds)
        ring = [Job?](repeating: nil, count: 16)
        lock.adopt(timerWake)
    }

    /// Jobs queued since creation (tests: which path an async call took).
    private var submittedTotal = 0
    var submittedCount: Int { lock.withLock { submittedTotal } }

    /// Threads started since creation and running now (tests, docs).
    var threadCounts: (started: Int, running: Int) { lock.withLock { (startedTotal, threads) } }

    /// Queues `job`. Returns `false` (job not queued) after `shutdown` or when no thread
    /// can be started at all.
    ///
    /// `deadline` and `onExpiry`: when the job has to wait behind busy threads and the
    /// deadline passes before a thread takes it, it is dropped from the queue (never run)
    /// and `onExpiry` is called (on the deadline thread, no lock held).
    func submit(_ job: @escaping Job, deadline: Deadline? = nil, onExpiry: Job? = nil) -> Bool {
        lock.lock()
        forkCheckLocked()
        if stopping { lock.unlock(); return false }
        if count == ring.count { growLocked() }
        ring[(head + count) % ring.count] = job
        count += 1
        submittedTotal += 1
        queued.store(count, ordering: .releasing)
        if idle > 0 && spinning < count { lock.signal() }
        var start = false
        if idle + spinning < count && threads < maxThreads {
            threads += 1
            startedTotal += 1
            start = true
        }
        var startTimer = false
        if let deadline, let onExpiry, idle + spinning + (start ? 1 : 0) < count {
            // No thread is free for it: the deadline thread watches it.
            timed.append(Timed(seq: headSeq + count - 1, deadline: deadline, expire: onExpiry))
            if timerRunning {
                lock.signal(timerWake)
            } else {
                timerRunning = true
                startTimer = true
            }
        }
        lock.unlock()
        if startTimer {
            if let t = NativeThread.start({ [self] in timerLoop() }) {
                pthread_detach(t.handle)
            } else {
                lock.withLock { timerRunning = false }  // the job waits as before (its start checks the deadline)
            }
        }
        if start {
            guard let t = NativeThread.start({ [self] in workerLoop() }) else {
                let none: Bool = lock.withLock {
                    threads -= 1
                    return threads == 0
                }
                if none {
                    // Nobody will run it: take it back out.
                    lock.withLock {
                        count -= 1
                        ring[(head + count) % ring.count] = nil
                        queued.store(count, ordering: .releasing)
                    }
                    return false
                }
                return true
            }
            pthread_detach(t.handle)
        }
        return true
    }

    /// In a forked child (once): no worker of the parent exists here, so none is counted
    /// (the next job starts a thread of the child's own), and the jobs still queued were
    /// the parent's calls (the parent runs them).
    private func forkCheckLocked() {
        guard !fork.isUnchanged, fork.forkedSinceLastCheck() else { return }
        threads = 0
        idle = 0
        spinning = 0
        for i in 0..<ring.count { ring[i] = nil }
        head = 0
        headSeq = 0
        count = 0
        queued.store(0, ordering: .releasing)
        timed.removeAll()
        timerRunning = false
    }

    /// The deadline thread: takes a watched job out of the queue when its deadline passes
    /// before a thread took it, and calls its `onExpiry` outside the lock.
    private func timerLoop() {
        lock.lock()
        while !stopping {
            timed.removeAll { $0.seq < headSeq }  // started: no longer ours
            if timed.isEmpty {
                let woke = lock.wait(timerWake, until: Deadline.after(milliseconds: idleSeconds * 1000))
                if !woke && timed.isEmpty { break }
                continue
            }
            var expired: [Job] = []
            var next: Deadline?
            timed.removeAll { t in
                guard t.deadline.hasPassed else {
                    next = next.map { min($0, t.deadline) } ?? t.deadline
                    return false
                }
                let p = t.seq - headSeq  // 0 ..< count: still queued (started ones were removed)
                if p >= 0 && p < count { ring[(head + p) % ring.count] = nil }
                expired.append(t.expire)
                return true
            }
            if !expired.isEmpty {
                expiredTotal += expired.count
                lock.unlock()
                for e in expired { e() }
                lock.lock()
                continue
            }
            if let next { lock.wait(timerWake, until: next) }
        }
        timerRunning = false
        lock.unlock()
    }

    private func growLocked() {
        var bigger = [Job?](repeating: nil, count: ring.count * 2)
        for i in 0..<count { bigger[i] = ring[(head + i) % ring.count] }
        ring = bigger
        head = 0
    }

    private func workerLoop() {
        lock.lock()
        while true {
            if count > 0 {
                let job = ring[head]
                ring[head] = nil
                head = (head + 1) % ring.count
                headSeq += 1
                count -= 1
                queued.store(count, ordering: .releasing)
                lock.unlock()
                job?()
                lock.lock()
                continue
            }
            if stopping { break }
            // A short spin (bounded, yielding the CPU) before sleeping on the condition.
            spinning += 1
            lock.unlock()
            let spinEnd = Deadline.nowNanoseconds() + Self.spinNs
            while queued.load(ordering: .acquiring) == 0 && Deadline.nowNanoseconds() < spinEnd { sched_yield() }
            lock.lock()
            spinning -= 1
            if count > 0 || stopping { continue }
            idle += 1
            let woke = lock.wait(until: Deadline.after(milliseconds: idleSeconds * 1000))
            idle -= 1
            if !woke && count == 0 { break }
        }
        threads -= 1
        lock.unlock()
    }

    /// Refuses new jobs; queued ones still run; idle threads end.
    func shutdown() {
        lock.withLock {
            stopping = true
            lock.broadcast()
            lock.broadcast(timerWake)
        }
    }
}
