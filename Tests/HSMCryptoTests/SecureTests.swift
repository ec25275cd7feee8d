@testable import HSMCrypto
import XCTest

final class SecureTests: XCTestCase {
    func testRandomBytesLengthAndVariety() throws {
        XCTAssertEqual(try Random.bytes(0), [])
        let a = try Random.bytes(32), b = try Random.bytes(32)
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a, b)
        assertThrows(.invalidArgument("random length"), try Random.bytes(-1))
    }

    func testWipe() {
        var b: [UInt8] = [1, 2, 3, 255]
        SecureBytes.wipe(&b)
        XCTAssertEqual(b, [0, 0, 0, 0])
        var e: [UInt8] = []
        SecureBytes.wipe(&e)
        XCTAssertEqual(e, [])
    }

    func testEqual() {
        XCTAssertTrue(Secure.equal([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(Secure.equal([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(Secure.equal([1, 2, 3], [1, 2]))
        XCTAssertTrue(Secure.equal([], []))
    }

    func testHex() {
        XCTAssertEqual(Hex.encode([0x01, 0xAB, 0xff]), "01ABFF")
        XCTAssertEqual(Hex.decode("01abFF"), [0x01, 0xAB, 0xFF])
        XCTAssertNil(Hex.decode("0"))
        XCTAssertNil(Hex.decode("0G"))
    }

    // DES parity: 0123456789ABCDEF has odd parity bytes; 0x00 does not.
    func testDESParity() {
        XCTAssertTrue(DES.hasOddParity(h("0123456789ABCDEF")))
        XCTAssertFalse(DES.hasOddParity(h("0023456789ABCDEF")))
        XCTAssertFalse(DES.hasOddParity([]))
        XCTAssertEqual(DES.adjustParity(h("0022446688AACCEE")), h("0123456789ABCDEF"))
        XCTAssertEqual(DES.adjustParity(h("0123456789ABCDEF")), h("0123456789ABCDEF"))
        let adjusted = DES.adjustParity([0x00, 0xFF, 0x7E, 0x80])
        XCTAssertEqual(adjusted, [0x01, 0xFE, 0x7F, 0x80])
        XCTAssertTrue(DES.hasOddParity(adjusted))
    }
}
