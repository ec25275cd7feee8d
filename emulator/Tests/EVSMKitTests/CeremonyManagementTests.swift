import Foundation
import HSMCrypto
import CACipherTestSupport
import HSMNet
import ManagementProtocol
import XCTest
import Logging
@testable import EVSMKit
@testable import EVSMServer
@testable import VSMOperator

/// The management channel over TLS on loopback, with in-memory devices.
final class CeremonyManagementTests: ManagementTestCase {
    func client(_ s: ManagementServer, pin: String? = nil) throws -> ManagementClient {
        try ManagementClient(host: "127.0.0.1", port: s.port, pin: pin ?? s.identity.fingerprint, timeoutSeconds: 10)
    }

    /// PINs by prompt: every UKEY gets a PIN derived from its description.
    func pins(_ wrongFor: String? = nil) -> ManagementOperator.PINSource {
        return { prompt, _ in
            var key = prompt
            if let r = key.range(of: " (") { key = String(key[..<r.lowerBound]) }
            key = key.replacingOccurrences(of: "new PIN for ", with: "").replacingOccurrences(of: "PIN for ", with: "")
                .replacingOccurrences(of: "new ", with: "")
            if let w = wrongFor, prompt.contains(w) { return pin("definitely-wrong") }
            return pin("pin:" + key)
        }
    }

    func op(_ c: ManagementClient, _ wrongFor: String? = nil) -> ManagementOperator {
        var o = ManagementOperator(client: c, pinSource: pins(wrongFor)) { [logs] in logs.add("progress " + $0) }
        o.iterations = testIterations
        return o
    }

    func testFingerprintPinnedAcceptedMismatchRefused() throws {
        let s = try startDevice(MemoryCeremonyDevice())
        let c = try client(s)
        XCTAssertEqual(c.fingerprint, s.identity.fingerprint)
        XCTAssertTrue(c.fingerprint.hasPrefix("SHA256:"))
        XCTAssertEqual(try c.call(ManagementMessage(["op": "status"])).json["initialised"] as? Bool, false)
        // Lower case with colons is the same pin.
        let hex = String(s.identity.fingerprint.dropFirst(7)).lowercased()
        var colons = ""
        for (i, ch) in hex.enumerated() { colons += (i > 0 && i % 2 == 0 ? ":" : "") + String(ch) }
        _ = try client(s, pin: "sha256:" + colons)
        // Another device's fingerprint is refused before anything is sent.
        let other = try ManagementIdentity.ephemeral()
        let msg = assertCeremonyError(.certificate) { _ = try self.client(s, pin: other.fingerprint) }
        XCTAssertTrue(msg.contains("does not match"), msg)
        assertCeremonyError(.badRequest) { _ = try self.client(s, pin: "SHA256:1234") }
    }

    func testIdentityKeptInStateDirectory() throws {
        let a = try ManagementIdentity.loadOrCreate(directory: dir + "/state")
        let b = try ManagementIdentity.loadOrCreate(directory: dir + "/state")
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/state/mgmt-key.pem")
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertNotEqual(a.fingerprint, try ManagementIdentity.loadOrCreate(directory: dir + "/other").fingerprint)
    }

