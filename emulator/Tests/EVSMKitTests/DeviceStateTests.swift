import XCTest
import Foundation
import HSMCrypto
import HostProtocol
@testable import EVSMKit

/// Device lifecycle: install, persistence, erase, derivation.
final class DeviceStateTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "evsm-test-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    let auth = AuthorisationRecord(setID: "set-1", threshold: 2, shares: 3, verifier: [1, 2, 3], salt: [9, 9])
    let dmk: [UInt8] = Array(0..<16).map { UInt8($0 * 17) }

    func testInstallPersistsAcrossReopen() throws {
        var kcv = ""
        var key: GenerateKeyResponse?
        do {
            let d = try Device(stateDirectory: dir, mode: .normal)
            XCTAssertFalse(d.isInitialised)
            try d.install(dmk: dmk, authorisation: auth)
            kcv = try XCTUnwrap(d.dmkCheckValue)
            key = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant, store: StoreTarget(index: 7, label: "zpk")), GenerateKeyResponse.self)
        }
        let d2 = try Device(stateDirectory: dir, mode: .normal)
        XCTAssertTrue(d2.isInitialised)
        XCTAssertEqual(d2.dmkCheckValue, kcv)
        XCTAssertEqual(d2.authorisation, auth)
        XCTAssertEqual(d2.storedKeyLabels[7], "zpk")
        let k = try XCTUnwrap(key)
        XCTAssertEqual(try call(d2, CheckValueRequest(keyType: .zpk, key: k.keyUnderLMK), CheckValueResponse.self).checkValue, k.checkValue)
        XCTAssertEqual(try call(d2, CheckValueRequest(keyType: .zpk, key: .stored(index: 7)), CheckValueResponse.self).checkValue, k.checkValue)
    }

    func testDMKIsNotOnDiskInClearAndFilesAre0600() throws {
        let d = try Device(stateDirectory: dir, mode: .normal)
        try d.install(dmk: dmk, authorisation: auth)
        for name in ["secure-memory.bin", "device.key"] {
            let path = dir + "/" + name
            let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
            XCTAssertNil([UInt8](data).firstRange(of: dmk), name)
            let perms = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(perms, 0o600, name)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        XCTAssertTrue(left.isEmpty)
    }

    /// A crash mid-write leaves a partial temp file beside the intact state: it is ignored.
    func testInterruptedWriteLosesNothing() throws {
        do {
            let d = try Device(stateDirectory: dir, mode: .normal)
            try d.install(dmk: dmk, authorisation: auth)
        }
        let partial = dir + "/secure-memory.bin.tmp.99999"
        XCTAssertTrue(FileManager.default.createFile(atPath: partial, contents: Data([0x45, 0x56, 0x53])))
        let d2 = try Device(stateDirectory: dir, mode: .normal)
        XCTAssertTrue(d2.isInitialised)
        XCTAssertEqual(d2.authorisation, auth)
        // A corrupted secure memory is refused, not half-read.
        let path = dir + "/secure-memory.bin"
        var bytes = [UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path)))
        bytes[bytes.count - 1] ^= 1
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        XCTAssertThrowsError(try Device(stateDirectory: dir, mode: .normal)) { e in
            XCTAssertEqual(e as? DeviceError, .secureMemoryUnreadable)
        }
    }

    func testSecureMemoryWithoutItsDeviceKeyIsRefused() throws {
        let d = try Device(stateDirectory: dir, mode: .normal)
        try d.install(dmk: dmk, authorisation: auth)
        try FileManager.default.removeItem(atPath: dir + "/device.key")
        XCTAssertThrowsError(try Device(stateDirectory: dir, mode: .normal)) { e in
            XCTAssertEqual(e as? DeviceError, .secureMemoryUnreadable)
        }
    }

    func testInstallErasesStoredKeysAndEraseResets() throws {
        let d = try Device(stateDirectory: dir, mode: .normal)
        try d.install(dmk: dmk, authorisation: auth)
        _ = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant, store: StoreTarget(index: 1, label: "a")), GenerateKeyResponse.self)
        XCTAssertEqual(d.storedKeyLabels.count, 1)
        try d.install(dmk: dmk.reversed(), authorisation: auth)
        XCTAssertTrue(d.storedKeyLabels.isEmpty)
        var a2 = auth
        a2.setID = "set-2"
        try d.replaceAuthorisation(a2)
        XCTAssertEqual(try Device(stateDirectory: dir, mode: .normal).authorisation?.setID, "set-2")
        try d.erase()
        XCTAssertFalse(d.isInitialised)
        XCTAssertNil(d.authorisation)
        XCTAssertEqual(send(d, "CR0001").error, "13")
        XCTAssertFalse(try Device(stateDirectory: dir, mode: .normal).isInitialised)
        XCTAssertThrowsError(try d.install(dmk: [1, 2, 3], authorisation: auth))
        XCTAssertThrowsError(try d.replaceAuthorisation(auth))
    }

    /// Two devices with the same DMK accept each other's keys; another DMK differs.
    func testSameDMKSameResultsOtherDMKDifferent() throws {
        let a = try Device(stateDirectory: nil, mode: .normal)
        let b = try Device(stateDirectory: nil, mode: .normal)
        let c = try Device(stateDirectory: nil, mode: .normal)
        try a.install(dmk: dmk, authorisation: auth)
        try b.install(dmk: dmk, authorisation: auth)
        try c.install(dmk: dmk.reversed(), authorisation: auth)
        XCTAssertEqual(a.dmkCheckValue, b.dmkCheckValue)
        XCTAssertNotEqual(a.dmkCheckValue, c.dmkCheckValue)
        for s in [KeyScheme.doubleVariant, .sm4, .aes128] {
            let k = try call(a, GenerateKeyRequest(keyType: .tak, lmkScheme: s), GenerateKeyResponse.self)
            XCTAssertEqual(try call(b, CheckValueRequest(keyType: .tak, key: k.keyUnderLMK), CheckValueResponse.self).checkValue, k.checkValue)
            let other = send(c, try CheckValueRequest(keyType: .tak, key: k.keyUnderLMK).payload())
            XCTAssertTrue(other.error != "00" || other.text != Hex.string(k.checkValue))
        }
    }

    /// The documented KDF: LMK pair 04-05 = parity-adjusted HKDF-SHA256(DMK, salt, "cacipher/lmk/04-05").
    func testLMKDerivationIsTheDocumentedKDF() throws {
        let keys = try StorageKeys(dmk: dmk, mode: .normal)
        var expected = try Prim.hkdfSHA256(ikm: dmk, salt: Array("cacipher-evsm-dmk-v1".utf8), info: Array("cacipher/lmk/04-05".utf8), length: 16)
        Prim.adjustParity(&expected)
        XCTAssertEqual(keys.lmkPair(4), SecureBytes(expected))
        XCTAssertEqual(keys.sm4Key(.zpk), SecureBytes(try Prim.hkdfSHA256(ikm: dmk, salt: Array("cacipher-evsm-dmk-v1".utf8), info: Array("cacipher/sm4/001".utf8), length: 16)))
        XCTAssertEqual(StorageKeys.pairLabel(38), "cacipher/lmk/38-39")
        // Test-LMK mode keeps the public LMKs whatever DMK is installed.
        let t = try StorageKeys(dmk: dmk, mode: .testLMK)
        XCTAssertEqual(t.lmkPair(4), SecureBytes(hex("40404040404040405151515151515151")))
    }

    func testConcurrentCommandsOnOneDevice() throws {
        let d = testDevice()
        let zak = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant), GenerateKeyResponse.self)
        let f = MACFields(inputFormat: 2, macSize: 1, algorithm: 3, padding: 1, keyType: .zak, key: zak.keyUnderLMK, data: Array("abc".utf8))
        let expected = send(d, try GenerateMACRequest(f).payload()).text
        let payload = try GenerateMACRequest(f).payload()
        let lock = NSLock()
        var mismatches = 0
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            let r = i % 2 == 0 ? send(d, payload) : send(d, "CR0016")
            if i % 2 == 0, r.text != expected { lock.withLock { mismatches += 1 } }
        }
        XCTAssertEqual(mismatches, 0)
    }
}
