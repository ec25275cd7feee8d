import HSMNet
import XCTest

/// `Deadline` (the monotonic clock every wait uses) and `ReadDeadline` (the emulator's
/// per-connection idle and frame deadlines on top of it).
final class DeadlineTests: XCTestCase {
    func testAfterClampsAndCountsDown() {
        let now = Deadline.nowNanoseconds()
        XCTAssertTrue(Deadline.after(milliseconds: -5).hasPassed)
        XCTAssertEqual(Deadline.after(milliseconds: -5).remainingPollMilliseconds, 0)
        let soon = Deadline.after(milliseconds: 200)
        XCTAssertFalse(soon.hasPassed)
        XCTAssertTrue((1...200).contains(soon.remainingPollMilliseconds), "\(soon.remainingPollMilliseconds)")
        XCTAssertLessThan(Deadline.now, soon)
        // Absurd values count as a year, so the nanoseconds cannot overflow.
        let far = Deadline.after(milliseconds: Int.max)
        XCTAssertLessThanOrEqual(far.nanoseconds - now, 366 * 86_400 * 1_000_000_000)
        XCTAssertEqual(far.remainingPollMilliseconds, Int32.max)
    }

    func testRemainingMillisecondsRoundUp() {
        let d = Deadline(nanoseconds: Deadline.nowNanoseconds() + 1_000_000_000 + 1)
        XCTAssertGreaterThanOrEqual(d.remainingPollMilliseconds, 1000)
    }

    func testReadDeadlineIdleExpiresAndNamesItsPhase() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        var d = ReadDeadline(fd: fds[0], idle: 0.05, frame: 1)
        d.awaitFrame()
        let start = Deadline.nowNanoseconds()
        XCTAssertFalse(d.waitReadable(), "nothing was sent: the idle timeout ends the wait")
        XCTAssertGreaterThanOrEqual(Deadline.nowNanoseconds() - start, 40_000_000)
        XCTAssertEqual(d.phase, .waiting)
        XCTAssertEqual(d.expiredReason, "idle for 0.05 s (--idle-timeout)")
        // A byte starts the frame: the frame deadline runs from then on.
        XCTAssertEqual(write(fds[1], "x", 1), 1)
        d.awaitFrame()
        XCTAssertTrue(d.waitReadable())
        XCTAssertEqual(d.phase, .inFrame)
        d.fixed(0)
        XCTAssertEqual(d.expiredReason, "the TLS handshake did not complete in time")
    }

    func testNativeThreadRunsItsBodyAndJoins() throws {
        let ran = PThreadLocked(false)
        let t = try XCTUnwrap(NativeThread.start(name: "hsmnet-test") { ran.withLock { $0 = true } })
        t.join()
        XCTAssertTrue(ran.withLock { $0 })
    }

    func testConditionLockWaitEndsAtItsDeadline() {
        let lock = ConditionLock()
        let start = Deadline.nowNanoseconds()
        let signalled = lock.withLock { lock.wait(until: .after(milliseconds: 30)) }
        XCTAssertFalse(signalled)
        XCTAssertGreaterThanOrEqual(Deadline.nowNanoseconds() - start, 25_000_000)
    }
}
