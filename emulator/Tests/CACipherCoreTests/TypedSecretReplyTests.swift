import XCTest
@testable import CACipherCore
import HostProtocol

/// The typed calls whose reply (or request) carries clear data zero their exchange buffers
/// once the result is decoded (docs/hardening.md, "Secrets"): the reply buffer of `M2`,
/// `S4`, `E0` and `E4`, observed through `TypedCommand.secretReplyWiped` (evsm, test LMK).
final class TypedSecretReplyTests: TypedTestCase {
    private var seen: [[UInt8]] = []

    override func setUpWithError() throws {
        try super.setUpWithError()
        seen = []
        TypedCommand.secretReplyWiped = { [unowned self] in self.seen.append($0) }
    }

    override func tearDownWithError() throws {
        TypedCommand.secretReplyWiped = nil
        try super.tearDownWithError()
    }

    /// Runs `call`, which must return `plain`, and checks that exactly one secret reply buffer
    /// was zeroed: all of it (response code, error code, the clear data), after the result
    /// was decoded from it.
    private func assertWiped(_ command: String, plain: [UInt8], _ call: () throws -> [UInt8],
                             file: StaticString = #filePath, line: UInt = #line) throws {
        seen = []
        XCTAssertEqual(try call(), plain, command, file: file, line: line)
        XCTAssertEqual(seen.count, 1, "\(command): the reply buffer was not zeroed", file: file, line: line)
        for b in seen {
            XCTAssertGreaterThan(b.count, 4 + plain.count - 1, command, file: file, line: line)
            XCTAssertTrue(b.allSatisfy { $0 == 0 }, "\(command): reply buffer not all zero", file: file, line: line)
        }
    }

    func testM2ClearDataReplyIsZeroed() throws {
        let des = try underLMK("0123456789ABCDEF", .dek, .singleDES)
        let plain = Array("clear data 16 b.".utf8)
        let c = try client.encryptData(key: des, mode: .ecb, data: plain).data
        try assertWiped("M2", plain: plain) { try client.decryptData(key: des, mode: .ecb, data: c).data }
    }

    func testS4ClearDataReplyIsZeroed() throws {
        let sm4 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zek, .sm4)
        let plain = bytes("0123456789ABCDEFFEDCBA9876543210")
        let c = try client.icEncrypt(ICCipherKey(key: sm4, padding: .none), data: plain)
        try assertWiped("S4", plain: plain) { try client.icDecrypt(ICCipherKey(key: sm4, padding: .none), data: c) }
    }

    func testE0DecryptReplyIsZeroed() throws {
        let k = try underLMK("0123456789ABCDEF", .zek, .singleDES)
        let plain = Array("Now is the time for all ".utf8)
        let c = try client.racalEncryptData(key: k, mode: .ecb, data: plain, padded: false).data
        try assertWiped("E0", plain: plain) { try client.racalDecryptData(key: k, mode: .ecb, data: c, padded: false).data }
    }

    /// The encrypting side's request carries the clear data: its exchange is `secret` too
    /// (the reply, a cryptogram, is zeroed with it).
    func testM0AndS3ExchangesAreSecret() throws {
        let des = try underLMK("0123456789ABCDEF", .dek, .singleDES)
        seen = []
        _ = try client.encryptData(key: des, mode: .ecb, data: [UInt8](repeating: 7, count: 8))
        XCTAssertEqual(seen.count, 1, "M0")
        let sm4 = try underLMK("0123456789ABCDEFFEDCBA9876543210", .zek, .sm4)
        seen = []
        _ = try client.icEncrypt(ICCipherKey(key: sm4, padding: .none), data: [UInt8](repeating: 7, count: 16))
        XCTAssertEqual(seen.count, 1, "S3")
    }
}
