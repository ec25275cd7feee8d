import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// Log lines recorded in memory.
final class RecordingSink: LogSink, @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [(LogCategories, String)] = []
    func write(_ category: LogCategories, _ line: String) { lock.withLock { _lines.append((category, line)) } }
    var lines: [(LogCategories, String)] { lock.withLock { _lines } }
    func contains(_ category: LogCategories, _ all: String...) -> Bool {
        lines.contains { l in l.0 == category && all.allSatisfy { l.1.contains($0) } }
    }
}

enum GroupTest {
    static func host(_ hsm: FakeHSM, _ section: String, linkNum: Int = -2, connMs: Int = 500, readMs: Int = 500)
        -> HostConfig {
        var h = HostConfig(section: section, host: hsm.loopback, port: Int(hsm.port))
        h.linkNum = linkNum
        h.connTimeoutMs = connMs
        h.readTimeoutMs = readMs
        h.headerLength = hsm.headerLength
        return h
    }

    /// Fast probing for tests.
    static func options(_ f: (inout GroupOptions) -> Void = { _ in }) -> GroupOptions {
        var o = GroupOptions()
        o.probeInitialBackoffMs = 20
        o.probeMaxBackoffMs = 200
        f(&o)
        return o
    }

    static func echo(_ text: String) -> [UInt8] { Array(("XE" + text).utf8) }

    static func reply(_ text: String) -> [UInt8] { Array(("XF00" + text).utf8) }

    /// Polls `condition` every 10 ms until it holds or `seconds` pass.
    @discardableResult
    static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        CACipherTestSupport.waitUntil(seconds, condition)
    }

    /// Seconds `body` took.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let r = try body()
        return (r, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// The worst case of one call over `members` members (docs/failover.md): per attempt a
    /// pool wait and an NC check (read timeout each), a connect and the exchange.
    static func callBound(_ hosts: [HostConfig]) -> Double {
        Double(hosts.map { $0.connTimeoutMs + 3 * $0.readTimeoutMs }.reduce(0, +)) / 1000
    }
}

/// Runs `count` copies of `body`, each on its own thread, and waits (bounded) for all.
@discardableResult
func runConcurrently(_ count: Int, timeout: Double = 60, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let t = Thread {
            body(i)
            group.leave()
        }
        t.start()
    }
    return group.wait(timeout: .now() + timeout) == .success
}

/// A value shared between test threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    var get: T { lock.withLock { value } }
    func set(_ v: T) { lock.withLock { value = v } }
    func update(_ f: (inout T) -> Void) { lock.withLock { f(&value) } }
}

/// Base of the group test classes: keeps the fake HSMs and groups a test makes and shuts
/// them all down after it.
class GroupTestCase: XCTestCase {
    var servers: [FakeHSM] = []
    var groups: [HostGroup] = []

    override func tearDown() {
        for g in groups { g.shutdown() }
        for s in servers { s.close() }
        groups = []
        servers = []
        super.tearDown()
    }

    /// `n` fake HSMs on loopback reporting `dmk`, closed after the test.
    func fakes(_ n: Int, dmk: String = "0123456789ABCDEF") throws -> [FakeHSM] {
        let made = try (0..<n).map { _ in try FakeHSM(dmk: dmk) }
        servers += made
        return made
    }

    /// Keeps `g` so that it is shut down after the test.
    func track(_ g: HostGroup) -> HostGroup {
        groups.append(g)
        return g
    }
}

/// Waits at most `seconds` for a forked child, SIGKILLs it if it has not finished, and says
/// whether it exited in time with status 0.
func waitForChild(_ child: pid_t, seconds: Int = 10) -> (inTime: Bool, succeeded: Bool, status: Int32) {
    var status: Int32 = 0
    var exited = false
    for _ in 0..<(seconds * 100) {
        if waitpid(child, &status, WNOHANG) == child { exited = true; break }
        usleep(10_000)
    }
    if !exited {
        kill(child, SIGKILL)
        _ = waitpid(child, &status, 0)
    }
    return (exited, exited && (status & 0x7F) == 0 && (status >> 8) & 0xFF == 0, status)
}
