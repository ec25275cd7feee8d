import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol
import HSMNet
import Synchronization

/// A lock that a thread of the parent holds at the moment of `fork()` (the prober, the
/// standby checker, the state notifier, an I/O thread, or an application thread in a call)
/// is not held in the child: the `ForkSafety` handlers take the registered locks before the
/// fork, so the child's first call completes instead of deadlocking.
final class AtForkTests: XCTestCase {
    /// Holds a lock on another thread (`hold` takes it and runs its argument under it) for
    /// `holdMs`, forks while it is held, and runs `child` in the child; the child exits 0
    /// when `child` returns true. The parent waits at most `seconds` for it.
    private func forkWhileHeld(holdMs: UInt32 = 150, seconds: Int = 5,
                               _ hold: @escaping @Sendable (() -> Void) -> Void,
                               child: () -> Bool) -> (inTime: Bool, succeeded: Bool, status: Int32) {
        let held = DispatchSemaphore(value: 0)
        let holder = Thread {
            hold {
                held.signal()
                usleep(holdMs * 1000)
            }
        }
        holder.start()
        held.wait()
        let pid = fork()
        if pid == 0 {
            // Child: only async-signal-tolerant exits from here (no XCTest, no stdio flush).
            _exit(child() ? 0 : 1)
        }
        guard pid > 0 else { return (true, false, -1) }
        return waitForChild(pid, seconds: seconds)
    }

    private func childCall(_ g: HostGroup, _ text: String) -> Bool {
        (try? g.transmit(GroupTest.echo(text))) == GroupTest.reply(text)
    }