    func testWholeCeremonyOverTLS() throws {
        let a = MemoryCeremonyDevice(), b = MemoryCeremonyDevice(), c = MemoryCeremonyDevice()
        let sa = try startDevice(a), sb = try startDevice(b), sc = try startDevice(c)
        let ukeys = dir + "/ukeys", cUkeys = dir + "/c-ukeys"
        try FileManager.default.createDirectory(atPath: ukeys, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cUkeys, withIntermediateDirectories: true)

        let oa = try op(client(sa)).originalInitialise(components: 3, threshold: 2, shares: 3, ukeyDirectory: ukeys,
                                                        authorising: [], confirmErase: true)
        XCTAssertEqual(oa.written.count, 6)
        let comps = (1...3).map { "\(ukeys)/dmk-component-\($0)-of-3.ukey" }
        let ob = try op(client(sb)).recover(components: comps.reversed(), authorisation: .synchronise("\(ukeys)/auth-share-2-of-3.ukey"),
                                            authorising: [], confirmErase: true)
        let oc = try op(client(sc)).recover(components: comps, authorisation: .new(threshold: 1, shares: 1, directory: cUkeys),
                                            authorising: [], confirmErase: true)
        XCTAssertEqual(oc.written, ["\(cUkeys)/auth-share-1-of-1.ukey"])
        for s in [sa, sb, sc] {
            XCTAssertEqual(try op(client(s)).dmkCheckValue(), oa.dmkCheckValue)
        }
        XCTAssertEqual(b.auth, a.auth)
        XCTAssertEqual(c.auth?.threshold, 1)
        XCTAssertEqual(ob.authorisationSetID, oa.authorisationSetID)

        // Re-initialising B needs two of A's set's UKEYs; a missing component is refused first.
        let before = b.dmk
        assertCeremonyError(.missingComponent) {
            _ = try self.op(self.client(sb)).recover(components: [comps[0], comps[2]], authorisation: .synchronise("\(ukeys)/auth-share-1-of-3.ukey"),
                                                     authorising: ["\(ukeys)/auth-share-1-of-3.ukey", "\(ukeys)/auth-share-3-of-3.ukey"], confirmErase: true)
        }
        assertCeremonyError(.quorumNotMet) {
            _ = try self.op(self.client(sb)).recover(components: comps, authorisation: .synchronise("\(ukeys)/auth-share-1-of-3.ukey"),
                                                     authorising: ["\(ukeys)/auth-share-1-of-3.ukey"], confirmErase: true)
        }
        XCTAssertEqual(b.dmk, before)
        _ = try op(client(sb)).recover(components: comps, authorisation: .synchronise("\(ukeys)/auth-share-1-of-3.ukey"),
                                       authorising: ["\(ukeys)/auth-share-1-of-3.ukey", "\(ukeys)/auth-share-3-of-3.ukey"],
                                       confirmErase: true)
        XCTAssertEqual(b.dmk, before)
        XCTAssertEqual(b.erases, 2)

        // No DMK or component value in any log or progress line, nor in any non-UKEY file.
        let secrets = [a.dmk ?? []] + (try comps.map { try UKEYFile.openComponent($0, pin: pin("pin:DMK component UKEY \(Int(String($0.dropLast(10).suffix(1)))!) of 3")).bytes.array })
        XCTAssertEqual(DMKComponents.combine(try comps.map { try UKEYFile.openComponent($0, pin: pin("pin:DMK component UKEY \(Int(String($0.dropLast(10).suffix(1)))!) of 3")) }), a.dmk)
        let lines = logs.lines
        XCTAssertTrue(lines.contains { $0.contains("management init-original: ok") })
        for line in lines { for s in secrets { XCTAssertFalse(contains(Array(line.utf8), secret: s), line) } }
        for f in allFiles(under: dir) where !f.hasSuffix(".ukey") {
            let bytes = try AtomicFile.read(f, limit: 1 << 24)
            for s in secrets { XCTAssertFalse(contains(bytes, secret: s), f) }
        }
    }

