import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest
@testable import EVSMKit

/// A minimal in-memory device for the ceremony state machine (the real `Device` is
/// exercised in CeremonyDeviceTests).
final class MemoryCeremonyDevice: CeremonyDevice {
    var dmk: [UInt8]?
    var auth: AuthorisationSet?
    var keysInstalled = 0
    var erases = 0
    var ceremonyIsInitialised: Bool { dmk != nil }
    var ceremonyDMKCheckValue: String? { dmk.flatMap { try? DMKComponents.checkValue($0) } }
    var ceremonyAuthorisation: AuthorisationSet? { auth }
    func ceremonyInstall(dmk: [UInt8], authorisation: AuthorisationSet) throws {
        self.dmk = dmk; auth = authorisation; keysInstalled += 1
    }
    func ceremonyErase() throws { dmk = nil; auth = nil; erases += 1 }
}

final class CeremonyServiceTests: XCTestCase {
    var audit: [String] = []

    func service(_ d: CeremonyDevice) -> CeremonyService {
        let s = CeremonyService(device: d)
        s.audit = { [unowned self] in self.audit.append($0) }
        return s
    }

    func testOriginalThenRecoveryWithSyncAndWithNewAuthorisation() throws {
        let a = MemoryCeremonyDevice(), b = MemoryCeremonyDevice(), c = MemoryCeremonyDevice()
        let sa = service(a), sb = service(b), sc = service(c)
        XCTAssertThrowsError(try sa.dmkCheckValue())
        var orig = try sa.originalInitialise(components: 3, threshold: 2, shares: 3, confirmErase: true)
        defer { orig.wipe() }
        XCTAssertEqual(orig.components.count, 3)
        XCTAssertEqual(orig.shares.count, 3)
        XCTAssertEqual(Set(orig.components.map(\.index)), [1, 2, 3])
        XCTAssertTrue(orig.components.allSatisfy { $0.ceremonyID == orig.ceremonyID && $0.count == 3 })
        XCTAssertEqual(try sa.dmkCheckValue(), orig.dmkCheckValue)
        XCTAssertEqual(DMKComponents.combine(orig.components), a.dmk)
        XCTAssertEqual(a.auth, orig.authorisation)
        XCTAssertEqual(orig.authorisation.threshold, 2)
        XCTAssertEqual(orig.authorisation.count, 3)

        // B: import in reverse order, synchronise authorisation from one share.
        let s1 = try sb.beginRecovery(components: 3, confirmErase: true)
        for comp in orig.components.reversed() { try sb.importComponent(comp, session: s1) }
        XCTAssertEqual(try sb.combine(session: s1), orig.dmkCheckValue)
        XCTAssertFalse(b.ceremonyIsInitialised, "combined but not installed before the authorisation choice")
        XCTAssertEqual(try sb.finishSynchronisingAuthorisation(orig.shares[1], session: s1), orig.dmkCheckValue)
        XCTAssertEqual(b.auth, orig.authorisation)
        XCTAssertEqual(try sb.dmkCheckValue(), orig.dmkCheckValue)

        // C: new 1-of-1 authorisation.
        let s2 = try sc.beginRecovery(components: 3, confirmErase: true)
        for i in [1, 0, 2] { try sc.importComponent(orig.components[i], session: s2) }
        _ = try sc.combine(session: s2)
        var fresh = try sc.finishWithNewAuthorisation(threshold: 1, shares: 1, session: s2)
        defer { fresh.wipe() }
        XCTAssertEqual(fresh.shares.count, 1)
        XCTAssertEqual(c.auth?.threshold, 1)
        XCTAssertNotEqual(c.auth?.setID, orig.authorisation.setID)
        XCTAssertEqual(try sc.dmkCheckValue(), orig.dmkCheckValue)
        XCTAssertFalse(sc.status().busy)

        // No audit line carries a DMK or component value.
        for line in audit {
            for comp in orig.components { XCTAssertFalse(contains(Array(line.utf8), secret: comp.bytes), line) }
            XCTAssertFalse(contains(Array(line.utf8), secret: a.dmk ?? []), line)
        }
    }

