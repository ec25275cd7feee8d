import Foundation
import HSMNet
import XCTest
@testable import CACipherCore
import HostProtocol

/// A gate a simulated resolver waits at: opened by the test, or gives up by itself after
/// `maxSeconds` (so no background thread outlives the test run by much).
private final class Gate: @unchecked Sendable {
    private let cond = NSCondition()
    private var isOpen = false

    func open() {
        cond.lock()
        isOpen = true
        cond.broadcast()
        cond.unlock()
    }

    func wait(maxSeconds: Double) {
        let end = Date().addingTimeInterval(maxSeconds)
        cond.lock()
        while !isOpen && cond.wait(until: end) {}
        cond.unlock()
    }
}

final class HostResolverTests: XCTestCase {
    private let port = 1500

    /// The address of a numeric literal (no lookup), for scripted answers.
    private func address(_ ip: String, _ port: Int = 1500) throws -> ResolvedAddress {
        let r = HostResolver.numericLookup(ip, port)
        guard case .success(let a) = r, let first = a.first else {
            XCTFail("\(ip) is not numeric: \(r)")
            throw ResolveError("not numeric")
        }
        return first
    }

    /// `ip:port` (or `[ip]:port`) of a resolved address, for comparisons.
    private func text(_ a: ResolvedAddress) -> String {
        var hostBuffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var portBuffer = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = a.withSockaddr { sa, len in
            getnameinfo(sa, len, &hostBuffer, socklen_t(hostBuffer.count), &portBuffer, socklen_t(portBuffer.count),
                        NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard rc == 0 else { return "getnameinfo failed \(rc)" }
        let h = String(cString: hostBuffer), p = String(cString: portBuffer)
        return a.family == AF_INET6 ? "[\(h)]:\(p)" : "\(h):\(p)"
    }

    private func texts(_ list: [ResolvedAddress]) -> [String] { list.map(text) }

    /// A lookup that counts its calls, waits at `gate` (at most 3 s), then gives `answer`.
    private func hangingLookup(_ gate: Gate, calls: Locked<Int>,
                               answer: Result<[ResolvedAddress], ResolveError>) -> HostResolver.Lookup {
        return { _, _ in
            calls.update { $0 += 1 }
            gate.wait(maxSeconds: 3)
            return answer
        }
    }

    /// A lookup that counts its calls and gives the current scripted answer at once.
    private func scriptedLookup(calls: Locked<Int>, answer: Locked<Result<[ResolvedAddress], ResolveError>>) -> HostResolver.Lookup {
        return { _, _ in
            calls.update { $0 += 1 }
            return answer.get
        }
    }

    private func failure(_ body: () throws -> Void) -> TransportFailure? {
        do { try body() } catch let f as TransportFailure { return f } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    private func seconds(since start: Date) -> Double { Date().timeIntervalSince(start) }

    // MARK: - Deadline

    func testHangingLookupTimesOutAtTheConnectDeadline() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let r = HostResolver(lookup: hangingLookup(gate, calls: calls, answer: .success([try address("127.0.0.1")])))
        let start = Date()
        let f = failure { _ = try r.resolve(host: "hsm1.bank.test", port: port, deadline: .after(milliseconds: 200)) }
        let elapsed = seconds(since: start)
        XCTAssertLessThan(elapsed, 2, "the caller returned at its deadline, not after the 3 s hang")
        XCTAssertEqual(f?.code, .connect)
        XCTAssertEqual(f?.notSent, true)
        XCTAssertEqual(f?.message, "resolving hsm1.bank.test timed out")
        XCTAssertEqual(calls.get, 1)
    }

    func testTimedOutLookupStillFillsTheCache() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let r = HostResolver(lookup: hangingLookup(gate, calls: calls, answer: .success([try address("127.0.0.1")])))
        XCTAssertNotNil(failure { _ = try r.resolve(host: "hsm1.bank.test", port: port, deadline: .after(milliseconds: 100)) })
        gate.open()
        XCTAssertTrue(GroupTest.waitUntil(2) { !r.isLookingUp(host: "hsm1.bank.test", port: self.port) })
        // The late answer is cached: served at once, without a new lookup.
        let got = try r.resolve(host: "hsm1.bank.test", port: port, deadline: .after(milliseconds: 0))
        XCTAssertEqual(texts(got), ["127.0.0.1:1500"])
        XCTAssertEqual(calls.get, 1)
        XCTAssertEqual(r.lookupCount, 1)
    }

    func testConnectorGivesUpOnAHangingResolverWithinTheDeadline() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let r = HostResolver(lookup: hangingLookup(gate, calls: calls, answer: .failure(ResolveError("late"))))
        let start = Date()
        let f = failure {
            _ = try TCPConnector(host: "hsm2.bank.test", port: port, resolver: r).connect(deadline: .after(milliseconds: 200))
        }
        XCTAssertLessThan(seconds(since: start), 2)
        XCTAssertEqual(f?.code, .connect)
        XCTAssertEqual(f?.notSent, true)
        XCTAssertEqual(f?.message.contains("hsm2.bank.test"), true)
        XCTAssertEqual(f?.message.contains("timed out"), true)
    }

