import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit

/// CA, CC, TI, JE, JG, BA, NG through the typed API.
final class TypedPINTests: TypedTestCase {
    let k1 = "0123456789ABCDEFFEDCBA9876543210", k2 = "89ABCDEF0123456776543210FEDCBA98"

    /// [LB] CC: ZPK (T) -> ZPK (U), ISO 1 -> ISO 0, account 000001000376: DBEEBF06C9ED0A48.
    func testTranslateZPKtoZPKPublished() throws {
        let r = try client.translatePIN(fromZPK: KeyField(text: "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1")!,
                                        toZPK: KeyField(text: "U247078713614BE11F819054C5FFB08FF")!,
                                        pinBlock: bytes("F2B66A1070EADC47"), sourceFormat: .iso1, destinationFormat: .iso0,
                                        account: "000001000376", maxPINLength: 6)
        XCTAssertEqual(Hex.string(r.pinBlock), "DBEEBF06C9ED0A48")
        XCTAssertEqual(r.format, .iso0)
        XCTAssertTrue((4...6).contains(r.pinLength))
    }

    func testTranslateTPKtoZPKThereAndBack() throws {
        let tpk = try underLMK(k1, .tpk, .doubleVariant)
        let zpk = try underLMK(k2, .zpk, .doubleVariant)
        let acct = "123456789012"
        for (sf, df) in [(PINBlockFormat.iso0, PINBlockFormat.iso3), (.iso3, .iso1), (.iso1, .ibm3624), (.ibm3624, .iso0)] {
            let b = try pinBlock("98765", account: acct, format: sf.rawValue, key: k1, cipher: .des)
            let r = try client.translatePIN(fromTPK: tpk, toZPK: zpk, pinBlock: b, sourceFormat: sf, destinationFormat: df, account: acct)
            XCTAssertEqual(r.pinLength, 5)
            XCTAssertEqual(r.format, df)
            XCTAssertEqual(try openPINBlock(r.pinBlock, account: acct, format: df.rawValue, key: k2, cipher: .des), [9, 8, 7, 6, 5], "\(sf)->\(df)")
        }
        let b = try pinBlock("123456", account: acct, format: 1, key: k1, cipher: .des)
        assertCode(24, "translate PIN TPK to ZPK (CA)") {
            _ = try client.translatePIN(fromTPK: tpk, toZPK: zpk, pinBlock: b, sourceFormat: .iso0, destinationFormat: .iso0, account: acct, maxPINLength: 4)
        }
        // The TPK presented as a ZPK source (CC) does not decrypt: 10.
        assertCode(10) {
            _ = try client.translatePIN(fromZPK: tpk, toZPK: zpk, pinBlock: b, sourceFormat: .iso0, destinationFormat: .iso0, account: acct)
        }
        // A 32H block under a DES key: 15.
        assertCode(15) {
            _ = try client.translatePIN(fromTPK: tpk, toZPK: zpk, pinBlock: b + b, sourceFormat: .iso0, destinationFormat: .iso0, account: acct)
        }
    }

    /// TI: TPK (DES) -> ZPK (SM4, 32H block), another account on each side.
    func testTranslateTASSForm() throws {
        let tpk = try underLMK(k1, .tpk, .doubleVariant)
        let zpk = try underLMK(k2, .zpk, .sm4)
        let b = try pinBlock("24680", account: "111111111111", format: 1, key: k1, cipher: .des)
        let r = try client.translatePIN(from: .tpk(tpk), to: .zpk(zpk), pinBlock: b, sourceFormat: .iso0, sourceAccount: "111111111111",
                                        destinationFormat: .iso3, destinationAccount: "222222222222")
        XCTAssertEqual(r.count, 16)
        XCTAssertEqual(try openPINBlock(r, account: "222222222222", format: 47, key: k2, cipher: .sm4), [2, 4, 6, 8, 0])
        assertCode(10) {
            _ = try client.translatePIN(from: .zpk(tpk), to: .zpk(zpk), pinBlock: b, sourceFormat: .iso0, sourceAccount: "111111111111",
                                        destinationFormat: .iso0, destinationAccount: "222222222222")
        }
    }

    /// [KAT] ISO 9564 format 0, PIN 1234, account 987654321098 (clear block 0412AC89ABCDEF67)
    /// under a single DES ZPK -> JE -> NG gives 1234; JG gives the same block back.
    func testPINBlockToLMKAndBack() throws {
        let zpk = try underLMK("0123456789ABCDEF", .zpk, .singleDES)
        let acct = "987654321098"
        let block = try Prim.crypt(.des, key: bytes("0123456789ABCDEF"), data: bytes("0412AC89ABCDEF67"), encrypt: true)
        let lmk = try client.pinBlockToLMK(zpk: zpk, pinBlock: block, format: .iso0, account: acct)
        XCTAssertEqual(lmk.count, 8)
        XCTAssertEqual(try client.decryptPIN(lmk, account: acct), "1234")
        XCTAssertEqual(try client.pinLMKToBlock(zpk: zpk, pinUnderLMK: lmk, format: .iso0, account: acct), block)
        // Another account does not decrypt the PIN under LMK: 20.
        assertCode(20, "decrypt PIN (NG)") { _ = try client.decryptPIN(lmk, account: "000000000001") }
        // The block under the wrong format code does not decode: 20.
        assertCode(20) { _ = try client.pinBlockToLMK(zpk: zpk, pinBlock: block, format: .ibm3624, account: acct) }
    }

