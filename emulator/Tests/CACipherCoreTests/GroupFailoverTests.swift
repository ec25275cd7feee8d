import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// The failure cases of ha.md on loopback: each counts failed calls (none while another
/// member is up), bounds every call by the configured timeouts, and watches the member
/// get ejected and come back.
final class GroupFailoverTests: GroupTestCase {
    private func group(_ hosts: [HostConfig], sink: RecordingSink? = nil,
                       options: GroupOptions = GroupTest.options()) -> HostGroup {
        let log = Log(categories: [.error, .warn, .info, .debug], sink: sink)
        return track(HostGroup(hosts: hosts, log: log, options: options))
    }

    /// Runs `count` echo calls; returns (failed calls, slowest call in seconds).
    private func drive(_ g: HostGroup, _ count: Int, idempotent: Bool = true) -> (failed: Int, slowest: Double) {
        var failed = 0
        var slowest = 0.0
        for i in 0..<count {
            let (ok, s) = GroupTest.timed { (try? g.transmit(GroupTest.echo("c\(i)"), idempotent: idempotent)) == GroupTest.reply("c\(i)") }
            if !ok { failed += 1 }
            slowest = max(slowest, s)
        }
        return (failed, slowest)
    }

    private func state(_ g: HostGroup, _ i: Int) -> MemberState { g.memberStatus()[i].state }

    // MARK: behaviour 1/2

    func testOneLogicalDeviceLeastOutstandingWithConfigOrderTieBreak() throws {
        let s = try fakes(3)
        let g = group(s.map { GroupTest.host($0, "H") })
        // Sequential calls: every member has 0 outstanding, config order wins.
        XCTAssertEqual(drive(g, 20).failed, 0)
        XCTAssertEqual(s[0].requests("XE"), 20)
        XCTAssertEqual(s[1].requests("XE") + s[2].requests("XE"), 0)
        // Concurrent slow calls spread over all members.
        for x in s { x.delayMs = 200 }
        let failed = Locked(0)
        XCTAssertTrue(runConcurrently(6) { i in
            if (try? g.transmit(GroupTest.echo("p\(i)"))) != GroupTest.reply("p\(i)") { failed.update { $0 += 1 } }
        })
        XCTAssertEqual(failed.get, 0)
        for x in s[1...] { XCTAssertGreaterThan(x.requests("XE"), 0, "every member served some of the load") }
        let st = g.memberStatus()
        XCTAssertEqual(st.map(\.state), [.up, .up, .up])
        XCTAssertEqual(st.map(\.inFlight), [0, 0, 0])
        XCTAssertEqual(st.map(\.completed).reduce(0, +), 26)
        XCTAssertGreaterThan(st[0].latencyMicros, 0)
        XCTAssertEqual(st[0].dmkCheckValue, "0123456789ABCDEF")
    }

    // MARK: failure cases

    func testMemberRefusingConnections() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let sink = RecordingSink()
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        let g = group(hosts, sink: sink)
        let r = drive(g, 30)
        XCTAssertEqual(r.failed, 0)
        XCTAssertLessThan(r.slowest, 3 * GroupTest.callBound(hosts))
        XCTAssertEqual(state(g, 0), .ejected)
        XCTAssertEqual(g.memberStatus()[0].ejections, 1)
        XCTAssertTrue(g.memberStatus()[0].lastError?.contains("refused") ?? false)
        XCTAssertTrue(sink.contains(.warn, "HOST1", "ejected"))

