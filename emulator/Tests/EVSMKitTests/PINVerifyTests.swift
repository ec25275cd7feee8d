import XCTest
import HostProtocol
@testable import EVSMKit

/// `CW`, `CY`, `DG`, `DE`, `EA`, `JA` in test-LMK mode: published known answers, round trips
/// and refusals.
///
/// Sources (each value was also recomputed independently with the `openssl` command line,
/// DES / 3DES-ECB, before it was pinned here):
/// - [VISA] the Visa CVV worked example reproduced in payShield / Visa documentation and many
///   public sources: CVK A 0123456789ABCDEF, CVK B FEDCBA9876543210, PAN 4123456789012345,
///   expiry 8701, service code 101 -> CVV 561.
/// - [JPOS] jPOS JCESecurityModuleTest (AGPL test data, values only; keys "encrypted under
///   standard LMK test key"): CVK 402 U 479D751977AA598CB481F548226DBF2B -> CVV 204, CVK A/B
///   402 Z 56FBB74CDEAD6949 / 69E636CF27A47EEE -> CVV 453 (account 123456789012, expiry
///   1108, service code 000); PVV 1226 for PIN 1234, account 123456789012, PVKI 0 under the
///   TPK/PVK 002 U E9F05D2F2DB8A8579CA3E806B35E336F and 002 Z 141E1DA3D2D7F3F4.
/// - [LB] leachbj/hsm-emulator (MIT) GenerateIBMPinOffsetSuite / VerifyInterchangePinIBMSuite:
///   PVK 002 T AF9958474101D950930D1FC86F99447E10B3BADFAA10458E, ZPK 001 T
///   971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1, PIN block F2B66A1070EADC47 (ISO
///   format 1, PIN 14789), account 000001000376, check length 5, table 0123456789012345,
///   validation data 1234567890NF -> offset 17702.
final class PINVerifyTests: XCTestCase {
    let jposCVK = "U479D751977AA598CB481F548226DBF2B"
    let jposCVKA = "56FBB74CDEAD6949", jposCVKB = "69E636CF27A47EEE"
    let jposPVK = "UE9F05D2F2DB8A8579CA3E806B35E336F", jposZPK = "U34E2FC8EAD7CD07BFA2B7ED5FE4D8212"
    let lbPVK = "TAF9958474101D950930D1FC86F99447E10B3BADFAA10458E"
    let lbZPK = "T971803BA969012152827CC97A98D18D50BE6559CDFF6F7E1"
    let lbAccount = "000001000376"
    let ibm = "0123456789012345" + "1234567890NF"

    func key(_ k: KeyField) -> String { String(decoding: { var b: [UInt8] = []; k.encode(into: &b); return b }(), as: UTF8.self) }

    func pinUnderLMK(_ d: Device, _ pin: String, _ account: String) -> String {
        let r = send(d, "BA" + pin + "F" + account)
        XCTAssertEqual(r.error, "00")
        return r.text
    }

    // MARK: CW / CY

