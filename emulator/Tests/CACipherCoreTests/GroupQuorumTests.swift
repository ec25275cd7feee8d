import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Issue 15, item 2: without `[GROUP] dmkCheckValue` the group's DMK check value is decided
/// by quorum of the members' `NC` answers, never by the first member to answer. The answer
/// order is injected with the fake HSMs' reply delay (the odd member answers first).
final class GroupQuorumTests: GroupTestCase {
    private let good = "0123456789ABCDEF"
    private let odd = "FEDCBA9876543210"

    private func group(_ s: [FakeHSM], sink: RecordingSink, connMs: Int = 1000, readMs: Int = 2000) -> HostGroup {
        let log = Log(categories: [.error, .warn, .info], sink: sink)
        return track(HostGroup(hosts: s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", connMs: connMs, readMs: readMs) },
                               log: log, options: GroupTest.options()))
    }

    private func concurrentEchoes(_ g: HostGroup, _ n: Int) -> Int {
        let failed = Locked(0)
        XCTAssertTrue(runConcurrently(n) { i in
            if (try? g.transmit(GroupTest.echo("q\(i)"))) != GroupTest.reply("q\(i)") { failed.update { $0 += 1 } }
        })
        return failed.get
    }

    /// The odd member as HOST1, HOST2 and HOST3, each time answering `NC` first (the others
    /// 150 ms later): it never gets a command, the majority is never refused.
    func testOddMemberAnsweringFirstNeverServesWhateverItsPosition() throws {
        for position in 0..<3 {
            let s = try fakes(3)
            for (i, x) in s.enumerated() { x.delayMs = i == position ? 0 : 150 }
            s[position].dmk = odd
            let sink = RecordingSink()
            let g = group(s, sink: sink)
            XCTAssertEqual(concurrentEchoes(g, 6), 0, "odd member at HOST\(position + 1)")
            for x in s { x.delayMs = 0 }
            XCTAssertEqual(concurrentEchoes(g, 6), 0)
            XCTAssertEqual(s[position].requests("XE"), 0, "no command reaches the odd member at HOST\(position + 1)")
            let states = g.memberStatus().map(\.state)
            for i in 0..<3 { XCTAssertEqual(states[i], i == position ? .dmkMismatch : .up, "HOST\(i + 1), odd at HOST\(position + 1)") }
            XCTAssertTrue(sink.contains(.error, "HOST\(position + 1)", "dmkMismatch", odd, good), "error line names both values")
            XCTAssertTrue(sink.contains(.info, "set to \(good) by quorum: 2 of 3"))
            g.shutdown()
        }
    }

    /// Two members, two values, HOST2 answering first: HOST1's value wins and the log says a
    /// tie was broken.
    func testTieIsBrokenByHOST1AndLogged() throws {
        let s = try fakes(2)
        s[1].dmk = odd
        s[0].delayMs = 150
        let sink = RecordingSink()
        let g = group(s, sink: sink)
        XCTAssertEqual(concurrentEchoes(g, 4), 0)
        XCTAssertEqual(g.memberStatus().map(\.state), [.up, .dmkMismatch])
        XCTAssertEqual(s[1].requests("XE"), 0)
        XCTAssertTrue(sink.contains(.warn, "tie broken by HOST1", good, odd))
        XCTAssertTrue(sink.contains(.error, "HOST2", "dmkMismatch", odd, good))
    }

    /// Three members, three values: a clear error, and no command sent anywhere; the next
    /// call (inside the retry spacing) fails the same way without another round.
    func testAllDisagreeingIsAClearErrorAndNothingIsSent() throws {
        let s = try fakes(3)
        s[1].dmk = odd
        s[2].dmk = "00112233445566AA"
        let sink = RecordingSink()
        let g = group(s, sink: sink)
        for _ in 0..<2 {
            XCTAssertThrowsError(try g.transmit(GroupTest.echo("x"))) { e in
                let err = e as? CACipherError
                XCTAssertEqual(err?.code, CACipherError.Code.dmkMismatch.rawValue)
                XCTAssertTrue(err?.message.contains("cannot be decided by quorum") ?? false, err?.message ?? "")
                XCTAssertTrue(err?.message.contains("dmkCheckValue") ?? false)
            }
        }
        for x in s { XCTAssertEqual(x.requests("XE"), 0, "nothing but NC was sent") }
        XCTAssertTrue(sink.contains(.error, "cannot be decided by quorum", good, odd, "00112233445566AA"))
        XCTAssertEqual(g.memberStatus().map(\.state), [.unknown, .unknown, .unknown])
    }

