import Foundation
import ManagementProtocol
import XCTest
import Logging
@testable import EVSMKit
@testable import EVSMServer
@testable import VSMOperator

/// vsmctl's side of the two-phase commit (ManagementOperator over TLS on loopback): the UKEY
/// directory is probed before the device is contacted, every UKEY is written before the
/// commit, and a failed write removes this run's UKEYs and leaves the device unchanged.
final class CeremonyTwoPhaseOperatorTests: ManagementTestCase {
    override func tearDownWithError() throws {
        _ = chmod(dir + "/ukeys", 0o700)
        try super.tearDownWithError()
    }

    func client(_ s: ManagementServer) throws -> ManagementClient {
        try ManagementClient(host: "127.0.0.1", port: s.port, pin: s.identity.fingerprint, timeoutSeconds: 10)
    }

    /// Every UKEY gets a PIN derived from its description; `onPrompt` runs first (after the
    /// directory probe: PINs for new UKEYs are collected after it, before the device is asked).
    func op(_ c: ManagementClient, onPrompt: ((String) -> Void)? = nil) -> ManagementOperator {
        var o = ManagementOperator(client: c, pinSource: pins(onPrompt)) { [logs] in logs.add("progress " + $0) }
        o.iterations = testIterations
        return o
    }

    /// An operator that connects on first use (as vsmctl does) through `connect`.
    func lazyOp(_ connect: @escaping () throws -> ManagementClient, onPrompt: ((String) -> Void)? = nil) -> ManagementOperator {
        var o = ManagementOperator(connect: connect, pinSource: pins(onPrompt)) { [logs] in logs.add("progress " + $0) }
        o.iterations = testIterations
        return o
    }

    func pins(_ onPrompt: ((String) -> Void)?) -> ManagementOperator.PINSource {
        return { prompt, _ in
            onPrompt?(prompt)
            var key = prompt
            if let r = key.range(of: " (") { key = String(key[..<r.lowerBound]) }
            key = key.replacingOccurrences(of: "new PIN for ", with: "").replacingOccurrences(of: "PIN for ", with: "")
                .replacingOccurrences(of: "new ", with: "")
            return pin("pin:" + key)
        }
    }

