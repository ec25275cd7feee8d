import Foundation
import HSMNet
import XCTest
@testable import CACipherCore
import HostProtocol

final class ConnectionTests: XCTestCase {
    private func connect(_ hsm: FakeHSM, host: String? = nil, maxReply: Int = FrameCodec.maxBodyLength) throws -> Connection {
        let stream = try TCPConnector(host: host ?? hsm.loopback, port: Int(hsm.port)).connect(deadline: .after(milliseconds: 1000))
        return Connection(stream: stream, headerLength: hsm.headerLength, maxReplyLength: maxReply, pooled: true, generation: 0)
    }

    private func failure(_ body: () throws -> Void) -> TransportFailure? {
        do { try body() } catch let f as TransportFailure { return f } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    func testExchangeReturnsReplyFromResponseCode() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        let reply = try c.exchange(Array("B20004ABCD".utf8), command: CommandCode("B2"), timeoutMs: 1000).bytes
        XCTAssertEqual(String(decoding: reply, as: UTF8.self), "B300ABCD")
        // The same connection carries the next request (buffers reused, still healthy).
        let again = try c.exchange(Array("XEhello".utf8), command: CommandCode("XE"), timeoutMs: 1000).bytes
        XCTAssertEqual(again, GroupTest.reply("hello"))
        XCTAssertTrue(c.isReusable)
        XCTAssertEqual(hsm.accepted, 1)
    }

    func testHSMErrorCodeIsAReplyNotAFailure() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        let reply = try c.exchange(Array("XR13".utf8), command: CommandCode("XR"), timeoutMs: 1000).bytes
        XCTAssertEqual(String(decoding: reply, as: UTF8.self), "XS13")
        XCTAssertFalse(c.broken)
    }

    /// The connection hands back the reply checked, with its error code parsed once: the
    /// typed layer reads `code` and `fields` and does not look at the header again.
    func testReplyComesCheckedWithItsErrorCode() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        let failed = try c.exchange(Array("XR13".utf8), command: CommandCode("XR"), timeoutMs: 1000)
        XCTAssertEqual(failed.code, HostErrorCode(rawValue: 13))
        XCTAssertTrue(failed.fields.isEmpty)
        let ok = try c.exchange(Array("XEabc".utf8), command: CommandCode("XE"), timeoutMs: 1000)
        XCTAssertEqual(ok.code, .ok)
        XCTAssertEqual(Array(ok.fields), Array(GroupTest.reply("abc").dropFirst(4)))
    }

    func testHeaderIsSentAndEchoChecked() throws {
        let hsm = try FakeHSM(headerLength: 8)
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        let reply = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000).bytes
        XCTAssertEqual(String(decoding: reply.prefix(20), as: UTF8.self), "ND000123456789ABCDEF")
    }

    func testWrongHeaderEchoIsBadFrame() throws {
        let hsm = try FakeHSM(headerLength: 4)
        defer { hsm.close() }
        hsm.behaviour = .wrongHeader
        let c = try connect(hsm)
        defer { c.close() }
        let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertEqual(f?.code, .badFrame)
        XCTAssertEqual(f?.notSent, false)
        XCTAssertTrue(c.broken, "a connection with a bad reply is never reused")
    }

    func testHeaderLengthMismatchNamesMsgheadlength() throws {
        // The HSM expects a 4-byte header, the client sends none: the HSM cannot read the
        // command and answers ZZ15; the message says which setting to compare.
        let hsm = try FakeHSM(headerLength: 4)
        defer { hsm.close() }
        for clientHeader in [0, 8] {
            let stream = try TCPConnector(host: hsm.loopback, port: Int(hsm.port)).connect(deadline: .after(milliseconds: 1000))
            let c = Connection(stream: stream, headerLength: clientHeader, maxReplyLength: FrameCodec.maxBodyLength, pooled: true, generation: 0)
            defer { c.close() }
            let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
            XCTAssertEqual(f?.code, .badFrame, "client header \(clientHeader)")
            XCTAssertTrue(f?.message.contains("msgheadlength=\(clientHeader)") ?? false, f?.message ?? "")
        }
        // Garbage is not a header question.
        hsm.behaviour = .garbage
        let plain = try connect(hsm)
        defer { plain.close() }
        let g = failure { _ = try plain.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertFalse(g?.message.contains("msgheadlength") ?? true, g?.message ?? "")
    }

    func testWrongResponseCodeIsBadFrame() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .wrongResponseCode
        let c = try connect(hsm)
        defer { c.close() }
        let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertEqual(f?.code, .badFrame)
        XCTAssertTrue(f?.message.contains("ZZ") ?? false, f?.message ?? "")
        XCTAssertTrue(c.broken)
    }

    func testOversizeReplyIsBadFrame() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .oversize(6_300)
        let c = try connect(hsm, maxReply: 6 * 1024 + 128)
        defer { c.close() }
        let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertEqual(f?.code, .badFrame)
        XCTAssertTrue(f?.message.contains("6300") ?? false, f?.message ?? "")
    }

    func testLargeReplyWithinLimitGrowsBuffer() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        let data = String(repeating: "0123456789ABCDEF", count: 2000)  // 32000 bytes
        let reply = try c.exchange(Array(("XE" + data).utf8), command: CommandCode("XE"), timeoutMs: 2000).bytes
        XCTAssertEqual(reply, GroupTest.reply(data))
    }

    func testGarbageIsBadFrame() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .garbage
        let c = try connect(hsm)
        defer { c.close() }
        let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertEqual(f?.code, .badFrame)
    }

    func testSilentPeerTimesOutWithinBound() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .silent
        let c = try connect(hsm)
        defer { c.close() }
        let (f, seconds) = GroupTest.timed { failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 300) } }
        XCTAssertEqual(f?.code, .timeout)
        XCTAssertEqual(f?.notSent, false, "the request may have reached the HSM")
        XCTAssertGreaterThanOrEqual(seconds, 0.29)
        XCTAssertLessThan(seconds, 0.9)
    }

    func testPeerClosingMidFlightIsIOMaybeDelivered() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.behaviour = .closeOnRequest
        let c = try connect(hsm)
        defer { c.close() }
        let f = failure { _ = try c.exchange(Array("NC".utf8), command: CommandCode("NC"), timeoutMs: 1000) }
        XCTAssertEqual(f?.code, .io)
        XCTAssertEqual(f?.notSent, false)
    }

    func testRefusedConnectIsProvablyNotSent() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        hsm.stopListening()
        let f = failure { _ = try TCPConnector(host: "127.0.0.1", port: Int(hsm.port)).connect(deadline: .after(milliseconds: 500)) }
        XCTAssertEqual(f?.code, .connect)
        XCTAssertEqual(f?.notSent, true)
    }

    func testUnresolvableHostIsConnectFailure() {
        let f = failure { _ = try TCPConnector(host: "no-such-host.invalid", port: 1500).connect(deadline: .after(milliseconds: 500)) }
        XCTAssertEqual(f?.code, .connect)
        XCTAssertEqual(f?.notSent, true)
    }

    func testIPv6Loopback() throws {
        let hsm = try FakeHSM(loopback: "::1")
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        XCTAssertEqual(try c.exchange(Array("XEv6".utf8), command: CommandCode("XE"), timeoutMs: 1000).bytes, GroupTest.reply("v6"))
    }

    func testHostNameIsResolved() throws {
        // "localhost" may resolve to ::1 first (refused here), then 127.0.0.1.
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm, host: "localhost")
        defer { c.close() }
        XCTAssertEqual(try c.exchange(Array("XEname".utf8), command: CommandCode("XE"), timeoutMs: 1000).bytes, GroupTest.reply("name"))
    }

    func testIdleConnectionClosedByPeerIsStale() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let c = try connect(hsm)
        defer { c.close() }
        _ = try c.exchange(Array("XEx".utf8), command: CommandCode("XE"), timeoutMs: 1000)
        XCTAssertTrue(c.isReusable)
        hsm.dropConnections()
        XCTAssertTrue(GroupTest.waitUntil(2) { !c.isReusable })
    }
}