        try s[0].resume()
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up }, "the prober brings it back")
        XCTAssertTrue(sink.contains(.info, "HOST1", "rejoined"))
        XCTAssertEqual(drive(g, 5).failed, 0)
        XCTAssertEqual(s[0].requests("XE"), 5, "traffic returns to the first member")
    }

    func testMemberClosedWhileCommandsInFlight() throws {
        let s = try fakes(2)
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: -8) }
        let g = group(hosts)
        XCTAssertEqual(drive(g, 2).failed, 0)  // both verified? first at least
        for x in s { x.delayMs = 200 }
        let failed = Locked(0)
        let slowest = Locked(0.0)
        let before = s[0].requests("XE")
        let killer = Thread {
            // Dies as soon as it holds commands it has not answered yet.
            _ = GroupTest.waitUntil(10) { s[0].requests("XE") > before }
            s[0].stop()
        }
        killer.start()
        XCTAssertTrue(runConcurrently(8) { i in
            let (ok, t) = GroupTest.timed { (try? g.transmit(GroupTest.echo("k\(i)"))) == GroupTest.reply("k\(i)") }
            if !ok { failed.update { $0 += 1 } }
            slowest.update { $0 = max($0, t) }
        })
        XCTAssertEqual(failed.get, 0, "idempotent calls were re-sent to the other member")
        XCTAssertLessThan(slowest.get, 3 * GroupTest.callBound(hosts))
        XCTAssertEqual(state(g, 0), .ejected)
        XCTAssertGreaterThan(s[0].requests("XE"), before, "the killed member had commands in flight")

        for x in s { x.delayMs = 0 }
        try s[0].resume()
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
        XCTAssertEqual(drive(g, 3).failed, 0)
    }

    func testMemberThatAcceptsButNeverAnswers() throws {
        let s = try fakes(2)
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", readMs: 300) }
        let g = group(hosts)
        XCTAssertEqual(drive(g, 1).failed, 0)
        s[0].behaviour = .silent
        let r = drive(g, 10)
        XCTAssertEqual(r.failed, 0)
        XCTAssertGreaterThanOrEqual(r.slowest, 0.29, "one call waited for the read timeout")
        XCTAssertLessThan(r.slowest, 3 * GroupTest.callBound(hosts))
        let st = g.memberStatus()[0]
        XCTAssertEqual(st.state, .ejected)
        XCTAssertTrue(st.lastError?.contains("read timeout") ?? false, st.lastError ?? "")
        s[0].behaviour = .normal
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
        XCTAssertEqual(g.memberStatus()[0].ejections, 1)
    }

    func testMemberAnsweringGarbage() throws {
        let s = try fakes(2)
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        let g = group(hosts)
        XCTAssertEqual(drive(g, 1).failed, 0)
        s[0].behaviour = .garbage
        let r = drive(g, 10)
        XCTAssertEqual(r.failed, 0)
        XCTAssertLessThan(r.slowest, 3 * GroupTest.callBound(hosts))
        XCTAssertEqual(state(g, 0), .ejected)
        XCTAssertEqual(g.memberStatus()[0].failures, 1)
        s[0].behaviour = .normal
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
    }

    func testAllMembersDownThenOneComesBack() throws {
        let s = try fakes(2)
        for x in s { x.stop() }
        let sink = RecordingSink()
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        let g = group(hosts, sink: sink)
        let (result, seconds) = GroupTest.timed { () -> CACipherError? in
            do { _ = try g.transmit(GroupTest.echo("x")); return nil } catch { return error as? CACipherError }
        }
        XCTAssertEqual(result?.code, CACipherError.Code.allMembersDown.rawValue)
        XCTAssertTrue(result?.message.contains("HOST1") ?? false)
        XCTAssertTrue(result?.message.contains("HOST2") ?? false)
        XCTAssertLessThan(seconds, 3 * GroupTest.callBound(hosts))
        // The last live member is never ejected.
        XCTAssertEqual(g.memberStatus().map(\.state), [.ejected, .unknown])
        XCTAssertTrue(sink.contains(.warn, "HOST2", "last live member"))
        // Still down: calls keep failing fast and distinctly.
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("y"))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.allMembersDown.rawValue)
        }

        try s[0].resume()
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up }, "the ejected member is probed back")
        XCTAssertEqual(drive(g, 5).failed, 0)
    }

    func testMemberWithDifferentDMKIsKeptOut() throws {
        let good = "0123456789ABCDEF", bad = "FEDCBA9876543210"
        let s = try fakes(2)
        s[0].dmk = bad
        let sink = RecordingSink()
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        let g = group(hosts, sink: sink, options: GroupTest.options { $0.expectedDMKCheckValue = good })
        let r = drive(g, 10, idempotent: false)
        XCTAssertEqual(r.failed, 0, "even a storing command is re-routed: it was never sent")
        XCTAssertEqual(s[0].requests("XE"), 0, "no traffic to the mismatched member")
        let st = g.memberStatus()
        XCTAssertEqual(st[0].state, .dmkMismatch)
        XCTAssertEqual(st[0].dmkCheckValue, bad)
        XCTAssertEqual(st[1].state, .up)
        XCTAssertTrue(sink.contains(.error, "HOST1", bad, good), "an error line names both values")

        s[0].dmk = good  // re-synchronised
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
        XCTAssertEqual(drive(g, 3).failed, 0)
        XCTAssertEqual(s[0].requests("XE"), 3)
    }

    /// Without a pinned value two members that disagree are a tie of the DMK quorum, broken
    /// by HOST1 (GroupQuorumTests has the other cases); it no longer matters who answers first.
    func testTwoMembersDisagreeingHOST1BreaksTheTie() throws {
        let s = try fakes(2)
        s[1].dmk = "FEDCBA9876543210"
        // 8 calls queue for HOST1's 2 pooled connections (200 ms per answer, plus one NC on
        // each new connection): a 2 s read timeout bounds the pool wait with room to spare.
        let g = group(s.map { GroupTest.host($0, "H", readMs: 2000) })
        for x in s { x.delayMs = 200 }
        XCTAssertEqual(drive(g, 1).failed, 0)  // the quorum round: HOST1 breaks the tie
        let failed = Locked(0)
        XCTAssertTrue(runConcurrently(8) { i in
            if (try? g.transmit(GroupTest.echo("d\(i)"))) != GroupTest.reply("d\(i)") { failed.update { $0 += 1 } }
        })
        XCTAssertEqual(failed.get, 0)
        XCTAssertEqual(g.memberStatus().map(\.state), [.up, .dmkMismatch])
        XCTAssertEqual(s[1].requests("XE"), 0)
    }

    func testMemberWithoutDMKIsKeptOut() throws {
        let s = try fakes(2)
        s[0].ncError = "13"
        let sink = RecordingSink()
        let g = group(s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }, sink: sink)
        XCTAssertEqual(drive(g, 5).failed, 0)
        XCTAssertEqual(state(g, 0), .notInitialized)
        XCTAssertTrue(sink.contains(.error, "HOST1", "13"))
        s[0].ncError = nil
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
    }

    func testProbesOfASilentMemberUseTheProbeTimeoutNotTheReadTimeout() throws {
        // An ejected member that accepts but never answers: each probe must give up after
        // probeTimeout (100 ms), so several probes fit in a second even though the read
        // timeout is 5 s (with the read timeout, at most one would).
        let s = try fakes(2)
        var hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", readMs: 5000) }
        for i in hosts.indices { hosts[i].probeTimeoutMs = 100 }
        let g = group(hosts)
        XCTAssertEqual(drive(g, 4).failed, 0)  // both members up, NC checked
        s[0].behaviour = .closeOnRequest
        XCTAssertEqual(drive(g, 6).failed, 0)
        XCTAssertEqual(state(g, 0), .ejected)
        s[0].behaviour = .silent
        let before = s[0].requests("NC")
        usleep(1_500_000)
        XCTAssertGreaterThanOrEqual(s[0].requests("NC") - before, 3, "probes time out after probeTimeout")
        XCTAssertEqual(state(g, 0), .ejected)
        s[0].behaviour = .normal
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
    }

    func testMemberRestartedWithAnotherDMKIsCaughtOnItsNewConnections() throws {
        // A member re-initialised with another DMK and restarted while the client keeps
        // running: its old connections break, the new ones are checked with NC before any
        // command, so it is kept out although it never failed a call.
        let s = try fakes(2)
        let g = group(s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") })
        XCTAssertEqual(drive(g, 10).failed, 0)
        XCTAssertEqual(state(g, 0), .up)  // sequential calls: HOST1 serves (order tie-break)
        XCTAssertGreaterThan(s[0].requests("XE"), 0)
        s[0].dmk = "FEDCBA9876543210"
        s[0].dropConnections()
        let before = s[0].requests("XE")
        XCTAssertEqual(drive(g, 20).failed, 0)
        XCTAssertEqual(s[0].requests("XE"), before, "no command reaches the member with the other DMK")
        XCTAssertEqual(state(g, 0), .dmkMismatch)
        XCTAssertEqual(g.memberStatus()[0].dmkCheckValue, "FEDCBA9876543210")
    }

    func testFactoryFreshMemberReportingZeroCheckValueNeverDefinesTheGroup() throws {
        // A device without a DMK answers NC with 00 and sixteen zeros (evsm does): it must be
        // kept out as not initialised, not become the group's value and shut the others out.
        let s = try fakes(2)
        s[0].dmk = "0000000000000000"
        let g = group(s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") })
        XCTAssertEqual(drive(g, 10).failed, 0)
        XCTAssertEqual(state(g, 0), .notInitialized)
        XCTAssertEqual(state(g, 1), .up)
        XCTAssertEqual(s[0].requests("XE"), 0)
        s[0].dmk = s[1].dmk
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up }, "joins once it holds the group's DMK")
    }

    func testAllMembersWithWrongDMKGiveDMKMismatch() throws {
        let s = try fakes(2, dmk: "FEDCBA9876543210")
        let g = group(s.map { GroupTest.host($0, "H") }, options: GroupTest.options { $0.expectedDMKCheckValue = "0123456789abcdef" })
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("z"))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.dmkMismatch.rawValue)
        }
        XCTAssertEqual(s[0].requests("XE") + s[1].requests("XE"), 0)
    }

    // MARK: re-send safety, HSM errors, budget

    func testHSMErrorCodeIsReturnedAndNeverEjects() throws {
        let s = try fakes(2)
        let g = group(s.map { GroupTest.host($0, "H") })
        for _ in 0..<5 {
            XCTAssertEqual(try g.transmit(Array("XR01".utf8)), Array("XS01".utf8))
        }
        let st = g.memberStatus()[0]
        XCTAssertEqual(st.state, .up)
        XCTAssertEqual(st.failures, 0)
        XCTAssertEqual(st.completed, 5)
        XCTAssertEqual(s[1].requests("XR"), 0, "an HSM error is an answer, not a reason to re-send")
    }

    func testStoringCommandIsNotResentWhenItMayHaveArrived() throws {
        let s = try fakes(2)
        let g = group(s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") })
        XCTAssertEqual(drive(g, 1).failed, 0)  // HOST1 verified and up
        s[0].behaviour = .closeOnRequest
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("store"), idempotent: false)) {
            let e = $0 as? CACipherError
            XCTAssertEqual(e?.code, CACipherError.Code.io.rawValue)
            XCTAssertTrue(e?.message.contains("not re-sent") ?? false)
        }
        XCTAssertEqual(s[1].requests("XE"), 0, "not re-sent to the second member")
        XCTAssertEqual(state(g, 0), .ejected)
        // The next storing command goes straight to the live member.
        XCTAssertEqual(try g.transmit(GroupTest.echo("store2"), idempotent: false), GroupTest.reply("store2"))
    }

    func testStoringCommandIsResentWhenProvablyNotSent() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let g = group(s.map { GroupTest.host($0, "H") })
        XCTAssertEqual(try g.transmit(GroupTest.echo("k"), idempotent: false), GroupTest.reply("k"))
    }

    func testRetryBudgetBoundsResends() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let g = group(s.map { GroupTest.host($0, "H") }, options: GroupTest.options {
            $0.ejectAfterFailures = 1000  // keep the failing member in so every call needs a re-send
            $0.retryBurst = 2
            $0.retryRatio = 0
            $0.retryMinPerSecond = 0
        })
        XCTAssertEqual(drive(g, 2).failed, 0, "two re-sends fit the budget")
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("b"))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.retryBudgetExhausted.rawValue)
        }
        XCTAssertEqual(state(g, 0), .unknown, "below the ejection threshold: still live, never verified")
        XCTAssertEqual(g.memberStatus()[0].failures, 3)
    }

    func testEjectionWaitsForConsecutiveFailureThreshold() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let g = group(s.map { GroupTest.host($0, "H") }, options: GroupTest.options { $0.ejectAfterFailures = 3 })
        XCTAssertEqual(drive(g, 2).failed, 0)
        XCTAssertEqual(state(g, 0), .unknown, "still live after two failures")
        XCTAssertEqual(drive(g, 1).failed, 0)
        XCTAssertEqual(state(g, 0), .ejected)
    }

    // MARK: single member: distinct errors

    func testSingleMemberReportsDistinctErrors() throws {
        let s = try fakes(1)
        // 1 s read timeout: long enough that a loaded machine's scheduling delay is not
        // mistaken for a silent HSM in the garbage/close cases.
        let hosts = [GroupTest.host(s[0], "HOST1", readMs: 1000)]
        let g = group(hosts)
        XCTAssertEqual(drive(g, 1).failed, 0)
        func code() -> Int32? {
            do { _ = try g.transmit(GroupTest.echo("e")); return 0 } catch { return (error as? CACipherError)?.code }
        }
        s[0].behaviour = .silent
        XCTAssertEqual(code(), CACipherError.Code.timeout.rawValue)
        s[0].behaviour = .garbage
        XCTAssertEqual(code(), CACipherError.Code.badFrame.rawValue)
        s[0].behaviour = .closeOnRequest
        XCTAssertEqual(code(), CACipherError.Code.io.rawValue)
        s[0].stop()
        XCTAssertEqual(code(), CACipherError.Code.connect.rawValue)
        XCTAssertEqual(state(g, 0), .up, "the only member is never ejected")
        s[0].behaviour = .normal
        try s[0].resume()
        XCTAssertTrue(GroupTest.waitUntil(5) { code() == 0 }, "serves again once it listens")
    }

    // MARK: API edges

    func testInvalidPayloadIsRejected() throws {
        let s = try fakes(1)
        let g = group([GroupTest.host(s[0], "H")])
        for bad in [[UInt8](), [0x41], [0x00, 0x41], [UInt8](repeating: 0x41, count: 70_000)] {
            XCTAssertThrowsError(try g.transmit(bad)) {
                XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.invalidArgument.rawValue)
            }
        }
        XCTAssertEqual(s[0].totalRequests, 0)
    }

    func testHeaderLengthIsUsedPerMember() throws {
        let a = try FakeHSM(headerLength: 8)
        servers.append(a)
        let g = group([GroupTest.host(a, "H")])
        XCTAssertEqual(try g.transmit(GroupTest.echo("h")), GroupTest.reply("h"))
    }

    func testShutdownStopsEverything() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let g = group(s.map { GroupTest.host($0, "H") })
        XCTAssertEqual(drive(g, 2).failed, 0)  // prober running for the ejected member
        let (_, seconds) = GroupTest.timed { g.shutdown() }
        XCTAssertLessThan(seconds, 3)
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("s"))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.notInitialized.rawValue)
        }
        XCTAssertTrue(GroupTest.waitUntil(2) { s[1].openConnections == 0 })
    }
}
