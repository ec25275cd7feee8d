#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
@testable import HSMNet
import Synchronization
import XCTest

/// `ForkSafety`: a registered lock that another thread holds at `fork()` is free in the
/// child (the prepare handler waited for it), with conditions that work there; a lock
/// created without a rank is left alone; freed locks leave the registry.
final class ForkSafetyTests: XCTestCase {
    /// Runs `hold` (which takes a lock and calls its argument under it) on another thread,
    /// forks while the lock is held and returns the child's exit status (`child()` true: 0),
    /// or nil when the child did not exit within `seconds` (it is killed then).
    private func forkWhileHeld(seconds: Int = 5, _ hold: @escaping @Sendable (() -> Void) -> Void,
                               child: () -> Bool) -> Int32? {
        let held = Atomic<Bool>(false)
        let holder = NativeThread.start {
            hold {
                held.store(true, ordering: .releasing)
                usleep(150_000)
            }
        }
        XCTAssertNotNil(holder)
        for _ in 0..<500 where !held.load(ordering: .acquiring) { usleep(1000) }
        XCTAssertTrue(held.load(ordering: .acquiring), "the holder took the lock")
        let pid = fork()
        if pid == 0 { _exit(child() ? 0 : 1) }
        defer { holder?.join() }
        guard pid > 0 else { XCTFail("fork failed"); return nil }
        var status: Int32 = 0
        for _ in 0..<(seconds * 100) {
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return nil
    }

    func testRegisteredConditionLockHeldAtForkIsFreeInTheChild() {
        let lock = ConditionLock(forkRank: .group)
        let extra = ConditionLock.Condition()
        lock.adopt(extra)
        let status = forkWhileHeld({ body in lock.withLock { body() } }) {
            // Locks, and both conditions time out normally (fresh in the child).
            lock.withLock {
                !lock.wait(until: Deadline.after(milliseconds: 20))
                    && !lock.wait(extra, until: Deadline.after(milliseconds: 20))
            }
        }
        XCTAssertEqual(status, 0, "the child took the lock and waited on its conditions (nil: it hung)")
        XCTAssertTrue(lock.withLock { true }, "the parent's lock was released after the fork")
    }

    /// A thread of the parent waiting on the condition at the fork (the prober's sleep, the
    /// notifier's wait): the child signals and waits on it without waiting for that thread.
    func testConditionWaitedOnByAParentThreadWorksInTheChild() {
        let lock = ConditionLock(forkRank: .observer)
        let stop = Atomic<Bool>(false)
        let waiter = NativeThread.start {
            lock.withLock {
                while !stop.load(ordering: .relaxed) { lock.wait(until: Deadline.after(milliseconds: 5000)) }
            }
        }
        usleep(50_000)
        let pid = fork()
        if pid == 0 {
            let ok: Bool = lock.withLock {
                lock.broadcast()
                lock.signal()
                return !lock.wait(until: Deadline.after(milliseconds: 20))
            }
            _exit(ok ? 0 : 1)
        }
        var status: Int32 = 0
        var exited = false
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(10_000)
        }
        if !exited { kill(pid, SIGKILL); _ = waitpid(pid, &status, 0) }
        lock.withLock {
            stop.store(true, ordering: .relaxed)
            lock.broadcast()
        }
        waiter?.join()
        XCTAssertTrue(exited, "the child's signal and wait returned")
        XCTAssertEqual((status >> 8) & 0xFF, 0)
    }

    func testRegisteredPThreadLockedHeldAtForkIsFreeInTheChild() {
        let value = PThreadLocked<Int>(41, forkRank: .logSink)
        let status = forkWhileHeld({ body in value.withLock { v in v += 1; body() } }) {
            value.withLock { $0 } == 42
        }
        XCTAssertEqual(status, 0, "the child read the value under the lock (nil: it hung)")
        XCTAssertEqual(value.withLock { $0 }, 42)
    }

    /// A lock without a rank (per call, the standby checker's own) is not taken by the
    /// handlers: held at the fork, it is still held in the child (trylock: EBUSY).
    func testLockWithoutRankIsLeftAlone() {
        let lock = ConditionLock()
        let status = forkWhileHeld({ body in lock.withLock { body() } }) {
            pthread_mutex_trylock(lock.mutex) == EBUSY
        }
        XCTAssertEqual(status, 0, "the child saw the unregistered lock still held")
    }

    func testFreedLocksLeaveTheRegistry() {
        _ = ConditionLock(forkRank: .pool)
        XCTAssertTrue(ForkSafety.isInstalled, "the handlers are installed at the first registration")
        let before = ForkSafety.liveCount
        var locks: [ConditionLock]? = (0..<10).map { _ in ConditionLock(forkRank: .pool) }
        XCTAssertEqual(ForkSafety.liveCount, before + 10)
        XCTAssertEqual(locks?.count, 10)
        locks = nil
        XCTAssertEqual(ForkSafety.liveCount, before, "freed locks are no longer counted")
        // Many short-lived registrations keep the registry bounded (dead entries pruned).
        for _ in 0..<1000 { _ = ConditionLock(forkRank: .pool) }
        XCTAssertEqual(ForkSafety.liveCount, before)
        XCTAssertLessThan(ForkSafety.entryCount, before + 200, "dead entries are pruned")
    }
    /// Waits at most `seconds` for `pid`; its exit status, or nil when it had to be killed.
    private func exitStatus(_ pid: pid_t, seconds: Int) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<(seconds * 100) {
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return nil
    }

    /// A lifecycle lock (Init / Finalize) held at the fork by a thread that creates an
    /// instance under it, which registers locks of its own: the prepare handler waits for it
    /// without holding the registry's lock, so the holder finishes, and the child sees its
    /// work done (the state after the call) with the lock free. The scenario runs in a child
    /// of its own, so a fork that deadlocks fails the test (status nil) instead of hanging it.
    func testLifecycleLockHeldByAThreadThatRegistersLocksAtTheFork() {
        let lifecycle = PThreadLocked<Int>(0, forkRank: .lifecycle)
        let outer = fork()
        if outer == 0 {
            let held = Atomic<Bool>(false)
            let holder = NativeThread.start {
                lifecycle.withLock { v in
                    held.store(true, ordering: .releasing)
                    usleep(100_000)  // the fork below is preparing by now
                    let made = ConditionLock(forkRank: .group)  // registers: the registry's lock
                    made.withLock { v += 1 }
                }
            }
            for _ in 0..<500 where !held.load(ordering: .acquiring) { usleep(1000) }
            guard held.load(ordering: .acquiring) else { _exit(2) }
            let pid = fork()
            if pid == 0 {
                // After the holder's call (1), and the lock is free here.
                _exit(lifecycle.withLock { $0 } == 1 ? 0 : 3)
            }
            holder?.join()
            guard pid > 0 else { _exit(4) }
            _exit(exitStatus(pid, seconds: 5) ?? 5)
        }
        XCTAssertGreaterThan(outer, 0, "fork failed")
        guard outer > 0 else { return }
        let status = exitStatus(outer, seconds: 10)
        XCTAssertEqual(status, 0, "nil: the fork deadlocked; 3: the child saw the state before the call or the lock "
            + "held; 5: the child hung")
    }
}
