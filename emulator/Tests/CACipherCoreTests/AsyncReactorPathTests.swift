import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// The async `transmit`'s fast path (HostGroup+Reactor.swift): written on the caller's
/// thread, the reply read by the client's reactor thread; the blocking path on the I/O
/// threads for everything that might wait, and after a failure.
final class AsyncReactorPathTests: XCTestCase {
    private func client(_ hsms: [FakeHSM], linkNum: Int = -2, readMs: Int = 5_000) -> CACipherClient {
        var cfg = CACipherConfig()
        cfg.hosts = hsms.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: linkNum, connMs: 1_000, readMs: readMs) }
        return CACipherClient(config: cfg, logSink: nil, options: GroupTest.options())
    }

    /// After the first call (a new connection and its DMK check: the blocking path), calls
    /// on the idle pooled connection are answered through the reactor: no further I/O
    /// thread work, one reactor thread, no registration left behind.
    func testRepliesComeThroughTheReactor() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client([hsm])
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        let ioJobsBefore = c.ioThreads.submittedCount
        for i in 0..<20 {
            let r = try await c.transmit(GroupTest.echo("call\(i)"))
            XCTAssertEqual(r, GroupTest.reply("call\(i)"))
        }
        XCTAssertEqual(c.ioThreads.submittedCount, ioJobsBefore, "the calls went to the I/O threads")
        let s = c.reactor.stats
        XCTAssertEqual(s.threadsStarted, 1)
        XCTAssertEqual(s.active, 0, "a registration outlived its call")
        XCTAssertEqual(c.memberStatus()[0].completed, 21)
        XCTAssertEqual(hsm.openConnections, 1, "one pooled connection carried every call")
    }

    /// Several tasks at once: each gets its own reply (no reply crossed to another call).
    func testConcurrentCallsGetTheirOwnReplies() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client([hsm], linkNum: -4)
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        try await withThrowingTaskGroup(of: Void.self) { g in
            for t in 0..<4 {
                g.addTask {
                    for i in 0..<25 {
                        let r = try await c.transmit(GroupTest.echo("t\(t)-\(i)"))
                        XCTAssertEqual(r, GroupTest.reply("t\(t)-\(i)"))
                    }
                }
            }
            try await g.waitForAll()
        }
        XCTAssertEqual(c.reactor.stats.active, 0)
        XCTAssertEqual(c.memberStatus()[0].failures, 0)
    }

    /// The per-call deadline on the fast path: the reactor's deadline ends the wait, the
    /// call fails with `.timeout`, the member is not blamed, the connection is closed.
    func testDeadlineFiredByTheReactor() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client([hsm])
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        hsm.delayMs = 1_500
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            _ = try await c.transmit(GroupTest.echo("slow"), timeout: .milliseconds(200))
            XCTFail("the call outlived its deadline")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.timeout.rawValue, e.message)
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(took, 1.2)
        XCTAssertEqual(c.reactor.stats.timeouts, 1, "the reactor's deadline did not end the call")
        XCTAssertEqual(c.memberStatus()[0].failures, 0, "the caller's own deadline is not the member's failure")
        hsm.delayMs = 0
        let r = try await c.transmit(GroupTest.echo("after"), timeout: .seconds(3))
        XCTAssertEqual(r, GroupTest.reply("after"), "a late reply to the timed-out call was read as this one's")
    }

    /// Cancelled while the reactor waits: resumed at once, the exchange interrupted, the
    /// registration gone, nothing blamed.
    func testCancellationWhileTheReactorWaits() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client([hsm], linkNum: -1)
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        hsm.delayMs = 3_000
        let task = Task { try await c.transmit(GroupTest.echo("stuck")) }
        XCTAssertTrue(GroupTest.waitUntil(2) { c.reactor.stats.active == 1 }, "the call did not wait in the reactor")
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled call returned")
        } catch is CancellationError {}
        XCTAssertTrue(GroupTest.waitUntil(2) { c.reactor.stats.active == 0 }, "the registration outlived the cancelled call")
        XCTAssertEqual(c.reactor.stats.timeouts, 0, "ended by its deadline, not by the cancellation")
        XCTAssertEqual(c.memberStatus()[0].failures, 0)
        hsm.delayMs = 0
        let r = try await c.transmit(GroupTest.echo("next"), timeout: .seconds(3))
        XCTAssertEqual(r, GroupTest.reply("next"))
    }

    /// A connection reset on the fast path: an idempotent command is re-sent to the other
    /// member (blocking path), the first member is blamed once.
    func testResetIsReSentElsewhereWhenIdempotent() async throws {
        let a = try FakeHSM()
        let b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b])
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        XCTAssertEqual(a.requests("XE"), 1, "HOST1 (config order) served the first call")
        a.behaviour = .closeOnRequest
        let r = try await c.transmit(GroupTest.echo("again"), idempotent: true)
        XCTAssertEqual(r, GroupTest.reply("again"))
        XCTAssertEqual(a.requests("XE"), 2, "the command reached HOST1 on the fast path")
        XCTAssertEqual(b.requests("XE"), 1, "re-sent to HOST2")
        XCTAssertEqual(c.memberStatus()[0].failures, 1)
        XCTAssertEqual(c.reactor.stats.active, 0)
    }

    /// The same reset for a command that may have stored something: not re-sent.
    func testResetIsNotReSentWhenNotIdempotent() async throws {
        let a = try FakeHSM()
        let b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b])
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        a.behaviour = .closeOnRequest
        do {
            _ = try await c.transmit(GroupTest.echo("store"), idempotent: false)
            XCTFail("the reset call succeeded")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.io.rawValue, e.message)
            XCTAssertTrue(e.message.contains("not re-sent"), e.message)
        }
        XCTAssertEqual(b.requests("XE"), 0, "a command that may have reached HOST1 was re-sent")
    }

    /// Every pooled connection busy: the call takes the blocking path (it waits for one on
    /// an I/O thread) and still gets its reply.
    func testBusyPoolTakesTheBlockingPath() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client([hsm], linkNum: -1)
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        hsm.delayMs = 300
        async let first = c.transmit(GroupTest.echo("first"))
        XCTAssertTrue(GroupTest.waitUntil(2) { c.reactor.stats.active == 1 })
        let ioBefore = c.ioThreads.submittedCount
        let second = try await c.transmit(GroupTest.echo("second"), timeout: .seconds(3))
        let firstReply = try await first
        XCTAssertEqual(firstReply, GroupTest.reply("first"))
        XCTAssertEqual(second, GroupTest.reply("second"))
        XCTAssertGreaterThan(c.ioThreads.submittedCount, ioBefore, "the waiting call did not use an I/O thread")
    }

    /// Two members with hedging on (the default `auto`) and a hedge-safe command (`B2`):
    /// the call keeps the I/O-thread path, where its hedge is sent and resolved; a command
    /// that is not hedge-safe (`XE`) takes the reactor.
    func testHedgeableCallsKeepTheBlockingPath() async throws {
        let a = try FakeHSM()
        let b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b])
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        let before = c.ioThreads.submittedCount
        let r = try await c.transmit(Array("B2000401AB".utf8))
        XCTAssertEqual(Array(r.prefix(4)), Array("B300".utf8))
        XCTAssertEqual(c.ioThreads.submittedCount, before + 1, "a hedgeable call did not take the I/O threads")
        let started = c.reactor.stats.threadsStarted
        _ = try await c.transmit(GroupTest.echo("plain"))
        XCTAssertEqual(c.ioThreads.submittedCount, before + 1, "a call that may not be hedged took the I/O threads")
        XCTAssertGreaterThanOrEqual(c.reactor.stats.threadsStarted, max(1, started))
    }
}
