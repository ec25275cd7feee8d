import Foundation
import HSMNet
import XCTest
@testable import CACipherCore
import HostProtocol
import COpenSSL
@testable import EVSMKit

/// Proofs of the re-send rule for commands that store into the HSM (ha.md #6,
/// docs/failover.md "Re-send safety"): such a command (`idempotent: false`) is re-sent to
/// another member only when the request provably did not reach the first one. Besides a
/// failed connect (GroupFailoverTests.testStoringCommandIsResentWhenProvablyNotSent), the
/// code counts two more cases as provably not sent, and these tests pin both down:
///
/// (a) the DMK guard's `NC` on a new connection failed at the transport level: the caller's
///     command was never written (HostGroup forces `notSent`);
/// (b) the request frame was not completely written (send failed or timed out part-way):
///     an HSM cannot act on a partial frame (TCPStream.sendAll reports `notSent`).
///
/// Each has its contrast: once the whole frame was written, a storing command is not
/// re-sent. (For a member verified by an earlier call see
/// GroupFailoverTests.testStoringCommandIsNotResentWhenItMayHaveArrived; here the `NC`
/// and the command travel in the same call, on the same new connection.)
final class ResendProofTests: XCTestCase {
    /// The DMK check value `FakeHSM` reports; the scripted members that pass the check
    /// report it too.
    private let dmk = "0123456789ABCDEF"
    /// A request far larger than what a stalled sender's socket buffers hold (about 8 KB
    /// once the client's send buffer is shrunk), within the frame limit.
    private let bigFill = String(repeating: "A", count: 59_998)

    // MARK: helpers

    /// HOST1: the scripted peer (never contacted before: its `NC` runs in the first call);
    /// HOST2: a healthy fake HSM.
    private func group(_ peer: ScriptedPeer, _ hsm: FakeHSM, readMs: Int = 500,
                       options: GroupOptions = GroupTest.options()) -> HostGroup {
        var h1 = HostConfig(section: "HOST1", host: "127.0.0.1", port: Int(peer.port))
        h1.linkNum = -2
        h1.connTimeoutMs = 2000
        h1.readTimeoutMs = readMs
        h1.headerLength = peer.headerLength
        let h2 = GroupTest.host(hsm, "HOST2", connMs: 2000, readMs: 5000)
        // Pinned: these tests count every NC exchange of one call (no DMK quorum round).
        var o = options
        if o.expectedDMKCheckValue == nil { o.expectedDMKCheckValue = dmk }
        return HostGroup(hosts: [h1, h2], log: .off, options: o)
    }

    /// Keeps a failing HOST1 in the group (no ejection, no prober), so each member is
    /// contacted exactly as often as the calls require.
    private func keepIn(_ o: inout GroupOptions) { o.ejectAfterFailures = 1000 }