    func testOperatorFailuresLeaveDeviceAsItWas() throws {
        let a = MemoryCeremonyDevice(), b = MemoryCeremonyDevice()
        let sa = try startDevice(a), sb = try startDevice(b)
        let ukeys = dir + "/ukeys"
        try FileManager.default.createDirectory(atPath: ukeys, withIntermediateDirectories: true)
        _ = try op(client(sa)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: ukeys,
                                                  authorising: [], confirmErase: true)
        let c1 = "\(ukeys)/dmk-component-1-of-2.ukey", c2 = "\(ukeys)/dmk-component-2-of-2.ukey"
        let share = "\(ukeys)/auth-share-1-of-1.ukey"
        // B holds a DMK of its own first.
        let bDir = dir + "/b"
        try FileManager.default.createDirectory(atPath: bDir, withIntermediateDirectories: true)
        _ = try op(client(sb)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: bDir,
                                                  authorising: [], confirmErase: true)
        let bShare = bDir + "/auth-share-1-of-1.ukey"
        let before = b.dmk, erases = b.erases
        func recoverB(_ comps: [String], auth: [String] = [bShare], wrong: String? = nil, confirm: Bool = true) throws {
            _ = try op(client(sb), wrong).recover(components: comps, authorisation: .synchronise(share),
                                                  authorising: auth, confirmErase: confirm)
        }
        assertCeremonyError(.wrongPIN) { try recoverB([c1, c2], wrong: "DMK component UKEY 2") }
        assertCeremonyError(.duplicateComponent) { try recoverB([c1, c1]) }
        assertCeremonyError(.componentCount) { try recoverB([c1]) }
        assertCeremonyError(.quorumNotMet) { try recoverB([c1, c2], auth: []) }
        assertCeremonyError(.eraseNotConfirmed) { try recoverB([c1, c2], confirm: false) }
        // A foreign component (B's own ceremony) mixed in.
        assertCeremonyError(.foreignComponent) { try recoverB([c1, bDir + "/dmk-component-2-of-2.ukey"]) }
        // Lock a component UKEY with wrong PINs: refused, and still refused with the right one.
        for _ in 1...5 { _ = try? UKEYFile.openComponent(c2, pin: pin("wrong-wrong")) }
        assertCeremonyError(.ukeyLocked) { try recoverB([c1, c2]) }
        XCTAssertEqual(b.dmk, before)
        XCTAssertEqual(b.erases, erases)
        XCTAssertFalse(try client(sb).call(ManagementMessage(["op": "status"])).bool("busy"))
    }

    func testSessionEndsWithItsConnectionAndBusyMeanwhile() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        var first: ManagementClient? = try client(s)
        _ = try first?.call(ManagementMessage(["op": "recover-begin", "components": 2, "confirmErase": true]))
        let second = try client(s)
        let busy = try second.send(ManagementMessage(["op": "recover-begin", "components": 2, "confirmErase": true]))
        XCTAssertEqual(busy.string("code"), "device-busy")
        XCTAssertEqual(try second.call(ManagementMessage(["op": "status"])).bool("busy"), true)
        assertCeremonyError(.noSession) { _ = try second.call(ManagementMessage(["op": "recover-combine"])) }
        first = nil // closes the connection; the server abandons its session
        var freed = false
        for _ in 0..<100 where !freed {
            freed = !(try second.call(ManagementMessage(["op": "status"])).bool("busy"))
            if !freed { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertTrue(freed)
        _ = try second.call(ManagementMessage(["op": "recover-begin", "components": 2, "confirmErase": true]))
    }

    func testMalformedRequestsAnsweredNotCrashed() throws {
        let s = try startDevice(MemoryCeremonyDevice())
        let c = try client(s)
        XCTAssertEqual(try c.send(ManagementMessage(["op": "no-such-op"])).string("code"), "bad-request")
        XCTAssertEqual(try c.send(ManagementMessage(["nothing": 1])).string("code"), "bad-request")
        XCTAssertEqual(try c.send(ManagementMessage(["op": "init-original", "components": "x"])).string("code"), "bad-request")
        XCTAssertEqual(try c.send(ManagementMessage(["op": "recover-import", "component": ["secret": [5, 900]]])).string("code"), "no-session")
        XCTAssertEqual(try c.send(ManagementMessage(["op": "dmk-check-value"])).string("code"), "not-initialised")
        XCTAssertThrowsError(try ManagementMessage.decode(body: [0, 0, 0, 9, 1]))
        XCTAssertThrowsError(try ManagementMessage.decode(body: [0, 0, 0, 2, 0x5B, 0x5D]))
        XCTAssertNil(ManagementMessage.frameLength([0xFF, 0xFF, 0xFF, 0xFF]))
        let m = ManagementMessage([:], secrets: [1, 2, 3])
        XCTAssertNil(m.secret([2, 5]))
        XCTAssertNil(m.secret([-1, 1]))
        XCTAssertEqual(m.secret([1, 2]), [2, 3])
    }

    func testPlainTextPeerDoesNotHoldTheListener() throws {
        let s = try startDevice(MemoryCeremonyDevice())
        s.handshakeTimeout = 1
        // A peer that connects and sends no TLS at all, then one that sends garbage.
        let idle = try XCTUnwrap(LoopbackClient(port: s.port))
        let junk = try XCTUnwrap(LoopbackClient(port: s.port))
        XCTAssertTrue(junk.send(raw: Array("GET / HTTP/1.0\r\n\r\n".utf8)))
        // The channel still works for a real client meanwhile (both peers still connected).
        try withExtendedLifetime((idle, junk)) {
            XCTAssertEqual(try client(s).call(ManagementMessage(["op": "status"])).bool("initialised"), false)
        }
    }

    /// A loopback TCP relay that records every byte in both directions.
    final class RecordingRelay: @unchecked Sendable {
        let listenFD: Int32
        let port: Int
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        var recorded: [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes }

        init(to target: Int) throws {
            listenFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = listenFD
            guard withUnsafePointer(to: &addr, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }) == 0,
                  listen(fd, 4) == 0 else { throw CeremonyError(.channel, "relay listen") }
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
            port = Int(UInt16(bigEndian: addr.sin_port))
            Thread { [self] in
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 10_000) == 1 else { return }
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                guard let server = try? TCPConnector(host: "127.0.0.1", port: target).connectDescriptor(deadline: .after(milliseconds: 5000)) else {
                    close(client)
                    return
                }
                SocketMode.setNonBlocking(server, false)
                pump(client, server)
                close(client); close(server)
            }.start()
        }

