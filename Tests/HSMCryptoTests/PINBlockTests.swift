@testable import HSMCrypto
import XCTest

final class PINBlockTests: XCTestCase {
    // public-kat.json iso9564_format0: PIN 1234, PAN 43219876543210987 -> 0412AC89ABCDEF67.
    func testFormat0KnownAnswer() throws {
        let acct = try PINBlock.accountField(pan: "43219876543210987")
        XCTAssertEqual(acct, "987654321098")
        let block = try PINBlock.build(format: .iso0, pin: a("1234"), accountField: acct)
        XCTAssertEqual(block, h("0412AC89ABCDEF67"))
        XCTAssertEqual(try PINBlock.extract(format: .iso0, block: block, accountField: acct), a("1234"))
    }

    // wire.md PIN block format codes.
    func testFormatCodes() {
        XCTAssertEqual(PINBlock.Format(code: 1), .iso0)
        XCTAssertEqual(PINBlock.Format(code: 3), .ibm3624)
        XCTAssertEqual(PINBlock.Format(code: 5), .iso1)
        XCTAssertEqual(PINBlock.Format(code: 47), .iso3)
        XCTAssertNil(PINBlock.Format(code: 2))
        for f in PINBlock.Format.allCases { XCTAssertEqual(PINBlock.Format(code: f.code), f) }
    }

    func testAccountField() throws {
        XCTAssertEqual(try PINBlock.accountField(pan: "4000001234567899"), "000123456789")
        XCTAssertEqual(try PINBlock.accountField(pan: "12345678"), "000001234567")
        XCTAssertEqual(try PINBlock.accountField(pan: "1234567890123456789"), "789012345678")
        assertThrows(.invalidAccountNumber, try PINBlock.accountField(pan: "12345678901234567890"))
        assertThrows(.invalidAccountNumber, try PINBlock.accountField(pan: "1234A678"))
        assertThrows(.invalidAccountNumber, try PINBlock.accountField(pan: ""))
    }

    func testRoundTripsAllFormatsAndLengths() throws {
        let acct = "987654321098"
        for format in PINBlock.Format.allCases {
            for len in 4...12 {
                let pin = a(String("019283746501928".prefix(len)))
                let block = try PINBlock.build(format: format, pin: pin, accountField: acct)
                XCTAssertEqual(block.count, 8)
                XCTAssertEqual(try PINBlock.extract(format: format, block: block, accountField: acct), pin, "\(format) \(len)")
            }
        }
    }

    // Format 1 and 3 fill is random; format 3 fill nibbles are A-F.
    func testFormat1And3Fill() throws {
        let acct = "000000000000"
        let b1 = try PINBlock.build(format: .iso1, pin: a("1234"), accountField: nil)
        let b1b = try PINBlock.build(format: .iso1, pin: a("1234"), accountField: nil)
        XCTAssertEqual(b1[0], 0x14)
        XCTAssertEqual(Array(b1[1..<3]), [0x12, 0x34])
        XCTAssertNotEqual(b1, b1b) // 40 random bits of fill
        let b3 = try PINBlock.build(format: .iso3, pin: a("1234"), accountField: acct)
        XCTAssertEqual(b3[0], 0x34)
        for byte in b3[3...] { XCTAssertGreaterThanOrEqual(byte >> 4, 0xA); XCTAssertGreaterThanOrEqual(byte & 0xF, 0xA) }
    }

    // IBM 3624: PIN then pad character.
    func testIBM3624() throws {
        XCTAssertEqual(try PINBlock.build(format: .ibm3624, pin: a("1234")), h("1234FFFFFFFFFFFF"))
        XCTAssertEqual(try PINBlock.build(format: .ibm3624, pin: a("123456"), pad: 0xD), h("123456DDDDDDDDDD"))
        XCTAssertEqual(try PINBlock.extract(format: .ibm3624, block: h("123456DDDDDDDDDD"), pad: 0xD), a("123456"))
        assertThrows(.pinBlockFillInvalid, try PINBlock.extract(format: .ibm3624, block: h("123456DDDDDDDDDD")))
        assertThrows(.pinBlockLengthInvalid, try PINBlock.extract(format: .ibm3624, block: h("123FFFFFFFFFFFFF")))
        assertThrows(.pinBlockLengthInvalid, try PINBlock.extract(format: .ibm3624, block: h("1234567890123FFF")))
        assertThrows(.invalidArgument("IBM 3624 pad character"), try PINBlock.build(format: .ibm3624, pin: a("1234"), pad: 5))
    }

