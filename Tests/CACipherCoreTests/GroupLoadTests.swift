import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Issue 19: what callers see under faulty members and load (many threads on loopback).
/// Every assertion counts (calls, ejections, error codes, lines); the only time bounds are
/// "returned within the deadline + 1 s".
final class GroupLoadTests: GroupTestCase {
    private func group(_ hosts: [HostConfig], log: Log = .off,
                       options: GroupOptions = GroupTest.options()) -> HostGroup {
        track(HostGroup(hosts: hosts, log: log, options: options))
    }

    /// 1. Two members answer `NC` but garble every command, one is healthy. An ejected
    /// member comes back only through the prober (here: not within the test, its backoff is
    /// a minute), never because an application thread checked a new connection to it.
    func testEjectedMembersAreReadmittedOnlyByTheProber() throws {
        let s = try fakes(3)
        for x in s[0..<2] {
            x.behaviour = .garbageExceptNC
            x.delayMs = 2  // keeps calls on them in flight while others check new connections
        }
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: -2, readMs: 3000) }
        let g = group(hosts, options: GroupTest.options {
            $0.probeInitialBackoffMs = 60_000
            $0.probeMaxBackoffMs = 60_000
            $0.retryBurst = 10_000  // this test is about re-admission, not the budget
        })
        let failed = Locked(0)
        XCTAssertTrue(runConcurrently(16, timeout: 120) { t in
            for i in 0..<40 {
                let text = "r\(t)-\(i)"
                if (try? g.transmit(GroupTest.echo(text))) != GroupTest.reply(text) { failed.update { $0 += 1 } }
            }
        })
        let st = g.memberStatus()
        XCTAssertEqual(failed.get, 0, "a healthy member was up the whole time")
        XCTAssertEqual(st[0].ejections, 1, "HOST1 was ejected once and never re-admitted by a caller")
        XCTAssertEqual(st[1].ejections, 1, "HOST2 was ejected once and never re-admitted by a caller")
        XCTAssertEqual(st.map(\.state), [.ejected, .ejected, .up])
        XCTAssertEqual(st[2].completed, 16 * 40)
    }
}