    /// HOST3 is down during the round (2 of 3 decide); it comes back with another DMK and
    /// is checked against the decided value before it gets any command.
    func testLaterJoinerIsCheckedAgainstTheDecidedValue() throws {
        let s = try fakes(3)
        s[2].stopListening()
        let sink = RecordingSink()
        let g = group(s, sink: sink)
        XCTAssertEqual(try g.transmit(GroupTest.echo("a")), GroupTest.reply("a"))
        s[2].dmk = odd
        try s[2].resume()
        s[0].delayMs = 100
        s[1].delayMs = 100
        XCTAssertEqual(concurrentEchoes(g, 6), 0)
        XCTAssertEqual(s[2].requests("XE"), 0, "the joiner with another DMK got no command")
        XCTAssertGreaterThan(s[2].requests("NC"), 0, "the joiner was checked")
        XCTAssertEqual(g.memberStatus()[2].state, .dmkMismatch)
        XCTAssertTrue(sink.contains(.error, "dmkMismatch", odd, good))
    }

    /// Issue 19 item 1 under the quorum: HOST2's answer to the round's `NC` comes late, after
    /// the majority decided and traffic on another connection got HOST2 ejected (it garbles
    /// commands). That stale answer must not re-admit it: only the prober does (its backoff
    /// here is a minute).
    func testLateQuorumAnswerDoesNotReadmitAnEjectedMember() throws {
        let s = try fakes(3)
        s[1].behaviour = .garbageExceptNC
        s[1].firstNCDelayMs = 600
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", connMs: 1000, readMs: 2000) }
        let g = track(HostGroup(hosts: hosts, log: .off, options: GroupTest.options {
            $0.probeInitialBackoffMs = 60_000
            $0.probeMaxBackoffMs = 60_000
            $0.retryBurst = 10_000
        }))
        XCTAssertEqual(concurrentEchoes(g, 12), 0, "every call served by HOST1/HOST3")
        XCTAssertTrue(GroupTest.waitUntil(5) { g.memberStatus()[1].ejections >= 1 }, "HOST2 ejected by a garbled reply")
        XCTAssertTrue(GroupTest.waitUntil(5) { s[1].requests("NC") >= 2 }, "HOST2 was checked on a new connection too")
        usleep(1_000_000)  // past the late answer (600 ms after the round began) and its admission
        let st = g.memberStatus()[1]
        XCTAssertEqual(st.state, .ejected, "a stale quorum answer does not re-admit HOST2")
        XCTAssertEqual(st.ejections, 1)
    }

