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

    /// The standby checker runs in a forked child too: after the child's first call its own
    /// thread checks the idle standby (its count of standby probes goes up in the child,
    /// where the parent's thread does not exist), and the child's shutdown stops it.
    func testStandbyCheckerRunsInAForkedChild() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let g = HostGroup(hosts: [GroupTest.host(a, "HOST1", linkNum: -1, readMs: 2000),
                                  GroupTest.host(b, "HOST2", linkNum: -1, readMs: 2000)],
                          log: .off, options: GroupTest.options { $0.standbyProbeIntervalMs = 50 })
        defer { g.shutdown() }
        XCTAssertEqual(try g.transmit(GroupTest.echo("before")), GroupTest.reply("before"))
        let standbyProbes = { g.core.lock.withLock { g.core.members[1].metrics.standbyProbes } }
        XCTAssertTrue(GroupTest.waitUntil(5) { standbyProbes() >= 1 }, "the parent checks its standby")

        let child = fork()
        if child == 0 {
            // Child: only async-signal-tolerant exits from here (no XCTest, no stdio flush).
            let atFork = standbyProbes()
            guard (try? g.transmit(GroupTest.echo("child"))) == GroupTest.reply("child") else { _exit(2) }
            // At least two rounds of the child's own checker (50 ms apart), bounded at 5 s.
            var ran = false
            for _ in 0..<500 {
                if standbyProbes() >= atFork + 2 { ran = true; break }
                usleep(10_000)
            }
            guard ran else { _exit(3) }
            g.shutdown()  // joins the child's checker
            _exit(0)
        }
        XCTAssertGreaterThan(child, 0, "fork failed")
        guard child > 0 else { return }
        let done = waitForChild(child)
        XCTAssertTrue(done.inTime, "the child finished in time")
        XCTAssertTrue(done.succeeded, "the child's standby checker ran and stopped (status \(done.status): 2 call, 3 no checks)")
        XCTAssertEqual(try g.transmit(GroupTest.echo("after")), GroupTest.reply("after"), "the parent keeps working")
    }

    /// A forked child that shuts the group down before any call (so before the group saw
    /// the fork) leaves the parent's standby checker alone: its lock may be held at the fork
    /// (here: by this thread while it forks) and its thread does not exist in the child.
    func testChildShutdownWithoutACallLeavesTheParentsChecker() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let g = HostGroup(hosts: [GroupTest.host(a, "HOST1"), GroupTest.host(b, "HOST2")],
                          log: .off, options: GroupTest.options { $0.standbyProbeIntervalMs = 50 })
        defer { g.shutdown() }
        guard let checker = g.core.lock.withLock({ g.core.standby }) else {
            return XCTFail("the parent has no standby checker")
        }
        checker.lock.lock()  // held across the fork: stays held in the child
        let child = fork()
        if child == 0 {
            g.shutdown()
            _exit(0)
        }
        checker.lock.unlock()
        XCTAssertGreaterThan(child, 0, "fork failed")
        guard child > 0 else { return }
        let done = waitForChild(child, seconds: 5)
        XCTAssertTrue(done.inTime, "the child's shutdown returned (it did not stop the parent's checker)")
        XCTAssertTrue(done.succeeded, "status \(done.status)")
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