    private func assertCode(_ code: CACipherError.Code, _ mentions: String..., file: StaticString = #filePath,
                            line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("no error, expected \(code)", file: file, line: line)
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, code.rawValue, e.message, file: file, line: line)
            for m in mentions {
                XCTAssertTrue(e.message.contains(m), "\(e.message) does not mention \(m)", file: file, line: line)
            }
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    private func failure(_ body: () throws -> Void) -> TransportFailure? {
        do { try body() } catch let f as TransportFailure { return f } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    /// A connection to `peer` whose socket send buffer is the kernel minimum: with a peer
    /// that reads nothing (and a small window), a big request stalls part-way.
    private func smallSendBufferConnection(_ peer: ScriptedPeer) throws -> Connection {
        let fd = try TCPConnector(host: "127.0.0.1", port: Int(peer.port)).connectDescriptor(deadline: .after(milliseconds: 2000))
        var size: Int32 = 1
        XCTAssertEqual(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size)), 0)
        return Connection(stream: TCPStream(fd: fd), headerLength: 0, maxReplyLength: FrameCodec.maxBodyLength,
                          pooled: true, generation: 0)
    }

    // MARK: (a) the DMK check failed on the new connection

    func testStoringCommandIsResentOnceWhenTheDMKCheckConnectionIsClosed() throws {
        // HOST1 reads the NC and closes the connection without answering.
        let peer = try ScriptedPeer { c in _ = c.readFrame() }
        defer { peer.close() }
        let hsm = try FakeHSM()
        defer { hsm.close() }
        // One re-send token, never refilled: the call must spend exactly one.
        let g = group(peer, hsm, options: GroupTest.options {
            keepIn(&$0)
            $0.retryBurst = 1
            $0.retryRatio = 0
            $0.retryMinPerSecond = 0
        })
        defer { g.shutdown() }

        XCTAssertEqual(try g.transmit(GroupTest.echo("store"), idempotent: false), GroupTest.reply("store"))
        XCTAssertEqual(peer.commands, ["NC"], "HOST1 saw the DMK check only, never the storing command")
        XCTAssertEqual(hsm.requests("XE"), 1, "re-sent to HOST2")
        let st = g.memberStatus()
        XCTAssertEqual(st[0].failures, 1)
        XCTAssertEqual(st[0].completed, 0)
        XCTAssertEqual(st[0].state, .unknown, "never verified")
        XCTAssertTrue(st[0].lastError?.contains("DMK check (NC) failed") ?? false, st[0].lastError ?? "-")
        XCTAssertEqual(st[1].completed, 1)

        // The re-send took the budget's only token: the next call needing one is refused,
        // and it too reached HOST1 with NC only.
        assertCode(.retryBudgetExhausted, "DMK check (NC) failed") {
            _ = try g.transmit(GroupTest.echo("again"), idempotent: false)
        }
        XCTAssertEqual(peer.commands, ["NC", "NC"])
        XCTAssertEqual(hsm.requests("XE"), 1)
    }

    func testEveryTransportFailureOfTheDMKCheckLeavesTheStoringCommandUnsent() throws {
        let scripts: [(String, @Sendable (PeerConnection) -> Void)] = [
            ("reset", { c in
                _ = c.readFrame()
                c.reset()
            }),
            ("no check value", { c in
                _ = c.readFrame()
                c.write(Array("ND00not-hex-at-all!!".utf8))
            }),
            ("silence", { c in
                _ = c.readFrame()
                c.waitForRelease()
            }),
        ]
        for (name, script) in scripts {
            let peer = try ScriptedPeer(script: script)
            defer { peer.close() }
            let hsm = try FakeHSM()
            defer { hsm.close() }
            let g = group(peer, hsm, readMs: 300)  // default options: HOST1 is ejected and probed
            defer { g.shutdown() }
            XCTAssertEqual(try g.transmit(GroupTest.echo(name), idempotent: false), GroupTest.reply(name), name)
            peer.release()
            XCTAssertEqual(peer.commands.filter { $0 != "NC" }, [], "\(name): HOST1 got nothing but NC")
            XCTAssertGreaterThanOrEqual(peer.commands.count, 1, name)
            XCTAssertEqual(hsm.requests("XE"), 1, "\(name): re-sent to HOST2")
            XCTAssertTrue(g.memberStatus()[0].lastError?.contains("NC") ?? false, name)
        }
    }

    func testStoringCommandIsNotResentWhenTheConnectionDropsAfterAPassedDMKCheck() throws {
        for idempotent in [false, true] {
            // HOST1 passes NC, reads the command, and dies before answering.
            let peer = try ScriptedPeer { [dmk] c in
                guard c.readFrame() != nil else { return }
                c.answerNC(dmk: dmk)
                _ = c.readFrame()
            }
            defer { peer.close() }
            let hsm = try FakeHSM()
            defer { hsm.close() }
            let g = group(peer, hsm, options: GroupTest.options { keepIn(&$0) })
            defer { g.shutdown() }
            if idempotent {
                // The contrast's contrast: a stateless command is re-sent from the same spot.
                XCTAssertEqual(try g.transmit(GroupTest.echo("k"), idempotent: true), GroupTest.reply("k"))
                XCTAssertEqual(hsm.requests("XE"), 1)
            } else {
                assertCode(.io, "not re-sent") { _ = try g.transmit(GroupTest.echo("k"), idempotent: false) }
                XCTAssertEqual(hsm.totalRequests, 0, "HOST2 got nothing")
            }
            XCTAssertEqual(peer.commands, ["NC", "XE"], "HOST1 got the command after passing the check")
        }
    }

    // MARK: (b) the request frame was not completely written: the transport

    func testSendTimingOutPartWayThroughAFrameIsReportedNotSent() throws {
        // Reads nothing until released; then drains, to count what arrived.
        let peer = try ScriptedPeer(receiveBuffer: 1) { c in
            c.waitForRelease()
            c.drain()
        }
        defer { peer.close() }
        let conn = try smallSendBufferConnection(peer)
        let payload = GroupTest.echo(bigFill)
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 300) }
        XCTAssertEqual(f?.code, .timeout)
        XCTAssertEqual(f?.notSent, true, "a partial frame can never be executed")
        XCTAssertTrue(f?.message.contains("sending the request") ?? false, f?.message ?? "-")
        XCTAssertTrue(conn.broken)
        conn.close()
        peer.release()
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertGreaterThan(peer.bytesReceived, 0, "part of the frame left")
        XCTAssertLessThan(peer.bytesReceived, payload.count + 2, "not all of it")
        XCTAssertEqual(peer.commands, [], "the peer never saw a complete frame")
    }

    func testSendFailingPartWayThroughAFrameIsReportedNotSent() throws {
        // Reads the first bytes of the frame, then resets the connection.
        let peer = try ScriptedPeer(receiveBuffer: 1) { c in
            _ = c.readBytes(atLeast: 1)
            c.reset()
        }
        defer { peer.close() }
        let conn = try smallSendBufferConnection(peer)
        defer { conn.close() }
        let payload = GroupTest.echo(bigFill)
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 5000) }
        XCTAssertEqual(f?.code, .io)
        XCTAssertEqual(f?.notSent, true, "a partial frame can never be executed")
        XCTAssertTrue(f?.message.contains("send failed") ?? false, f?.message ?? "-")
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertGreaterThan(peer.bytesReceived, 0)
        XCTAssertLessThan(peer.bytesReceived, payload.count + 2)
        XCTAssertEqual(peer.commands, [])
    }

    func testReadTimeoutAfterACompleteFrameIsReportedMaybeSent() throws {
        // Same small buffers, but the peer reads the whole frame, then never answers.
        let peer = try ScriptedPeer(receiveBuffer: 1) { c in
            _ = c.readFrame()
            c.waitForRelease()
        }
        defer { peer.close() }
        let conn = try smallSendBufferConnection(peer)
        defer { conn.close() }
        let payload = GroupTest.echo(bigFill)
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 1500) }
        XCTAssertEqual(f?.code, .timeout)
        XCTAssertEqual(f?.notSent, false, "the whole frame left: the HSM may have acted on it")
        XCTAssertTrue(f?.message.contains("read timeout") ?? false, f?.message ?? "-")
        peer.release()
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.commands, ["XE"])
        XCTAssertEqual(peer.bytesReceived, payload.count + 2)
    }

    // MARK: (b) the request frame was not completely written: the group

    /// HOST1 passes NC (after shrinking the client's send buffer), then `afterNC` runs.
    private func stallingPeer(_ afterNC: @escaping @Sendable (PeerConnection) -> Void) throws -> ScriptedPeer {
        try ScriptedPeer(receiveBuffer: 1) { [dmk] c in
            c.shrinkClientSendBuffer()
            guard c.readFrame() != nil else { return }
            c.answerNC(dmk: dmk)
            afterNC(c)
        }
    }

    func testStoringCommandWhoseFrameStalledPartWayIsResent() throws {
        let peer = try stallingPeer { c in
            c.waitForRelease()  // reads nothing: the request stalls in the client's send
            c.drain()
        }
        defer { peer.close() }
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let g = group(peer, hsm, readMs: 500, options: GroupTest.options { keepIn(&$0) })
        defer { g.shutdown() }
        let payload = GroupTest.echo(bigFill)
        XCTAssertEqual(try g.transmit(payload, idempotent: false), GroupTest.reply(bigFill))
        XCTAssertEqual(hsm.requests("XE"), 1, "re-sent to HOST2")
        let st = g.memberStatus()[0]
        XCTAssertEqual(st.failures, 1)
        XCTAssertTrue(st.lastError?.contains("sending the request") ?? false, st.lastError ?? "-")
        peer.release()
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.shrunk, 1, "the client's socket was found and shrunk")
        XCTAssertEqual(peer.commands, ["NC"], "HOST1 never got a complete storing command")
        XCTAssertLessThan(peer.bytesReceived, payload.count + 2)
    }

    func testStoringCommandWhoseSendWasResetPartWayIsResent() throws {
        let peer = try stallingPeer { c in
            _ = c.readBytes(atLeast: 1)  // the first bytes of the storing command
            c.reset()
        }
        defer { peer.close() }
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let g = group(peer, hsm, readMs: 5000, options: GroupTest.options { keepIn(&$0) })
        defer { g.shutdown() }
        let payload = GroupTest.echo(bigFill)
        XCTAssertEqual(try g.transmit(payload, idempotent: false), GroupTest.reply(bigFill))
        XCTAssertEqual(hsm.requests("XE"), 1, "re-sent to HOST2")
        let st = g.memberStatus()[0]
        XCTAssertTrue(st.lastError?.contains("send failed") ?? false, st.lastError ?? "-")
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.shrunk, 1)
        XCTAssertEqual(peer.commands, ["NC"])
    }

    func testStoringCommandIsNotResentOnceItsWholeFrameWasWritten() throws {
        let peer = try stallingPeer { c in
            _ = c.readFrame()  // reads the whole storing command, never answers
            c.waitForRelease()
        }
        defer { peer.close() }
        let hsm = try FakeHSM()
        defer { hsm.close() }
        let g = group(peer, hsm, readMs: 1500, options: GroupTest.options { keepIn(&$0) })
        defer { g.shutdown() }
        assertCode(.timeout, "not re-sent") { _ = try g.transmit(GroupTest.echo(bigFill), idempotent: false) }
        XCTAssertEqual(hsm.totalRequests, 0, "HOST2 got nothing")
        peer.release()
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.shrunk, 1)
        XCTAssertEqual(peer.commands, ["NC", "XE"])
    }
}

