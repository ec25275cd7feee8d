import Foundation
import XCTest
@testable import CACipherCore

/// Issue 19, items 4 and 7: state-change lines are rate-limited, and trace dumps of frames
/// that carry a clear PIN do not give its length away.
final class LogLimitsTests: XCTestCase {
    // MARK: 4. State changes

    /// 1000 state changes of one member at one instant: `stateChangeBurst` lines; another
    /// member has its own allowance; a second later one more line counts what was held back.
    func testStateChangeLinesAreRateLimitedPerMember() {
        let now = Locked<Int64>(1_000_000_000)
        let sink = MemoryLogSink()
        let log = Log(categories: .error, sink: sink, clock: { now.get })
        var built = 0
        func message(_ s: String) -> String { built += 1; return s }
        for i in 0..<1000 { log.stateChange(.warn, key: 0, message("HOST1 change \(i)")) }
        XCTAssertEqual(sink.lines.count, Log.stateChangeBurst)
        XCTAssertEqual(built, Log.stateChangeBurst, "held-back lines are never built")
        log.stateChange(.info, key: 1, "HOST2 change")
        XCTAssertEqual(sink.lines.count, Log.stateChangeBurst + 1, "members are limited separately")
        now.set(2_000_000_000)
        log.stateChange(.info, key: 0, "HOST1 later")
        log.stateChange(.info, key: 0, "HOST1 later again")
        XCTAssertEqual(sink.messages.last, "HOST1 later (\(1000 - Log.stateChangeBurst) more since the last line)")
        XCTAssertEqual(sink.lines.count, Log.stateChangeBurst + 2, "then one line per second")
    }

    /// A member that flaps (answers NC, garbles commands; the prober takes it back every few
    /// ms): with the clock standing still, its state-change lines stop at the burst however
    /// often it flaps.
    func testFlappingMemberWritesABoundedNumberOfLines() throws {
        let s = try (0..<2).map { _ in try FakeHSM() }
        defer { for x in s { x.close() } }
        s[0].behaviour = .garbageExceptNC
        let sink = RecordingSink()
        let log = Log(categories: .error, sink: sink, clock: { 0 })
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        let g = HostGroup(hosts: hosts, log: log, options: GroupTest.options {
            $0.probeInitialBackoffMs = 2
            $0.probeMaxBackoffMs = 4
            $0.retryBurst = 1_000_000
        })
        defer { g.shutdown() }
        var calls = 0
        while g.memberStatus()[0].ejections < 4 * Log.stateChangeBurst && calls < 20_000 {
            _ = try? g.transmit(GroupTest.echo("x"))
            calls += 1
            if g.memberStatus()[0].state != .up { usleep(500) }
        }
        let ejections = g.memberStatus()[0].ejections
        XCTAssertGreaterThanOrEqual(ejections, 4 * Log.stateChangeBurst, "it flapped (\(calls) calls)")
        let host1 = sink.lines.filter { $0.1.contains("HOST1") && $0.1.contains("->") }
        XCTAssertLessThanOrEqual(host1.count, Log.stateChangeBurst, "\(ejections) ejections wrote \(host1.count) lines")
    }
}