    func testCVVPublishedVisaExample() throws {
        let d = testDevice()
        let cvk = key(try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .cvk, scheme: .doubleVariant))
        let r = send(d, "CW" + cvk + "4123456789012345;8701101")
        XCTAssertEqual(r.code, "CX")
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(r.text, "561")
        XCTAssertEqual(send(d, "CY" + cvk + "5614123456789012345;8701101").error, "00")
        let miss = send(d, "CY" + cvk + "5624123456789012345;8701101")
        XCTAssertEqual(miss.code, "CZ")
        XCTAssertEqual(miss.error, "01")
        XCTAssertTrue(miss.fields.isEmpty)
        // Another expiry or service code is another CVV.
        XCTAssertNotEqual(send(d, "CW" + cvk + "4123456789012345;8701000").text, "561")
    }

    func testCVVWithJPOSTestKeys() {
        let d = testDevice()
        XCTAssertEqual(send(d, "CW" + jposCVK + "123456789012;1108000").text, "204")
        // payShield's pair form: CVK A then CVK B, each 16H under LMK 402.
        XCTAssertEqual(send(d, "CW" + jposCVKA + jposCVKB + "123456789012;1108000").text, "453")
        XCTAssertEqual(send(d, "CY" + jposCVKA + jposCVKB + "453123456789012;1108000").error, "00")
        XCTAssertEqual(send(d, "CY" + jposCVKA + jposCVKB + "454123456789012;1108000").error, "01")
        XCTAssertEqual(send(d, "CY" + jposCVK + "204123456789012;1108000").error, "00")
        // A stored CVK.
        let exported = exportUnder(d, KeyField(text: jposCVK)!)
        XCTAssertEqual(send(d, "A6402" + "U" + zmkHex + "X" + exported + "U" + "K0042" + "03cvk").error, "00")
        XCTAssertEqual(send(d, "CWK0042123456789012;1108000").text, "204")
    }

    // The published ZMK of KnownAnswerTests [LB] under LMK 04-05.
    let zmkHex = "E13D662B185F5F3B08594F89F1FF903A"

    /// Exports a key of type 402 under the [LB] ZMK (A8), to import it back at a K index.
    func exportUnder(_ d: Device, _ k: KeyField) -> String {
        let r = send(d, "A8402U" + zmkHex + key(k) + "X")
        XCTAssertEqual(r.error, "00")
        return String(r.text.dropFirst().prefix(32))
    }

    func testCVVRefusals() throws {
        let d = testDevice()
        let zpk = key(try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .doubleVariant))
        // A ZPK where a CVK is needed: it fails the parity check under LMK 402.
        XCTAssertEqual(send(d, "CW" + zpk + "4123456789012345;8701101").error, "10")
        XCTAssertEqual(send(d, "CY" + zpk + "5614123456789012345;8701101").error, "10")
        // A ZPK stored at a K index: 27.
        XCTAssertEqual(send(d, "A00001U" + "K0007" + "03zpk").error, "00")
        XCTAssertEqual(send(d, "CWK0007" + "4123456789012345;8701101").error, "27")
        XCTAssertEqual(send(d, "CWK0099" + "4123456789012345;8701101").error, "12")
        // Single- and triple-length CVKs: 27; an SM4 CVK: 26; SM1: 26.
        let single = key(try underLMK(d, clear: "0123456789ABCDEF", type: .cvk, scheme: .singleDES))
        XCTAssertEqual(send(d, "CW" + single + "4123456789012345;8701101").error, "27")
        let triple = key(try underLMK(d, clear: "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF", type: .cvk, scheme: .tripleVariant))
        XCTAssertEqual(send(d, "CW" + triple + "4123456789012345;8701101").error, "27")
        let sm4 = key(try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .cvk, scheme: .sm4))
        XCTAssertEqual(send(d, "CW" + sm4 + "4123456789012345;8701101").error, "26")
        XCTAssertEqual(send(d, "CWP" + String(repeating: "0", count: 32) + "4123456789012345;8701101").error, "26")
        // A pair whose halves are not CVKs.
        XCTAssertEqual(send(d, "CW" + "141E1DA3D2D7F3F4" + jposCVKB + "123456789012;1108000").error, "10")
        // Layout: non-hex key, no delimiter, short PAN, non-digits, short / long tails.
        XCTAssertEqual(send(d, "CWU479D751977AA598CB481F548226DBF2G123456789012;1108000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "1234567890121108000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "1234567;1108000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "12345678901234567890;1108000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "12345678901A;1108000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "123456789012;11A8000").error, "15")
        XCTAssertEqual(send(d, "CW" + jposCVK + "123456789012;110800").error, "80")
        XCTAssertEqual(send(d, "CW" + jposCVK + "123456789012;11080000").error, "80")
        XCTAssertEqual(send(d, "CW" + "U479D7519").error, "80")
        XCTAssertEqual(send(d, "CY" + jposCVK + "2X4123456789012;1108000").error, "15")
        XCTAssertEqual(send(d, "CY" + jposCVK + "20").error, "80")
    }

    // MARK: DG

    func testPVVWithJPOSTestKeys() {
        let d = testDevice()
        let p = pinUnderLMK(d, "1234", "123456789012")
        let r = send(d, "DG" + jposPVK + p + "123456789012" + "0")
        XCTAssertEqual(r.code, "DH")
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(r.text, "1226")
        XCTAssertEqual(send(d, "DG" + "141E1DA3D2D7F3F4" + p + "123456789012" + "0").text, "1226")
        // Another PVKI, another PVV; hex PVKIs as the TASS library sends 10...15.
        let other = send(d, "DG" + jposPVK + p + "123456789012" + "1")
        XCTAssertEqual(other.error, "00")
        XCTAssertNotEqual(other.text, "1226")
        XCTAssertEqual(send(d, "DG" + jposPVK + p + "123456789012" + "F").text.count, 4)
        // Only the first four PIN digits count.
        let longer = pinUnderLMK(d, "123499", "123456789012")
        XCTAssertEqual(send(d, "DG" + jposPVK + longer + "123456789012" + "0").text, "1226")
    }

    func testPVVRefusals() throws {
        let d = testDevice()
        let p = pinUnderLMK(d, "1234", "123456789012")
        // A ZPK or a CVK where the PVK is needed: 10.
        XCTAssertEqual(send(d, "DG" + jposZPK + p + "1234567890120").error, "10")
        XCTAssertEqual(send(d, "DG" + jposCVK + p + "1234567890120").error, "10")
        let sm4 = key(try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .pvk, scheme: .sm4))
        XCTAssertEqual(send(d, "DG" + sm4 + p + "1234567890120").error, "26")
        // The PIN under LMK of another account: 20.
        XCTAssertEqual(send(d, "DG" + jposPVK + p + "1234567890130").error, "20")
        XCTAssertEqual(send(d, "DG" + jposPVK + String(p.dropLast()) + "X" + "1234567890120").error, "15")
        XCTAssertEqual(send(d, "DG" + jposPVK + p + "123456789012G").error, "15")
        XCTAssertEqual(send(d, "DG" + jposPVK + p + "123456789012").error, "80")
        XCTAssertEqual(send(d, "DG" + jposPVK + p + "12345678901200").error, "80")
    }

    // MARK: DE / EA

    func testIBMOffsetPublishedExample() {
        let d = testDevice()
        let p = pinUnderLMK(d, "14789", lbAccount)
        let r = send(d, "DE" + lbPVK + p + "05" + lbAccount + ibm)
        XCTAssertEqual(r.code, "DF")
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(r.text, "17702FFFFFFF")
        let ea = send(d, "EA" + lbZPK + lbPVK + "12" + "F2B66A1070EADC47" + "05" + "05" + lbAccount + ibm + "17702FFFFFFF")
        XCTAssertEqual(ea.code, "EB")
        XCTAssertEqual(ea.error, "00")
        XCTAssertTrue(ea.fields.isEmpty)
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + "F2B66A1070EADC47" + "05" + "05" + lbAccount + ibm + "17703FFFFFFF").error, "01")
        // The validation data with the account digits elsewhere is another natural PIN.
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + "F2B66A1070EADC47" + "05" + "05" + lbAccount + "0123456789012345"
                            + "N1234567890F" + "17702FFFFFFF").error, "01")
        // Check length 4: only the first four digits are compared.
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + "F2B66A1070EADC47" + "05" + "04" + lbAccount + ibm + "17709FFFFFFF").error, "00")
    }

    func testIBMOffsetRoundTripThroughEA() throws {
        let d = testDevice()
        let zpkClear = "0123456789ABCDEFFEDCBA9876543210"
        let zpk = try underLMK(d, clear: zpkClear, type: .zpk, scheme: .doubleVariant)
        let acct = "123456789012"
        for pin in ["0000", "98765", "123456789012"] {
            let off = send(d, "DE" + lbPVK + pinUnderLMK(d, pin, acct) + "04" + acct + "9876543210123456" + "N4321098765F")
            XCTAssertEqual(off.error, "00")
            let digits = String(off.text.prefix(while: { $0 != "F" }))
            XCTAssertEqual(digits.count, pin.count)
            for f in [1, 3, 5, 47] {
                let clear = try PINBlock.make(pin: pin.utf8.map { $0 - 0x30 }, format: f, account: acct, blockSize: 8)
                let block = Hex.string(try Prim.crypt(.des, key: hex(zpkClear), data: clear, encrypt: true))
                let fmt = f < 10 ? "0\(f)" : "\(f)"
                XCTAssertEqual(send(d, "EA" + key(zpk) + lbPVK + "12" + block + fmt + "04" + acct + "9876543210123456" + "N4321098765F" + off.text).error,
                               "00", "PIN \(pin) format \(f)")
            }
        }
    }

    func testIBMOffsetRefusals() throws {
        let d = testDevice()
        let p = pinUnderLMK(d, "14789", lbAccount)
        let tail = lbAccount + ibm
        // Key usage: a ZPK or CVK as the PVK (10 in DE; 11 in EA, where the ZPK is the first key).
        XCTAssertEqual(send(d, "DE" + lbZPK + p + "05" + tail).error, "10")
        XCTAssertEqual(send(d, "DE" + jposCVK + p + "05" + tail).error, "10")
        let block = "F2B66A1070EADC47"
        XCTAssertEqual(send(d, "EA" + lbZPK + lbZPK + "12" + block + "0505" + tail + "17702FFFFFFF").error, "11")
        XCTAssertEqual(send(d, "EA" + lbPVK + lbPVK + "12" + block + "0505" + tail + "17702FFFFFFF").error, "10")
        // Check length out of range: 15; PIN shorter than the check length: 24 (DE), 01 (EA).
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "03" + tail).error, "15")
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "13" + tail).error, "15")
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "06" + tail).error, "24")
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + block + "0506" + tail + "177020FFFFFF").error, "01")
        // Offset shorter than the check length: 15.
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + block + "0505" + tail + "1770FFFFFFFF").error, "15")
        // PIN longer than the maximum: 24; unknown format: 23; a 32H block under a DES key: 15.
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "04" + block + "0505" + tail + "17702FFFFFFF").error, "24")
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + block + "0205" + tail + "17702FFFFFFF").error, "23")
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + block + block + "0505" + tail + "17702FFFFFFF").error, "15")
        // Validation data without an N, or with two; table not digits; non-hex offset.
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + lbAccount + "0123456789012345" + "1234567890AF").error, "15")
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + lbAccount + "0123456789012345" + "12345678NNAF").error, "15")
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + lbAccount + "012345678901234X" + "1234567890NF").error, "15")
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + block + "0505" + tail + "17702FFFFFFG").error, "15")
        // Lengths.
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + tail + "0").error, "80")
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + lbAccount).error, "80")
        XCTAssertEqual(send(d, "EA" + lbZPK + lbPVK + "12" + "F2B6" + "0505" + tail + "17702FFFFFFF").error, "80")
        // The PIN under LMK of another account: 20.
        XCTAssertEqual(send(d, "DE" + lbPVK + p + "05" + "000001000377" + ibm).error, "20")
    }

    // MARK: JA

    func testRandomPIN() {
        let d = testDevice()
        var seen = Set<String>()
        for n in [4, 6, 12] {
            for _ in 0..<8 {
                let r = send(d, "JA" + "123456789012" + (n < 10 ? "0\(n)" : "\(n)"))
                XCTAssertEqual(r.code, "JB")
                XCTAssertEqual(r.error, "00")
                XCTAssertEqual(r.text.count, 16)
                let pin = send(d, "NG" + "123456789012" + r.text)
                XCTAssertEqual(pin.error, "00")
                XCTAssertEqual(pin.text.count, n)
                XCTAssertTrue(pin.text.allSatisfy { $0.isNumber })
                seen.insert(pin.text)
            }
        }
        XCTAssertGreaterThan(seen.count, 20)
        // Uniform digits: all ten appear in 200 random digits.
        let digits = PINVerifyHandlerSupport.text((try? PINVerifyHandlerSupport.randomDigits(200)) ?? [])
        XCTAssertEqual(Set(digits).count, 10)
    }

    func testRandomPINRefusals() {
        let d = testDevice()
        XCTAssertEqual(send(d, "JA12345678901203").error, "24")
        XCTAssertEqual(send(d, "JA12345678901213").error, "24")
        XCTAssertEqual(send(d, "JA1234567890120").error, "80")
        XCTAssertEqual(send(d, "JA1234567890120400").error, "80")
        XCTAssertEqual(send(d, "JA12345678901A04").error, "15")
        XCTAssertEqual(send(d, "JA1234567890120X").error, "15")
    }

    // MARK: more keys and forms

    /// A PVK held at a K index; a K index of another type is 27; EA with an SM4 ZPK (32H block).
    func testStoredPVKAndSM4ZPK() throws {
        let d = testDevice()
        let p = pinUnderLMK(d, "14789", lbAccount)
        // Store the [LB] PVK: export it under the [LB] ZMK, import it at K0031.
        let exp = send(d, "A8002U" + zmkHex + lbPVK + "Y")
        XCTAssertEqual(exp.error, "00")
        let underZMK = String(exp.text.prefix(49))
        XCTAssertEqual(send(d, "A6002U" + zmkHex + underZMK + "T" + "K0031" + "03pvk").error, "00")
        XCTAssertEqual(send(d, "DE" + "K0031" + p + "05" + lbAccount + ibm).text, "17702FFFFFFF")
        XCTAssertEqual(send(d, "A0" + "0" + "402" + "U" + "K0032" + "03cvk").error, "00")
        XCTAssertEqual(send(d, "DE" + "K0032" + p + "05" + lbAccount + ibm).error, "27")
        XCTAssertEqual(send(d, "DG" + "K0032" + p + lbAccount + "0").error, "27")
        // EA with an SM4 ZPK: the 16-byte block layout of docs/wire.md.
        let sm4Clear = "0123456789ABCDEFFEDCBA9876543210"
        let zpk = try underLMK(d, clear: sm4Clear, type: .zpk, scheme: .sm4)
        let clear = try PINBlock.make(pin: [1, 4, 7, 8, 9], format: 1, account: lbAccount, blockSize: 16)
        let block = Hex.string(try Prim.crypt(.sm4, key: hex(sm4Clear), data: clear, encrypt: true))
        XCTAssertEqual(send(d, "EA" + key(zpk) + "K0031" + "12" + block + "01" + "05" + lbAccount + ibm + "17702FFFFFFF").error, "00")
        XCTAssertEqual(send(d, "EA" + key(zpk) + "K0031" + "12" + block + "01" + "05" + lbAccount + ibm + "27702FFFFFFF").error, "01")
        // A 16H block under the SM4 ZPK: 15.
        XCTAssertEqual(send(d, "EA" + key(zpk) + "K0031" + "12" + "F2B66A1070EADC47" + "01" + "05" + lbAccount + ibm + "17702FFFFFFF").error, "15")
    }

    /// Bounded fuzzing of this family: mutated valid requests always get a well-formed reply.
    func testFuzzedRequestsNeverCrash() {
        let d = testDevice()
        let p = pinUnderLMK(d, "14789", lbAccount)
        let seeds = [
            "CW" + jposCVK + "123456789012;1108000", "CY" + jposCVKA + jposCVKB + "453123456789012;1108000",
            "DG" + jposPVK + p + lbAccount + "0", "DE" + lbPVK + p + "05" + lbAccount + ibm,
            "EA" + lbZPK + lbPVK + "12" + "F2B66A1070EADC47" + "0505" + lbAccount + ibm + "17702FFFFFFF", "JA" + lbAccount + "06",
        ].map { Array($0.utf8) }
        var rng = SplitMix64(seed: 0x5EED_C0DE)
        for i in 0..<3000 {
            var m = seeds[i % seeds.count]
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: if m.count > 2 { m.removeLast(Int.random(in: 1...(m.count - 2), using: &rng)) }
                case 1: if m.count > 2 { m[Int.random(in: 2..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                case 2: m += (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0x30...0x46, using: &rng) }
                default: if m.count > 2 { m.insert([0x3B, 0x4B, 0x4E, 0x46, 0x30][Int.random(in: 0..<5, using: &rng)], at: Int.random(in: 2..<m.count, using: &rng)) }
                }
            }
            let r = send(d, m)
            XCTAssertEqual(r.code.utf8.count, 2)
            XCTAssertTrue(r.error.allSatisfy { $0.isNumber }, r.error)
            if r.error != "00" { XCTAssertTrue(r.fields.isEmpty) }
        }
    }

    // MARK: support

    func testVisaDecimalisation() {
        XCTAssertEqual(PINVerifyHandlerSupport.visaDigits(hex("A1B2C3D4E5F60789")), [1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 0, 1, 2, 3, 4, 5])
        XCTAssertEqual(PINVerifyHandlerSupport.visaDigits(hex("FFFFFFFFFFFFFFFA")), [UInt8](repeating: 5, count: 15) + [0])
    }

    func testUninitialisedDeviceRefusesWith13() throws {
        let d = try Device(stateDirectory: nil, mode: .normal)
        XCTAssertEqual(send(d, "JA12345678901204").error, "13")
        XCTAssertEqual(send(d, "CW" + jposCVK + "123456789012;1108000").error, "13")
    }
}