/// The same proof through a typed storing command (`A0` with a `K` index, which the typed
/// layer sends with `idempotent: false`) against the emulator.
final class ResendProofTestsTyped: TypedTestCase {
    func testStoredKeyGenerationIsResentWhenTheDMKCheckWasReset() throws {
        let peer = try ScriptedPeer(headerLength: 2) { c in
            _ = c.readFrame()
            c.reset()
        }
        defer { peer.close() }
        let nc = try client.transmit(Array("NC".utf8))
        let dmkCheckValue = String(decoding: nc[4..<20], as: UTF8.self)
        var c = client.config
        var h1 = HostConfig(section: "HOST1", host: "127.0.0.1", port: Int(peer.port))
        h1.linkNum = -2
        h1.connTimeoutMs = 2000
        h1.readTimeoutMs = 2000
        h1.headerLength = 2
        c.hosts = [h1] + c.hosts.map { var h = $0; h.section = "HOST2"; return h }
        let g = CACipherClient(config: c, logSink: nil, options: GroupTest.options {
            $0.ejectAfterFailures = 1000
            $0.expectedDMKCheckValue = dmkCheckValue  // pinned: the test counts HOST1's NC exchanges
        })
        defer { g.close() }
        let k = try g.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 77, label: "once"))
        XCTAssertEqual(device.storedKeyLabels[77], "once", "stored by HOST2")
        XCTAssertEqual(peer.commands, ["NC"], "HOST1 never got the A0")
        XCTAssertEqual(g.memberStatus()[0].failures, 1)
        XCTAssertEqual(try g.keyCheckValue(type: .zpk, key: k.keyUnderLMK), k.checkValue)
    }
}

