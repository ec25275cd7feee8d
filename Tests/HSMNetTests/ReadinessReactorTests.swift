import Foundation
import HSMNet
import XCTest

/// `ReadinessReactor`: the async API's one reply waiter (epoll). Each registration is told
/// exactly once: ready, or its deadline passed.
final class ReadinessReactorTests: XCTestCase {
    /// Records what one registration was told (any thread).
    private final class Recorder: ReactorWaiter, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [ReactorEvent] = []
        private var at: [UInt64] = []
        func reactorEvent(_ event: ReactorEvent) {
            lock.lock()
            seen.append(event)
            at.append(DispatchTime.now().uptimeNanoseconds)
            lock.unlock()
        }
        var events: [ReactorEvent] { lock.lock(); defer { lock.unlock() }; return seen }
        var firstAt: UInt64? { lock.lock(); defer { lock.unlock() }; return at.first }
    }

    /// A connected pair of non-blocking stream sockets (closed by the caller).
    private func socketPair() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw XCTSkip("socketpair: \(errno)") }
        return (fds[0], fds[1])
    }

    private func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < end {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    private func isReady(_ e: ReactorEvent) -> Bool { if case .ready = e { return true }; return false }
    private func isTimedOut(_ e: ReactorEvent) -> Bool { if case .timedOut = e { return true }; return false }

    func testReadableSocketWakesItsWaiterOnce() throws {
        let r = ReadinessReactor()
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        defer { close(a); close(b) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 5_000), waiter: w))
        usleep(20_000)
        XCTAssertTrue(w.events.isEmpty, "told before anything arrived")
        var byte: UInt8 = 0x41
        XCTAssertEqual(write(b, &byte, 1), 1)
        XCTAssertTrue(wait(2) { !w.events.isEmpty })
        XCTAssertEqual(w.events.count, 1)
        XCTAssertTrue(isReady(w.events[0]))
        // One-shot: more bytes do not tell it again.
        XCTAssertEqual(write(b, &byte, 1), 1)
        usleep(50_000)
        XCTAssertEqual(w.events.count, 1, "a registration was told twice")
        XCTAssertEqual(r.stats.active, 0)
        // Re-armed (EPOLL_CTL_MOD of the socket already in the set): told again.
        let w2 = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 5_000), waiter: w2))
        XCTAssertTrue(wait(2) { !w2.events.isEmpty }, "bytes still unread: the re-armed registration is ready at once")
        XCTAssertTrue(isReady(w2.events[0]))
    }

    func testDeadlineTellsTimedOutOnceAndALateByteIsIgnored() throws {
        let r = ReadinessReactor()
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        defer { close(a); close(b) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 80), waiter: w))
        XCTAssertTrue(wait(2) { !w.events.isEmpty })
        let took = Double((w.firstAt ?? start) - start) / 1e6
        XCTAssertTrue(isTimedOut(w.events[0]))
        XCTAssertGreaterThanOrEqual(took, 75, "told before its deadline")
        // The socket is still armed: a byte now carries the old registration's token.
        var byte: UInt8 = 0x42
        XCTAssertEqual(write(b, &byte, 1), 1)
        usleep(50_000)
        XCTAssertEqual(w.events.count, 1, "a timed-out registration was told again")
        XCTAssertEqual(r.stats.timeouts, 1)
        XCTAssertEqual(r.stats.active, 0)
    }

    /// A peer that resets or closes the connection wakes the waiter (its read then fails).
    func testHangUpWakesTheWaiter() throws {
        let r = ReadinessReactor()
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        defer { close(a) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 5_000), waiter: w))
        close(b)
        XCTAssertTrue(wait(2) { !w.events.isEmpty })
        XCTAssertTrue(isReady(w.events[0]))
        var byte: UInt8 = 0
        XCTAssertEqual(read(a, &byte, 1), 0, "end of stream")
    }

    /// A registration whose deadline comes before the thread's current sleep wakes it
    /// (the eventfd); without the wake it would sleep the whole tick (here 5 s).
    func testShortDeadlineWakesASleepingThread() throws {
        let r = ReadinessReactor(tickMs: 5_000)
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        let (c, d) = try socketPair()
        defer { close(a); close(b); close(c); close(d) }
        XCTAssertTrue(r.ensureRunning())
        let long = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 10_000), waiter: long))
        usleep(50_000)  // the thread now sleeps until the 5 s tick
        let short = Recorder()
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertTrue(r.register(c, .readable, deadline: .after(milliseconds: 50), waiter: short))
        XCTAssertTrue(wait(3) { !short.events.isEmpty }, "the short deadline waited for the thread's tick")
        XCTAssertTrue(isTimedOut(short.events[0]))
        XCTAssertLessThan(Double((short.firstAt ?? start) - start) / 1e6, 1_000)
        XCTAssertGreaterThanOrEqual(r.stats.wakes, 1)
        XCTAssertTrue(long.events.isEmpty)
        var byte: UInt8 = 1
        XCTAssertEqual(write(b, &byte, 1), 1)
        XCTAssertTrue(wait(2) { !long.events.isEmpty })
    }

    /// Writable interest: a socket with room in its buffer is ready at once.
    func testWritableInterest() throws {
        let r = ReadinessReactor()
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        defer { close(a); close(b) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        XCTAssertTrue(r.register(a, .writable, deadline: .after(milliseconds: 5_000), waiter: w))
        XCTAssertTrue(wait(2) { !w.events.isEmpty })
        XCTAssertTrue(isReady(w.events[0]))
    }

    /// No thread, no registration; the thread ends when idle and after shutdown.
    func testThreadLifecycle() throws {
        let r = ReadinessReactor(idleSeconds: 1, tickMs: 50)
        let (a, b) = try socketPair()
        defer { close(a); close(b) }
        let w = Recorder()
        XCTAssertFalse(r.register(a, .readable, deadline: .after(milliseconds: 100), waiter: w),
                       "registered without a running thread")
        XCTAssertTrue(r.ensureRunning())
        XCTAssertTrue(r.stats.running)
        XCTAssertTrue(wait(4) { !r.stats.running }, "the idle thread did not end")
        XCTAssertTrue(r.ensureRunning(), "a new thread after the idle one ended")
        XCTAssertEqual(r.stats.threadsStarted, 2)
        r.shutdown()
        XCTAssertTrue(wait(3) { !r.stats.running }, "the thread did not end after shutdown")
        XCTAssertFalse(r.ensureRunning(), "a thread started after shutdown")
    }

    /// `ensureRunning` counts as activity: the thread does not end between it and the
    /// caller's registration (made after the request is written, when failing is costly).
    func testEnsureRunningKeepsTheThread() throws {
        let r = ReadinessReactor(idleSeconds: 1, tickMs: 50)
        defer { r.shutdown() }
        for _ in 0..<8 {
            XCTAssertTrue(r.ensureRunning())
            usleep(300_000)
        }
        XCTAssertEqual(r.stats.threadsStarted, 1, "the thread ended while callers kept asking for it")
        XCTAssertTrue(r.stats.running)
    }

    /// A registration in flight at shutdown is still told (its deadline), never dropped.
    func testShutdownKeepsRegistrationsUntilTheyEnd() throws {
        let r = ReadinessReactor()
        let (a, b) = try socketPair()
        defer { close(a); close(b) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 100), waiter: w))
        r.shutdown()
        XCTAssertTrue(wait(3) { !w.events.isEmpty }, "a registration was dropped at shutdown")
        XCTAssertTrue(isTimedOut(w.events[0]))
        XCTAssertTrue(wait(3) { !r.stats.running })
    }

    /// A forked child has neither the thread nor the parent's registrations: it gets an
    /// epoll set and a thread of its own, and never touches the parent's set (the parent's
    /// registration still fires afterwards).
    func testForkedChildUsesAnEpollSetOfItsOwn() throws {
        let r = ReadinessReactor()
        defer { r.shutdown() }
        let (a, b) = try socketPair()
        let (c, d) = try socketPair()
        defer { close(a); close(b); close(c); close(d) }
        XCTAssertTrue(r.ensureRunning())
        let w = Recorder()
        XCTAssertTrue(r.register(a, .readable, deadline: .after(milliseconds: 10_000), waiter: w))
        let pid = fork()
        if pid == 0 {
            let ok: Bool = {
                let mine = Recorder()
                guard r.ensureRunning(), r.register(c, .readable, deadline: .after(milliseconds: 3_000), waiter: mine) else { return false }
                guard r.stats.active == 1, r.stats.running else { return false }  // the parent's is not here
                var byte: UInt8 = 7
                guard write(d, &byte, 1) == 1 else { return false }
                let end = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
                while mine.events.isEmpty && DispatchTime.now().uptimeNanoseconds < end { usleep(2_000) }
                guard mine.events.count == 1, case .ready = mine.events[0] else { return false }
                return true
            }()
            _exit(ok ? 0 : 1)
        }
        XCTAssertGreaterThan(pid, 0, "fork failed")
        var status: Int32 = -1
        var exited = false
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            usleep(10_000)
        }
        if !exited {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        XCTAssertTrue(exited, "the child hung")
        XCTAssertEqual((status >> 8) & 0xFF, 0, "the child's own registration did not work")
        XCTAssertTrue(w.events.isEmpty, "the parent's waiter was told during the child's run")
        var byte: UInt8 = 9
        XCTAssertEqual(write(b, &byte, 1), 1)
        XCTAssertTrue(wait(2) { !w.events.isEmpty }, "the parent's registration was lost (the child touched its set)")
        XCTAssertTrue(isReady(w.events[0]))
    }
}