    func mkdir(_ name: String) throws -> String {
        let p = dir + "/" + name
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    func status(_ s: ManagementServer) throws -> ManagementMessage {
        try client(s).call(ManagementMessage(["op": "status"]))
    }

    /// Waits (bounded) until the device has no ceremony session (a closed connection's
    /// session is dropped by the server thread).
    func waitNotBusy(_ s: ManagementServer) throws {
        for _ in 0..<200 {
            if !(try status(s).bool("busy")) { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTFail("the device stayed busy")
    }

    func names(_ d: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted()
    }

    // MARK: the directory probe

    func testUnwritableUKEYDirectoryRefusedBeforeTheDeviceIsContacted() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        var dirs: [String] = []
        if geteuid() != 0 {
            let ro = try mkdir("ukeys")
            XCTAssertEqual(chmod(ro, 0o500), 0)
            dirs.append(ro)
        }
        // As root chmod does not stop writes: a directory nobody can create files in.
        if FileManager.default.fileExists(atPath: "/proc/self/fd") { dirs.append("/proc/self") }
        XCTAssertFalse(dirs.isEmpty)
        for ro in dirs {
            var asked = 0
            let msg = assertCeremonyError(.ukeyIO) {
                _ = try self.op(self.client(s), onPrompt: { _ in asked += 1 }).originalInitialise(
                    components: 2, threshold: 1, shares: 1, ukeyDirectory: ro, authorising: [], confirmErase: true)
            }
            XCTAssertTrue(msg.contains("not writable") && msg.contains("not contacted"), msg)
            XCTAssertEqual(asked, 0, "refused before any PIN is asked")
            let msg2 = assertCeremonyError(.ukeyIO) {
                _ = try self.op(self.client(s)).recover(components: ["\(self.dir)/c1.ukey", "\(self.dir)/c2.ukey"],
                                                        authorisation: .new(threshold: 1, shares: 1, directory: ro),
                                                        authorising: [], confirmErase: true)
            }
            XCTAssertTrue(msg2.contains("not writable"), msg2)
        }
        XCTAssertFalse(logs.lines.contains { $0.contains("management init-original") || $0.contains("management recover-begin") },
                       "the device was not asked anything")
        XCTAssertEqual(d.keysInstalled, 0)
        XCTAssertEqual(d.erases, 0)
        if let ro = dirs.first, ro != "/proc/self" { XCTAssertEqual(names(ro), []) }
    }

    // MARK: local steps before the device is contacted (vsmctl connects lazily)

    /// vsmctl's order (docs/ceremony.md, steps 1 and 2): the UKEY directory, the UKEYs to open
    /// and their PINs, the new UKEYs' PINs and the local component checks all come before the
    /// connection is opened and before the erase is confirmed; so each of these failures has
    /// its own code whether or not the device is reachable, and the device is not contacted.
    func testLocalFailuresComeBeforeTheDeviceIsContacted() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        let ukeys = try mkdir("ukeys")
        _ = try op(client(s)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: ukeys,
                                                 authorising: [], confirmErase: true)
        let cv = d.ceremonyDMKCheckValue
        var connects = 0
        let unreachable: () throws -> ManagementClient = {
            connects += 1
            throw CeremonyError(.channel, "cannot connect to the management port (test)")
        }
        var confirmed = 0
        let confirm = { confirmed += 1 }
        let c1 = "\(ukeys)/dmk-component-1-of-2.ukey", c2 = "\(ukeys)/dmk-component-2-of-2.ukey"
        let share = "\(ukeys)/auth-share-1-of-1.ukey"
        let fresh = try mkdir("fresh")

        assertCeremonyError(.ukeyIO) {
            _ = try self.lazyOp(unreachable).originalInitialise(components: 2, threshold: 1, shares: 1,
                ukeyDirectory: "\(self.dir)/missing", authorising: [], confirmErase: true, confirm: confirm)
        }
        assertCeremonyError(.ukeyIO) {  // a UKEY name taken (the first run's files)
            _ = try self.lazyOp(unreachable).originalInitialise(components: 2, threshold: 1, shares: 1,
                ukeyDirectory: ukeys, authorising: [], confirmErase: true, confirm: confirm)
        }
        assertCeremonyError(.componentCount) {
            _ = try self.lazyOp(unreachable).originalInitialise(components: 1, threshold: 1, shares: 1,
                ukeyDirectory: fresh, authorising: [], confirmErase: true, confirm: confirm)
        }
        assertCeremonyError(.wrongPIN) {
            _ = try self.lazyOp(unreachable).withWrongPINs().originalInitialise(components: 2, threshold: 1,
                shares: 1, ukeyDirectory: fresh, authorising: [share], confirmErase: true, confirm: confirm)
        }
        assertCeremonyError(.duplicateComponent) {
            _ = try self.lazyOp(unreachable).recover(components: [c1, c1], authorisation: .synchronise(share),
                                                     authorising: [], confirmErase: true, confirm: confirm)
        }
        assertCeremonyError(.ukeyKind) {
            _ = try self.lazyOp(unreachable).recover(components: [c1, share], authorisation: .synchronise(share),
                                                     authorising: [], confirmErase: true, confirm: confirm)
        }
        XCTAssertEqual(connects, 0, "no local failure contacted the device")
        XCTAssertEqual(confirmed, 0, "no local failure asked for the erase confirmation")
        XCTAssertEqual(names(fresh), [], "nothing written")

        // Everything local fine: the confirmation comes after every PIN, before the connection.
        var prompts = 0
        var seenAtConfirm: (prompts: Int, connected: Bool)?
        let o = lazyOp({ try self.client(s) }, onPrompt: { _ in prompts += 1 })
        let out = try o.recover(components: [c2, c1], authorisation: .synchronise(share), authorising: [share],
                                confirmErase: true, confirm: { seenAtConfirm = (prompts, o.isConnected) })
        XCTAssertEqual(seenAtConfirm?.prompts, 4, "authorising UKEY, two components and the sync UKEY opened first")
        XCTAssertEqual(seenAtConfirm?.connected, false, "not connected before the confirmation")
        XCTAssertTrue(o.isConnected)
        XCTAssertEqual(out.dmkCheckValue, cv)
        XCTAssertEqual(d.ceremonyDMKCheckValue, cv)
        let o2 = lazyOp(unreachable)
        assertCeremonyError(.channel) {  // the connection is opened (and fails) after the confirmation
            _ = try o2.recover(components: [c1, c2], authorisation: .synchronise(share), authorising: [share],
                              confirmErase: true, confirm: confirm)
        }
        XCTAssertEqual(confirmed, 1)
        XCTAssertEqual(connects, 1)
    }

    // MARK: a write failing after the probe

    func testFailedUKEYWriteLeavesFreshDeviceUnchangedAndNoFilesBehind() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        let ukeys = try mkdir("ukeys")
        // A file with a name the run needs appears after the probe (while PINs are asked).
        let squatter = ukeys + "/auth-share-2-of-3.ukey"
        let msg = assertCeremonyError(.ukeyIO) {
            _ = try self.op(self.client(s), onPrompt: { p in
                if p.contains("authorisation UKEY 3 of 3") { _ = FileManager.default.createFile(atPath: squatter, contents: Data("x".utf8)) }
            }).originalInitialise(components: 3, threshold: 2, shares: 3, ukeyDirectory: ukeys, authorising: [], confirmErase: true)
        }
        XCTAssertTrue(msg.contains("auth-share-2-of-3.ukey"), msg)
        XCTAssertTrue(msg.contains("left unchanged"), msg)
        XCTAssertTrue(msg.contains("removed the 4 UKEY file(s)"), msg)
        XCTAssertEqual(names(ukeys), ["auth-share-2-of-3.ukey"], "no UKEY of this run (nor a temporary file) is left")
        try waitNotBusy(s)
        XCTAssertNil(d.dmk)
        XCTAssertEqual(d.keysInstalled, 0)
        XCTAssertFalse(try status(s).bool("initialised"))
        XCTAssertTrue(logs.lines.contains { $0.contains("management init-original: ok") })
        XCTAssertFalse(logs.lines.contains { $0.contains("management init-commit") }, "never committed")

        // Not as root: the directory turns read-only after the probe.
        if geteuid() != 0 {
            try FileManager.default.removeItem(atPath: squatter)
            let m = assertCeremonyError(.ukeyIO) {
                _ = try self.op(self.client(s), onPrompt: { _ in _ = chmod(ukeys, 0o500) })
                    .originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: ukeys, authorising: [], confirmErase: true)
            }
            XCTAssertTrue(m.contains("left unchanged"), m)
            XCTAssertEqual(chmod(ukeys, 0o700), 0)
            XCTAssertEqual(names(ukeys), [])
            try waitNotBusy(s)
            XCTAssertNil(d.dmk)
        }