/// (b) over TLS: `TLSClientStream.sendAll` reports a request that stalled or broke part-way
/// as not sent, and a whole request followed by a read timeout as maybe sent.
final class ResendProofTestsTLS: TLSTestCase {
    private let payload = GroupTest.echo(String(repeating: "A", count: 59_998))

    /// A peer that completes a TLS 1.3 server handshake (the fixture's `server`
    /// certificate) on every connection, after shrinking the client's send buffer, then
    /// runs `after` on the raw socket. The handshake is bounded by socket timeouts.
    private func tlsPeer(_ after: @escaping @Sendable (PeerConnection) -> Void) throws -> ScriptedPeer {
        let cert = fx.path("server.pem")
        let key = fx.path("server-key.pem")
        return try ScriptedPeer(receiveBuffer: 1) { c in
            c.shrinkClientSendBuffer()
            guard let ctx = SSL_CTX_new(TLS_server_method()) else { return }
            defer { SSL_CTX_free(ctx) }
            guard SSL_CTX_use_certificate_chain_file(ctx, cert) == 1,
                  SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1,
                  let ssl = SSL_new(ctx) else { return }
            defer { SSL_free(ssl) }
            var limit = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(c.descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(c.descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            guard SSL_set_fd(ssl, c.descriptor) == 1, SSL_accept(ssl) == 1 else { return }
            after(c)
        }
    }

    private func connect(_ peer: ScriptedPeer) throws -> Connection {
        let host = fx.host(Int(peer.port), proto: .tls13)
        let stream = try TLSFixture.connector(host).connect(deadline: .after(milliseconds: 5000))
        return Connection(stream: stream, headerLength: 0, maxReplyLength: FrameCodec.maxBodyLength,
                          pooled: true, generation: 0)
    }

    private func failure(_ body: () throws -> Void) -> TransportFailure? {
        do { try body() } catch let f as TransportFailure { return f } catch { XCTFail("unexpected \(error)") }
        return nil
    }

    func testTLSSendTimingOutPartWayIsReportedNotSent() throws {
        let peer = try tlsPeer { c in
            c.waitForRelease()  // reads nothing: the request stalls
            c.drain()
        }
        defer { peer.close() }
        let conn = try connect(peer)
        let before = peer.bytesReceived
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 300) }
        XCTAssertEqual(f?.code, .timeout)
        XCTAssertEqual(f?.notSent, true, "a partial frame can never be executed")
        XCTAssertTrue(f?.message.contains("sending the request") ?? false, f?.message ?? "-")
        conn.close()
        peer.release()
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.shrunk, 1)
        XCTAssertLessThan(peer.bytesReceived - before, payload.count, "not all of the request left")
    }

    func testTLSSendResetPartWayIsReportedNotSent() throws {
        let peer = try tlsPeer { c in
            _ = c.readBytes(atLeast: 1)  // the first bytes of the request's records
            c.reset()
        }
        defer { peer.close() }
        let conn = try connect(peer)
        defer { conn.close() }
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 5000) }
        XCTAssertNotNil(f)
        XCTAssertNotEqual(f?.code, .timeout, f?.message ?? "-")
        XCTAssertEqual(f?.notSent, true, "a partial frame can never be executed")
        XCTAssertTrue(f?.message.contains("send failed") ?? false, f?.message ?? "-")
        XCTAssertTrue(peer.waitForScripts())
        XCTAssertEqual(peer.shrunk, 1)
    }

    func testTLSReadTimeoutAfterAWholeRequestIsReportedMaybeSent() throws {
        // Reads (raw, undecrypted) everything that comes, never answers.
        let peer = try tlsPeer { c in
            c.drain(idleMs: 3000, timeoutMs: 5000)
        }
        defer { peer.close() }
        let conn = try connect(peer)
        defer { conn.close() }
        let f = failure { _ = try conn.exchange(payload, command: CommandCode("XE"), timeoutMs: 1500) }
        XCTAssertEqual(f?.code, .timeout)
        XCTAssertEqual(f?.notSent, false, "the whole request left: the HSM may have acted on it")
        XCTAssertTrue(f?.message.contains("read timeout") ?? false, f?.message ?? "-")
        XCTAssertGreaterThan(peer.bytesReceived, payload.count, "every record arrived")
    }
}
