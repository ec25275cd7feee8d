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

    /// 2. Pool-only member with two connections and a 40 ms answer, 48 threads calling in
    /// a loop (the case, scaled down): served in arrival order, each call waits for
    /// the 46 others ahead of it, about 0.9 s, below the 1.5 s pool wait, so no call fails
    /// and every thread gets all of its calls through. Served in no particular order (a
    /// woken waiter loses to whoever locks first), some wait longer than 1.5 s and fail
    /// with POOL_EXHAUSTED.
    func testPoolWaitersAreServedInArrivalOrder() throws {
        let s = try fakes(1)
        s[0].delayMs = 40
        let g = group([GroupTest.host(s[0], "HOST1", linkNum: -2, readMs: 1500)])
        let threads = 48, calls = 3
        XCTAssertEqual(try g.transmit(GroupTest.echo("warm")), GroupTest.reply("warm"))  // HOST1 checked and up
        let served = Locked([Int](repeating: 0, count: threads))
        let codes = Locked([Int32: Int]())
        XCTAssertTrue(runConcurrently(threads, timeout: 120) { t in
            for i in 0..<calls {
                let text = "f\(t)-\(i)"
                do {
                    if try g.transmit(GroupTest.echo(text)) == GroupTest.reply(text) { served.update { $0[t] += 1 } }
                } catch {
                    codes.update { $0[(error as? CACipherError)?.code ?? 0, default: 0] += 1 }
                }
            }
        })
        XCTAssertEqual(codes.get, [:], "no call failed (POOL_EXHAUSTED is \(CACipherError.Code.poolExhausted.rawValue))")
        XCTAssertEqual(served.get, [Int](repeating: calls, count: threads), "every thread got every call through")
        XCTAssertEqual(s[0].accepted, 2, "the two pooled connections served everything")
        XCTAssertEqual(s[0].requests("NC"), 2, "one DMK check per connection")
    }

    /// 3. A single member that accepts but never answers, one pooled connection, four
    /// threads calling at once with a 1 s timeout: every call ends within its deadline
    /// (1 s; checked with 1 s to spare) and says TIMEOUT, the real cause: not POOL_EXHAUSTED
    /// for the two that waited for the connection, and not after a second full timeout
    /// for the one that got the connection when the first gave it back.
    func testOneCallIsBoundedByItsDeadlineAndNamesTheRealCause() throws {
        let s = try fakes(1)
        s[0].behaviour = .silent
        let g = group([GroupTest.host(s[0], "HOST1", linkNum: -1, connMs: 1000, readMs: 1000)])
        let codes = Locked([Int32]())
        let slowest = Locked(0.0)
        XCTAssertTrue(runConcurrently(4, timeout: 30) { _ in
            let (code, seconds) = GroupTest.timed { () -> Int32 in
                do { _ = try g.transmit(GroupTest.echo("d")); return 0 } catch { return (error as? CACipherError)?.code ?? 1 }
            }
            codes.update { $0.append(code) }
            slowest.update { $0 = max($0, seconds) }
        })
        XCTAssertEqual(codes.get, [Int32](repeating: CACipherError.Code.timeout.rawValue, count: 4))
        XCTAssertLessThan(slowest.get, 1.0 + 1.0, "deadline + 1 s")
    }

    /// 3. Two members that never answer, six threads, 1 s timeouts: a call ends within its
    /// deadline (2 x 1 s for a group) and says TIMEOUT or ALL_MEMBERS_DOWN, never
    /// POOL_EXHAUSTED.
    func testGroupCallIsBoundedByItsDeadline() throws {
        let s = try fakes(2)
        for x in s { x.behaviour = .silent }
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: -1, connMs: 1000, readMs: 1000) }
        let g = group(hosts)
        let codes = Locked([Int32]())
        let slowest = Locked(0.0)
        XCTAssertTrue(runConcurrently(6, timeout: 30) { _ in
            let (code, seconds) = GroupTest.timed { () -> Int32 in
                do { _ = try g.transmit(GroupTest.echo("d")); return 0 } catch { return (error as? CACipherError)?.code ?? 1 }
            }
            codes.update { $0.append(code) }
            slowest.update { $0 = max($0, seconds) }
        })
        XCTAssertEqual(codes.get.count, 6)
        for c in codes.get {
            XCTAssertTrue(c == CACipherError.Code.timeout.rawValue || c == CACipherError.Code.allMembersDown.rawValue, "code \(c)")
        }
        XCTAssertLessThan(slowest.get, 2.0 + 1.0, "deadline + 1 s")
    }
}
