import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Issue 15, item 3: a member whose real calls fail while its probe passes does not flap,
/// a much slower member is drained (not ejected) and taken back when it speeds up.
final class GroupOutlierTests: GroupTestCase {
    private func group(_ s: [FakeHSM], sink: RecordingSink, readMs: Int = 2000,
                       _ f: (inout GroupOptions) -> Void = { _ in }) -> HostGroup {
        let log = Log(categories: [.error, .warn, .info], sink: sink)
        return track(HostGroup(hosts: s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", readMs: readMs) },
                               log: log, options: GroupTest.options {
                                   $0.expectedDMKCheckValue = "0123456789ABCDEF"
                                   f(&$0)
                               }))
    }

    private static func b2(_ text: String) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        let n = text.utf8.count
        return Array("B2".utf8) + [hex[n >> 12 & 15], hex[n >> 8 & 15], hex[n >> 4 & 15], hex[n & 15]] + Array(text.utf8)
    }

    /// Runs `threads` threads calling `payload(i)` for `seconds`; returns (calls, failed).
    private func load(_ g: HostGroup, threads: Int, seconds: Double, _ payload: @escaping @Sendable (Int) -> ([UInt8], [UInt8])) -> (Int, Int) {
        let counts = Locked((0, 0))
        let end = Date().addingTimeInterval(seconds)
        XCTAssertTrue(runConcurrently(threads, timeout: seconds + 30) { t in
            var i = 0
            while Date() < end && i < 100_000 {
                let (req, want) = payload(t * 100_000 + i)
                let ok = (try? g.transmit(req)) == want
                counts.update { $0.0 += 1; if !ok { $0.1 += 1 } }
                i += 1
            }
        })
        return counts.get
    }

    /// HOST1 answers `NC` but garbles every `B2`: the probe replays `B2` after `NC`, fails,
    /// and HOST1 stays out (one ejection, not one per probe interval); fixed, it rejoins.
    func testWrongReplyMemberIsProbedWithTheFailingCommandAndDoesNotFlap() throws {
        let s = try fakes(3)
        s[0].behaviour = .garbageExceptNC
        let sink = RecordingSink()
        let g = group(s, sink: sink)
        let (calls, failed) = load(g, threads: 4, seconds: 1.5) { i in (Self.b2("w\(i)"), Array("B300w\(i)".utf8)) }
        XCTAssertGreaterThan(calls, 10)
        XCTAssertEqual(failed, 0)
        let st = g.memberStatus()[0]
        XCTAssertEqual(st.state, .ejected)
        XCTAssertLessThanOrEqual(st.ejections, 2, "no flapping (probe every 20-200 ms would re-admit it dozens of times)")
        XCTAssertGreaterThan(s[0].requests("B2"), st.ejections, "probes replayed B2 after NC")
        s[0].behaviour = .normal
        XCTAssertTrue(GroupTest.waitUntil(5) { g.memberStatus()[0].state == .up }, "rejoins once the command works")
    }

    /// The same member with a command a probe may not replay (`XE`): the probe is `NC`
    /// only and passes, so the member is re-admitted, but each quick re-ejection doubles the
    /// wait before the next probe (damping) instead of flapping every 20 ms.
    func testReadmissionIsDampedWhenTheProbeCannotReplayTheCommand() throws {
        let s = try fakes(3)
        s[0].behaviour = .garbageExceptNC
        let sink = RecordingSink()
        let g = group(s, sink: sink)
        let (_, failed) = load(g, threads: 4, seconds: 2) { i in (GroupTest.echo("d\(i)"), GroupTest.reply("d\(i)")) }
        XCTAssertEqual(failed, 0)
        let ejections = g.memberStatus()[0].ejections
        XCTAssertGreaterThanOrEqual(ejections, 2, "re-admitted by the NC probe at least once")
        XCTAssertLessThanOrEqual(ejections, 8, "damped: 40, 80, 160, 320, 640, 1280 ms between re-admissions")
        XCTAssertTrue(sink.contains(.warn, "HOST1", "re-admission damped, level"))
    }

    /// HOST1 answers in 1 s, the others at once (1 s: far above the others even when this
    /// machine is loaded and their replies take tens of ms): it is drained (no longer first choice,
    /// though config order prefers it), never ejected, still serves as the last member, and
    /// takes traffic again once it is fast.
    func testSlowMemberIsDrainedKeptInAndTakenBackWhenItSpeedsUp() throws {
        let s = try fakes(3)
        s[0].delayMs = 1000
        let sink = RecordingSink()
        let g = group(s, sink: sink, readMs: 3000)
        _ = load(g, threads: 4, seconds: 1.2) { i in (GroupTest.echo("s\(i)"), GroupTest.reply("s\(i)")) }
        XCTAssertTrue(sink.contains(.warn, "HOST1", "slow", "drained"))
        let before = s[0].requests("XE")
        for i in 0..<40 { XCTAssertEqual(try g.transmit(GroupTest.echo("q\(i)")), GroupTest.reply("q\(i)")) }
        XCTAssertLessThanOrEqual(s[0].requests("XE") - before, 4, "drained: only trial calls (one per 200 ms)")
        XCTAssertEqual(g.memberStatus()[0].state, .up, "never ejected for being slow")

        s[0].delayMs = 0
        XCTAssertTrue(GroupTest.waitUntil(8) {
            _ = try? g.transmit(GroupTest.echo("r"))
            return sink.contains(.warn, "HOST1", "no longer slow")
        }, "taken back after its trial calls are fast")
        let back = s[0].requests("XE")
        for i in 0..<10 { XCTAssertEqual(try g.transmit(GroupTest.echo("b\(i)")), GroupTest.reply("b\(i)")) }
        XCTAssertEqual(s[0].requests("XE") - back, 10, "first choice again")
    }

    /// A slow member that is the last live one keeps serving.
    func testSlowLastMemberStillServes() throws {
        let s = try fakes(2)
        s[0].delayMs = 1000
        let sink = RecordingSink()
        let g = group(s, sink: sink, readMs: 3000)
        _ = load(g, threads: 3, seconds: 1.2) { i in (GroupTest.echo("l\(i)"), GroupTest.reply("l\(i)")) }
        XCTAssertTrue(sink.contains(.warn, "HOST1", "drained"))
        s[1].stop()
        for i in 0..<3 { XCTAssertEqual(try g.transmit(GroupTest.echo("z\(i)")), GroupTest.reply("z\(i)")) }
        XCTAssertEqual(g.memberStatus().map(\.state), [.up, .ejected])
    }

    func testOutlierRules() {
        XCTAssertEqual(OutlierPolicy.dampingAfterEjection(level: 0, rejoined: false, completedSinceRejoin: 0, provedAfter: 20), 0)
        XCTAssertEqual(OutlierPolicy.dampingAfterEjection(level: 2, rejoined: true, completedSinceRejoin: 3, provedAfter: 20), 3)
        XCTAssertEqual(OutlierPolicy.dampingAfterEjection(level: 5, rejoined: true, completedSinceRejoin: 20, provedAfter: 20), 0)
        XCTAssertEqual(OutlierPolicy.dampedDelayMs(level: 0, initialMs: 100, maxMs: 60_000), 100)
        XCTAssertEqual(OutlierPolicy.dampedDelayMs(level: 3, initialMs: 100, maxMs: 60_000), 800)
        XCTAssertEqual(OutlierPolicy.dampedDelayMs(level: 30, initialMs: 100, maxMs: 60_000), 60_000)
        XCTAssertTrue(OutlierPolicy.isSlow(micros: 300_000, baselineMicros: 500, factor: 4, minGapMs: 50))
        XCTAssertFalse(OutlierPolicy.isSlow(micros: 3_000, baselineMicros: 500, factor: 4, minGapMs: 50), "6x but only 2.5 ms more")
        XCTAssertFalse(OutlierPolicy.isSlow(micros: 300_000, baselineMicros: 0, factor: 4, minGapMs: 50), "no peer to compare with")
    }

    func testHedgeSafeAllowList() {
        for c in ["CC", "CA", "M6", "M8", "B2", "NC", "A8", "BU", "M0", "M2"] {
            XCTAssertTrue(HedgeSafety.isSafe(Array(c.utf8)[0], Array(c.utf8)[1]), c)
        }
        for c in ["A0", "A6", "A4", "KR", "KD", "SI", "AM", "E1", "E7", "EI", "PA", "XE", "ZZ"] {
            XCTAssertFalse(HedgeSafety.isSafe(Array(c.utf8)[0], Array(c.utf8)[1]), c)
        }
        XCTAssertFalse(HedgeSafety.mayReplayInProbe(Array("BA1234F".utf8)), "a clear PIN is never kept for a probe")
        XCTAssertTrue(HedgeSafety.mayReplayInProbe(Self.b2("x")))
    }
}