    func testBadPINRejected() {
        assertThrows(.invalidPIN, try PINBlock.build(format: .iso0, pin: a("123"), accountField: "987654321098"))
        assertThrows(.invalidPIN, try PINBlock.build(format: .iso0, pin: a("1234567890123"), accountField: "987654321098"))
        assertThrows(.invalidPIN, try PINBlock.build(format: .iso0, pin: a("12a4"), accountField: "987654321098"))
        assertThrows(.invalidAccountNumber, try PINBlock.build(format: .iso0, pin: a("1234"), accountField: "98765432109"))
        assertThrows(.invalidAccountNumber, try PINBlock.build(format: .iso3, pin: a("1234"), accountField: nil))
    }

    func testBadBlocksRejectedWithDistinctErrors() {
        let acct = "000000000000" // zero account field: block == PIN field
        assertThrows(.pinBlockSizeInvalid, try PINBlock.extract(format: .iso0, block: h("041234FFFFFFFF"), accountField: acct))
        assertThrows(.pinBlockControlMismatch, try PINBlock.extract(format: .iso0, block: h("141234FFFFFFFFFF"), accountField: acct))
        assertThrows(.pinBlockControlMismatch, try PINBlock.extract(format: .iso3, block: h("041234FFFFFFFFFF"), accountField: acct))
        assertThrows(.pinBlockLengthInvalid, try PINBlock.extract(format: .iso0, block: h("03123FFFFFFFFFFF"), accountField: acct))
        assertThrows(.pinBlockLengthInvalid, try PINBlock.extract(format: .iso0, block: h("0D1234567890123F"), accountField: acct))
        assertThrows(.pinBlockNonDecimalDigit, try PINBlock.extract(format: .iso0, block: h("04123AFFFFFFFFFF"), accountField: acct))
        assertThrows(.pinBlockFillInvalid, try PINBlock.extract(format: .iso0, block: h("041234FFFFFFFFFE"), accountField: acct))
        assertThrows(.pinBlockFillInvalid, try PINBlock.extract(format: .iso3, block: h("341234ABCDEF9ABC"), accountField: acct))
        XCTAssertEqual(try PINBlock.extract(format: .iso3, block: h("341234ABCDEFFABC"), accountField: acct), a("1234"))
        // Wrong account number turns a good format 0 block into a bad one.
        XCTAssertThrowsError(try PINBlock.extract(format: .iso0, block: h("0412AC89ABCDEF67"), accountField: "111111111111"))
    }

    // ISO 9564-1 format 4 vectors as published with two independent open-source
    // implementations (psec, Python; paysec, Rust): AES-128 key 00112233..EEFF.
    func testFormat4KnownAnswers() throws {
        let c = try BlockCipher(algorithm: .aes128, key: h("00112233445566778899AABBCCDDEEFF"))
        // Random half fixed to FF..FF.
        XCTAssertEqual(try PINBlock.encipherFormat4(pin: a("1234"), pan: "1234567890123456789", cipher: c, randomFill: [UInt8](repeating: 0xFF, count: 8)),
                       h("28B41FDDD29B743E93124BD8E32D921E"))
        XCTAssertEqual(try PINBlock.decipherFormat4(h("28B41FDDD29B743E93124BD8E32D921E"), pan: "1234567890123456789", cipher: c), a("1234"))
        XCTAssertEqual(try PINBlock.decipherFormat4(h("52DB178C6EDCE52E3A70F7FBC8E9C758"), pan: "1234567890123456", cipher: c), a("1234"))
        XCTAssertEqual(try PINBlock.decipherFormat4(h("847A0209C659E4C4A79CA6A2A2217D31"), pan: "123456789012345678", cipher: c), a("123456"))
        XCTAssertEqual(try PINBlock.decipherFormat4(h("018BFEC8B5EF60181A327AD8325A2BA4"), pan: "1234567890123456789", cipher: c), a("12345678"))
    }

