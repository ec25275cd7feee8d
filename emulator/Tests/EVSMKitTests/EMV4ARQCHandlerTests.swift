import XCTest
import HostProtocol
@testable import EVSMKit

/// `KW` (EMV 4.x ARQC / ARPC methods 1 and 2) in test-LMK mode: known answers and refusals.
///
/// [PYEMV-HSM] knovichikhin/pyemv (MIT), tests/test_ac_hsm.py: issuer master key
/// 0123456789ABCDEFFEDCBA9876543210, PAN 9901234567890123 / PSN 45 (PAN/PSN field
/// 0123456789012345), common session key with R 1234567890123456 (KCV 0995...), ARQC of
/// 0123456789ABCDEF0123456789ABCDEF 4B46013359B7A58B, ARPC method 2 with CSU 00000000 and
/// proprietary authentication data 1234567890ABCDEF 4962B76C, without it 7DFB1188.
/// [OSSL] scripts/emv-csk-known-answers.py (every block operation `openssl enc`; it reproduces
/// the pyemv values above): the full KCV 099592B326448AF5 of that session key, ARPC method 1
/// with ARC 3030 F6E72DDCEB080F21; scheme 0 (ATC 0001) ARQC 8C6A1F9CF11BE1A9, method 2
/// B68E3D93; scheme 1 (ATC 0001, UN 11223344) ARQC A0244EAA67EC87C8, method 2 with the data
/// above 4B5B765B.
/// [OSSL-SM4] the SM4 part of scripts/emv-csk-known-answers.py (every block operation
/// `openssl enc -sm4-ecb` / `-sm4-cbc`), the same MDK (as an `R` key), PAN/PSN and data: card key
/// E(MDK)[Y || ~Y]; session key E(MK)[R || 00 x 8] (EMV 4.3 Book 2 A1.3.1, k = n); ARQC ISO
/// 9797-1 algorithm 1, padding method 2, 8 bytes. R 1234567890123456: KCV DACE0D1DD32D906A, ARQC
/// 287D7DAF8DD1DCE8, method 1 (ARC 3030) 816B613710B97BF9, method 2 (CSU 00000000) F6BDB700 with
/// PAD 1234567890ABCDEF, C31E4B2A without; scheme 0 (ATC 0001) ARQC 2CFF0D7C79D5F5B1, method 2
/// 1ACD37B5; scheme 1 (ATC 0001, UN 11223344) ARQC 774024EE1FFE44E2, method 2 with PAD E6796959.
final class EMV4ARQCHandlerTests: XCTestCase {
    let clearMDK = "0123456789ABCDEFFEDCBA9876543210"
    let pan = "0123456789012345"
    let data = "0123456789ABCDEF0123456789ABCDEF"
    let arqc = "4B46013359B7A58B"
    /// ATC, UN, R (scheme 2).
    let card = "0001" + "00000000" + "1234567890123456"

    func mdk(_ d: Device, _ type: KeyType = .mkAC, _ scheme: KeyScheme = .doubleVariant) throws -> String {
        String(decoding: try underLMK(d, clear: clearMDK, type: type, scheme: scheme).wire, as: UTF8.self)
    }

