import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// The async API (AsyncBridge.swift): calls run on the library's I/O threads, so a stalled
/// HSM never holds the cooperative pool; cancellation and per-call deadlines.
final class AsyncCallTests: XCTestCase {
    private func client(_ hsm: FakeHSM, linkNum: Int, readMs: Int = 5_000) -> CACipherClient {
        var cfg = CACipherConfig()
        cfg.hosts = [GroupTest.host(hsm, "HOST1", linkNum: linkNum, connMs: 1_000, readMs: readMs)]
        return CACipherClient(config: cfg, logSink: nil, options: GroupTest.options())
    }

    /// Sleeps of `stepMs` on the cooperative pool, `count` times; the worst lateness in ms.
    private static func worstSleepLateness(stepMs: Int, count: Int) async -> Double {
        var worst = 0.0
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try? await Task.sleep(nanoseconds: UInt64(stepMs) * 1_000_000)
            let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            worst = max(worst, took - Double(stepMs))
        }
        return worst
    }

    /// 8 tasks await calls to an HSM that stalls 2 s; sleeps on the cooperative pool keep
    /// their time (a blocking bridge would hold the pool's threads: lateness ~2 s).
    func testStalledHSMDoesNotBlockTheCooperativePool() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 8)
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))  // NC done, one pooled connection
        hsm.delayMs = 2_000
        let start = DispatchTime.now().uptimeNanoseconds
        async let lateness = Self.worstSleepLateness(stepMs: 50, count: 30)
        let replies = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { g in
            for i in 0..<8 {
                g.addTask { (i, try await c.transmit(GroupTest.echo("call\(i)"))) }
            }
            var all: [Int: [UInt8]] = [:]
            for try await (i, r) in g { all[i] = r }
            return all
        }
        let callsTook = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let worst = await lateness
        for i in 0..<8 { XCTAssertEqual(replies[i], GroupTest.reply("call\(i)"), "reply of call \(i)") }
        XCTAssertGreaterThan(callsTook, 1.5, "the HSM really stalled the calls")
        XCTAssertLessThan(worst, 500, "a Task.sleep on the cooperative pool woke \(worst) ms late while 8 calls awaited a 2 s stall")
        print("async: worst Task.sleep lateness \(String(format: "%.1f", worst)) ms while 8 calls awaited a 2 s stall")
    }

    /// A cancelled call gets CancellationError at once; its connection (stuck in the
    /// exchange) is closed, not pooled, and the next call gets its own reply. The member is
    /// not blamed.
    func testCancellationInterruptsTheExchange() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: -1)  // one pooled connection only
        defer { c.close() }
        _ = try await c.transmit(GroupTest.echo("warm"))
        hsm.delayMs = 3_000
        let task = Task { try await c.transmit(GroupTest.echo("first")) }
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.requests("XE") == 2 }, "the command reached the HSM")
        let cancelAt = DispatchTime.now().uptimeNanoseconds
        task.cancel()
        do {
            let r = try await task.value
            XCTFail("a cancelled call returned \(r.count) bytes")
        } catch is CancellationError {
        } catch {
            XCTFail("expected CancellationError, got \(error)")
        }
        let cancelTook = Double(DispatchTime.now().uptimeNanoseconds - cancelAt) / 1e9
        XCTAssertLessThan(cancelTook, 1.0, "cancellation was not prompt")
        hsm.delayMs = 0
        // The stuck connection was interrupted and closed: the next call opens a new one
        // (a pool of one would otherwise wait for the stalled reply) and reads its own reply.
        let second = try await c.transmit(GroupTest.echo("second"), timeout: .seconds(2))
        XCTAssertEqual(second, GroupTest.reply("second"))
        XCTAssertEqual(hsm.accepted, 2, "a new connection replaced the interrupted one")
        let st = c.memberStatus()[0]
        XCTAssertEqual(st.failures, 0, "a cancelled call is not the member's failure")
        XCTAssertEqual(st.state, .up)
        // A third call reuses the clean pooled connection.
        let third = try await c.transmit(GroupTest.echo("third"))
        XCTAssertEqual(third, GroupTest.reply("third"))
        XCTAssertEqual(hsm.accepted, 2)
    }

    /// Warms `c`'s one pooled connection, then holds it with a call the HSM answers after
    /// 1.5 s (`hsm.delayMs`): the member's pool and that call.
    private func holdTheOnlyConnection(_ c: CACipherClient, _ hsm: FakeHSM,
                                       file: StaticString = #filePath, line: UInt = #line) async throws
        -> (ConnectionPool, Task<[UInt8], Error>) {
        _ = try await c.transmit(GroupTest.echo("warm"))
        let pool = c.group.core.members[0].pool
        hsm.delayMs = 1_500
        let slow = Task { try await c.transmit(GroupTest.echo("slow")) }
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.requests("XE") == 2 }, "the slow call holds the connection", file: file, line: line)
        return (pool, slow)
    }

    /// A call cancelled while it waits for the only pooled connection (held by a slow call)
    /// stops waiting at once: CancellationError, no waiter left in the pool (its I/O thread
    /// is free long before the slow call ends), nothing sent, and the connection it never
    /// took stays pooled (not closed) and serves the next call.
    func testCancellationWhileWaitingForAPooledConnection() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: -1)  // one pooled connection only
        defer { c.close() }
        let (pool, slow) = try await holdTheOnlyConnection(c, hsm)
        let waiter = Task { try await c.transmit(GroupTest.echo("waiter")) }
        XCTAssertTrue(GroupTest.waitUntil(1) { pool.waitingNow == 1 }, "the second call waits for the pool")
        waiter.cancel()
        do {
            let r = try await waiter.value
            XCTFail("a cancelled call returned \(r.count) bytes")
        } catch is CancellationError {
        } catch {
            XCTFail("expected CancellationError, got \(error)")
        }
        // Well before the slow reply (1.5 s): the wait ended, the I/O thread is free.
        XCTAssertTrue(GroupTest.waitUntil(0.5) { pool.waitingNow == 0 }, "the cancelled call still waits for a connection")
        XCTAssertEqual(hsm.requests("XE"), 2, "the slow call is still in progress")
        let slowReply = try await slow.value
        XCTAssertEqual(slowReply, GroupTest.reply("slow"))
        hsm.delayMs = 0
        let after = try await c.transmit(GroupTest.echo("after"), timeout: .seconds(2))
        XCTAssertEqual(after, GroupTest.reply("after"))
        XCTAssertEqual(hsm.requests("XE"), 3, "warm, slow, after: the cancelled call never sent its request")
        XCTAssertEqual(hsm.accepted, 1, "the one pooled connection served every call (the cancelled call closed none)")
        XCTAssertEqual(pool.stats.open, 1)
        XCTAssertEqual(pool.stats.discarded, 0)
        XCTAssertEqual(c.memberStatus()[0].failures, 0, "a cancelled wait is not the member's failure")
        XCTAssertEqual(c.memberStatus()[0].state, .up)
    }

    /// A call whose own deadline passes while it waits for the only pooled connection ends
    /// then with `.timeout` naming its deadline (not "no reply" from the member), sends
    /// nothing and blames nobody; the blocking form with a deadline (CACipher_TransmitTimeout)
    /// the same.
    func testPerCallDeadlineWhileWaitingForAPooledConnection() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: -1)  // one pooled connection only
        defer { c.close() }
        let (pool, slow) = try await holdTheOnlyConnection(c, hsm)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            _ = try await c.transmit(GroupTest.echo("late"), timeout: .milliseconds(200))
            XCTFail("the call outlived its deadline")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.timeout.rawValue, e.message)
            XCTAssertTrue(e.message.contains("deadline of 200 ms passed while waiting"), e.message)
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(took, 1.2, "the deadline of 200 ms did not end the wait before the 1.5 s reply")
        XCTAssertThrowsError(try c.withDeadline(milliseconds: 200) { try c.run_blockingTransmit(GroupTest.echo("late2")) }) {
            let e = $0 as? CACipherError
            XCTAssertEqual(e?.code, CACipherError.Code.timeout.rawValue)
            XCTAssertTrue(e?.message.contains("deadline of 200 ms passed while waiting") ?? false, e?.message ?? "\($0)")
        }
        XCTAssertEqual(pool.waitingNow, 0)
        let slowReply = try await slow.value
        XCTAssertEqual(slowReply, GroupTest.reply("slow"))
        XCTAssertEqual(hsm.requests("XE"), 2, "the late calls sent nothing")
        XCTAssertEqual(c.memberStatus()[0].failures, 0, "the caller's own deadline is not the member's failure")
        hsm.delayMs = 0
        let after = try await c.transmit(GroupTest.echo("after"), timeout: .seconds(2))
        XCTAssertEqual(after, GroupTest.reply("after"))
        XCTAssertEqual(hsm.accepted, 1)
    }

    /// A call still queued for an I/O thread (every one busy) is resumed with `.timeout` when
    /// its own deadline passes, not when a thread frees up, and never runs later.
    func testPerCallDeadlineWhileQueuedForAnIOThread() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
        defer { c.close() }
        let threads = c.ioThreads.maxThreads
        let release = DispatchSemaphore(value: 0)
        let busy = Locked(0)
        var blockers: [Task<Void, Error>] = []
        for _ in 0..<threads {
            // Each holds an I/O thread for at most 5 s (bounded if the test fails).
            blockers.append(Task { try await c.run { _ in busy.update { $0 += 1 }; _ = release.wait(timeout: .now() + 5) } })
        }
        XCTAssertTrue(GroupTest.waitUntil(5) { busy.get == threads }, "every I/O thread is busy")
        let ran = Locked(false)
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try await c.run(timeout: .milliseconds(200)) { _ in ran.set(true) }
            XCTFail("the queued call outlived its deadline")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.timeout.rawValue, e.message)
            XCTAssertTrue(e.message.contains("deadline of 200 ms passed while it waited for one of \(threads) busy I/O threads"), e.message)
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        XCTAssertLessThan(took, 2.5, "the deadline of 200 ms ended the wait before a thread freed up (5 s)")
        for _ in 0..<threads { release.signal() }
        for b in blockers { try await b.value }
        // Jobs run in order: once a later one has run, the expired one would have too.
        let later = try await c.transmit(GroupTest.echo("later"), timeout: .seconds(2))
        XCTAssertEqual(later, GroupTest.reply("later"))
        XCTAssertFalse(ran.get, "the expired call never ran")
        XCTAssertEqual(c.ioThreads.expiredCount, 1)
    }

    /// A queued call whose I/O thread frees up before its deadline runs as usual.
    func testQueuedCallRunsWhenAThreadFreesUpInTime() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
        defer { c.close() }
        let threads = c.ioThreads.maxThreads
        let busy = Locked(0)
        var blockers: [Task<Void, Error>] = []
        for _ in 0..<threads {
            blockers.append(Task { try await c.run { _ in busy.update { $0 += 1 }; usleep(300_000) } })
        }
        XCTAssertTrue(GroupTest.waitUntil(5) { busy.get == threads }, "every I/O thread is busy")
        let reply = try await c.transmit(GroupTest.echo("queued"), timeout: .seconds(10))
        XCTAssertEqual(reply, GroupTest.reply("queued"))
        for b in blockers { try await b.value }
        XCTAssertEqual(c.ioThreads.expiredCount, 0)
    }

    /// A task cancelled before the call starts never sends it.
    func testAlreadyCancelledTaskSendsNothing() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
        defer { c.close() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await c.transmit(GroupTest.echo("never"))
        }
        do {
            _ = try await task.value
            XCTFail("a cancelled task's call ran")
        } catch is CancellationError {}
        XCTAssertEqual(hsm.requests("XE"), 0)
    }

    /// The per-call deadline ends a call on a slow HSM with `.timeout`, without blaming it.
    func testPerCallDeadline() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
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
        XCTAssertLessThan(took, 1.2, "the deadline of 200 ms did not end the call before the 1.5 s reply")
        XCTAssertEqual(c.memberStatus()[0].failures, 0, "the caller's own deadline is not the member's failure")
        XCTAssertEqual(c.memberStatus()[0].state, .up)
        // The blocking form with a deadline (what CACipher_TransmitTimeout uses).
        XCTAssertThrowsError(try c.withDeadline(milliseconds: 200) { try c.run_blockingTransmit(GroupTest.echo("slow2")) }) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.timeout.rawValue)
        }
    }

    /// A typed call's async form (generated wrapper) through the same bridge.
    func testTypedAsyncCall() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
        defer { c.close() }
        let data: [UInt8] = Array("async echo".utf8)
        let r = try await c.echo(data, timeout: .seconds(2))
        XCTAssertEqual(r, data)
        XCTAssertGreaterThanOrEqual(c.ioThreads.threadCounts.started, 1, "ran on the library's I/O threads")
    }

    /// After close, async calls fail with notInitialized (never hang).
    func testAsyncCallAfterClose() async throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = client(hsm, linkNum: 2)
        c.close()
        do {
            _ = try await c.transmit(GroupTest.echo("x"))
            XCTFail("call after close succeeded")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.notInitialized.rawValue)
        }
    }
}

extension CACipherClient {
    /// The blocking transmit from a synchronous helper (the blocking form is `noasync`).
    func run_blockingTransmit(_ payload: [UInt8]) throws -> [UInt8] { try transmit(payload) }
}
