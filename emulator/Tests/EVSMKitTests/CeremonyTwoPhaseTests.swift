import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest
import HostProtocol
@testable import EVSMKit
@testable import VSMOperator

/// Two-phase commit on the device side: original initialisation and recovery with a new
/// authorisation set are only prepared (pending in the session) until committed; a session
/// that ends before the commit leaves the device (and its state files) as they were.
final class CeremonyTwoPhaseTests: XCTestCase {
    var root = ""
    var audit: [String] = []

    override func setUpWithError() throws { root = try makeTempDir("twophase") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    func device(_ name: String) throws -> Device { try Device(stateDirectory: root + "/state-" + name, mode: .normal) }

    func service(_ d: CeremonyDevice) -> CeremonyService {
        let s = CeremonyService(device: d)
        s.audit = { [unowned self] in self.audit.append($0) }
        return s
    }

    /// Every file of a device's state directory with its bytes (the sealed state has a fresh
    /// nonce per save, so any rewrite shows).
    func snapshot(_ name: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for f in allFiles(under: root + "/state-" + name) {
            out[f] = (try? AtomicFile.read(f, limit: 1 << 24)) ?? []
        }
        return out
    }

    func ncCheckValue(_ d: Device) -> String {
        let r = String(decoding: d.handle(body: Array("NC".utf8), headerLength: 0), as: UTF8.self)
        guard r.hasPrefix("ND00"), r.count >= 20 else { return "error " + r.prefix(4) }
        return String(r.dropFirst(4).prefix(16))
    }

    /// The three ways a session ends before its commit.
    enum Ending: CaseIterable { case abort, connectionClosed, expiry }

    func end(_ ending: Ending, _ s: CeremonyService, _ session: CeremonySession) {
        switch ending {
        case .abort: s.abort(session: session)
        case .connectionClosed:
            // What ManagementServer does when a connection goes: close its ManagementConnection.
            let conn = ManagementConnection(service: s)
            conn.adopt(session)
            conn.close()
        case .expiry:
            s.sessionTimeout = 0
            Thread.sleep(forTimeInterval: 0.01)
            XCTAssertFalse(s.status().busy, "an expired session is dropped")
            s.sessionTimeout = 600
        }
    }

    // MARK: original initialisation

    func testOriginalNotCommittedLeavesFreshDeviceFactoryFresh() throws {
        for ending in Ending.allCases {
            let d = try device("fresh-\(ending)"), s = service(d)
            let before = snapshot("fresh-\(ending)")
            var res = try s.prepareOriginalInitialisation(components: 3, threshold: 2, shares: 3, confirmErase: true)
            defer { res.wipe() }
            XCTAssertEqual(res.components.count, 3)
            XCTAssertEqual(res.shares.count, 3)
            XCTAssertTrue(res.session.isPending)
            XCTAssertFalse(d.isInitialised, "prepared, not installed")
            XCTAssertNil(d.authorisation)
            XCTAssertEqual(ncCheckValue(d), "0000000000000000")
            XCTAssertTrue(s.status().busy)
            XCTAssertTrue(s.status().step?.contains("commit") ?? false)
            end(ending, s, res.session)
            XCTAssertFalse(res.session.isPending)
            XCTAssertNil(res.session.dmk, "the pending DMK is dropped (zeroed first)")
            XCTAssertFalse(s.status().busy)
            XCTAssertFalse(d.isInitialised, "\(ending)")
            XCTAssertNil(d.authorisation)
            XCTAssertEqual(snapshot("fresh-\(ending)"), before, "no state file changed (\(ending))")
            assertCeremonyError(.noSession) { _ = try s.commit(session: res.session) }
            XCTAssertFalse(d.isInitialised)
            // A restart sees the same factory-fresh device.
            XCTAssertFalse(try device("fresh-\(ending)").isInitialised)
        }
        XCTAssertTrue(audit.contains { $0.contains("abandoned before commit") })
        XCTAssertTrue(audit.contains { $0.contains("expired before commit") })
    }

    func testOriginalReinitialisationNotCommittedKeepsPreviousDMK() throws {
        for ending in Ending.allCases {
            let name = "init-\(ending)"
            let d = try device(name), s = service(d)
            var first = try s.originalInitialise(components: 2, threshold: 2, shares: 3, confirmErase: true)
            defer { first.wipe() }
            let cv = d.dmkCheckValue, auth = d.authorisation
            let before = snapshot(name)
            XCTAssertFalse(before.isEmpty)
            var again = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                            authorising: [first.shares[0], first.shares[2]])
            defer { again.wipe() }
            XCTAssertNotEqual(again.dmkCheckValue, cv)
            XCTAssertEqual(d.dmkCheckValue, cv, "nothing installed before the commit")
            end(ending, s, again.session)
            XCTAssertEqual(d.dmkCheckValue, cv, "\(ending)")
            XCTAssertEqual(ncCheckValue(d), cv)
            XCTAssertEqual(d.authorisation, auth)
            XCTAssertEqual(snapshot(name), before, "no state file changed (\(ending))")
            // The previous set is still the one that authorises (the new shares do not).
            assertCeremonyError(.quorumNotMet) {
                _ = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                        authorising: again.shares)
            }
            var third = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                            authorising: [first.shares[1], first.shares[0]])
            defer { third.wipe() }
            s.abort(session: third.session)
            XCTAssertEqual(d.dmkCheckValue, cv)
        }
    }

    func testOriginalCommittedInstallsTheComponentsDMK() throws {
        let d = try device("commit"), s = service(d)
        var res = try s.prepareOriginalInitialisation(components: 3, threshold: 2, shares: 3, confirmErase: true)
        defer { res.wipe() }
        let combinedCV = try DMKComponents.checkValue(DMKComponents.combine(res.components))
        XCTAssertEqual(res.dmkCheckValue, combinedCV)
        XCTAssertFalse(d.isInitialised)
        let done = try s.commit(session: res.session)
        XCTAssertEqual(done.dmkCheckValue, combinedCV)
        XCTAssertEqual(done.ceremonyID, res.ceremonyID)
        XCTAssertEqual(done.authorisation, res.authorisation)
        XCTAssertTrue(d.isInitialised)
        XCTAssertEqual(d.dmkCheckValue, combinedCV)
        XCTAssertEqual(ncCheckValue(d), combinedCV)
        XCTAssertEqual(d.authorisation?.setID, res.authorisation.setID)
        XCTAssertFalse(s.status().busy)
        XCTAssertFalse(res.session.isPending)
        // Persisted: a restart sees the same DMK.
        XCTAssertEqual(try device("commit").dmkCheckValue, combinedCV)
        // Re-initialisation with the quorum, committed: the new DMK replaces the old one.
        var next = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                       authorising: [res.shares[2], res.shares[1]])
        defer { next.wipe() }
        XCTAssertEqual(d.dmkCheckValue, combinedCV)
        let nextCV = try DMKComponents.checkValue(DMKComponents.combine(next.components))
        XCTAssertEqual(try s.commit(session: next.session).dmkCheckValue, nextCV)
        XCTAssertEqual(d.dmkCheckValue, nextCV)
        XCTAssertEqual(d.authorisation?.setID, next.authorisation.setID)
        for line in audit {
            for c in res.components + next.components { XCTAssertFalse(contains(Array(line.utf8), secret: c.bytes), line) }
        }
    }

    // MARK: recovery with a new authorisation set

    /// An original initialisation elsewhere whose components recover `d`.
    func donor() throws -> OriginalInitialisation {
        try service(MemoryCeremonyDevice()).originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
    }

    func testRecoveryNewAuthorisationNotCommittedInstallsNothing() throws {
        var orig = try donor()
        defer { orig.wipe() }
        for ending in Ending.allCases {
            // A fresh device stays factory-fresh.
            let name = "rfresh-\(ending)"
            let d = try device(name), s = service(d)
            let sess = try s.beginRecovery(components: 2, confirmErase: true)
            let before = snapshot(name) // after the (no-op) erase of a fresh device
            for c in orig.components { try s.importComponent(c, session: sess) }
            _ = try s.combine(session: sess)
            var fresh = try s.prepareNewAuthorisation(threshold: 2, shares: 3, session: sess)
            defer { fresh.wipe() }
            XCTAssertEqual(fresh.shares.count, 3)
            XCTAssertEqual(fresh.dmkCheckValue, orig.dmkCheckValue)
            XCTAssertTrue(sess.isPending)
            XCTAssertFalse(d.isInitialised)
            XCTAssertTrue(s.status().step?.contains("commit") ?? false)
            end(ending, s, sess)
            XCTAssertFalse(d.isInitialised, "\(ending)")
            XCTAssertNil(d.authorisation)
            XCTAssertNil(sess.dmk)
            XCTAssertFalse(s.status().busy)
            XCTAssertEqual(snapshot(name), before, "no state file changed (\(ending))")
            assertCeremonyError(.noSession) { _ = try s.commit(session: sess) }

            // An initialised device: the confirmed erase at recover-begin happened, nothing else.
            let iname = "rinit-\(ending)"
            let i = try device(iname), si = service(i)
            var own = try si.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
            defer { own.wipe() }
            let isess = try si.beginRecovery(components: 2, confirmErase: true, authorising: own.shares)
            XCTAssertFalse(i.isInitialised, "the erase the operator confirmed")
            let afterErase = snapshot(iname)
            for c in orig.components { try si.importComponent(c, session: isess) }
            _ = try si.combine(session: isess)
            var ifresh = try si.prepareNewAuthorisation(threshold: 1, shares: 1, session: isess)
            defer { ifresh.wipe() }
            end(ending, si, isess)
            XCTAssertFalse(i.isInitialised)
            XCTAssertNil(i.authorisation, "the new set was not installed")
            XCTAssertEqual(snapshot(iname), afterErase, "no state file changed after the erase (\(ending))")
        }
    }

    func testRecoveryNewAuthorisationCommittedInstalls() throws {
        var orig = try donor()
        defer { orig.wipe() }
        let d = try device("rcommit"), s = service(d)
        let sess = try s.beginRecovery(components: 2, confirmErase: true)
        for c in orig.components.reversed() { try s.importComponent(c, session: sess) }
        XCTAssertEqual(try s.combine(session: sess), orig.dmkCheckValue)
        var fresh = try s.prepareNewAuthorisation(threshold: 2, shares: 3, session: sess)
        defer { fresh.wipe() }
        // While pending, the other finishing steps are refused.
        assertCeremonyError(.wrongStep) { _ = try s.prepareNewAuthorisation(threshold: 1, shares: 1, session: sess) }
        assertCeremonyError(.wrongStep) { _ = try s.finishSynchronisingAuthorisation(orig.shares[0], session: sess) }
        XCTAssertFalse(d.isInitialised)
        let done = try s.commit(session: sess)
        XCTAssertNil(done.ceremonyID)
        XCTAssertEqual(done.dmkCheckValue, try DMKComponents.checkValue(DMKComponents.combine(orig.components)))
        XCTAssertEqual(d.dmkCheckValue, orig.dmkCheckValue)
        XCTAssertEqual(d.authorisation?.setID, fresh.authorisation.setID)
        XCTAssertEqual(try device("rcommit").dmkCheckValue, orig.dmkCheckValue)
        // The new shares are this device's quorum now.
        var re = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                     authorising: [fresh.shares[0], fresh.shares[2]])
        defer { re.wipe() }
        s.abort(session: re.session)
    }

    // MARK: commit refusals

    func testCommitTwiceOrWithAnotherSessionRefused() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        var res = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true)
        defer { res.wipe() }
        try s.commit(session: res.session)
        XCTAssertEqual(d.keysInstalled, 1)
        var msg = assertCeremonyError(.noSession) { _ = try s.commit(session: res.session) }
        XCTAssertTrue(msg.contains("no ceremony session"), msg)
        XCTAssertEqual(d.keysInstalled, 1, "a second commit installs nothing")

        // A session that expired and was replaced cannot commit; the new one's state is untouched.
        s.sessionTimeout = 0
        var stale = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                        authorising: res.shares)
        defer { stale.wipe() }
        Thread.sleep(forTimeInterval: 0.01)
        XCTAssertFalse(s.status().busy, "expired")
        s.sessionTimeout = 600
        var current = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                                          authorising: res.shares)
        defer { current.wipe() }
        assertCeremonyError(.noSession) { _ = try s.commit(session: stale.session) }
        XCTAssertEqual(d.dmk, DMKComponents.combine(res.components), "the stale commit installed nothing")
        XCTAssertTrue(current.session.isPending)
        XCTAssertEqual(try s.commit(session: current.session).dmkCheckValue, current.dmkCheckValue)

        // A recovery session with nothing prepared has nothing to commit.
        let rec = try s.beginRecovery(components: 2, confirmErase: true, authorising: current.shares)
        msg = assertCeremonyError(.wrongStep) { _ = try s.commit(session: rec) }
        XCTAssertTrue(msg.contains("nothing to commit"), msg)
        // An original-initialisation session does not take recovery steps.
        s.abort(session: rec)
        var o = try s.prepareOriginalInitialisation(components: 2, threshold: 1, shares: 1, confirmErase: true)
        defer { o.wipe() }
        assertCeremonyError(.wrongStep) { try s.importComponent(current.components[0], session: o.session) }
        assertCeremonyError(.wrongStep) { _ = try s.combine(session: o.session) }
        s.abort(session: o.session)
    }

    // MARK: the management requests

    func call(_ c: ManagementConnection, _ json: [String: Any], shares: [AuthorisationShare] = [],
              component: DMKComponent? = nil) -> ManagementMessage {
        var m = ManagementMessage(json)
        if !shares.isEmpty { m["authorising"] = shares.map { m.encode(share: $0) } }
        if let comp = component { m["component"] = m.encode(component: comp) }
        defer { m.wipe() }
        return c.handle(m)
    }

    func testManagementCommitBelongsToItsConnection() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        let a = ManagementConnection(service: s), b = ManagementConnection(service: s)
        // Without "twoPhase": refused before anything is made (an old tool would never commit).
        var r = call(a, ["op": "init-original", "components": 2, "threshold": 1, "shares": 1, "confirmErase": true])
        XCTAssertEqual(r.string("code"), "bad-request")
        XCTAssertTrue(r.string("message")?.contains("twoPhase") ?? false)
        XCTAssertFalse(s.status().busy)

        r = call(a, ["op": "init-original", "components": 2, "threshold": 1, "shares": 1, "confirmErase": true, "twoPhase": true])
        defer { r.wipe() }
        XCTAssertEqual(r.json["ok"] as? Bool, true)
        XCTAssertEqual(r.json["pending"] as? Bool, true)
        let comps = (r["components"] as? [Any] ?? []).compactMap { r.decodeComponent($0) }
        XCTAssertEqual(comps.count, 2)
        XCTAssertNil(d.dmk, "init-original installs nothing")

        // Another connection cannot commit (or abort) it.
        XCTAssertEqual(call(b, ["op": "init-commit"]).string("code"), "no-session")
        XCTAssertEqual(call(b, ["op": "recover-commit"]).string("code"), "no-session")
        XCTAssertEqual(call(b, ["op": "init-abort"]).json["ok"] as? Bool, true)
        XCTAssertEqual(call(b, ["op": "init-original", "components": 2, "threshold": 1, "shares": 1, "confirmErase": true,
                                "twoPhase": true]).string("code"), "device-busy")
        XCTAssertNil(d.dmk)
        XCTAssertTrue(s.status().busy)
        // The wrong kind of commit on the right connection.
        XCTAssertEqual(call(a, ["op": "recover-commit"]).string("code"), "wrong-step")

        let done = call(a, ["op": "init-commit"])
        XCTAssertEqual(done.json["ok"] as? Bool, true)
        XCTAssertEqual(done.string("dmkCheckValue"), try DMKComponents.checkValue(DMKComponents.combine(comps)))
        XCTAssertEqual(done.string("ceremonyID"), r.string("ceremonyID"))
        XCTAssertEqual(d.dmk, DMKComponents.combine(comps))
        // Twice: refused, nothing installed again.
        XCTAssertEqual(call(a, ["op": "init-commit"]).string("code"), "no-session")
        XCTAssertEqual(d.keysInstalled, 1)

        // init-abort drops a prepared re-initialisation: the device keeps its DMK.
        var shares = (r["shares"] as? [Any] ?? []).compactMap { r.decodeShare($0) }
        defer { for i in shares.indices { shares[i].wipe() } }
        var again = call(a, ["op": "init-original", "components": 2, "threshold": 1, "shares": 1, "confirmErase": true,
                             "twoPhase": true], shares: shares)
        defer { again.wipe() }
        XCTAssertEqual(again.json["ok"] as? Bool, true, again.string("message") ?? "")
        XCTAssertEqual(call(a, ["op": "init-abort"]).json["ok"] as? Bool, true)
        XCTAssertEqual(d.dmk, DMKComponents.combine(comps))
        XCTAssertFalse(s.status().busy)
        XCTAssertEqual(call(a, ["op": "init-commit"]).string("code"), "no-session")
        XCTAssertEqual(d.keysInstalled, 1)
    }

    func testManagementRecoverCommit() throws {
        var orig = try donor()
        defer { orig.wipe() }
        let d = MemoryCeremonyDevice(), s = service(d)
        let a = ManagementConnection(service: s), b = ManagementConnection(service: s)
        XCTAssertEqual(call(a, ["op": "recover-begin", "components": 2, "confirmErase": true]).json["ok"] as? Bool, true)
        for c in orig.components {
            XCTAssertEqual(call(a, ["op": "recover-import"], component: c).json["ok"] as? Bool, true)
        }
        XCTAssertEqual(call(a, ["op": "recover-combine"]).string("dmkCheckValue"), orig.dmkCheckValue)
        XCTAssertEqual(call(a, ["op": "recover-commit"]).string("code"), "wrong-step", "nothing prepared yet")
        XCTAssertEqual(call(a, ["op": "recover-new-auth", "threshold": 1, "shares": 1]).string("code"), "bad-request",
                       "recover-new-auth without twoPhase")
        var r = call(a, ["op": "recover-new-auth", "threshold": 2, "shares": 2, "twoPhase": true])
        defer { r.wipe() }
        XCTAssertEqual(r.json["pending"] as? Bool, true)
        XCTAssertEqual((r["shares"] as? [Any])?.count, 2)
        XCTAssertNil(d.dmk)
        XCTAssertEqual(call(b, ["op": "recover-commit"]).string("code"), "no-session")
        XCTAssertEqual(call(a, ["op": "init-commit"]).string("code"), "wrong-step")
        XCTAssertNil(d.dmk)
        let done = call(a, ["op": "recover-commit"])
        XCTAssertEqual(done.string("dmkCheckValue"), orig.dmkCheckValue)
        XCTAssertEqual(d.dmk, DMKComponents.combine(orig.components))
        XCTAssertEqual(d.auth?.threshold, 2)
        XCTAssertEqual(call(a, ["op": "recover-commit"]).string("code"), "no-session")
    }
}