final class SocketOptionTests: XCTestCase {
    func testKeepAliveNoDelayAndCloexec() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let s = try XCTUnwrap(TCPConnector(host: "127.0.0.1", port: Int(hsm.port)).connect(deadline: .after(milliseconds: 1000)) as? TCPStream)
        defer { s.close() }
        XCTAssertEqual(s.intOption(level: SOL_SOCKET, name: SO_KEEPALIVE), 1)
        XCTAssertEqual(s.intOption(level: Int32(IPPROTO_TCP), name: TCP_NODELAY), 1)
        XCTAssertEqual(s.intOption(level: Int32(IPPROTO_TCP), name: TCP_KEEPIDLE), TCPKeepAlive.idleSeconds)
        XCTAssertEqual(s.intOption(level: Int32(IPPROTO_TCP), name: TCP_KEEPINTVL), TCPKeepAlive.intervalSeconds)
        XCTAssertEqual(s.intOption(level: Int32(IPPROTO_TCP), name: TCP_KEEPCNT), TCPKeepAlive.count)
        XCTAssertNotEqual(s.descriptorFlags & FD_CLOEXEC, 0)
    }

    func testWriteToDeadPeerDoesNotRaiseSIGPIPE() throws {
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let s = try TCPConnector(host: "127.0.0.1", port: Int(hsm.port)).connect(deadline: .after(milliseconds: 1000))
        defer { s.close() }
        hsm.stop()
        XCTAssertTrue(GroupTest.waitUntil(2) { hsm.openConnections == 0 })
        // Keep writing until the kernel reports the reset; without MSG_NOSIGNAL the process
        // would die of SIGPIPE here.
        // The default disposition (terminate) is in force for the test, whatever the host
        // process had set.
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        let chunk = [UInt8](repeating: 0x41, count: 4096)
        var failed = false
        for _ in 0..<100 where !failed {
            do {
                try chunk.withUnsafeBytes { try s.sendAll($0, deadline: .after(milliseconds: 200)) }
                usleep(5_000)
            } catch let f as TransportFailure {
                failed = true
                XCTAssertEqual(f.code, .io)
            }
        }
        XCTAssertTrue(failed)
    }
}
