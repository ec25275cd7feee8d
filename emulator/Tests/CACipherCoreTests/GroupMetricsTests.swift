import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Counters, the text exposition, state-change observers and the background checks of
/// idle (standby) members.
final class GroupMetricsTests: XCTestCase {
    private func client(_ hsms: [FakeHSM], _ f: (inout GroupOptions) -> Void = { _ in }) -> CACipherClient {
        var cfg = CACipherConfig()
        cfg.hosts = hsms.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)", linkNum: 2, connMs: 300, readMs: 500) }
        return CACipherClient(config: cfg, logSink: nil, options: GroupTest.options(f))
    }

    /// Every line of `text` is valid Prometheus text exposition (0.0.4): `# HELP`/`# TYPE`
    /// comments, then samples `name{label="value",...} number` of a declared family.
    static func parseExposition(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [String: Double] {
        var samples: [String: Double] = [:]
        var types: [String: String] = [:]
        XCTAssertTrue(text.hasSuffix("\n"), "exposition ends with a line feed", file: file, line: line)
        let name = "[a-zA-Z_:][a-zA-Z0-9_:]*"
        let label = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\""
        let sampleRE = try! NSRegularExpression(pattern: "^(\(name))(\\{\(label)(?:,\(label))*\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:e[-+]?[0-9]+)?|\\+Inf|NaN)$")
        let helpRE = try! NSRegularExpression(pattern: "^# HELP (\(name)) .+$")
        let typeRE = try! NSRegularExpression(pattern: "^# TYPE (\(name)) (counter|gauge|histogram|summary|untyped)$")
        for l in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let s = String(l)
            let r = NSRange(s.startIndex..., in: s)
            if let m = typeRE.firstMatch(in: s, range: r) {
                let n = String(s[Range(m.range(at: 1), in: s)!])
                XCTAssertNil(types[n], "family \(n) declared twice", file: file, line: line)
                types[n] = String(s[Range(m.range(at: 2), in: s)!])
            } else if helpRE.firstMatch(in: s, range: r) != nil {
            } else if let m = sampleRE.firstMatch(in: s, range: r) {
                let n = String(s[Range(m.range(at: 1), in: s)!])
                let family = ["_bucket", "_sum", "_count"].reduce(n) { f, suffix in
                    f.hasSuffix(suffix) && types[String(f.dropLast(suffix.count))] == "histogram" ? String(f.dropLast(suffix.count)) : f
                }
                XCTAssertNotNil(types[family], "sample of undeclared family: \(s)", file: file, line: line)
                let key = m.range(at: 2).location == NSNotFound ? n : n + String(s[Range(m.range(at: 2), in: s)!])
                XCTAssertNil(samples[key], "duplicate sample \(key)", file: file, line: line)
                samples[key] = Double(String(s[Range(m.range(at: 3), in: s)!]))
            } else {
                XCTFail("not exposition format: \(s)", file: file, line: line)
            }
        }
        return samples
    }

    func testMetricsTextParsesAndCountersIncrease() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b]) { $0.standbyProbeIntervalMs = 0 }
        defer { c.close() }
        let before = Self.parseExposition(c.metricsText())
        XCTAssertEqual(before["cacipher_calls_total"], 0)
        XCTAssertEqual(before["cacipher_member_replies_total{member=\"HOST1\"}"], 0)
        for i in 0..<5 { XCTAssertEqual(try c.transmit(GroupTest.echo("m\(i)")), GroupTest.reply("m\(i)")) }
        XCTAssertEqual(try c.transmit(Array("XR15".utf8)), Array("XS15".utf8))  // an HSM error is a reply
        // HOST2's quorum worker applies its answer on its own thread, maybe after the calls.
        XCTAssertTrue(GroupTest.waitUntil(5) { c.memberStatus()[1].state == .up }, "HOST2 joined by the quorum round")
        let after = Self.parseExposition(c.metricsText())
        XCTAssertEqual(after["cacipher_calls_total"], 6)
        XCTAssertEqual(after["cacipher_call_failures_total"], 0)
        XCTAssertEqual(after["cacipher_call_duration_seconds_count"], 6)
        XCTAssertEqual(after["cacipher_call_duration_seconds_bucket{le=\"+Inf\"}"], 6)
        XCTAssertEqual(after["cacipher_member_replies_total{member=\"HOST1\"}"], 6, "idle group: config order picks HOST1")
        XCTAssertEqual(after["cacipher_member_calls_total{member=\"HOST1\"}"], 6)
        XCTAssertEqual(after["cacipher_member_reply_duration_seconds_count{member=\"HOST1\"}"], 6)
        XCTAssertEqual(after["cacipher_member_up{member=\"HOST1\"}"], 1)
        // No dmkCheckValue pinned: the DMK quorum asked HOST2 too (NC), so it is up, with no call.
        XCTAssertEqual(after["cacipher_member_state{member=\"HOST2\",state=\"up\"}"], 1)
        XCTAssertEqual(after["cacipher_member_calls_total{member=\"HOST2\"}"], 0)
        XCTAssertEqual(after["cacipher_hedges_total"], 0)
        c.group.noteHedge()
        XCTAssertEqual(Self.parseExposition(c.metricsText())["cacipher_hedges_total"], 1)
        // Buckets are cumulative and end at the count.
        let buckets = LatencyHistogram.boundLabels.map { after["cacipher_call_duration_seconds_bucket{le=\"\($0)\"}"] ?? -1 }
        XCTAssertEqual(buckets, buckets.sorted())
        XCTAssertLessThanOrEqual(buckets.last ?? 99, 6)

        // A member failure: HOST1 dies; the call is re-sent to HOST2 (a re-send, a failure).
        a.stop()
        XCTAssertEqual(try c.transmit(GroupTest.echo("after")), GroupTest.reply("after"))
        let failed = Self.parseExposition(c.metricsText())
        XCTAssertEqual(failed["cacipher_calls_total"], 7)
        XCTAssertEqual(failed["cacipher_resends_total"], 1)
        XCTAssertEqual(failed["cacipher_member_resends_total{member=\"HOST2\"}"], 1)
        XCTAssertEqual(failed["cacipher_member_failures_total{member=\"HOST1\"}"], 1)
        XCTAssertEqual(failed["cacipher_member_ejections_total{member=\"HOST1\"}"], 1)
        XCTAssertEqual(failed["cacipher_member_state{member=\"HOST1\",state=\"ejected\"}"], 1)
    }

    func testPoolWaitsAreCounted() throws {
        let a = try FakeHSM()
        defer { a.close() }
        var cfg = CACipherConfig()
        cfg.hosts = [GroupTest.host(a, "HOST1", linkNum: -1, connMs: 500, readMs: 3_000)]
        let c = CACipherClient(config: cfg, logSink: nil, options: GroupTest.options())
        defer { c.close() }
        _ = try c.transmit(GroupTest.echo("warm"))
        a.delayMs = 200
        XCTAssertTrue(runConcurrently(3) { i in _ = try? c.transmit(GroupTest.echo("w\(i)")) })
        let m = Self.parseExposition(c.metricsText())
        XCTAssertGreaterThanOrEqual(m["cacipher_member_pool_waits_total{member=\"HOST1\"}"] ?? 0, 1)
    }

    func testLabelValuesAreEscaped() {
        XCTAssertEqual(MetricsText.escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd")
        XCTAssertEqual(MetricsText.seconds(1_500_000), "0.001500000")
        XCTAssertEqual(MetricsText.seconds(12_000_000_001), "12.000000001")
    }

    private final class Events: @unchecked Sendable {
        let lock = NSLock()
        var list: [MemberStateChange] = []
        var onCaller = false
        func add(_ e: MemberStateChange) { lock.withLock { list.append(e) } }
        var all: [MemberStateChange] { lock.withLock { list } }
    }

    /// The callback fires on eject and readmit with the right member, outside the call.
    func testStateCallbackOnEjectAndReadmit() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b]) { $0.standbyProbeIntervalMs = 0 }
        defer { c.close() }
        let events = Events()
        let callerThread = pthread_self()
        c.onStateChange { e in
            if pthread_equal(pthread_self(), callerThread) != 0 { events.lock.withLock { events.onCaller = true } }
            events.add(e)
        }
        XCTAssertEqual(try c.transmit(GroupTest.echo("1")), GroupTest.reply("1"))  // HOST1 unknown -> up
        a.stop()  // HOST1 dies: the next call fails on it (ejected) and is re-sent to HOST2
        XCTAssertEqual(try c.transmit(GroupTest.echo("2")), GroupTest.reply("2"))
        try a.resume()  // the prober readmits HOST1
        XCTAssertTrue(GroupTest.waitUntil(5) { events.all.contains { $0.section == "HOST1" && $0.to == .ejected } },
                      "eject of HOST1 observed: \(events.all)")
        XCTAssertTrue(GroupTest.waitUntil(5) { events.all.contains { $0.section == "HOST1" && $0.from == .ejected && $0.to == .up } },
                      "readmit of HOST1 observed: \(events.all)")
        let ej = events.all.first { $0.to == .ejected && $0.section == "HOST1" }
        XCTAssertEqual(ej?.index, 0)
        XCTAssertNotNil(ej?.reason)
        XCTAssertTrue(events.all.contains { $0.section == "HOST1" && $0.from == .unknown && $0.to == .up })
        XCTAssertFalse(events.lock.withLock { events.onCaller }, "callbacks run on the notifier thread")
    }

    /// The same changes as an AsyncStream.
    func testStateChangesStream() async throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let c = client([a, b]) { $0.standbyProbeIntervalMs = 0 }
        let stream = c.stateChanges()
        _ = try await c.transmit(GroupTest.echo("1"))
        a.stop()
        _ = try await c.transmit(GroupTest.echo("2"))  // fails on HOST1, re-sent to HOST2
        var seen: [MemberStateChange] = []
        for await e in stream {
            seen.append(e)
            if e.section == "HOST1" && e.to == .ejected { break }
        }
        // HOST1 joins, then is ejected; HOST2 joined with it (the DMK quorum asked both, in
        // either order), before the re-send.
        let host1 = seen.filter { $0.section == "HOST1" }
        XCTAssertEqual(host1.map(\.from), [.unknown, .up])
        XCTAssertEqual(host1.map(\.to), [.up, .ejected])
        XCTAssertEqual(seen.filter { $0.section == "HOST2" }.map(\.to), [.up])
        XCTAssertEqual(seen.count, 3)
        c.close()
    }

    /// A dead standby (never picked: the idle group always takes HOST1) is shown ejected by
    /// the background checks, without any call reaching it; a live one shows up.
    func testDeadStandbyShownEjectedWithoutTraffic() throws {
        let a = try FakeHSM(), b = try FakeHSM(), d = try FakeHSM()
        defer { a.close(); b.close(); d.close() }
        d.stop()  // HOST3: dead from the start
        let c = client([a, b, d]) { $0.standbyProbeIntervalMs = 100 }
        defer { c.close() }
        XCTAssertTrue(GroupTest.waitUntil(5) { c.memberStatus()[2].state == .ejected }, "\(c.memberStatus()[2])")
        XCTAssertTrue(GroupTest.waitUntil(5) { c.memberStatus()[1].state == .up }, "\(c.memberStatus()[1])")
        XCTAssertEqual(b.requests("XE"), 0, "no traffic reached the standby")
        let m = Self.parseExposition(c.metricsText())
        XCTAssertEqual(m["cacipher_member_state{member=\"HOST3\",state=\"ejected\"}"], 1)
        XCTAssertGreaterThanOrEqual(m["cacipher_member_standby_probes_total{member=\"HOST3\"}"] ?? 0, 1)
        XCTAssertEqual(m["cacipher_calls_total"], 0)
        // With the checks off, an unused standby stays unknown.
        let off = client([a, b, d]) { $0.standbyProbeIntervalMs = 0 }
        defer { off.close() }
        usleep(300_000)
        XCTAssertEqual(off.memberStatus()[2].state, .unknown)
    }
}
