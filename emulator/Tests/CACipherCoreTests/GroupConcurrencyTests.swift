import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Many threads over one group: every reply must answer its own request. Also run under
/// ThreadSanitizer (`make tsan`).
final class GroupConcurrencyTests: XCTestCase {
    private func unique(_ thread: Int, _ i: Int) -> String {
        "T\(thread)-I\(i)-R\(UInt32.random(in: 0...UInt32.max))"
    }

    func testSixteenThreadsTwoHundredCallsThreeMembers() throws {
        let s = try (0..<3).map { _ in try FakeHSM() }
        defer { for x in s { x.close() } }
        let g = HostGroup(hosts: s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: -4, readMs: 5000) },
                          log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        let threads = 16, calls = 200
        let wrong = Locked(0)
        let failed = Locked(0)
        XCTAssertTrue(runConcurrently(threads, timeout: 120) { t in
            for i in 0..<calls {
                let text = self.unique(t, i)
                do {
                    let reply = try g.transmit(GroupTest.echo(text))
                    if reply != GroupTest.reply(text) { wrong.update { $0 += 1 } }
                } catch {
                    failed.update { $0 += 1 }
                }
            }
        })
        XCTAssertEqual(wrong.get, 0, "a reply answered another request")
        XCTAssertEqual(failed.get, 0)
        let st = g.memberStatus()
        XCTAssertEqual(st.map(\.completed).reduce(0, +), threads * calls)
        XCTAssertEqual(st.map(\.inFlight), [0, 0, 0])
        XCTAssertEqual(s.map { $0.requests("XE") }.reduce(0, +), threads * calls)
        for x in s { XCTAssertLessThanOrEqual(x.accepted, 4, "pool-only members never exceed |linkNum| connections") }
    }

    func testLoadSurvivesAMemberStoppingAndComingBack() throws {
        let s = try (0..<3).map { _ in try FakeHSM() }
        defer { for x in s { x.close() } }
        let g = HostGroup(hosts: s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: 3, readMs: 2000) },
                          log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        for x in s { x.delayMs = 5 }  // keep the load running across the outage
        let wrong = Locked(0)
        let failed = Locked(0)
        let chaos = Thread {
            usleep(30_000)
            s[1].stop()
            usleep(150_000)
            try? s[1].resume()
        }
        chaos.start()
        XCTAssertTrue(runConcurrently(8, timeout: 120) { t in
            for i in 0..<150 {
                let text = self.unique(t, i)
                do {
                    if try g.transmit(GroupTest.echo(text)) != GroupTest.reply(text) { wrong.update { $0 += 1 } }
                } catch {
                    failed.update { $0 += 1 }
                }
            }
        })
        XCTAssertEqual(wrong.get, 0)
        XCTAssertEqual(failed.get, 0, "idempotent calls never fail while other members are up")
        XCTAssertGreaterThanOrEqual(g.memberStatus()[1].ejections, 1, "the outage happened under load")
        XCTAssertTrue(GroupTest.waitUntil(5) { g.memberStatus().allSatisfy { $0.state == .up } })
    }

    func testStatusReadsDuringLoad() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let g = HostGroup(hosts: [GroupTest.host(s, "HOST1", linkNum: -2, readMs: 2000)], log: .off, options: GroupTest.options())
        defer { g.shutdown() }
        let maxInFlight = Locked(0)
        XCTAssertTrue(runConcurrently(5, timeout: 60) { t in
            for i in 0..<100 {
                if t == 0 {
                    let n = g.memberStatus()[0].inFlight
                    maxInFlight.update { $0 = max($0, n) }
                } else {
                    _ = try? g.transmit(GroupTest.echo("s\(t)-\(i)"))
                }
            }
        })
        XCTAssertLessThanOrEqual(maxInFlight.get, 4)
        XCTAssertEqual(g.memberStatus()[0].completed, 400)
    }
}