    // MARK: - One lookup per name in flight

    func testConcurrentCallersOfAHangingNameShareOneLookup() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let r = HostResolver(lookup: hangingLookup(gate, calls: calls, answer: .success([try address("127.0.0.1")])))
        let timedOut = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<8 {
            DispatchQueue.global().async(group: group) {
                do {
                    _ = try r.resolve(host: "hsm3.bank.test", port: self.port, deadline: .after(milliseconds: 300))
                } catch let f as TransportFailure where f.message == "resolving hsm3.bank.test timed out" {
                    timedOut.update { $0 += 1 }
                } catch {}
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 2.5), .success, "every caller returned near its deadline")
        XCTAssertEqual(timedOut.get, 8)
        XCTAssertEqual(calls.get, 1, "one lookup for eight callers")
        XCTAssertEqual(r.lookupCount, 1)
    }

    func testConcurrentCallersAllGetTheOneAnswer() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let r = HostResolver(lookup: hangingLookup(gate, calls: calls, answer: .success([try address("127.0.0.1")])))
        let answers = Locked<[String]>([])
        let group = DispatchGroup()
        for _ in 0..<8 {
            DispatchQueue.global().async(group: group) {
                if let a = try? r.resolve(host: "hsm4.bank.test", port: self.port, deadline: .after(milliseconds: 2500)) {
                    answers.update { $0.append(self.texts(a).joined(separator: ",")) }
                }
            }
        }
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get >= 1 })
        usleep(100_000)  // let the others queue up behind the lookup (not required for the result)
        gate.open()
        XCTAssertEqual(group.wait(timeout: .now() + 3), .success)
        XCTAssertEqual(answers.get, Array(repeating: "127.0.0.1:1500", count: 8))
        XCTAssertEqual(calls.get, 1)
    }

    func testDifferentNamesAndPortsAreLookedUpSeparately() throws {
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1")]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer))
        _ = try r.resolve(host: "hsm5.bank.test", port: 1500, deadline: .after(milliseconds: 1000))
        _ = try r.resolve(host: "hsm6.bank.test", port: 1500, deadline: .after(milliseconds: 1000))
        _ = try r.resolve(host: "hsm5.bank.test", port: 1501, deadline: .after(milliseconds: 1000))
        _ = try r.resolve(host: "hsm5.bank.test", port: 1500, deadline: .after(milliseconds: 1000))
        XCTAssertEqual(calls.get, 3)
    }

    // MARK: - Cache

    func testFreshEntryIsServedFromTheCache() throws {
        let calls = Locked(0)
        let clock = Locked<Int64>(1_000)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1")]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer), now: { clock.get })
        XCTAssertEqual(texts(try r.resolve(host: "hsm7.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        clock.set(1_000 + 29_000_000_000)  // 29 s later: still fresh
        XCTAssertEqual(texts(try r.resolve(host: "hsm7.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        XCTAssertEqual(calls.get, 1)
        XCTAssertFalse(r.isLookingUp(host: "hsm7.bank.test", port: port))
    }

    func testExpiredEntryIsLookedUpAgain() throws {
        let calls = Locked(0)
        let clock = Locked<Int64>(1_000)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1")]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer), now: { clock.get })
        _ = try r.resolve(host: "hsm8.bank.test", port: port, deadline: .after(milliseconds: 1000))
        answer.set(.success([try address("127.0.0.2"), try address("::1")]))
        clock.set(1_000 + 31_000_000_000)  // 31 s later: expired
        // The old addresses serve while the new lookup runs; then the new ones are used.
        _ = try r.resolve(host: "hsm8.bank.test", port: port, deadline: .after(milliseconds: 1000))
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get == 2 && !r.isLookingUp(host: "hsm8.bank.test", port: self.port) })
        XCTAssertEqual(texts(try r.resolve(host: "hsm8.bank.test", port: port, deadline: .after(milliseconds: 1000))),
                       ["127.0.0.2:1500", "[::1]:1500"])
        XCTAssertEqual(calls.get, 2, "the new answer is fresh again")
    }

    func testShortFreshnessParameter() throws {
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1")]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer), freshNanoseconds: 0)
        _ = try r.resolve(host: "hsm9.bank.test", port: port, deadline: .after(milliseconds: 1000))
        XCTAssertTrue(GroupTest.waitUntil(2) { !r.isLookingUp(host: "hsm9.bank.test", port: self.port) })
        _ = try r.resolve(host: "hsm9.bank.test", port: port, deadline: .after(milliseconds: 1000))
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get == 2 }, "an expired entry starts a new lookup")
    }

    func testFailingRelookupKeepsTheStaleAddresses() throws {
        let calls = Locked(0)
        let clock = Locked<Int64>(1_000)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1")]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer), now: { clock.get })
        _ = try r.resolve(host: "hsm10.bank.test", port: port, deadline: .after(milliseconds: 1000))
        answer.set(.failure(ResolveError("Temporary failure in name resolution")))
        clock.set(1_000 + 31_000_000_000)
        XCTAssertEqual(texts(try r.resolve(host: "hsm10.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        // After the failed lookup has landed, the known addresses are still used.
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get == 2 && !r.isLookingUp(host: "hsm10.bank.test", port: self.port) })
        XCTAssertEqual(texts(try r.resolve(host: "hsm10.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get == 3 }, "and a new lookup is tried (not cached as success)")
    }

    func testHangingRelookupServesTheStaleAddressesAtOnce() throws {
        let gate = Gate()
        defer { gate.open() }
        let calls = Locked(0)
        let clock = Locked<Int64>(1_000)
        let first = try address("127.0.0.1")
        let lookup: HostResolver.Lookup = { _, _ in
            calls.update { $0 += 1 }
            if calls.get > 1 { gate.wait(maxSeconds: 3) }
            return .success([first])
        }
        let r = HostResolver(lookup: lookup, now: { clock.get })
        _ = try r.resolve(host: "hsm11.bank.test", port: port, deadline: .after(milliseconds: 1000))
        clock.set(1_000 + 31_000_000_000)
        let start = Date()
        for _ in 0..<5 {
            XCTAssertEqual(texts(try r.resolve(host: "hsm11.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        }
        XCTAssertLessThan(seconds(since: start), 2)
        XCTAssertTrue(GroupTest.waitUntil(2) { calls.get == 2 })
        XCTAssertEqual(r.lookupCount, 2, "one refresh in flight, however many callers")
    }

    func testFailureWithNothingCachedThrowsAndIsNotCached() throws {
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.failure(ResolveError("Name or service not known")))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer))
        let f = failure { _ = try r.resolve(host: "hsm12.bank.test", port: port, deadline: .after(milliseconds: 1000)) }
        XCTAssertEqual(f?.code, .connect)
        XCTAssertEqual(f?.notSent, true)
        XCTAssertEqual(f?.message, "cannot resolve hsm12.bank.test: Name or service not known")
        // The next call asks again, and a later success is used.
        answer.set(.success([try address("127.0.0.1")]))
        XCTAssertEqual(texts(try r.resolve(host: "hsm12.bank.test", port: port, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        XCTAssertEqual(calls.get, 2)
    }

    func testEmptyAnswerIsAFailure() throws {
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer))
        let f = failure { _ = try r.resolve(host: "hsm13.bank.test", port: port, deadline: .after(milliseconds: 1000)) }
        XCTAssertEqual(f?.message, "cannot resolve hsm13.bank.test: no address")
    }

    // MARK: - Numeric literals and the real lookup

    func testNumericLiteralsNeverCallTheLookup() throws {
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.failure(ResolveError("must not be asked")))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer))
        XCTAssertEqual(texts(try r.resolve(host: "127.0.0.1", port: 1500, deadline: .after(milliseconds: 1000))), ["127.0.0.1:1500"])
        XCTAssertEqual(texts(try r.resolve(host: "::1", port: 1501, deadline: .after(milliseconds: 1000))), ["[::1]:1501"])
        XCTAssertEqual(texts(try r.resolve(host: "::ffff:127.0.0.1", port: 1502, deadline: .after(milliseconds: 1000))),
                       ["[::ffff:127.0.0.1]:1502"])
        // Even with the deadline already passed: nothing to wait for.
        XCTAssertEqual(texts(try r.resolve(host: "127.0.0.1", port: 1500, deadline: .after(milliseconds: 0))), ["127.0.0.1:1500"])
        XCTAssertEqual(calls.get, 0)
        XCTAssertEqual(r.lookupCount, 0)
    }

    func testWhatCountsAsNumeric() {
        XCTAssertTrue(HostResolver.isNumeric("127.0.0.1"))
        XCTAssertTrue(HostResolver.isNumeric("::1"))
        XCTAssertTrue(HostResolver.isNumeric("fe80::1%lo"))
        XCTAssertFalse(HostResolver.isNumeric("localhost"))
        XCTAssertFalse(HostResolver.isNumeric("hsm1.bank.test"))
        XCTAssertFalse(HostResolver.isNumeric("127.1"))  // inet_aton shorthand: a name lookup decides
        XCTAssertFalse(HostResolver.isNumeric(""))
    }

    func testSystemLookupOfLocalhostCarriesThePort() {
        // /etc/hosts only: no DNS traffic.
        guard case .success(let list) = HostResolver.systemLookup("localhost", 1503) else {
            return XCTFail("localhost did not resolve")
        }
        XCTAssertFalse(list.isEmpty)
        for a in list {
            XCTAssertTrue(["127.0.0.1:1503", "[::1]:1503"].contains(text(a)), text(a))
            XCTAssertEqual(a.socketType, Int32(SOCK_STREAM.rawValue))
        }
    }

    // MARK: - End to end

    func testConnectorReachesAListenerThroughAResolvedName() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let calls = Locked(0)
        let answer = Locked<Result<[ResolvedAddress], ResolveError>>(.success([try address("127.0.0.1", Int(hsm.port))]))
        let r = HostResolver(lookup: scriptedLookup(calls: calls, answer: answer))
        for _ in 0..<2 {
            let s = try TCPConnector(host: "hsm14.bank.test", port: Int(hsm.port), resolver: r).connect(deadline: .after(milliseconds: 1000))
            s.close()
        }
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.accepted == 2 })
        XCTAssertEqual(calls.get, 1, "the second connect used the cached answer")
    }

    func testConnectorReachesLocalhostAndNumericLoopbackWithTheRealLookup() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let r = HostResolver()
        for host in ["localhost", "127.0.0.1"] {
            let stream = try TCPConnector(host: host, port: Int(hsm.port), resolver: r).connect(deadline: .after(milliseconds: 2000))
            let c = Connection(stream: stream, headerLength: 0, maxReplyLength: FrameCodec.maxBodyLength, pooled: true, generation: 0)
            defer { c.close() }
            XCTAssertEqual(try c.exchange(Array("XE\(host)".utf8), command: CommandCode("XE"), timeoutMs: 1000).bytes, GroupTest.reply(host))
        }
        XCTAssertEqual(r.lookupCount, 1, "only the name was looked up")
    }
}
