import Foundation
import HSMNet
import XCTest
@testable import CACipherCore
import HostProtocol

final class PoolTests: XCTestCase {
    private func pool(_ hsm: FakeHSM, linkNum: Int, readMs: Int = 500, sink: RecordingSink? = nil) -> ConnectionPool {
        let h = GroupTest.host(hsm, "HOST1", linkNum: linkNum, readMs: readMs)
        return ConnectionPool(config: h, connector: TCPConnector(host: h.host, port: h.port), maxReplyLength: 65_535,
                              log: Log(categories: [.debug], sink: sink))
    }

    private func echo(_ c: Connection, _ text: String) throws -> [UInt8] {
        try c.exchange(GroupTest.echo(text), command: CommandCode("XE"), timeoutMs: 1000).bytes
    }

    func testConnectionsAreOpenedLazily() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: -4)
        defer { p.shutdown() }
        usleep(50_000)
        XCTAssertEqual(hsm.accepted, 0, "no connection before the first use")
        XCTAssertEqual(p.stats.opened, 0)
        for i in 0..<5 {
            let c = try p.acquire()
            XCTAssertEqual(try echo(c, "\(i)"), GroupTest.reply("\(i)"))
            p.release(c)
        }
        XCTAssertEqual(p.stats.opened, 1, "sequential use needs one connection")
        XCTAssertEqual(hsm.accepted, 1)
    }

    func testNegativeLinkNumWaitsThenPoolExhausted() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: -1, readMs: 300)
        defer { p.shutdown() }
        let held = try p.acquire()
        let (result, seconds) = GroupTest.timed { () -> TransportFailure? in
            do { _ = try p.acquire(); return nil } catch { return error as? TransportFailure }
        }
        XCTAssertEqual(result?.code, .poolExhausted)
        XCTAssertEqual(result?.notSent, true)
        XCTAssertGreaterThanOrEqual(seconds, 0.29, "waited for the read timeout")
        XCTAssertLessThan(seconds, 0.9)
        XCTAssertEqual(p.stats.opened, 1, "pool only: no extra connection")

        // A waiter gets the connection as soon as it comes back.
        let waiterResult = Locked<[UInt8]?>(nil)
        let done = runConcurrently(1, timeout: 5) { _ in
            if let c = try? p.acquire() {
                let r = (try? c.exchange(GroupTest.echo("w"), command: CommandCode("XE"), timeoutMs: 1000))?.bytes
                waiterResult.set(r)
                p.release(c)
            }
        }
        XCTAssertTrue(done)
        XCTAssertNil(waiterResult.get, "the waiter ran out of time while the connection was held")
        let waiterDone = DispatchGroup()
        waiterDone.enter()
        Thread {
            if let c = try? p.acquire() {
                let r = (try? c.exchange(GroupTest.echo("w"), command: CommandCode("XE"), timeoutMs: 1000))?.bytes
                waiterResult.set(r)
                p.release(c)
            }
            waiterDone.leave()
        }.start()
        usleep(100_000)
        p.release(held)
        XCTAssertEqual(waiterDone.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(waiterResult.get, GroupTest.reply("w"))
        XCTAssertEqual(hsm.accepted, 1, "the waiter reused the pooled connection")
    }

    func testPositiveLinkNumOverflowsWithShortConnections() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: 1)
        defer { p.shutdown() }
        let pooled = try p.acquire()
        let extra = try p.acquire()
        XCTAssertTrue(pooled.pooled)
        XCTAssertFalse(extra.pooled)
        XCTAssertEqual(try echo(extra, "o"), GroupTest.reply("o"))
        p.release(extra)
        p.release(pooled)
        XCTAssertEqual(p.stats.overflow, 1)
        XCTAssertEqual(p.stats.idle, 1, "only the pooled connection is kept")
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.openConnections == 1 }, "the short connection was closed")
    }

    /// linkNum=0, the vendor's short-connection mode: no pooled connection at all; every
    /// exchange has a connection of its own, closed when it comes back.
    func testLinkNumZeroUsesShortConnectionsOnly() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: 0)
        defer { p.shutdown() }
        for i in 0..<3 {
            let c = try p.acquire()
            XCTAssertFalse(c.pooled, "exchange \(i): a short-lived connection")
            XCTAssertEqual(try echo(c, "s\(i)"), GroupTest.reply("s\(i)"))
            p.release(c)
        }
        XCTAssertEqual(p.stats.opened, 3, "one connection per exchange")
        XCTAssertEqual(p.stats.overflow, 3)
        XCTAssertEqual(p.stats.idle, 0, "nothing is kept")
        XCTAssertEqual(hsm.accepted, 3)
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.openConnections == 0 }, "every connection was closed after its exchange")
    }

    func testBrokenConnectionIsReplaced() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: -1)
        defer { p.shutdown() }
        hsm.behaviour = .closeOnRequest
        let c1 = try p.acquire()
        XCTAssertThrowsError(try echo(c1, "x"))
        p.release(c1)
        XCTAssertEqual(p.stats.open, 0, "the broken connection freed its slot")
        XCTAssertEqual(p.stats.discarded, 1)
        hsm.behaviour = .normal
        let c2 = try p.acquire()
        XCTAssertFalse(c1 === c2)
        XCTAssertEqual(try echo(c2, "y"), GroupTest.reply("y"))
        p.release(c2)
        XCTAssertEqual(hsm.accepted, 2)
    }

    func testStaleIdleConnectionIsReplacedBeforeUse() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let sink = RecordingSink()
        let p = pool(hsm, linkNum: -1, sink: sink)
        defer { p.shutdown() }
        let c1 = try p.acquire()
        XCTAssertTrue(sink.contains(.debug, "HOST1", "opened a pooled connection"))
        _ = try echo(c1, "a")
        p.release(c1)
        hsm.dropConnections()
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.openConnections == 0 })
        let c2 = try p.acquire()
        XCTAssertEqual(try echo(c2, "b"), GroupTest.reply("b"), "no request went to the dead connection")
        p.release(c2)
        XCTAssertEqual(p.stats.discarded, 1)
        XCTAssertEqual(hsm.accepted, 2)
        XCTAssertTrue(sink.contains(.debug, "HOST1", "replacing it"))
    }

    func testConnectFailureFreesTheSlot() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: -1)
        defer { p.shutdown() }
        hsm.stopListening()
        XCTAssertThrowsError(try p.acquire()) { XCTAssertEqual(($0 as? TransportFailure)?.code, .connect) }
        XCTAssertEqual(p.stats.open, 0)
        try hsm.resume()
        let c = try p.acquire()
        XCTAssertEqual(try echo(c, "r"), GroupTest.reply("r"))
        p.release(c)
    }

    func testShutdownClosesIdleAndRefusesAcquire() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let p = pool(hsm, linkNum: -2)
        let c = try p.acquire()
        p.release(c)
        p.shutdown()
        XCTAssertEqual(p.stats.open, 0)
        XCTAssertThrowsError(try p.acquire()) { XCTAssertEqual(($0 as? TransportFailure)?.code, .notInitialized) }
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.openConnections == 0 })
    }
}