        // Once the directory is usable, the same run succeeds: the names are free again.
        try? FileManager.default.removeItem(atPath: squatter)
        let ok = try op(client(s)).originalInitialise(components: 3, threshold: 2, shares: 3, ukeyDirectory: ukeys,
                                                      authorising: [], confirmErase: true)
        XCTAssertEqual(ok.written.count, 6)
        XCTAssertEqual(try op(client(s)).dmkCheckValue(), ok.dmkCheckValue)
        let comps = try (1...3).map { try UKEYFile.openComponent("\(ukeys)/dmk-component-\($0)-of-3.ukey", pin: pin("pin:DMK component UKEY \($0) of 3")) }
        XCTAssertEqual(try DMKComponents.checkValue(DMKComponents.combine(comps)), ok.dmkCheckValue)
        XCTAssertEqual(d.dmk, DMKComponents.combine(comps))
        XCTAssertTrue(logs.lines.contains { $0.contains("management init-commit: ok") })
    }

    func testFailedUKEYWriteDuringReinitialisationKeepsPreviousDMK() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        let first = try mkdir("first"), second = try mkdir("second")
        let o = try op(client(s)).originalInitialise(components: 2, threshold: 2, shares: 3, ukeyDirectory: first,
                                                     authorising: [], confirmErase: true)
        let before = d.dmk, auth = d.auth
        let quorum = ["\(first)/auth-share-1-of-3.ukey", "\(first)/auth-share-3-of-3.ukey"]
        // An injected writer failure on the third new UKEY.
        var failing = op(try client(s))
        failing.beforeUKEYWrite = { path in
            if path.hasSuffix("auth-share-1-of-1.ukey") { throw CeremonyError(.ukeyIO, "disk full (simulated)") }
        }
        let msg = assertCeremonyError(.ukeyIO) {
            _ = try failing.originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: second,
                                               authorising: quorum, confirmErase: true)
        }
        XCTAssertTrue(msg.contains("disk full (simulated)") && msg.contains("left unchanged") && msg.contains("removed the 2"), msg)
        XCTAssertEqual(names(second), [])
        try waitNotBusy(s)
        XCTAssertEqual(d.dmk, before)
        XCTAssertEqual(d.auth, auth)
        XCTAssertEqual(d.keysInstalled, 1)
        XCTAssertEqual(try op(client(s)).dmkCheckValue(), o.dmkCheckValue)
        // The old authorisation UKEYs still authorise the (now successful) re-initialisation.
        let again = try op(client(s)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: second,
                                                         authorising: quorum, confirmErase: true)
        XCTAssertNotEqual(again.dmkCheckValue, o.dmkCheckValue)
        XCTAssertEqual(d.auth?.setID, again.authorisationSetID)
    }

    func testFailedShareWriteInRecoveryInstallsNothing() throws {
        let a = MemoryCeremonyDevice(), c = MemoryCeremonyDevice()
        let sa = try startDevice(a), sc = try startDevice(c)
        let ukeys = try mkdir("ukeys"), cUkeys = try mkdir("c-ukeys")
        let oa = try op(client(sa)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: ukeys,
                                                       authorising: [], confirmErase: true)
        let comps = (1...2).map { "\(ukeys)/dmk-component-\($0)-of-2.ukey" }
        var failing = op(try client(sc))
        failing.beforeUKEYWrite = { path in
            if path.hasSuffix("auth-share-3-of-3.ukey") { throw CeremonyError(.ukeyIO, "read-only file system (simulated)") }
        }
        let msg = assertCeremonyError(.ukeyIO) {
            _ = try failing.recover(components: comps, authorisation: .new(threshold: 2, shares: 3, directory: cUkeys),
                                    authorising: [], confirmErase: true)
        }
        XCTAssertTrue(msg.contains("nothing was installed") && msg.contains("removed the 2"), msg)
        XCTAssertEqual(names(cUkeys), [])
        try waitNotBusy(sc)
        XCTAssertNil(c.dmk, "the combined DMK was not installed")
        XCTAssertNil(c.auth, "the new set was not installed")
        XCTAssertFalse(logs.lines.contains { $0.contains("management recover-commit") })
        // Again, without the failure: committed only after the files are there.
        let ok = try op(client(sc)).recover(components: comps, authorisation: .new(threshold: 2, shares: 3, directory: cUkeys),
                                            authorising: [], confirmErase: true)
        XCTAssertEqual(ok.dmkCheckValue, oa.dmkCheckValue)
        XCTAssertEqual(ok.written.count, 3)
        XCTAssertEqual(c.dmk, a.dmk)
        XCTAssertEqual(c.auth?.setID, ok.authorisationSetID)
        XCTAssertTrue(logs.lines.contains { $0.contains("management recover-commit: ok") })
    }

    // MARK: the commit refused, the connection gone

    func testCommitRefusedAfterWritesRemovesTheUKEYs() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        let ukeys = try mkdir("ukeys")
        // The session expires while the UKEYs are written: the commit finds nothing pending.
        s.service.sessionTimeout = 0
        let msg = assertCeremonyError(.noSession) {
            _ = try self.op(self.client(s)).originalInitialise(components: 2, threshold: 1, shares: 1, ukeyDirectory: ukeys,
                                                               authorising: [], confirmErase: true)
        }
        XCTAssertTrue(msg.contains("refused init-commit") && msg.contains("left unchanged") && msg.contains("removed the 3"), msg)
        XCTAssertEqual(names(ukeys), [])
        XCTAssertNil(d.dmk)
        XCTAssertEqual(d.keysInstalled, 0)
    }

    func testConnectionClosedBeforeCommitLeavesDeviceUnchanged() throws {
        let d = MemoryCeremonyDevice()
        let s = try startDevice(d)
        for initialised in [false, true] {
            var shares: [AuthorisationShare] = []
            defer { for i in shares.indices { shares[i].wipe() } }
            if initialised {
                let c = try client(s)
                var r = try c.call(ManagementMessage(["op": "init-original", "components": 2, "threshold": 1, "shares": 1,
                                                      "confirmErase": true, "twoPhase": true]))
                defer { r.wipe() }
                shares = (r["shares"] as? [Any] ?? []).compactMap { r.decodeShare($0) }
                _ = try c.call(ManagementMessage(["op": "init-commit"]))
            }
            let before = d.dmk, installs = d.keysInstalled
            var c: ManagementClient? = try client(s)
            var req = ManagementMessage(["op": "init-original", "components": 3, "threshold": 2, "shares": 3,
                                         "confirmErase": true, "twoPhase": true])
            req["authorising"] = shares.map { req.encode(share: $0) }
            var r = try c?.call(req)
            req.wipe()
            XCTAssertEqual(r?.json["pending"] as? Bool, true)
            r?.wipe()
            XCTAssertTrue(try status(s).bool("busy"))
            c = nil // the connection drops before any commit
            try waitNotBusy(s)
            XCTAssertEqual(d.dmk, before)
            XCTAssertEqual(d.keysInstalled, installs)
            XCTAssertEqual(try status(s).bool("initialised"), initialised)
        }
        XCTAssertTrue(logs.lines.contains { $0.contains("abandoned before commit") })
    }
}

private extension ManagementOperator {
    /// The same operator with a PIN source that answers every UKEY with a wrong PIN.
    func withWrongPINs() -> ManagementOperator {
        var o = self
        o.pinSource = { _, _ in pin("a wrong PIN") }
        return o
    }
}
