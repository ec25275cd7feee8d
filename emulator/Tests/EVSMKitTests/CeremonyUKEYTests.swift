import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest
@testable import EVSMKit
@testable import VSMOperator

final class CeremonyUKEYTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try makeTempDir("ukey") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func component(_ i: Int = 1) throws -> DMKComponent {
        let bytes = try CeremonyCrypto.random(16)
        return DMKComponent(ceremonyID: "00112233445566AA", index: i, count: 3,
                            checkValue: try DMKComponents.checkValue(bytes), bytes: bytes)
    }

    func testComponentRoundTripAndStatusWithoutPIN() throws {
        let c = try component(2)
        let path = dir + "/c2.ukey"
        try UKEYFile.write(component: c, pin: pin("1234-abcd"), to: path, iterations: testIterations)
        let st = try UKEYFile.status(path)
        XCTAssertEqual(st.kind, .dmkComponent)
        XCTAssertEqual(st.id, "00112233445566AA")
        XCTAssertEqual(st.index, 2)
        XCTAssertEqual(st.count, 3)
        XCTAssertEqual(st.checkValue, c.checkValue)
        XCTAssertFalse(st.locked)
        XCTAssertEqual(st.triesLeft, 5)
        XCTAssertTrue(st.description.contains("DMK component 2 of 3"))
        let back = try UKEYFile.openComponent(path, pin: pin("1234-abcd"))
        XCTAssertEqual(back.bytes, c.bytes)
        XCTAssertEqual(back.ceremonyID, c.ceremonyID)
        XCTAssertEqual(back.index, 2)
        XCTAssertEqual(back.checkValue, c.checkValue)
        // The file never holds the clear component.
        XCTAssertFalse(contains(try AtomicFile.read(path), secret: c.bytes))
    }

    func testShareRoundTrip() throws {
        let (set, shares) = try AuthorisationScheme.newSet(threshold: 2, count: 3)
        let path = dir + "/a1.ukey"
        try UKEYFile.write(share: shares[0], pin: pin("auth-pin-1"), to: path, iterations: testIterations)
        let st = try UKEYFile.status(path)
        XCTAssertEqual(st.kind, .authorisation)
        XCTAssertEqual(st.threshold, 2)
        XCTAssertEqual(st.id, set.setID)
        let back = try UKEYFile.openShare(path, pin: pin("auth-pin-1"))
        XCTAssertEqual(back.set, set)
        XCTAssertEqual(back.x, shares[0].x)
        XCTAssertEqual(back.y, shares[0].y)
        assertCeremonyError(.ukeyKind) { _ = try UKEYFile.openComponent(path, pin: pin("auth-pin-1")) }
    }

    func testFileMode0600AndNoOverwrite() throws {
        let path = dir + "/c.ukey"
        try UKEYFile.write(component: try component(), pin: pin("pin-pin"), to: path, iterations: testIterations)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        assertCeremonyError(.ukeyIO) {
            try UKEYFile.write(component: try self.component(), pin: pin("pin-pin"), to: path, iterations: testIterations)
        }
        // No temporary files left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["c.ukey"])
    }

    func testWrongPINCountedThenResetByRightPIN() throws {
        let path = dir + "/c.ukey"
        try UKEYFile.write(component: try component(), pin: pin("right-pin"), to: path, iterations: testIterations)
        let msg = assertCeremonyError(.wrongPIN) { _ = try UKEYFile.openComponent(path, pin: pin("wrong-pin")) }
        XCTAssertTrue(msg.contains("4 tries left"), msg)
        XCTAssertEqual(try UKEYFile.status(path).failedTries, 1)
        assertCeremonyError(.wrongPIN) { _ = try UKEYFile.openComponent(path, pin: pin("wrong-pin")) }
        XCTAssertEqual(try UKEYFile.status(path).failedTries, 2)
        _ = try UKEYFile.openComponent(path, pin: pin("right-pin"))
        XCTAssertEqual(try UKEYFile.status(path).failedTries, 0)
    }

    /// Wrong PINs tried at the same moment (threads here; processes take the same lock) are
    /// each counted: the read-count-write of the try counter is serialised.
    func testConcurrentWrongPINsAreEachCounted() throws {
        let path = dir + "/race.ukey"
        try UKEYFile.write(component: try component(), pin: pin("1234-abcd"), to: path, iterations: 20_000)
        let n = 4
        let group = DispatchGroup()
        let results = ResultBox()
        for i in 0..<n {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do { _ = try UKEYFile.openComponent(path, pin: pin("wrong-\(i)")) } catch let e as CeremonyError {
                    results.add(e.code)
                } catch {}
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(results.codes.count, n)
        XCTAssertTrue(results.codes.allSatisfy { $0 == .wrongPIN })
        XCTAssertEqual(try UKEYFile.status(path).failedTries, n, "every concurrent wrong PIN is counted")
        XCTAssertEqual(try UKEYFile.status(path).triesLeft, UKEYFile.maxTries - n)
    }

    func testLocksAfterFiveWrongPINsAndRefusesRightPIN() throws {
        let path = dir + "/c.ukey"
        try UKEYFile.write(component: try component(), pin: pin("right-pin"), to: path, iterations: testIterations)
        for _ in 1...4 {
            assertCeremonyError(.wrongPIN) { _ = try UKEYFile.openComponent(path, pin: pin("bad-pin")) }
        }
        assertCeremonyError(.ukeyLocked) { _ = try UKEYFile.openComponent(path, pin: pin("bad-pin")) }
        let st = try UKEYFile.status(path)
        XCTAssertTrue(st.locked)
        XCTAssertEqual(st.triesLeft, 0)
        XCTAssertTrue(st.description.contains("LOCKED"))
        let msg = assertCeremonyError(.ukeyLocked) { _ = try UKEYFile.openComponent(path, pin: pin("right-pin")) }
        XCTAssertTrue(msg.contains("locked"))
        XCTAssertEqual(try UKEYFile.status(path).failedTries, 5, "a locked UKEY is not tried any more")
    }

    func testTamperedPublicPartOrCiphertextIsDetected() throws {
        let path = dir + "/c.ukey"
        try UKEYFile.write(component: try component(1), pin: pin("right-pin"), to: path, iterations: testIterations)
        let original = try String(contentsOfFile: path, encoding: .utf8)
        // Changing the index (public part, bound as AAD) breaks the tag.
        let t1 = original.replacingOccurrences(of: "\"index\" : 1", with: "\"index\" : 2")
        XCTAssertNotEqual(t1, original)
        try t1.write(toFile: path, atomically: true, encoding: .utf8)
        assertCeremonyError(.wrongPIN) { _ = try UKEYFile.openComponent(path, pin: pin("right-pin")) }
        // Flipping a ciphertext digit breaks the tag too.
        let data = try JSONSerialization.jsonObject(with: Data(original.utf8)) as! [String: Any]
        let cipher = data["cipher"] as! [String: Any]
        let ct = cipher["ciphertext"] as! String
        let flipped = (ct.first == "0" ? "1" : "0") + ct.dropFirst()
        try original.replacingOccurrences(of: ct, with: flipped).write(toFile: path, atomically: true, encoding: .utf8)
        assertCeremonyError(.wrongPIN) { _ = try UKEYFile.openComponent(path, pin: pin("right-pin")) }
        // Garbage is a format error, not a crash.
        try "{not json".write(toFile: path, atomically: true, encoding: .utf8)
        assertCeremonyError(.ukeyFormat) { _ = try UKEYFile.status(path) }
    }

    func testPINRules() throws {
        assertCeremonyError(.badRequest) {
            try UKEYFile.write(component: try self.component(), pin: pin("12"), to: self.dir + "/x", iterations: testIterations)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/x"))
    }

    func testDefaultIterationsAreSlow() {
        XCTAssertGreaterThanOrEqual(UKEYFile.defaultIterations, 200_000)
    }

    func testShamirAnyKOfNRecoversAndFewerDoNot() throws {
        let secret = try CeremonyCrypto.random(32)
        let shares = try CeremonyCrypto.shamirSplit(secret: secret, threshold: 3, count: 5)
        XCTAssertEqual(try CeremonyCrypto.shamirCombine([shares[4], shares[0], shares[2]]), secret)
        XCTAssertEqual(try CeremonyCrypto.shamirCombine([shares[1], shares[3], shares[2]]), secret)
        XCTAssertNotEqual(try CeremonyCrypto.shamirCombine([shares[1], shares[3]]), secret)
    }
}

/// Collects error codes from several threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [CeremonyError.Code] = []
    func add(_ c: CeremonyError.Code) { lock.lock(); stored.append(c); lock.unlock() }
    var codes: [CeremonyError.Code] { lock.lock(); defer { lock.unlock() }; return stored }
}
