import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol
import HSMNet

/// A forked child must open its own connections instead of sharing the parent's sockets.
final class GroupForkTests: XCTestCase {
    func testChildRecreatesConnectionsAndParentKeepsWorking() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -1, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        XCTAssertEqual(try g.transmit(GroupTest.echo("before")), GroupTest.reply("before"))
        XCTAssertEqual(s.accepted, 1)

        let child = fork()
        if child == 0 {
            // Child: only async-signal-tolerant exits from here (no XCTest, no stdio flush).
            var ok = true
            for i in 0..<5 {
                ok = ok && (try? g.transmit(GroupTest.echo("child\(i)"))) == GroupTest.reply("child\(i)")
            }
            _exit(ok ? 0 : 1)
        }
        XCTAssertGreaterThan(child, 0, "fork failed")
        guard child > 0 else { return }

        let done = waitForChild(child)
        XCTAssertTrue(done.inTime, "the child finished in time")
        XCTAssertTrue(done.succeeded, "child calls succeeded (status \(done.status))")
        XCTAssertEqual(s.accepted, 2, "the child opened its own connection")
        XCTAssertEqual(s.requests("XE"), 6)

        // The parent's pooled connection was not disturbed by the child.
        XCTAssertEqual(try g.transmit(GroupTest.echo("after")), GroupTest.reply("after"))
        XCTAssertEqual(s.accepted, 2, "the parent still uses its own connection")
    }

    /// The one fork check of the pool and the group: `true` once in a child, never in the
    /// process that made it.
    func testForkWatcherTellsAForkedChildOnce() throws {
        var watcher = ForkWatcher()
        XCTAssertFalse(watcher.forkedSinceLastCheck())
        XCTAssertTrue(watcher.isSameProcess)
        let child = fork()
        if child == 0 {
            var w = watcher
            let ok = !w.isSameProcess && w.forkedSinceLastCheck() && !w.forkedSinceLastCheck()
                && w.isSameProcess && w.processID == getpid()
            _exit(ok ? 0 : 1)
        }
        XCTAssertGreaterThan(child, 0, "fork failed")
        guard child > 0 else { return }
        let done = waitForChild(child)
        XCTAssertTrue(done.inTime, "the child finished in time")
        XCTAssertTrue(done.succeeded, "the child's watcher saw the fork once (status \(done.status))")
        XCTAssertFalse(watcher.forkedSinceLastCheck(), "the parent did not fork")
        XCTAssertEqual(watcher.processID, getpid())
    }
}