    /// The group's lock, held by another thread at the fork (as the standby checker and the
    /// prober take it between probes).
    func testGroupLockHeldAtForkIsFreeInTheChild() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertTrue(childCall(g, "before"))
        let core = g.core
        let done = forkWhileHeld({ body in core.lock.withLock { body() } }) { childCall(g, "child") }
        XCTAssertTrue(done.inTime, "the child's first call returned (the group's lock was free in the child)")
        XCTAssertTrue(done.succeeded, "status \(done.status)")
        XCTAssertTrue(childCall(g, "after"), "the parent keeps working")
    }

    /// A member's pool lock, held by another thread at the fork.
    func testPoolLockHeldAtForkIsFreeInTheChild() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertTrue(childCall(g, "before"))
        let pool = g.core.members[0].pool
        let done = forkWhileHeld({ body in pool.cond.withLock { body() } }) { childCall(g, "child") }
        XCTAssertTrue(done.inTime, "the child's first call returned (the pool's lock was free in the child)")
        XCTAssertTrue(done.succeeded, "status \(done.status)")
        XCTAssertTrue(childCall(g, "after"))
    }

    /// The state observer's queue lock, held by another thread at the fork (as the notifier
    /// takes it between deliveries): the child's first call admits the member (unknown -> up),
    /// which queues a state change under that lock.
    func testObserverLockHeldAtForkIsFreeInTheChild() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        let observer = g.core.observer
        let done = forkWhileHeld({ body in observer.lock.withLock { body() } }) {
            childCall(g, "child") && g.memberStatus().first?.state == .up
        }
        XCTAssertTrue(done.inTime, "the child's first call returned (the observer's lock was free in the child)")
        XCTAssertTrue(done.succeeded, "status \(done.status)")
    }

    /// The log sink's lock, held by another thread at the fork: the child's first call logs
    /// (debug: the pool drops its inherited connection) through it.
    func testLogSinkLockHeldAtForkIsFreeInTheChild() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let sink = MemoryLogSink()
        let log = Log(categories: [.error, .debug], sink: sink)
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: log, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertTrue(childCall(g, "before"))
        let done = forkWhileHeld({ body in sink.store.withLock { _ in body() } }) {
            childCall(g, "child") && sink.messages.contains { $0.contains("drops 1 inherited connection") }
        }
        XCTAssertTrue(done.inTime, "the child's first call returned (the sink's lock was free in the child)")
        XCTAssertTrue(done.succeeded, "status \(done.status)")
    }

    /// The same, many times over, with the library's own background threads busy as well (a
    /// standby checker every millisecond on the second member, taking the group's lock): each
    /// child's first call returns. Bounded: 20 forks, 5 s for each child, 60 s in all.
    func testRepeatedForksWithBusyBackgroundThreads() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let g = HostGroup(hosts: [GroupTest.host(a, "HOST1", linkNum: -1, readMs: 2000),
                                  GroupTest.host(b, "HOST2", linkNum: -1, readMs: 2000)],
                          log: .off, options: GroupTest.options { $0.standbyProbeIntervalMs = 1 })
        defer { g.shutdown() }
        XCTAssertTrue(childCall(g, "before"))
        let core = g.core
        let start = Date()
        var forks = 0
        for i in 0..<20 where Date().timeIntervalSince(start) < 60 {
            let done = forkWhileHeld(holdMs: 20, { body in core.lock.withLock { body() } }) {
                childCall(g, "child\(i)") && childCall(g, "again\(i)")
            }
            XCTAssertTrue(done.inTime && done.succeeded, "fork \(i): in time \(done.inTime), status \(done.status)")
            if !(done.inTime && done.succeeded) { break }
            forks += 1
        }
        XCTAssertEqual(forks, 20, "every fork's child completed its calls")
        XCTAssertTrue(childCall(g, "after"))
    }

    /// The async bridge's I/O threads are the parent's: a forked child's job starts a
    /// thread of the child's own instead of signalling a worker that does not exist there.
    func testIOThreadPoolRunsAJobInAForkedChild() throws {
        let pool = IOThreadPool(maxThreads: 2, idleSeconds: 30)
        defer { pool.shutdown() }
        let ran = Locked(0)
        XCTAssertTrue(pool.submit { ran.set(1) })
        XCTAssertTrue(GroupTest.waitUntil(5) { ran.get == 1 && pool.threadCounts.running == 1 }, "the parent's worker ran and idles")
        let startedBefore = pool.threadCounts.started
        let pid = fork()
        if pid == 0 {
            let childRan = Locked(0)
            guard pool.submit({ childRan.set(1) }) else { _exit(2) }
            for _ in 0..<300 where childRan.get == 0 { usleep(10_000) }
            _exit(childRan.get == 1 && pool.threadCounts.started == startedBefore + 1 ? 0 : 3)
        }
        XCTAssertGreaterThan(pid, 0, "fork failed")
        guard pid > 0 else { return }
        let done = waitForChild(pid, seconds: 5)
        XCTAssertTrue(done.inTime, "the child finished in time")
        XCTAssertTrue(done.succeeded, "the child's job ran on a thread of its own (status \(done.status): 2 refused, 3 not run)")
        XCTAssertTrue(pool.submit { ran.set(2) })
        XCTAssertTrue(GroupTest.waitUntil(5) { ran.get == 2 }, "the parent's pool keeps working")
    }

    /// The state notifier is the parent's thread: a forked child's state change is delivered
    /// by a notifier of the child's own, and the child's shutdown joins that one (joining the
    /// parent's, which does not exist in the child, never returned).
    func testObserverNotifiesAndShutsDownInAForkedChild() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        let seen = Locked(0)
        g.core.observer.add { change in if change.to == .up { seen.update { $0 += 1 } } }
        let pid = fork()
        if pid == 0 {
            guard childCall(g, "child") else { _exit(2) }  // unknown -> up
            for _ in 0..<300 where seen.get == 0 { usleep(10_000) }
            guard seen.get == 1 else { _exit(3) }
            g.shutdown()
            _exit(0)
        }
        XCTAssertGreaterThan(pid, 0, "fork failed")
        guard pid > 0 else { return }
        let done = waitForChild(pid, seconds: 5)
        XCTAssertTrue(done.inTime, "the child's shutdown returned")
        XCTAssertTrue(done.succeeded, "status \(done.status): 2 call failed, 3 change not delivered")
        XCTAssertTrue(childCall(g, "parent"))
        XCTAssertTrue(GroupTest.waitUntil(5) { seen.get == 1 }, "the parent's notifier delivers the parent's change")
    }
    /// An application's log sink that takes a mutex of its own, which the forking thread
    /// holds at the fork (as an application's own `pthread_atfork` handler would take it, or
    /// a thread that forks from its logging code). In a pre-fork worker (a forked child, whose
    /// first call logs "drops 1 inherited connection" at debug), one thread is blocked in the
    /// sink by that first call while another forks: the library called the sink with the
    /// pool's lock held, so the prepare handler waited for that lock and the fork never
    /// returned. Now the line is written after the lock: the fork returns, the grandchild
    /// calls, and the blocked call finishes once the mutex is released. The scenario runs in
    /// a child of its own, so a deadlock fails the test instead of hanging it.
    func testApplicationSinkWithItsOwnMutexDoesNotBlockAFork() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let sink = MutexLogSink()
        let log = Log(categories: [.error, .debug], sink: sink)
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: log, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertTrue(childCall(g, "before"), "a pooled connection is idle (the worker's first call drops it)")
        let worker = fork()
        if worker == 0 {
            sink.entered.store(false, ordering: .releasing)  // the parent's lines do not count
            sink.lockMutex()  // held by this thread across the fork below
            let caller = NativeThread.start { [self] in _ = childCall(g, "blocked") }
            guard caller != nil else { _exit(2) }
            for _ in 0..<500 where !sink.entered.load(ordering: .acquiring) { usleep(1000) }
            guard sink.entered.load(ordering: .acquiring) else { _exit(3) }  // the first call is in the sink
            usleep(50_000)
            let grandchild = fork()
            if grandchild == 0 {
                sink.unlockMutex()  // this thread's own hold
                _exit(childCall(g, "grandchild") ? 0 : 1)
            }
            sink.unlockMutex()
            caller?.join()
            guard grandchild > 0 else { _exit(4) }
            let done = waitForChild(grandchild, seconds: 5)
            _exit(done.succeeded ? 0 : 5)
        }
        XCTAssertGreaterThan(worker, 0, "fork failed")
        guard worker > 0 else { return }
        let done = waitForChild(worker, seconds: 10)
        XCTAssertTrue(done.inTime, "the worker's fork returned (no thread blocked in the sink held a lock the fork waits for)")
        XCTAssertTrue(done.succeeded, "status \(done.status): 2 no thread, 3 the call never reached the sink, 5 the grandchild's call failed")
        XCTAssertTrue(childCall(g, "after"), "the parent keeps working")
    }
}

/// A log sink of an application's own: a pthread mutex the library knows nothing of, and a
/// flag set when a line arrives (before the mutex is taken).
final class MutexLogSink: LogSink, @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let entered = Atomic<Bool>(false)
    private var lines: [String] = []

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    func lockMutex() { pthread_mutex_lock(mutex) }
    func unlockMutex() { pthread_mutex_unlock(mutex) }

    func write(_ category: LogCategories, _ line: String) {
        entered.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        lines.append(line)
        pthread_mutex_unlock(mutex)
    }
}
