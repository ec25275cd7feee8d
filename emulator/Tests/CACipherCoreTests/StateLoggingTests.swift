import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// What the default `logsw=error` records about a group: every member state change
/// (`Log.stateChange`), and calls failing with a library error, rate-limited per error
/// code (`Log.errorLimited`). HSM error replies are answers and log nothing.
final class StateLoggingTests: GroupTestCase {
    /// The categories of a configuration that does not set `logsw`.
    private var defaultCategories: LogCategories { CACipherConfig().logger.categories }

    private func group(_ s: [FakeHSM], log: Log, options: GroupOptions = GroupTest.options()) -> HostGroup {
        let hosts = s.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        return track(HostGroup(hosts: hosts, log: log, options: options))
    }

    private func state(_ g: HostGroup, _ i: Int) -> MemberState { g.memberStatus()[i].state }

    /// Lines that contain every one of `all`, whatever their category.
    private func lines(_ sink: RecordingSink, _ all: String...) -> [(LogCategories, String)] {
        sink.lines.filter { l in all.allSatisfy { l.1.contains($0) } }
    }

    // MARK: - State changes with the default logsw=error

    func testDefaultLogswIsErrorOnly() {
        XCTAssertEqual(defaultCategories, .error)
    }

    func testEjectionAndRejoinAreLoggedWithTheDefaultLogsw() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: defaultCategories, sink: sink))
        for i in 0..<5 { XCTAssertEqual(try g.transmit(GroupTest.echo("e\(i)")), GroupTest.reply("e\(i)")) }
        XCTAssertEqual(state(g, 0), .ejected)
        let port0 = String(s[0].port)
        let ejected = lines(sink, "HOST1 (127.0.0.1:\(port0))", "-> ejected", "refused")
        XCTAssertEqual(ejected.count, 1, "\(sink.lines)")
        XCTAssertEqual(ejected.first?.0, .warn, "written under its own tag although warn is off")

        try s[0].resume()
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up }, "the prober brings it back")
        let rejoined = lines(sink, "HOST1 (127.0.0.1:\(port0))", "ejected -> up", "rejoined")
        XCTAssertEqual(rejoined.count, 1, "\(sink.lines)")
        XCTAssertEqual(rejoined.first?.0, .info)
        // A first join is not a change from trouble: it stays an info line only.
        XCTAssertTrue(lines(sink, "HOST2", "joined the group").isEmpty, "\(sink.lines)")
    }

    func testLastLiveMemberKeptInIsLoggedWithTheDefaultLogsw() throws {
        let s = try fakes(2)
        for x in s { x.stop() }
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: defaultCategories, sink: sink))
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("x")))
        XCTAssertEqual(g.memberStatus().map(\.state), [.ejected, .unknown])
        XCTAssertEqual(lines(sink, "HOST1", "-> ejected").count, 1, "\(sink.lines)")
        XCTAssertEqual(lines(sink, "HOST2 (127.0.0.1:\(s[1].port))", "last live member", "kept in").count, 1, "\(sink.lines)")
    }

    func testDMKGuardDecisionsAndAdmissionAreLoggedWithTheDefaultLogsw() throws {
        let good = "0123456789ABCDEF", bad = "FEDCBA9876543210"
        let s = try fakes(3)
        s[0].dmk = bad
        s[2].ncError = "13"
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: defaultCategories, sink: sink),
                      options: GroupTest.options { $0.expectedDMKCheckValue = good })
        // Sequential calls go to the first live member: HOST1 is kept out, HOST2 serves;
        // stopping HOST2 for one call pushes that call on to HOST3.
        XCTAssertEqual(try g.transmit(GroupTest.echo("a")), GroupTest.reply("a"))
        XCTAssertEqual(state(g, 0), .dmkMismatch)
        s[1].stop()
        _ = try? g.transmit(GroupTest.echo("b"))
        XCTAssertEqual(state(g, 2), .notInitialized)
        let mismatch = lines(sink, "HOST1", "-> dmkMismatch", bad, good)
        XCTAssertEqual(mismatch.count, 1, "\(sink.lines)")
        XCTAssertEqual(mismatch.first?.0, .error)
        XCTAssertEqual(lines(sink, "HOST3", "-> notInitialized", "13", "kept out").count, 1, "\(sink.lines)")

        // HOST1 is re-initialised with the group's DMK: admitted, and that is logged too.
        s[0].dmk = good
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 0) == .up })
        XCTAssertEqual(lines(sink, "HOST1", "dmkMismatch -> up", "rejoined").count, 1, "\(sink.lines)")
        try s[1].resume()
        s[2].ncError = nil
        XCTAssertTrue(GroupTest.waitUntil(5) { state(g, 2) == .up })
        XCTAssertEqual(lines(sink, "HOST3", "notInitialized -> up", "rejoined").count, 1, "\(sink.lines)")
    }

    func testNothingIsWrittenWithLoggingOff() throws {
        let s = try fakes(2)
        s[0].stopListening()
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: [], sink: sink))
        _ = try g.transmit(GroupTest.echo("z"))
        s[1].stop()
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("z")))
        XCTAssertEqual(state(g, 0), .ejected)
        XCTAssertTrue(sink.lines.isEmpty, "\(sink.lines)")
    }

    // MARK: - Failed calls

    func testAllDownBurstWritesOneLinePerSecondPerCodeWithACount() throws {
        let s = try fakes(2)
        for x in s { x.stop() }
        let sink = RecordingSink()
        let now = Locked<Int64>(5_000_000_000)
        let log = Log(categories: defaultCategories, sink: sink, clock: { now.get })
        let g = group(s, log: log)
        let mark = "PAYLOADMARK"
        var codes: [Int32: Int] = [:]
        for i in 0..<200 {
            do {
                _ = try g.transmit(GroupTest.echo("\(mark)\(i)"))
                XCTFail("call \(i) succeeded with every member down")
            } catch let e as CACipherError {
                codes[e.code, default: 0] += 1
            }
        }
        // The clock stood still: one line per error code, however many calls failed.
        let failed = sink.lines.filter { $0.1.hasPrefix("call failed:") }
        XCTAssertTrue((1...2).contains(failed.count), "\(failed)")
        XCTAssertEqual(failed.count, codes.count, "\(codes)")
        for l in failed { XCTAssertEqual(l.0, .error) }
        XCTAssertTrue(failed.contains { $0.1.contains("CACIPHER_E_ALL_DOWN (-12), command XE, last member tried HOST2 (127.0.0.1:\(s[1].port))") },
                      "\(failed)")
        for l in sink.lines { XCTAssertFalse(l.1.contains(mark), "no payload in the log: \(l.1)") }

        // A second later the next failure is written, with what was held back.
        now.update { $0 += 1_100_000_000 }
        var lastCode: Int32 = 0
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("again"))) { lastCode = ($0 as? CACipherError)?.code ?? 0 }
        let after = sink.lines.filter { $0.1.hasPrefix("call failed:") }
        XCTAssertEqual(after.count, failed.count + 1, "\(after)")
        let held = (codes[lastCode] ?? 0) - 1
        XCTAssertTrue(after.last?.1.hasSuffix("(\(held) more since the last line)") ?? false, "\(after.last?.1 ?? "")")
        XCTAssertLessThan(after.count, 10, "not one line per call")
    }

    func testHSMErrorReplyWritesNoLineButALibraryFailureDoes() throws {
        let s = try fakes(1)
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: defaultCategories, sink: sink))
        // XR answers with the error code it is given: 27 is the HSM's answer, not a failure.
        let reply = try g.transmit(Array("XR27".utf8))
        XCTAssertEqual(Array(reply.prefix(4)), Array("XS27".utf8))
        XCTAssertTrue(sink.lines.isEmpty, "\(sink.lines)")

        s[0].stop()
        XCTAssertThrowsError(try g.transmit(Array("XR27".utf8)))
        let failed = sink.lines.filter { $0.1.hasPrefix("call failed:") }
        XCTAssertEqual(failed.count, 1, "\(sink.lines)")
        let line = failed.first?.1 ?? ""
        XCTAssertTrue(line.contains("command XR"), line)
        XCTAssertTrue(line.contains("HOST1 (127.0.0.1:\(s[0].port))"), line)
    }

    func testCallerErrorsAreLoggedWithoutThePayload() throws {
        let s = try fakes(1)
        let sink = RecordingSink()
        let g = group(s, log: Log(categories: defaultCategories, sink: sink))
        XCTAssertThrowsError(try g.transmit([0x01]))
        XCTAssertThrowsError(try g.transmit([0x01, 0xFF, 0x41]))
        let failed = sink.lines.filter { $0.1.hasPrefix("call failed:") }
        XCTAssertEqual(failed.count, 1, "same code within a second: one line \(failed)")
        let line = failed.first?.1 ?? ""
        XCTAssertTrue(line.contains("CACIPHER_E_INVALID_ARG (-1), command -, last member tried none"), line)
    }

    // MARK: - Log and LogRateLimiter

    func testStateChangeIsWrittenWhenErrorOrItsOwnCategoryIsOn() {
        for (on, written) in [(LogCategories.error, true), (.warn, true), ([.info, .debug], false), ([], false)] {
            let sink = MemoryLogSink()
            let log = Log(categories: on, sink: sink)
            var built = 0
            func message() -> String { built += 1; return "m" }
            log.stateChange(.warn, message())
            XCTAssertEqual(sink.lines.count, written ? 1 : 0, "\(on)")
            XCTAssertEqual(built, written ? 1 : 0, "no message built when nothing is written (\(on))")
            if written { XCTAssertEqual(sink.lines.first?.category, .warn) }
        }
        Log.off.stateChange(.error, "never")
    }

    func testErrorLimitedBuildsNothingWhenOffOrHeldBack() {
        var built = 0
        func message() -> String { built += 1; return "m" }
        let off = Log(categories: [.warn], sink: MemoryLogSink(), clock: { 0 })
        for _ in 0..<3 { off.errorLimited(key: -12, message()) }
        XCTAssertEqual(built, 0)
        let sink = MemoryLogSink()
        let on = Log(categories: .error, sink: sink, clock: { 0 })
        for _ in 0..<3 { on.errorLimited(key: -12, message()) }
        XCTAssertEqual(built, 1)
        XCTAssertEqual(sink.messages, ["m"])
    }

    func testRateLimiterCountsPerKeyAndInterval() {
        let now = Locked<Int64>(0)
        let r = LogRateLimiter(intervalNs: 1_000_000_000, clock: { now.get })
        XCTAssertEqual(r.admit(-12), 0)
        XCTAssertNil(r.admit(-12))
        XCTAssertNil(r.admit(-12))
        XCTAssertEqual(r.admit(-17), 0, "keys are independent")
        now.set(999_999_999)
        XCTAssertNil(r.admit(-12))
        now.set(1_000_000_000)
        XCTAssertEqual(r.admit(-12), 3)
        XCTAssertNil(r.admit(-12))
        now.set(5_000_000_000)
        XCTAssertEqual(r.admit(-12), 1)
        XCTAssertEqual(r.admit(-17), 0)
        // More keys than slots share one slot: still bounded, never dropped silently.
        for k in 0..<Int32(LogRateLimiter.maxKeys + 5) { _ = r.admit(1000 + k) }
        XCTAssertNil(r.admit(5000))
        now.set(7_000_000_000)
        XCTAssertNotNil(r.admit(5000))
    }
}
