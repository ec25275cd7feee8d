import XCTest
@testable import CACipherCore
import HostProtocol

/// Bad arguments are refused with `.invalidArgument` naming the argument, before anything
/// goes on the wire (the group counts no reply).
final class TypedArgumentTests: TypedTestCase {
    func testKeyArguments() throws {
        let short = KeyField.encrypted(scheme: .doubleVariant, material: [1, 2, 3])
        assertInvalid("ZMK") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, exportUnder: short) }
        assertInvalid("export scheme needs a ZMK") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, exportScheme: .sm4) }
        assertInvalid("store index 0") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 0, label: "")) }
        assertInvalid("store index 10000") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 10_000, label: "")) }
        assertInvalid("label") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 1, label: String(repeating: "a", count: 100))) }
        assertInvalid("label") { _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 1, label: "tab\there")) }
        assertInvalid("key under ZMK") { _ = try client.importKey(type: .zpk, zmk: zmk, keyUnderZMK: .stored(index: 1), scheme: .doubleVariant) }
        assertInvalid("key index 0") { _ = try client.exportKey(type: .zpk, zmk: zmk, key: .stored(index: 0), scheme: .doubleVariant) }
        assertInvalid("1 components") { _ = try client.formKey(type: .zmk, scheme: .doubleVariant, components: [zmk]) }
        assertInvalid("10 components") { _ = try client.formKey(type: .zmk, scheme: .doubleVariant, components: Array(repeating: zmk, count: 10)) }
        assertInvalid("key") { _ = try client.keyCheckValue(type: .zpk, key: short) }
        XCTAssertEqual(completed, 0)
    }

    func testPINArguments() throws {
        let zpk = KeyField(text: "U247078713614BE11F819054C5FFB08FF")!
        let block = [UInt8](repeating: 0, count: 8)
        assertInvalid("account") {
            _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: block, sourceFormat: .iso0, destinationFormat: .iso0, account: "12345678901")
        }
        assertInvalid("account") {
            _ = try client.translatePIN(fromTPK: zpk, toZPK: zpk, pinBlock: block, sourceFormat: .iso0, destinationFormat: .iso0, account: "12345678901a")
        }
        assertInvalid("PIN block") {
            _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: [1, 2, 3], sourceFormat: .iso0, destinationFormat: .iso0, account: "123456789012")
        }
        assertInvalid("maximum PIN length 13") {
            _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: block, sourceFormat: .iso0, destinationFormat: .iso0, account: "123456789012", maxPINLength: 13)
        }
        assertInvalid("destination account") {
            _ = try client.translatePIN(from: .tpk(zpk), to: .zpk(zpk), pinBlock: block, sourceFormat: .iso0, sourceAccount: "123456789012",
                                        destinationFormat: .iso0, destinationAccount: "1")
        }
        assertInvalid("PIN under LMK") { _ = try client.pinLMKToBlock(zpk: zpk, pinUnderLMK: [1], format: .iso0, account: "123456789012") }
        assertInvalid("PIN block") { _ = try client.pinBlockToLMK(zpk: zpk, pinBlock: [UInt8](repeating: 0, count: 12), format: .iso0, account: "123456789012") }
        assertInvalid("PIN must be 4 to 12") { _ = try client.encryptPIN("123", account: "123456789012") }
        assertInvalid("PIN must be 4 to 12") { _ = try client.encryptPIN("1234567890123", account: "123456789012") }
        assertInvalid("account") { _ = try client.encryptPIN("1234", account: "") }
        assertInvalid("PIN under LMK") { _ = try client.decryptPIN([], account: "123456789012") }
        XCTAssertEqual(completed, 0)
    }

    /// The value rules the C layer leaves to the typed layer (tests/typed/typed.c,
    /// test_value_rules_once, gives the same bad values through the C API): the same code
    /// and words, and `CACipherError.argument` names the argument the C layer maps to its own.
    func testValueRulesLiveOnceInTheTypedLayer() throws {
        let zpk = KeyField(text: "U247078713614BE11F819054C5FFB08FF")!
        let mdk = zpk
        let acct = "123456789012"
        func refused(_ argument: String, _ words: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
            assertInvalid(words, file: file, line: line, body)
            do { try body() } catch let e as CACipherError {
                XCTAssertEqual(e.argument, argument, e.message, file: file, line: line)
            } catch { XCTFail("unexpected \(error)", file: file, line: line) }
        }
        for bad in [[UInt8](repeating: 0, count: 7), [UInt8](repeating: 0, count: 12)] {
            refused("PIN block", "PIN block must be 8 bytes (DES keys) or 16 bytes (SM4/AES keys)") {
                _ = try client.pinBlockToLMK(zpk: zpk, pinBlock: bad, format: .iso0, account: acct)
            }
            refused("PIN block", "PIN block must be 8 bytes") {
                _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: bad, sourceFormat: .iso0, destinationFormat: .iso0, account: acct)
            }
        }
        refused("PIN under LMK", "PIN under LMK must be 8 bytes, got 10") {
            _ = try client.pinLMKToBlock(zpk: zpk, pinUnderLMK: [UInt8](repeating: 1, count: 10), format: .iso0, account: acct)
        }
        refused("PIN under LMK", "PIN under LMK must be 8 bytes, got 4") { _ = try client.generatePVV(pvk: zpk, pinUnderLMK: [1, 2, 3, 4], account: acct, pvki: 0) }
        refused("maximum PIN length", "maximum PIN length 13 is out of range (4 to 12)") {
            _ = try client.translatePIN(fromZPK: zpk, toZPK: zpk, pinBlock: [UInt8](repeating: 0, count: 8), sourceFormat: .iso0,
                                        destinationFormat: .iso0, account: acct, maxPINLength: 13)
        }
        for pan in ["123456789012344", "123456789012344A", "12345678901234456"] {
            refused("PAN", "PAN must be 16 decimal digits") {
                _ = try client.verifyARQC(mdk: mdk, pan: pan, atc: [0, 1], data: [UInt8](repeating: 0, count: 16), arqc: [UInt8](repeating: 0, count: 8))
            }
        }
        refused("ATC", "ATC must be 2 bytes, got 3") {
            _ = try client.verifyARQC(mdk: mdk, pan: "1234567890123445", atc: [0, 1, 2], data: [UInt8](repeating: 0, count: 16), arqc: [UInt8](repeating: 0, count: 8))
        }
        refused("ARQC", "ARQC must be 8 bytes, got 4") {
            _ = try client.verifyARQC(mdk: mdk, pan: "1234567890123445", atc: [0, 1], data: [UInt8](repeating: 0, count: 16), arqc: [1, 2, 3, 4])
        }
        refused("new PIN block", "new PIN block must be 8 bytes") {
            _ = try client.offlinePIN(mdk: mdk, pan: "1234567890123445", atc: [0, 1], pinKey: zpk, pinKeyKind: .zpk, sourceFormat: .iso0,
                                      newPINBlock: [UInt8](repeating: 0, count: 7), account: acct)
        }
        refused("old PIN block", "old PIN block must have the size of the new one") {
            _ = try client.offlinePIN(mdk: mdk, pan: "1234567890123445", atc: [0, 1], pinKey: zpk, pinKeyKind: .zpk, sourceFormat: .iso0,
                                      newPINBlock: [UInt8](repeating: 0, count: 8), oldPINBlock: [UInt8](repeating: 0, count: 16), account: acct)
        }
        for index in [10_000, -1] {
            refused("store index", "is out of range (1 to 9999)") {
                _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: index, label: ""))
            }
        }
        refused("label", "label of 100 bytes is longer than 99") {
            _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 1, label: String(repeating: "a", count: 100)))
        }
        refused("label", "label must be printable ASCII") {
            _ = try client.generateKey(type: .zpk, scheme: .doubleVariant, storeAt: StoreTarget(index: 1, label: "tab\there"))
        }
        let zero16 = [UInt8](repeating: 0, count: 16)
        let shortIV: [UInt8] = [0x00, 0x11]
        refused("IV", "IV must be 8 bytes for this key, got 2") {
            _ = try client.generateMAC(key: zpk, keyType: .tak, algorithm: .alg3, padding: .none, data: zero16, part: .middle, iv: shortIV)
        }
        refused("IV", "IV must be 8 bytes for this key, got 2") { _ = try client.encryptData(key: zpk, keyType: .dek, mode: .cbc, iv: shortIV, data: zero16) }
        refused("IV", "IV must be 8 bytes for this key, got 2") { _ = try client.racalEncryptData(key: zpk, mode: .cbc, iv: shortIV, data: zero16) }
        refused("IV", "IV must be 8 bytes for this key, got 2") { _ = try client.zakTakMAC(key: zpk, keyType: .tak, data: zero16, iv: shortIV) }
        refused("IV", "IV must be 8 bytes for this key, got 2") {
            _ = try client.icEncrypt(ICCipherKey(key: zpk, mode: .cbc, padding: .pkcs5, iv: shortIV), data: zero16)
        }
        refused("source key IV", "source key IV must be 8 bytes for this key, got 2") {
            _ = try client.icTranslate(from: ICCipherKey(key: zpk, mode: .cbc, padding: .none, iv: shortIV), to: ICCipherKey(key: zpk, padding: .none), data: zero16)
        }
        let iv8 = [UInt8](repeating: 0, count: 8)
        refused("IV", "IV (the chaining value of the previous part) is required for this part") {
            _ = try client.generateMAC(key: zpk, keyType: .tak, algorithm: .alg3, padding: .none, data: zero16, part: .last)
        }
        refused("IV", "IV is only used for middle and last parts") {
            _ = try client.generateMAC(key: zpk, keyType: .tak, algorithm: .alg3, padding: .none, data: zero16, iv: iv8)
        }
        refused("IV", "CBC needs an IV") { _ = try client.encryptData(key: zpk, keyType: .dek, mode: .cbc, data: zero16) }
        refused("IV", "ECB takes no IV") { _ = try client.racalEncryptData(key: zpk, mode: .ecb, iv: iv8, data: zero16) }
        refused("IV", "key: ECB takes no IV") { _ = try client.icEncrypt(ICCipherKey(key: zpk, mode: .ecb, padding: .pkcs5, iv: iv8), data: zero16) }
        refused("destination key IV", "destination key: ECB takes no IV") {
            _ = try client.icTranslate(from: ICCipherKey(key: zpk, padding: .none), to: ICCipherKey(key: zpk, padding: .none, iv: iv8), data: zero16)
        }
        refused("MAC", "MAC must be 8 bytes for this MAC size, got 4") {
            _ = try client.verifyMAC(key: zpk, keyType: .tak, algorithm: .alg3, padding: .none, data: zero16, mac: [0x93, 0x4F, 0x05, 0x26])
        }
        let zmk = KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A")!
        refused("expected check value", "expected check value must be 8 bytes, got 1") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: zero16,
                                                    options: ICImportExtension(padding: 0, checkValue: [1]))
        }
        refused("IV", "CBC needs an IV of 8 or 16 bytes") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(mode: 1, keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: zero16,
                                                    options: ICImportExtension(padding: 0, iv: shortIV, checkValue: [UInt8](repeating: 1, count: 8)))
        }
        refused("public key", "public key must be 64 bytes (X || Y), got 63") {
            _ = try client.sm2Verify(publicKey: .value([UInt8](repeating: 0x11, count: 63)), data: zero16, signature: [UInt8](repeating: 0, count: 64))
        }
        refused("public key", "public key must be 64 bytes (X || Y), got 65") {
            _ = try client.sm2Encrypt(publicKey: .value([UInt8](repeating: 0x11, count: 65)), data: zero16)
        }
        refused("signature", "signature must be 64 bytes (r || s), got 1") {
            _ = try client.sm2Verify(publicKey: .stored(index: 1), data: zero16, signature: [1])
        }
        refused("private key index", "private key index 0 is out of range (1 to 9998)") { _ = try client.rsaSign(privateKey: .stored(index: 0), data: zero16) }
        refused("public key index", "public key index 9999 is out of range (1 to 9998)") {
            _ = try client.rsaVerify(publicKey: .stored(index: 9999), data: zero16, signature: [UInt8](repeating: 0, count: 128))
        }
        refused("RSA key index", "RSA key index 0 is out of range (1 to 9998)") { _ = try client.rsaPublicKey(index: 0) }
        for index in [0, 10_000] {
            refused("key index", "key index \(index) is out of range (1 to 9999)") { _ = try client.storedKeyInfo(index: index) }
        }
        refused("data", "data of 0 bytes is out of range (1 to 9999)") { _ = try client.sm2Encrypt(publicKey: .stored(index: 1), data: []) }
        refused("ciphertext", "ciphertext of 97 bytes is out of range (98 to 9999)") {
            _ = try client.sm2Decrypt(privateKey: .stored(index: 1), ciphertext: [UInt8](repeating: 0, count: 97))
        }
        refused("MAC part", "only the whole message or its last part can be verified") {
            _ = try client.verifyMAC(key: zpk, keyType: .tak, algorithm: .alg3, padding: .none, data: zero16, mac: [UInt8](repeating: 0, count: 8), part: .first)
        }
        refused("padding", "padding 100 is out of range (0 to 99)") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: zero16,
                                                    options: ICImportExtension(padding: 100, checkValue: [UInt8](repeating: 1, count: 8)))
        }
        refused("cryptogram", "cryptogram of 0 bytes is out of range (1 to 65535)") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: [])
        }
        refused("IV", "an IV is only sent in CBC mode") {
            _ = try client.importKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: zmk), type: .zmk, scheme: .doubleX917, cryptogram: zero16,
                                                    options: ICImportExtension(padding: 0, iv: [UInt8](repeating: 0, count: 8), checkValue: [UInt8](repeating: 1, count: 8)))
        }
        XCTAssertEqual(completed, 0)
    }

    func testMACAndDataArguments() throws {
        let tak = KeyField(text: "U90A17A99E4BA32475E692D7AAE177BBD")!
        let sm4 = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 1, count: 24))
        let sm4WithoutAuthenticator = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 1, count: 16))
        assertInvalid("scheme R under the LMK needs 24 bytes") { _ = try client.generateMAC(key: sm4WithoutAuthenticator, keyType: .zak, algorithm: .alg1, padding: .zeros, data: [1]) }
        assertInvalid("IV (the chaining value") { _ = try client.generateMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [1], part: .last) }
        assertInvalid("IV must be 8 bytes") { _ = try client.generateMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [1], part: .middle, iv: [1, 2]) }
        assertInvalid("IV must be 16 bytes") { _ = try client.generateMAC(key: sm4, keyType: .zak, algorithm: .alg1, padding: .zeros, data: [1], part: .last, iv: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("IV is only used") { _ = try client.generateMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [1], iv: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("send it in parts") { _ = try client.generateMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [UInt8](repeating: 0, count: 32_001)) }
        assertInvalid("MAC must be 8 bytes") { _ = try client.verifyMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [1], mac: [1, 2, 3, 4]) }
        assertInvalid("only the whole message or its last part") { _ = try client.verifyMAC(key: tak, algorithm: .alg3, padding: .zeros, data: [1], mac: [UInt8](repeating: 0, count: 8), part: .first) }
        assertInvalid("whole 8-byte blocks") { _ = try client.encryptData(key: tak, mode: .ecb, data: [1, 2, 3]) }
        assertInvalid("whole 16-byte blocks") { _ = try client.encryptData(key: sm4, mode: .ecb, data: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("whole 8-byte blocks") { _ = try client.decryptData(key: tak, mode: .ecb, data: []) }
        assertInvalid("CBC needs an IV") { _ = try client.encryptData(key: tak, mode: .cbc, data: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("ECB takes no IV") { _ = try client.encryptData(key: tak, mode: .ecb, iv: [UInt8](repeating: 0, count: 8), data: [UInt8](repeating: 0, count: 8)) }
        assertInvalid("IV must be 16 bytes") { _ = try client.decryptData(key: sm4, mode: .cbc, iv: [UInt8](repeating: 0, count: 8), data: [UInt8](repeating: 0, count: 16)) }
        XCTAssertEqual(completed, 0)
    }

    func testDeviceAndSM2Arguments() throws {
        assertInvalid("count 0") { _ = try client.random(count: 0) }
        assertInvalid("count 2049") { _ = try client.random(count: 2049) }
        assertInvalid("needs SM3") { _ = try client.hash([1], algorithm: .sha256, sm2PublicKey: [UInt8](repeating: 1, count: 64)) }
        assertInvalid("SM2 public key must be 64 bytes") { _ = try client.hash([1], algorithm: .sm3, sm2PublicKey: [UInt8](repeating: 1, count: 63)) }
        assertInvalid("a user id needs an SM2 public key") { _ = try client.hash([1], algorithm: .sm3, sm2UserID: [1]) }
        assertInvalid("data of 10000 bytes") { _ = try client.hash([UInt8](repeating: 0, count: 10_000), algorithm: .sm3) }
        assertInvalid("does not fit in a frame") { _ = try client.echo([UInt8](repeating: 0, count: 65_530)) }
        assertInvalid("private key under the LMK must be 1 to 2048 bytes") { _ = try client.sm2PublicKey(privateKey: .value([])) }
        assertInvalid("key index 0") { _ = try client.sm2Sign(privateKey: .stored(index: 0), data: [1]) }
        assertInvalid("public key must be 64 bytes") { _ = try client.sm2Encrypt(publicKey: .value([UInt8](repeating: 0, count: 65)), data: [1]) }
        assertInvalid("data of 0 bytes") { _ = try client.sm2Encrypt(publicKey: .stored(index: 1), data: []) }
        assertInvalid("signature must be 64 bytes") { _ = try client.sm2Verify(publicKey: .stored(index: 1), data: [1], signature: [1]) }
        assertInvalid("ciphertext of 97 bytes") { _ = try client.sm2Decrypt(privateKey: .stored(index: 1), ciphertext: [UInt8](repeating: 0, count: 97)) }
        assertInvalid("store index") { _ = try client.sm2GenerateKeyPair(storeAt: StoreTarget(index: 0, label: "")) }
        assertInvalid("private key under the LMK must be 1 to 2048 bytes") { _ = try client.sm2LoadPrivateKey([UInt8](repeating: 1, count: 2049), storeAt: StoreTarget(index: 1, label: "")) }
        assertInvalid("key index 9999") { _ = try client.sm2Decrypt(privateKey: .stored(index: 9999), ciphertext: [UInt8](repeating: 0, count: 98)) }
        XCTAssertEqual(completed, 0)
    }

    /// After close: `.notInitialized`.
    func testClosedClient() throws {
        client.close()
        assertCode(CACipherError.Code.notInitialized.rawValue) { _ = try client.random(count: 1) }
    }

    /// A device that does not know a command answers 68: passed through with the command's name.
    func testUnsupportedCommandCodePassesThrough() throws {
        let fake = try FakeHSM()
        defer { fake.close() }
        var c = CACipherConfig()
        c.logger.categories = []
        c.hosts = [GroupTest.host(fake, "HOST1")]
        let other = CACipherClient(config: c, logSink: nil, options: GroupTest.options())
        defer { other.close() }
        assertCode(68, "random (CR): HSM error 68: command not supported") { _ = try other.random(count: 4) }
        XCTAssertEqual(try other.echo(Array("ping".utf8)), Array("ping".utf8))
        XCTAssertEqual(try other.deviceInfo().serial, "SN0000000001")
    }
}