    /// Every member silent (accepts, never answers), no pin: the first call's round gets no
    /// answer; later calls take the normal path at once and start no round of their own
    /// (each used to wait a whole window first: every call took 2 x readTimeout to fail,
    /// make bench's outlier scenario, blackhole-quorum). Nobody is admitted meanwhile, and
    /// once the members answer, a round decides and calls succeed.
    func testSilentGroupStartsNoRoundPerCall() throws {
        let s = try fakes(3)
        for x in s { x.behaviour = .silent }
        let sink = RecordingSink()
        let g = group(s, sink: sink, connMs: 300, readMs: 300)
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("first"))) { e in
            // It waited the round's whole window: it fails then, not after a second attempt.
            XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.timeout.rawValue)
            XCTAssertTrue("\(e)".contains("quorum round's window"), "\(e)")
        }
        for i in 0..<3 { XCTAssertThrowsError(try g.transmit(GroupTest.echo("s\(i)")), "call \(i) fails: nobody answers") }
        XCTAssertEqual(g.core.lock.withLock { g.core.quorum.number }, 1, "one round for the first call, none per later call")
        XCTAssertFalse(g.memberStatus().contains { $0.state == .up }, "nobody admitted before a round decides")
        XCTAssertEqual(s.reduce(0) { $0 + $1.requests("XE") }, 0, "no command sent before the group's value is known")
        for x in s { x.behaviour = .normal }
        XCTAssertTrue(GroupTest.waitUntil(15) { (try? g.transmit(GroupTest.echo("r"))) == GroupTest.reply("r") },
                      "an NC answered (a probe or a call's check) starts the next round, which decides")
        XCTAssertTrue(sink.contains(.info, "set to \(good) by quorum"))
    }

    /// With a pinned value no round runs: the first call goes to HOST1 alone.
    func testPinnedValueNeedsNoRound() throws {
        let s = try fakes(3)
        let log = Log(categories: [.error], sink: RecordingSink())
        let g = track(HostGroup(hosts: s.map { GroupTest.host($0, "H") }, log: log,
                                options: GroupTest.options { $0.expectedDMKCheckValue = good }))
        XCTAssertEqual(try g.transmit(GroupTest.echo("p")), GroupTest.reply("p"))
        XCTAssertEqual(s.map { $0.requests("NC") }, [1, 0, 0])
    }

    // MARK: the decision rule

    func testDecisionRule() {
        typealias A = DMKQuorum.Answer
        let a = "AAAAAAAAAAAAAAAA", b = "BBBBBBBBBBBBBBBB", c = "CCCCCCCCCCCCCCCC"
        // A majority of the configured members decides at once, whoever answered first.
        XCTAssertEqual(DMKQuorum.decide(configured: 3, answers: [A(index: 0, value: b), A(index: 1, value: a), A(index: 2, value: a)], complete: false),
                       .decided(a, tieBrokenByFirst: false))
        XCTAssertEqual(DMKQuorum.decide(configured: 3, answers: [A(index: 0, value: b)], complete: false), .pending)
        XCTAssertEqual(DMKQuorum.decide(configured: 3, answers: [A(index: 0, value: b), A(index: 1, value: a)], complete: false), .pending)
        // Fewer answered: all that answered agree.
        XCTAssertEqual(DMKQuorum.decide(configured: 3, answers: [A(index: 1, value: a)], complete: true), .decided(a, tieBrokenByFirst: false))
        // Ties: HOST1 breaks them when it is in one.
        XCTAssertEqual(DMKQuorum.decide(configured: 2, answers: [A(index: 1, value: b), A(index: 0, value: a)], complete: true),
                       .decided(a, tieBrokenByFirst: true))
        XCTAssertEqual(DMKQuorum.decide(configured: 4, answers: [A(index: 1, value: b), A(index: 0, value: a), A(index: 3, value: b), A(index: 2, value: a)], complete: true),
                       .decided(a, tieBrokenByFirst: true))
        if case .failed = DMKQuorum.decide(configured: 3, answers: [A(index: 1, value: b), A(index: 2, value: a)], complete: true) {} else {
            XCTFail("a tie without HOST1 is not decided")
        }
        // All disagree.
        if case let .failed(why) = DMKQuorum.decide(configured: 3, answers: [A(index: 0, value: a), A(index: 1, value: b), A(index: 2, value: c)], complete: true) {
            XCTAssertTrue(why.contains("\(a) by HOST1") && why.contains("\(c) by HOST3"), why)
        } else { XCTFail("three different values are not decided") }
        // Plurality among those that answered (5 configured, 3 answered).
        XCTAssertEqual(DMKQuorum.decide(configured: 5, answers: [A(index: 0, value: b), A(index: 1, value: a), A(index: 2, value: a)], complete: true),
                       .decided(a, tieBrokenByFirst: false))
        if case .failed = DMKQuorum.decide(configured: 3, answers: [], complete: true) {} else { XCTFail("no answer, no value") }
    }
}