    func assertReply(_ r: Reply, _ error: String, _ text: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.code, "KX", file: file, line: line)
        XCTAssertEqual(r.error, error, file: file, line: line)
        XCTAssertEqual(r.text, text, file: file, line: line)
    }

    func testMethod2KnownAnswers() throws {
        let d = testDevice()
        let k = try mdk(d)
        let head = k + pan + card
        assertReply(send(d, "KW02" + head + "10" + data + ";" + arqc), "00")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + arqc + "00000000" + "8" + "1234567890ABCDEF"), "00", "4962B76C")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + arqc + "00000000" + "0"), "00", "7DFB1188")
        assertReply(send(d, "KW42" + head + arqc + "00000000" + "8" + "1234567890abcdef"), "00", "4962B76C")
        assertReply(send(d, "KW42" + head + arqc + "00000000" + "0"), "00", "7DFB1188")
        // method 1 under the same session key
        assertReply(send(d, "KW12" + head + "10" + data + ";" + arqc + "3030"), "00", "F6E72DDCEB080F21")
        assertReply(send(d, "KW22" + head + arqc + "3030"), "00", "F6E72DDCEB080F21")
        // mismatch: 01 with the session key's check value, modes 0, 1 and 3; no ARPC
        let bad = "4B46013359B7A58C"
        assertReply(send(d, "KW02" + head + "10" + data + ";" + bad), "01", "099592B326448AF5")
        assertReply(send(d, "KW12" + head + "10" + data + ";" + bad + "3030"), "01", "099592B326448AF5")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + bad + "00000000" + "0"), "01", "099592B326448AF5")
    }

    func testSchemesZeroAndOneFormR() throws {
        let d = testDevice()
        let k = try mdk(d)
        // scheme 0: R = ATC || 000000000000 (the UN is carried and ignored)
        assertReply(send(d, "KW30" + k + pan + "0001" + "FFFFFFFF" + "10" + data + ";" + "8C6A1F9CF11BE1A9" + "00000000" + "0"), "00", "B68E3D93")
        // scheme 1: R = ATC || 0000 || UN
        assertReply(send(d, "KW31" + k + pan + "0001" + "11223344" + "10" + data + ";" + "A0244EAA67EC87C8" + "00000000" + "8" + "1234567890ABCDEF"),
                    "00", "4B5B765B")
        XCTAssertEqual(send(d, "KW31" + k + pan + "0001" + "11223345" + "10" + data + ";" + "A0244EAA67EC87C8" + "00000000" + "0").error, "01")
    }

    func testRefusals() throws {
        let d = testDevice()
        let k = try mdk(d)
        let head = k + pan + card
        // CSU of 6 hex (short), PAD length above 8, PAD shorter than its length, not hex
        XCTAssertEqual(send(d, "KW42" + head + arqc + "000000").error, "80")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "000000" + "0").error, "80")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "0000000G" + "0").error, "15")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "00000000" + "9" + "1234567890ABCDEF12").error, "15")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "00000000" + "F" + "1234567890ABCDEF").error, "15")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "00000000" + "8" + "1234567890ABCD").error, "80")
        XCTAssertEqual(send(d, "KW42" + head + arqc + "00000000" + "0" + "00").error, "80")       // trailing data
        // wrong key type: an LMK-encrypted ZPK, a stored key of another type; an AES MK-AC has no EMV derivation here
        XCTAssertEqual(send(d, "KW42" + (try mdk(d, .zpk)) + pan + card + arqc + "00000000" + "0").error, "10")
        XCTAssertEqual(send(d, "A00001UK000100").error, "00")
        XCTAssertEqual(send(d, "KW42" + "K0001" + pan + card + arqc + "00000000" + "0").error, "27")
        XCTAssertEqual(send(d, "KW42" + (try mdk(d, .mkAC, .aes128)) + pan + card + arqc + "00000000" + "0").error, "26")
        // mode, scheme, empty data, PAN
        XCTAssertEqual(send(d, "KW52" + head + arqc + "00000000" + "0").error, "15")
        XCTAssertEqual(send(d, "KW43" + head + arqc + "00000000" + "0").error, "15")
        XCTAssertEqual(send(d, "KW32" + head + "00" + ";" + arqc + "00000000" + "0").error, "80")
        XCTAssertEqual(send(d, "KW42" + k + "012345678901234A" + card + arqc + "00000000" + "0").error, "15")
    }

    /// [OSSL-SM4] every mode under an SM4 MK-AC (scheme 2).
    func testSM4KnownAnswers() throws {
        let d = testDevice()
        let k = try mdk(d, .mkAC, .sm4)
        let head = k + pan + card
        let sarqc = "287D7DAF8DD1DCE8"
        assertReply(send(d, "KW02" + head + "10" + data + ";" + sarqc), "00")
        assertReply(send(d, "KW12" + head + "10" + data + ";" + sarqc + "3030"), "00", "816B613710B97BF9")
        assertReply(send(d, "KW22" + head + sarqc + "3030"), "00", "816B613710B97BF9")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + sarqc + "00000000" + "8" + "1234567890ABCDEF"), "00", "F6BDB700")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + sarqc + "00000000" + "0"), "00", "C31E4B2A")
        assertReply(send(d, "KW42" + head + sarqc + "00000000" + "8" + "1234567890ABCDEF"), "00", "F6BDB700")
        assertReply(send(d, "KW42" + head + sarqc + "00000000" + "0"), "00", "C31E4B2A")
        // the 3DES ARQC does not verify under the SM4 key: 01 with the SM4 session key's check value
        assertReply(send(d, "KW02" + head + "10" + data + ";" + arqc), "01", "DACE0D1DD32D906A")
        assertReply(send(d, "KW12" + head + "10" + data + ";" + arqc + "3030"), "01", "DACE0D1DD32D906A")
        assertReply(send(d, "KW32" + head + "10" + data + ";" + arqc + "00000000" + "0"), "01", "DACE0D1DD32D906A")
    }

    /// [OSSL-SM4] schemes 0 and 1 under an SM4 MK-AC: R is the 8-byte value of the scheme || 00 x 8.
    func testSM4SchemesZeroAndOneFormR() throws {
        let d = testDevice()
        let k = try mdk(d, .mkAC, .sm4)
        assertReply(send(d, "KW30" + k + pan + "0001" + "FFFFFFFF" + "10" + data + ";" + "2CFF0D7C79D5F5B1" + "00000000" + "0"), "00", "1ACD37B5")
        assertReply(send(d, "KW31" + k + pan + "0001" + "11223344" + "10" + data + ";" + "774024EE1FFE44E2" + "00000000" + "8" + "1234567890ABCDEF"),
                    "00", "E6796959")
        XCTAssertEqual(send(d, "KW31" + k + pan + "0001" + "11223345" + "10" + data + ";" + "774024EE1FFE44E2" + "00000000" + "0").error, "01")
        // a wrong ARQC under the UN 11223344 session key: its check value
        assertReply(send(d, "KW31" + k + pan + "0001" + "11223344" + "10" + data + ";" + "2CFF0D7C79D5F5B1" + "00000000" + "0"),
                    "01", "980182E3412B5380")
    }

    /// Wrong key type under SM4: an SM4 ZPK under the LMK is `10` (its authenticator is of the
    /// ZPK's storage key), as a 3DES ZPK.
    func testSM4WrongKeyType() throws {
        let d = testDevice()
        XCTAssertEqual(send(d, "KW42" + (try mdk(d, .zpk, .sm4)) + pan + card + "287D7DAF8DD1DCE8" + "00000000" + "0").error, "10")
        XCTAssertEqual(send(d, "KW42" + (try mdk(d, .zpk)) + pan + card + arqc + "00000000" + "0").error, "10")
    }
}