    func testEncryptDecryptPIN() throws {
        let acct = "400000123456"
        for pin in ["1234", "987654", "123456789012"] {
            let lmk = try client.encryptPIN(pin, account: acct)
            XCTAssertEqual(lmk, try PINBlock.encryptUnderLMK(try device.currentKeysForTests(), pin: pin.utf8.map { $0 - 0x30 }, account: acct))
            XCTAssertEqual(try client.decryptPIN(lmk, account: acct), pin)
            XCTAssertEqual(try client.decryptPINDigits(lmk, account: acct), Array(pin.utf8))
        }
        // SM4 ZPK: JG gives a 32H (16-byte) block that opens to the PIN.
        let zpk = try underLMK(k2, .zpk, .sm4)
        let lmk = try client.encryptPIN("5555", account: acct)
        let b = try client.pinLMKToBlock(zpk: zpk, pinUnderLMK: lmk, format: .iso0, account: acct)
        XCTAssertEqual(b.count, 16)
        XCTAssertEqual(try openPINBlock(b, account: acct, format: 1, key: k2, cipher: .sm4), [5, 5, 5, 5])
    }

    /// Error messages name the command, never the PIN.
    func testMessagesCarryNoSecrets() throws {
        let lmk = try client.encryptPIN("8642", account: "400000123456")
        do {
            _ = try client.decryptPIN(lmk, account: "400000123457")
            XCTFail("decrypted under another account")
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, 20)
            XCTAssertFalse(e.message.contains("8642"))
            XCTAssertFalse(e.message.contains(Hex.string(lmk)))
        }
        assertInvalid("PIN must be 4 to 12 decimal digits") { _ = try client.encryptPIN("86a2", account: "400000123456") }
    }

    /// The account and clear-PIN rules live once, here in the typed layer (the C layer only
    /// converts): tests/typed/typed.c sends the same bad values through the C API and gets
    /// the same CACIPHER_E_INVALID_ARG with the same words. Nothing reaches the wire.
    func testAccountAndPINRulesAreTheTypedLayers() throws {
        let zpk = KeyField.stored(index: 1)
        let block = [UInt8](repeating: 0x11, count: 8)
        let lmk = [UInt8](repeating: 0x22, count: 8)
        for bad in ["98765432109", "9876543210987", "98765432109x", ""] {
            assertInvalid("account must be 12 decimal digits") { _ = try client.encryptPIN("1234", account: bad) }
            assertInvalid("account must be 12 decimal digits") { _ = try client.decryptPINDigits(lmk, account: bad) }
            assertInvalid("account must be 12 decimal digits") {
                _ = try client.pinBlockToLMK(zpk: zpk, pinBlock: block, format: .iso0, account: bad)
            }
            assertInvalid("account must be 12 decimal digits") {
                _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: block, sourceFormat: .iso0,
                                            destinationFormat: .iso0, account: bad, maxPINLength: 12)
            }
        }
        for bad in ["123", "12a4", "1234567890123"] {
            assertInvalid("PIN must be 4 to 12 decimal digits") { _ = try client.encryptPIN(bad, account: "400000123456") }
        }
    }

    /// With every log category on, no line carries a clear PIN, a PIN under LMK or a PIN block.
    func testLogsCarryNoPINs() throws {
        let sink = RecordingSink()
        var c = client.config
        c.logger.categories = [.error, .warn, .info, .debug, .trace]
        let logged = CACipherClient(config: c, logSink: sink)
        defer { logged.close() }
        let acct = "400000123456"
        let lmk = try logged.encryptPIN("73915", account: acct)
        XCTAssertEqual(try logged.decryptPIN(lmk, account: acct), "73915")
        let zpk = try underLMK(k2, .zpk, .doubleVariant)
        let block = try logged.pinLMKToBlock(zpk: zpk, pinUnderLMK: lmk, format: .iso0, account: acct)
        _ = try? logged.decryptPIN(lmk, account: "400000123457")
        XCTAssertFalse(sink.lines.isEmpty)
        for (_, line) in sink.lines {
            XCTAssertFalse(line.contains("73915"), line)
            XCTAssertFalse(line.contains(Hex.string(lmk)), line)
            XCTAssertFalse(line.contains(Hex.string(block)), line)
        }
    }
}
