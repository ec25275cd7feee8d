import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest
import HostProtocol
@testable import EVSMKit
@testable import VSMOperator

/// The whole ceremony over three real in-process devices with state directories and UKEY
/// files: original on A, recovery on B (authorisation synchronised) and on C (new 1-of-1).
final class CeremonyDeviceTests: XCTestCase {
    var root = ""
    var audit: [String] = []

    override func setUpWithError() throws { root = try makeTempDir("devices") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: root) }

    struct Group {
        var a, b, c: Device
        var sa, sb, sc: CeremonyService
        var dmk: [UInt8]
        var components: [[UInt8]]
        var checkValue: String
        var ukeys: String
    }

    func ask(_ d: Device, _ body: String) -> String {
        String(decoding: d.handle(body: Array(body.utf8), headerLength: 0), as: UTF8.self)
    }

    func ncCheckValue(_ d: Device) -> String {
        let r = ask(d, "NC")
        guard r.hasPrefix("ND00"), r.count >= 20 else { return "error " + r.prefix(4) }
        return String(r.dropFirst(4).prefix(16))
    }

    func device(_ name: String) throws -> Device { try Device(stateDirectory: root + "/state-" + name, mode: .normal) }

    func service(_ d: Device) -> CeremonyService {
        let s = CeremonyService(device: d)
        s.audit = { [unowned self] in self.audit.append($0) }
        return s
    }

    /// Runs the ceremony through UKEY files, as vsmctl does.
    func runCeremony() throws -> Group {
        let ukeys = root + "/ukeys"
        try FileManager.default.createDirectory(atPath: ukeys, withIntermediateDirectories: true)
        let a = try device("A"), b = try device("B"), c = try device("C")
        let sa = service(a), sb = service(b), sc = service(c)
        XCTAssertFalse(a.isInitialised)
        XCTAssertEqual(ncCheckValue(a), "0000000000000000", "a fresh device has no DMK")

        // Original initialisation on A: 3 components, 2-of-3 authorisation, into UKEYs.
        var orig = try sa.originalInitialise(components: 3, threshold: 2, shares: 3, confirmErase: true)
        let dmk = DMKComponents.combine(orig.components)
        let components = orig.components.map(\.bytes.array)
        for c in orig.components {
            try UKEYFile.write(component: c, pin: pin("comp-pin-\(c.index)"), to: "\(ukeys)/dmk-\(c.index).ukey", iterations: testIterations)
        }
        for s in orig.shares {
            try UKEYFile.write(share: s, pin: pin("auth-pin-\(s.x)"), to: "\(ukeys)/auth-\(s.x).ukey", iterations: testIterations)
        }
        let cv = orig.dmkCheckValue
        orig.wipe()
        XCTAssertEqual(ncCheckValue(a), cv)

        // B: recovery, components in another order, authorisation synchronised from auth-2.
        let s1 = try sb.beginRecovery(components: 3, confirmErase: true)
        for i in [2, 3, 1] {
            var comp = try UKEYFile.openComponent("\(ukeys)/dmk-\(i).ukey", pin: pin("comp-pin-\(i)"))
            try sb.importComponent(comp, session: s1)
            comp.wipe()
        }
        XCTAssertEqual(try sb.combine(session: s1), cv)
        var share = try UKEYFile.openShare("\(ukeys)/auth-2.ukey", pin: pin("auth-pin-2"))
        XCTAssertEqual(try sb.finishSynchronisingAuthorisation(share, session: s1), cv)
        share.wipe()

        // C: recovery with a new 1-of-1 authorisation.
        let s2 = try sc.beginRecovery(components: 3, confirmErase: true)
        for i in [1, 2, 3] {
            try sc.importComponent(try UKEYFile.openComponent("\(ukeys)/dmk-\(i).ukey", pin: pin("comp-pin-\(i)")), session: s2)
        }
        _ = try sc.combine(session: s2)
        var fresh = try sc.finishWithNewAuthorisation(threshold: 1, shares: 1, session: s2)
        try UKEYFile.write(share: fresh.shares[0], pin: pin("c-auth-pin"), to: "\(ukeys)/c-auth-1.ukey", iterations: testIterations)
        fresh.wipe()
        return Group(a: a, b: b, c: c, sa: sa, sb: sb, sc: sc, dmk: dmk, components: components, checkValue: cv, ukeys: ukeys)
    }

    func testThreeDevicesShareTheDMK() throws {
        let g = try runCeremony()
        XCTAssertEqual(g.checkValue.count, 16)
        XCTAssertEqual(ncCheckValue(g.a), g.checkValue)
        XCTAssertEqual(ncCheckValue(g.b), g.checkValue)
        XCTAssertEqual(ncCheckValue(g.c), g.checkValue)
        XCTAssertEqual(try g.sb.dmkCheckValue(), g.checkValue)
        XCTAssertEqual(g.b.authorisation, g.a.authorisation, "B synchronised A's authorisation set")
        XCTAssertEqual(g.c.authorisation?.threshold, 1)
        XCTAssertEqual(g.c.authorisation?.shares, 1)
        XCTAssertNotEqual(g.c.authorisation?.setID, g.a.authorisation?.setID)

        // The state survives a restart.
        let b2 = try device("B")
        XCTAssertEqual(ncCheckValue(b2), g.checkValue)

        // A device with another DMK shows another check value.
        let d = try device("D")
        var other = try service(d).originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
        other.wipe()
        XCTAssertNotEqual(ncCheckValue(d), g.checkValue)
    }

    func testReinitialisingBNeedsTheSharedQuorum() throws {
        let g = try runCeremony()
        let a1 = try UKEYFile.openShare("\(g.ukeys)/auth-1.ukey", pin: pin("auth-pin-1"))
        let a3 = try UKEYFile.openShare("\(g.ukeys)/auth-3.ukey", pin: pin("auth-pin-3"))
        let cAuth = try UKEYFile.openShare("\(g.ukeys)/c-auth-1.ukey", pin: pin("c-auth-pin"))
        // One share of a 2-of-3 set, or C's own share: refused, B unchanged.
        assertCeremonyError(.quorumNotMet) { _ = try g.sb.beginRecovery(components: 3, confirmErase: true, authorising: [a1]) }
        assertCeremonyError(.quorumNotMet) { _ = try g.sb.beginRecovery(components: 3, confirmErase: true, authorising: [cAuth]) }
        XCTAssertEqual(ncCheckValue(g.b), g.checkValue)
        // C's own 1-of-1 set re-authorises C, but not B; A's pair authorises B.
        let s = try g.sc.beginRecovery(components: 3, confirmErase: true, authorising: [cAuth])
        g.sc.abort(session: s)
        XCTAssertFalse(g.c.isInitialised, "C was erased by the confirmed recovery")
        let s2 = try g.sb.beginRecovery(components: 3, confirmErase: true, authorising: [a3, a1])
        g.sb.abort(session: s2)
        XCTAssertFalse(g.b.isInitialised)
    }

    func testWrongPINAndLockedUKEYLeaveDeviceAsItWas() throws {
        let g = try runCeremony()
        let path = "\(g.ukeys)/auth-1.ukey"
        // The tool opens each UKEY before it asks anything of the device.
        for _ in 1...5 { _ = try? UKEYFile.openShare(path, pin: pin("not-the-pin")) }
        assertCeremonyError(.ukeyLocked) { _ = try UKEYFile.openShare(path, pin: pin("auth-pin-1")) }
        XCTAssertEqual(ncCheckValue(g.a), g.checkValue)
        XCTAssertEqual(g.a.authorisation, g.b.authorisation)
    }

    func testNoClearDMKOrComponentOutsideUKEYFilesOrInLogs() throws {
        let g = try runCeremony()
        var secrets = g.components
        secrets.append(g.dmk)
        var scanned = 0
        for file in allFiles(under: root) {
            let bytes = try AtomicFile.read(file, limit: 1 << 24)
            for s in secrets { XCTAssertFalse(contains(bytes, secret: s), "clear secret found in \(file)") }
            scanned += 1
        }
        XCTAssertGreaterThanOrEqual(scanned, 9, "state files of three devices and the UKEYs were scanned")
        XCTAssertFalse(audit.isEmpty)
        for line in audit {
            for s in secrets { XCTAssertFalse(contains(Array(line.utf8), secret: s), line) }
        }
    }

    // MARK: keys made on A work the same on B and C

    struct HostCallFailure: Error { let code: String }

    func call<Rsp: HostCommandResponse>(_ d: Device, _ req: some HostCommandRequest, _: Rsp.Type) throws -> Rsp {
        let rsp = d.handle(try HostRequest(body: try req.payload(), headerLength: 0))
        guard rsp.error == .ok else { throw HostCallFailure(code: "\(rsp.error)") }
        return try Rsp.decodeAll(rsp.fields)
    }

    func testKeyFromAGivesSameKCVMACAndPINTranslationOnBAndC() throws {
        let g = try runCeremony()
        let zpk1 = try call(g.a, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), GenerateKeyResponse.self)
        let zpk2 = try call(g.a, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), GenerateKeyResponse.self)
        let zak = try call(g.a, GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant), GenerateKeyResponse.self)
        let account = "123456789012"
        let pinUnderLMK = try call(g.a, EncryptPINRequest(pin: "1234", account: account), PINUnderLMKResponse.self)
        let block = try call(g.a, PINFromLMKRequest(zpk: zpk1.keyUnderLMK, format: 1, account: account,
                                                    pinUnderLMK: pinUnderLMK.pinUnderLMK), PINBlockResponse.self)
        let mac = MACFields(inputFormat: 2, macSize: 1, algorithm: 3, padding: 2, keyType: .zak,
                            key: zak.keyUnderLMK, data: Array("ceremony: same DMK, same keys".utf8))
        let translate = TranslatePINRequest(PINTranslation(sourceKey: zpk1.keyUnderLMK, destinationKey: zpk2.keyUnderLMK,
                                                           maxPINLength: 12, pinBlock: block.pinBlock, sourceFormat: 1,
                                                           destinationFormat: 1, account: account))
        let macOnA = try call(g.a, GenerateMACRequest(mac), GenerateMACResponse.self).mac
        let pinOnA = try call(g.a, translate, TranslatePINResponse.self)
        for d in [g.b, g.c] {
            for k in [zpk1, zpk2] {
                XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zpk, key: k.keyUnderLMK), CheckValueResponse.self).checkValue,
                               k.checkValue)
            }
            XCTAssertEqual(try call(d, CheckValueRequest(keyType: .zak, key: zak.keyUnderLMK), CheckValueResponse.self).checkValue,
                           zak.checkValue)
            XCTAssertEqual(try call(d, GenerateMACRequest(mac), GenerateMACResponse.self).mac, macOnA)
            XCTAssertEqual(try call(d, translate, TranslatePINResponse.self), pinOnA)
        }
        // A device with another DMK turns the same blob into another key.
        let other = try device("D")
        var o = try service(other).originalInitialise(components: 2, threshold: 1, shares: 1, confirmErase: true)
        o.wipe()
        let kcvOnD = try? call(other, CheckValueRequest(keyType: .zpk, key: zpk1.keyUnderLMK), CheckValueResponse.self).checkValue
        XCTAssertNotEqual(kcvOnD, zpk1.checkValue)
    }
}