    func testFormat4RoundTripSM4AndErrors() throws {
        let c = try BlockCipher(algorithm: .sm4, key: try Random.bytes(16))
        let b1 = try PINBlock.encipherFormat4(pin: a("987654"), pan: "987654321098", cipher: c)
        let b2 = try PINBlock.encipherFormat4(pin: a("987654"), pan: "987654321098", cipher: c)
        XCTAssertNotEqual(b1, b2) // random half
        XCTAssertEqual(try PINBlock.decipherFormat4(b1, pan: "987654321098", cipher: c), a("987654"))
        // Wrong PAN fails validation (garbage PIN field).
        XCTAssertThrowsError(try PINBlock.decipherFormat4(b1, pan: "987654321099", cipher: c))
        assertThrows(.pinBlockSizeInvalid, try PINBlock.decipherFormat4(Array(b1[0..<8]), pan: "987654321098", cipher: c))
        let des = try BlockCipher(algorithm: .des, key: h("0123456789ABCDEF"))
        assertThrows(.unsupported("format 4 needs a 128-bit block cipher"), try PINBlock.encipherFormat4(pin: a("1234"), pan: "1", cipher: des))
        assertThrows(.invalidAccountNumber, try PINBlock.encipherFormat4(pin: a("1234"), pan: "12345678901234567890", cipher: c))
        // Control nibble check: encrypt a format-0-like field with the format 4 procedure.
        let panField = try PINBlock.format4PANField("987654321098")
        var a1 = try c.encryptECB(h("341234AAAAAAAAAA0000000000000000"))
        for i in 0..<16 { a1[i] ^= panField[i] }
        assertThrows(.pinBlockControlMismatch, try PINBlock.decipherFormat4(try c.encryptECB(a1), pan: "987654321098", cipher: c))
        var a2 = try c.encryptECB(h("441234AAAAAAAAAB0000000000000000"))
        for i in 0..<16 { a2[i] ^= panField[i] }
        assertThrows(.pinBlockFillInvalid, try PINBlock.decipherFormat4(try c.encryptECB(a2), pan: "987654321098", cipher: c))
    }
}

final class WidePINBlockTests: XCTestCase {
    // 16-byte project layout: format-0 KAT block followed by FF x 8.
    func testWideFormat0() throws {
        let acct = "987654321098"
        let wide = try PINBlock.buildWide(format: .iso0, pin: a("1234"), accountField: acct)
        XCTAssertEqual(wide, h("0412AC89ABCDEF67FFFFFFFFFFFFFFFF"))
        XCTAssertEqual(try PINBlock.extractWide(format: .iso0, block: wide, accountField: acct), a("1234"))
        for format in PINBlock.Format.allCases {
            let b = try PINBlock.buildWide(format: format, pin: a("24681357"), accountField: acct)
            XCTAssertEqual(try PINBlock.extractWide(format: format, block: b, accountField: acct), a("24681357"))
        }
    }

    func testWideErrors() {
        let acct = "987654321098"
        assertThrows(.pinBlockFillInvalid, try PINBlock.extractWide(format: .iso0, block: h("0412AC89ABCDEF67FFFFFFFFFFFFFF00"), accountField: acct))
        assertThrows(.pinBlockSizeInvalid, try PINBlock.extractWide(format: .iso0, block: h("0412AC89ABCDEF67"), accountField: acct))
        assertThrows(.pinBlockControlMismatch, try PINBlock.extractWide(format: .iso0, block: h("1412AC89ABCDEF67FFFFFFFFFFFFFFFF"), accountField: acct))
    }
}