    func testUnconfirmedEraseLeavesDeviceAsItWas() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        var orig = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
        defer { orig.wipe() }
        let before = d.dmk
        assertCeremonyError(.eraseNotConfirmed) {
            _ = try s.beginRecovery(components: 2, confirmErase: false, authorising: orig.shares)
        }
        assertCeremonyError(.eraseNotConfirmed) {
            _ = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: false, authorising: orig.shares)
        }
        XCTAssertEqual(d.dmk, before)
        XCTAssertEqual(d.erases, 0)
        XCTAssertEqual(d.keysInstalled, 1)
    }

    func testComponentRefusalsLeaveSessionAsItWas() throws {
        let a = MemoryCeremonyDevice(), b = MemoryCeremonyDevice()
        var orig = try service(a).originalInitialise(components: 3, threshold: 2, shares: 3, confirmErase: true)
        var other = try service(MemoryCeremonyDevice()).originalInitialise(components: 3, threshold: 2, shares: 3, confirmErase: true)
        defer { orig.wipe(); other.wipe() }
        let sb = service(b)
        let sess = try sb.beginRecovery(components: 3, confirmErase: true)
        XCTAssertEqual(try sb.importComponent(orig.components[0], session: sess), 1)

        var msg = assertCeremonyError(.duplicateComponent) { try sb.importComponent(orig.components[0], session: sess) }
        XCTAssertTrue(msg.contains("twice"), msg)
        msg = assertCeremonyError(.foreignComponent) { try sb.importComponent(other.components[1], session: sess) }
        XCTAssertTrue(msg.contains(other.ceremonyID), msg)
        var bad = orig.components[1]
        bad.bytes[0] ^= 0x80 // a key bit (bit 0 is DES parity, which the check value ignores)
        assertCeremonyError(.componentCheckValue) { try sb.importComponent(bad, session: sess) }
        var wrongCount = orig.components[1]
        wrongCount.count = 2
        assertCeremonyError(.componentCount) { try sb.importComponent(wrongCount, session: sess) }
        msg = assertCeremonyError(.missingComponent) { _ = try sb.combine(session: sess) }
        XCTAssertTrue(msg.contains("missing 2, 3"), msg)
        assertCeremonyError(.wrongStep) { _ = try sb.finishSynchronisingAuthorisation(orig.shares[0], session: sess) }
        XCTAssertFalse(b.ceremonyIsInitialised)

        // The refusals did not disturb the session: the right components still complete it.
        XCTAssertEqual(try sb.importComponent(orig.components[2], session: sess), 2)
        XCTAssertEqual(try sb.importComponent(orig.components[1], session: sess), 3)
        XCTAssertEqual(try sb.combine(session: sess), orig.dmkCheckValue)
        _ = try sb.finishSynchronisingAuthorisation(orig.shares[2], session: sess)
        XCTAssertEqual(b.dmk, a.dmk)
    }

    func testBusyWithAnotherSession() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        let first = try s.beginRecovery(components: 2, confirmErase: true)
        let msg = assertCeremonyError(.busy) { _ = try s.beginRecovery(components: 2, confirmErase: true) }
        XCTAssertTrue(msg.contains("busy"))
        assertCeremonyError(.busy) { _ = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true) }
        XCTAssertTrue(s.status().busy)
        XCTAssertEqual(d.erases, 1)
        s.abort(session: first)
        XCTAssertFalse(s.status().busy)
        assertCeremonyError(.noSession) { _ = try s.combine(session: first) }
        _ = try s.beginRecovery(components: 2, confirmErase: true)
    }

    func testExpiredSessionCanBeTakenOver() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        s.sessionTimeout = 0
        let first = try s.beginRecovery(components: 2, confirmErase: true)
        Thread.sleep(forTimeInterval: 0.01)
        let second = try s.beginRecovery(components: 2, confirmErase: true)
        assertCeremonyError(.noSession) { _ = try s.combine(session: first) }
        s.abort(session: second)
    }

    func testReinitialisationNeedsTheQuorum() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        var orig = try s.originalInitialise(components: 2, threshold: 2, shares: 3, confirmErase: true)
        var stranger = try service(MemoryCeremonyDevice()).originalInitialise(components: 2, threshold: 2, shares: 3, confirmErase: true)
        defer { orig.wipe(); stranger.wipe() }
        let before = d.dmk
        // None, one, the same one twice, and shares of another set: refused, device unchanged.
        for attempt in [[], [orig.shares[0]], [orig.shares[0], orig.shares[0]], [stranger.shares[0], stranger.shares[1]],
                        [orig.shares[0], stranger.shares[1]]] {
            let msg = assertCeremonyError(.quorumNotMet) {
                _ = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true, authorising: attempt)
            }
            XCTAssertTrue(msg.contains("quorum"), msg)
            assertCeremonyError(.quorumNotMet) { _ = try s.beginRecovery(components: 2, confirmErase: true, authorising: attempt) }
        }
        // A forged share value (right set id and x, wrong y) does not reconstruct the secret.
        var forged = orig.shares[1]
        forged.y[0] ^= 0xFF
        assertCeremonyError(.quorumNotMet) {
            _ = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true, authorising: [orig.shares[0], forged])
        }
        XCTAssertEqual(d.dmk, before)
        XCTAssertEqual(d.erases, 0)
        XCTAssertEqual(d.keysInstalled, 1)
        // Any two distinct genuine shares are a quorum.
        var again = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true,
                                             authorising: [orig.shares[2], orig.shares[0]])
        defer { again.wipe() }
        XCTAssertNotEqual(d.dmk, before)
        XCTAssertEqual(d.auth, again.authorisation)
    }

    func testBadParametersRefused() throws {
        let d = MemoryCeremonyDevice(), s = service(d)
        assertCeremonyError(.componentCount) { _ = try s.originalInitialise(components: 1, threshold: 2, shares: 3, confirmErase: true) }
        assertCeremonyError(.badScheme) { _ = try s.originalInitialise(components: 2, threshold: 4, shares: 3, confirmErase: true) }
        assertCeremonyError(.badScheme) { _ = try s.originalInitialise(components: 2, threshold: 0, shares: 3, confirmErase: true) }
        assertCeremonyError(.componentCount) { _ = try s.beginRecovery(components: 0, confirmErase: true) }
        XCTAssertFalse(d.ceremonyIsInitialised)
        XCTAssertEqual(d.erases, 0)
        XCTAssertEqual(ManagementLimits.parseScheme("2-of-3")?.threshold, 2)
        XCTAssertEqual(ManagementLimits.parseScheme("1of1")?.count, 1)
        XCTAssertNil(ManagementLimits.parseScheme("two of three"))
    }

    func testSyncWithMalformedOrWrongShareRefused() throws {
        var orig = try service(MemoryCeremonyDevice()).originalInitialise(components: 2, threshold: 1, shares: 2, confirmErase: true)
        defer { orig.wipe() }
        let b = MemoryCeremonyDevice(), sb = service(b)
        let sess = try sb.beginRecovery(components: 2, confirmErase: true)
        for comp in orig.components { try sb.importComponent(comp, session: sess) }
        _ = try sb.combine(session: sess)
        var wrong = orig.shares[0]
        wrong.y[3] ^= 1 // a 1-of-n share is the secret: checked against the verifier
        assertCeremonyError(.quorumNotMet) { _ = try sb.finishSynchronisingAuthorisation(wrong, session: sess) }
        var short = orig.shares[0]
        short.y = [1, 2, 3]
        assertCeremonyError(.badRequest) { _ = try sb.finishSynchronisingAuthorisation(short, session: sess) }
        XCTAssertFalse(b.ceremonyIsInitialised)
        _ = try sb.finishSynchronisingAuthorisation(orig.shares[1], session: sess)
        XCTAssertTrue(b.ceremonyIsInitialised)
    }

    func testTestLMKDeviceWithoutAuthorisationSetMayBeInitialised() throws {
        // A test-LMK device starts initialised with the public test DMK and no set.
        let d = try Device(stateDirectory: nil, mode: .testLMK)
        XCTAssertTrue(d.isInitialised)
        XCTAssertNil(d.authorisation)
        let s = service(d)
        var r = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
        defer { r.wipe() }
        XCTAssertEqual(d.dmkCheckValue, r.dmkCheckValue)
        XCTAssertEqual(d.authorisation?.setID, r.authorisation.setID)
        // From now on its set's quorum is needed.
        assertCeremonyError(.quorumNotMet) { _ = try s.originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true) }
        XCTAssertTrue(audit.contains { $0.contains("no authorisation set") })
    }
}
