import XCTest
import Foundation
import HSMCrypto
@testable import HSMSecrets
@testable import EVSMKit

/// The device's long-lived secrets (the DMK, the keys derived from it, the device key of
/// secure memory) are zeroed when their holder goes: the device, a DMK replaced by a new
/// one, an erase. Observed through `SecureBytes.Storage.beforeFree`, which sees each region
/// after its cleanse and before it is freed; a secret's region is told apart by its address,
/// taken while the device holds it.
final class DeviceSecretWipeTests: XCTestCase {
    private let lock = NSLock()
    /// Regions freed while the hook is set: base address -> every byte zero.
    private var freed: [UnsafeRawPointer: Bool] = [:]

    let dmk: [UInt8] = Array(0..<16).map { UInt8($0 * 17) }
    let auth = AuthorisationRecord(setID: "set-1", threshold: 2, shares: 3, verifier: [1, 2, 3], salt: [9, 9])

    override func setUp() {
        super.setUp()
        freed = [:]
        SecureBytes.Storage.beforeFree = { [unowned self] region in
            guard let base = region.baseAddress else { return }
            let zero = region.allSatisfy { $0 == 0 }
            self.lock.withLock { self.freed[base] = zero }
        }
    }

    override func tearDown() {
        SecureBytes.Storage.beforeFree = nil
        super.tearDown()
    }

    private func base(_ s: SecureBytes) -> UnsafeRawPointer { s.withUnsafeBytes { $0.baseAddress! } }

    /// Where the device's DMK and a sample of its derived keys live (every kind of key).
    private func secretRegions(_ d: Device) throws -> [UnsafeRawPointer] {
        let k = try d.currentKeysForTests()
        let held = [try XCTUnwrap(d.currentDMKForTests()), try XCTUnwrap(k.lmkPair(0)), try XCTUnwrap(k.lmkPair(38)),
                    try XCTUnwrap(k.sm4Key(.zpk)), try XCTUnwrap(k.aesKey(.tak)), k.sm2Storage, k.lmkAuth]
        return held.map(base)
    }

    private func forget() { lock.withLock { freed = [:] } }
    private func wasWiped(_ r: UnsafeRawPointer) -> Bool? { lock.withLock { freed[r] } }

    func testDeviceSecretsAreZeroedWhenTheDeviceGoes() throws {
        var regions: [UnsafeRawPointer] = []
        do {
            let d = try Device(stateDirectory: nil, mode: .normal)
            try d.install(dmk: dmk, authorisation: auth)
            regions = try secretRegions(d)
            forget()
            // A command that reads the LMK, so the per-command path has held the keys too.
            let reply = d.handle(body: Array("0000NC".utf8), headerLength: 4)
            XCTAssertEqual(Array(reply.prefix(8)), Array("0000ND00".utf8))
            for r in regions { XCTAssertNil(wasWiped(r), "a secret was freed while the device still holds it") }
        }
        XCTAssertEqual(regions.count, 7)
        for (i, r) in regions.enumerated() { XCTAssertEqual(wasWiped(r), true, "secret \(i) was not zeroed when the device went") }
    }

    func testTheOldDMKAndItsKeysAreZeroedWhenANewDMKIsInstalled() throws {
        let d = try Device(stateDirectory: nil, mode: .normal)
        try d.install(dmk: dmk, authorisation: auth)
        let old = try secretRegions(d)
        forget()
        try d.install(dmk: [UInt8](repeating: 0x5A, count: 16), authorisation: auth)
        for (i, r) in old.enumerated() { XCTAssertEqual(wasWiped(r), true, "old secret \(i) was not zeroed by the new install") }
        XCTAssertTrue(d.isInitialised)
    }

    func testEraseZeroesTheDMKAndItsKeys() throws {
        let d = try Device(stateDirectory: nil, mode: .testLMK)
        try d.install(dmk: dmk, authorisation: auth)
        let regions = try secretRegions(d)
        forget()
        try d.erase()
        XCTAssertFalse(d.isInitialised)
        for (i, r) in regions.enumerated() { XCTAssertEqual(wasWiped(r), true, "secret \(i) was not zeroed by the erase") }
    }

    func testSecureMemoryZeroesItsDeviceKey() throws {
        let dir = NSTemporaryDirectory() + "evsm-wipe-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var region: UnsafeRawPointer?
        do {
            let m = try SecureMemory(directory: dir)
            XCTAssertEqual(m.deviceKey.count, 32)
            region = base(m.deviceKey)
            forget()
            try m.save(PersistedState(mode: .normal, serial: "000000000000"))
            XCTAssertNotNil(try m.load())
            XCTAssertNil(wasWiped(region!))
        }
        XCTAssertEqual(wasWiped(region!), true, "the device key was not zeroed with its secure memory")
    }
}