        private func pump(_ a: Int32, _ b: Int32) {
            var buf = [UInt8](repeating: 0, count: 65536)
            for _ in 0..<100_000 {
                var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
                guard poll(&fds, 2, 10_000) > 0 else { return }
                for (i, f) in fds.enumerated() where f.revents != 0 {
                    let n = read(f.fd, &buf, buf.count)
                    if n <= 0 { return }
                    lock.lock(); bytes += buf[0..<n]; lock.unlock()
                    let to = i == 0 ? b : a
                    _ = buf.withUnsafeBytes { write(to, $0.baseAddress, n) }
                }
            }
        }

        deinit { close(listenFD) }
    }

    func testNoSecretOnTheWireInClear() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        let relay = try RecordingRelay(to: s.port)
        let c = try ManagementClient(host: "127.0.0.1", port: relay.port, pin: s.identity.fingerprint, timeoutSeconds: 10)
        var rsp = try c.call(ManagementMessage(["op": "init-original", "components": 3, "threshold": 2, "shares": 3,
                                                "confirmErase": true, "twoPhase": true]))
        defer { rsp.wipe() }
        let comps = (rsp["components"] as? [Any] ?? []).compactMap { rsp.decodeComponent($0) }
        let shares = (rsp["shares"] as? [Any] ?? []).compactMap { rsp.decodeShare($0) }
        XCTAssertEqual(comps.count, 3)
        XCTAssertEqual(shares.count, 3)
        _ = try c.call(ManagementMessage(["op": "init-commit"]))
        XCTAssertEqual(DMKComponents.combine(comps), d.dmk)
        var wire: [UInt8] = []
        for _ in 0..<100 {
            wire = relay.recorded
            if wire.count > 1000 { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertGreaterThan(wire.count, 1000, "the relay saw the TLS traffic")
        for secret in comps.map(\.bytes.array) + shares.map(\.y.array) + [d.dmk ?? []] {
            XCTAssertFalse(contains(wire, secret: secret), "a secret crossed the wire in clear")
        }
        // The check value is public, but even it is not readable on the wire.
        XCTAssertFalse(contains(wire, secret: Array((rsp.string("dmkCheckValue") ?? "").utf8)))
    }
}
