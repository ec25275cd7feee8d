import Foundation
import XCTest
@testable import CACipherCore

/// Issue 19, items 4 and 7: state-change lines are rate-limited, and trace dumps of frames
/// that carry a clear PIN do not give its length away.
final class LogLimitsTests: XCTestCase {
    // MARK: 7. PIN length

    /// `BA` with a 4-digit and a 12-digit PIN, `NH` (the `NG` reply: the PIN digits) with 4
    /// and 12 digits: the dumps are identical, so they tell nothing about the PIN length.
    func testTraceDumpsOfPINFramesHideTheirLengths() {
        func ba(_ pin: String) -> [UInt8] { Array(("BA" + pin + "F" + "123456789012").utf8) }
        let short = FrameMasking.render(Array("00000000".utf8) + ba("1234"), headerLength: 8, .request)
        let long = FrameMasking.render(Array("00000000".utf8) + ba("123456789012"), headerLength: 8, .request)
        XCTAssertEqual(short, long)
        XCTAssertEqual(short, "request len=* hdr=8 cmd=BA fields=*")
        let nh4 = FrameMasking.render(Array("NH001234".utf8), headerLength: 0, .response)
        let nh12 = FrameMasking.render(Array("NH00123456789012".utf8), headerLength: 0, .response)
        XCTAssertEqual(nh4, nh12)
        XCTAssertEqual(nh4, "response len=* hdr=0 rsp=NH err=00 fields=*")
        for (code, pin) in [("KX", "91"), ("NG", ""), ("PE", "")] {
            let a = FrameMasking.render(Array((code + pin + "1234;").utf8), headerLength: 0, .request)
            let b = FrameMasking.render(Array((code + pin + "123456789;").utf8), headerLength: 0, .request)
            XCTAssertEqual(a, b, code)
            XCTAssertTrue(a.hasPrefix("request len=* hdr=0 cmd=\(code) ") && a.hasSuffix(" fields=*"), "no length at all in \(a)")
        }
        XCTAssertEqual(FrameMasking.render(Array("BB00".utf8), headerLength: 0, .response), "response len=* hdr=0 rsp=BB err=00 fields=*")
        XCTAssertEqual(FrameMasking.render(Array("NH0".utf8), headerLength: 0, .response), "response len=* hdr=0 rsp=NH (short frame) fields=*")
        // Frames without a clear PIN keep their lengths (what the dump is for).
        XCTAssertEqual(FrameMasking.render(Array("A0ABC".utf8), headerLength: 0, .request), "request len=5 hdr=0 cmd=A0 fields=*(3)")
        XCTAssertEqual(FrameMasking.render(Array("NC".utf8), headerLength: 0, .request), "request len=2 hdr=0 cmd=NC fields=*(0)")
    }

    /// The group's own trace lines for `BA` calls with PINs of different lengths.
    func testGroupTraceOfPINCommandsIsTheSameForEveryPINLength() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let sink = RecordingSink()
        let g = HostGroup(hosts: [GroupTest.host(hsm, "HOST1")], log: Log(categories: [.trace], sink: sink),
                          options: GroupTest.options())
        defer { g.shutdown() }
        for pin in ["1234", "123456", "123456789012"] {
            _ = try g.transmit(Array(("BA" + pin + "F123456789012").utf8))
        }
        let frames = sink.lines.filter { $0.0 == .trace && ($0.1.contains("cmd=BA") || $0.1.contains("rsp=BB")) }
            .map { $0.1.replacingOccurrences(of: #" in [0-9]+ us"#, with: "", options: .regularExpression) }
        XCTAssertEqual(frames.count, 6, "\(sink.lines)")
        XCTAssertEqual(Set(frames).count, 2, "one request line and one reply line, whatever the PIN length: \(frames)")
        for l in frames { XCTAssertTrue(l.contains("len=*"), l) }
    }

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
            $0.readmitDampingMaxMs = 4  // re-admission damping capped too, so that it does flap
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
