@testable import HSMCrypto
import XCTest

/// EMV derivations and cryptograms.
///
/// [PYEMV] knovichikhin/pyemv (MIT), tests/test_ac.py and pyemv/kd.py docstring: issuer
/// master key 0123456789ABCDEFFEDCBA9876543210 (KCV 08D7); option A for PAN 99012345678901234 /
/// PSN 45 -> 67F8292358083E5EA7AB7FDA58D53B6B; PAN 9901234567890123 / PSN 45 -> ICC MK KCV 1DA5,
/// common session key (R 1234567890123456) KCV 0995, ARQC (padding 80..) of
/// 0123456789ABCDEF0123456789ABCDEF 4B46013359B7A58B, ARPC method 1 (ICC MK, ARC 0000)
/// F8C9CECAABD55AD1.
/// [PYEMV-HSM] knovichikhin/pyemv (MIT), tests/test_ac_hsm.py: the same ICC MK (KCV 1DA5) and
/// common session key (KCV 0995), ARQC 4B46013359B7A58B; ARPC method 2 with CSU 00000000 and
/// proprietary authentication data 1234567890ABCDEF -> 4962B76C, without it -> 7DFB1188.
/// [PYEMV-SM] knovichikhin/pyemv (MIT), tests/test_sm.py: issuer MK as above, PAN
/// 1234567890123456 / PSN 01 -> ICC MK KCV 0239, common session key (R ABCDEF1234567890) KCV
/// F088, script MAC (padding 80..) of the command 8424000008 -> CF323F09A0F6AB9E.
/// [OSSL] values computed independently with the openssl command line
/// (scripts/emv-known-answers.py: every block operation is `openssl enc -des-ede-ecb -nopad`).
final class EMVTests: XCTestCase {
    let imk = h("0123456789ABCDEFFEDCBA9876543210")

    func kcv(_ k: [UInt8]) throws -> [UInt8] { try KeyCheckValue.compute(key: k, algorithm: .des) }

    func testOptionAMatchesPyEMV() throws {
        XCTAssertEqual(Array(try kcv(imk).prefix(2)), h("08D7"))
        // rightmost 16 digits of PAN || PSN
        let y = try XCTUnwrap(EMV.packDigits(a("1234567890123445")))
        XCTAssertEqual(try EMV.diversify(imk, algorithm: .des, factor: y), h("67F8292358083E5EA7AB7FDA58D53B6B"))
        let mk = try EMV.diversify(imk, algorithm: .des, factor: try XCTUnwrap(EMV.packDigits(a("0123456789012345"))))
        XCTAssertEqual(Array(try kcv(mk).prefix(2)), h("1DA5"))
    }

    func testCommonSessionKeyARQCAndARPCMatchPyEMV() throws {
        let mk = try EMV.diversify(imk, algorithm: .des, factor: try XCTUnwrap(EMV.packDigits(a("0123456789012345"))))
        let sk = try EMV.commonSessionKey(mk, r: h("1234567890123456"))
        XCTAssertEqual(Array(try kcv(sk).prefix(2)), h("0995"))
        let arqc = try EMV.cryptogram(key: sk, algorithm: .des, data: h("0123456789ABCDEF0123456789ABCDEF"))
        XCTAssertEqual(arqc, h("4B46013359B7A58B"))
        XCTAssertEqual(try EMV.arpcMethod1(key: mk, algorithm: .des, arqc: arqc, arc: h("0000")), h("F8C9CECAABD55AD1"))
    }

    /// [PYEMV-HSM] ARPC method 2 under the common session key.
    func testARPCMethod2MatchesPyEMV() throws {
        let mk = try EMV.diversify(imk, algorithm: .des, factor: try XCTUnwrap(EMV.packDigits(a("0123456789012345"))))
        XCTAssertEqual(Array(try kcv(mk).prefix(2)), h("1DA5"))
        let sk = try EMV.commonSessionKey(mk, r: h("1234567890123456"))
        XCTAssertEqual(Array(try kcv(sk).prefix(2)), h("0995"))
        let arqc = try EMV.cryptogram(key: sk, algorithm: .des, data: h("0123456789ABCDEF0123456789ABCDEF"))
        XCTAssertEqual(arqc, h("4B46013359B7A58B"))
        XCTAssertEqual(try EMV.arpcMethod2(key: sk, algorithm: .des, arqc: arqc, csu: h("00000000"), proprietaryData: h("1234567890ABCDEF")),
                       h("4962B76C"))
        XCTAssertEqual(try EMV.arpcMethod2(key: sk, algorithm: .des, arqc: arqc, csu: h("00000000")), h("7DFB1188"))
        // SM4 (algorithm 1): the leftmost 4 bytes of the SM4 cryptogram of the same input.
        let sm4 = h("0123456789ABCDEFFEDCBA9876543210")
        XCTAssertEqual(try EMV.arpcMethod2(key: sm4, algorithm: .sm4, arqc: arqc, csu: h("00000000"), proprietaryData: h("12")),
                       Array(try EMV.cryptogram(key: sm4, algorithm: .sm4, data: arqc + h("0000000012")).prefix(4)))
    }

    /// SM4 common session key (EMV 4.3 Book 2 A1.3.1, 16-byte block and key: SK = E(MK)[R]) and
    /// the cryptograms under it. Values: scripts/emv-csk-known-answers.py (every block operation
    /// `openssl enc -sm4-ecb` / `-sm4-cbc`): card key E(IMK)[Y || ~Y] (KCV CEA23BE1BFAF4CD7),
    /// R = 1234567890123456 || 00 x 8 (KCV DACE0D1DD32D906A), ARQC 287D7DAF8DD1DCE8, ARPC
    /// method 1 (ARC 3030) 816B613710B97BF9, method 2 (CSU 00000000) F6BDB700 with PAD
    /// 1234567890ABCDEF, C31E4B2A without.
    func testSM4CommonSessionKeyAndARPCMatchOpenSSL() throws {
        let mk = try EMV.diversify(imk, algorithm: .sm4, factor: try XCTUnwrap(EMV.packDigits(a("0123456789012345"))))
        XCTAssertEqual(Array(try KeyCheckValue.compute(key: mk, algorithm: .sm4).prefix(8)), h("CEA23BE1BFAF4CD7"))
        let sk = try EMV.commonSessionKey(mk, algorithm: .sm4, r: h("1234567890123456") + [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(Array(try KeyCheckValue.compute(key: sk, algorithm: .sm4).prefix(8)), h("DACE0D1DD32D906A"))
        let arqc = try EMV.cryptogram(key: sk, algorithm: .sm4, data: h("0123456789ABCDEF0123456789ABCDEF"))
        XCTAssertEqual(arqc, h("287D7DAF8DD1DCE8"))
        XCTAssertEqual(try EMV.arpcMethod1(key: sk, algorithm: .sm4, arqc: arqc, arc: h("3030")), h("816B613710B97BF9"))
        XCTAssertEqual(try EMV.arpcMethod2(key: sk, algorithm: .sm4, arqc: arqc, csu: h("00000000"), proprietaryData: h("1234567890ABCDEF")),
                       h("F6BDB700"))
        XCTAssertEqual(try EMV.arpcMethod2(key: sk, algorithm: .sm4, arqc: arqc, csu: h("00000000")), h("C31E4B2A"))
        // R must be one block of the cipher; AES is not an EMV session key cipher here
        XCTAssertThrowsError(try EMV.commonSessionKey(mk, algorithm: .sm4, r: h("1234567890123456")))
        XCTAssertThrowsError(try EMV.commonSessionKey(imk, algorithm: .des, r: h("1234567890123456") + [UInt8](repeating: 0, count: 8)))
        XCTAssertThrowsError(try EMV.commonSessionKey(mk, algorithm: .aes128, r: [UInt8](repeating: 0, count: 16)))
    }

    /// [PYEMV-SM] issuer script MAC under the common session key.
    func testScriptMACMatchesPyEMV() throws {
        let mk = try EMV.diversify(imk, algorithm: .des, factor: try XCTUnwrap(EMV.packDigits(a("3456789012345601"))))
        XCTAssertEqual(Array(try kcv(mk).prefix(2)), h("0239"))
        let sk = try EMV.commonSessionKey(mk, r: h("ABCDEF1234567890"))
        XCTAssertEqual(Array(try kcv(sk).prefix(2)), h("F088"))
        XCTAssertEqual(try EMV.cryptogram(key: sk, algorithm: .des, data: h("8424000008")), h("CF323F09A0F6AB9E"))
    }

    func testARPCMethod2Refusals() {
        let arqc = h("4B46013359B7A58B")
        assertThrows(.invalidArgument("CSU must be 4 bytes"), try EMV.arpcMethod2(key: imk, algorithm: .des, arqc: arqc, csu: h("000000")))
        assertThrows(.invalidArgument("ARQC must be 8 bytes"), try EMV.arpcMethod2(key: imk, algorithm: .des, arqc: h("00"), csu: h("00000000")))
        assertThrows(.invalidArgument("proprietary authentication data must be at most 8 bytes"),
                     try EMV.arpcMethod2(key: imk, algorithm: .des, arqc: arqc, csu: h("00000000"), proprietaryData: h("000000000000000000")))
        XCTAssertThrowsError(try EMV.arpcMethod2(key: imk, algorithm: .aes128, arqc: arqc, csu: h("00000000")))
    }

    /// [OSSL] the PBOC ATC session key of the option A card key above, ATC 0001.
    func testATCSessionKey() throws {
        let mk = h("67F8292358083E5EA7AB7FDA58D53B6B")
        let sk = try EMV.diversify(mk, algorithm: .des, factor: h("0000000000000001"))
        XCTAssertEqual(sk, h("1004853764C2012F0ECB98A8C2B39110"))
        XCTAssertEqual(try EMV.cryptogram(key: sk, algorithm: .des, data: h("0123456789ABCDEF0123456789ABCDEF")), h("2C064758BA227276"))
        XCTAssertEqual(try EMV.arpcMethod1(key: sk, algorithm: .des, arqc: h("2C064758BA227276"), arc: h("3030")), h("DCEEDD0B828A19A2"))
    }

    func testPadIfNeeded() {
        XCTAssertEqual(EMV.padIfNeeded(h("0011223344556677"), blockSize: 8), h("0011223344556677"))
        XCTAssertEqual(EMV.padIfNeeded(h("00112233"), blockSize: 8), h("0011223380000000"))
        XCTAssertEqual(EMV.padIfNeeded(h("00112233"), blockSize: 16), h("00112233800000000000000000000000"))
    }

    /// The PIN change block: A = 00000000 || 58083E5E (rightmost 4 bytes of the card key's left
    /// half), B = 041234FFFFFFFFFF; C (old PIN 9876) = 9876000000000000.
    func testPINChangeBlock() throws {
        let left = h("67F8292358083E5E")
        XCTAssertEqual(try EMV.pinChangeBlock(newPIN: [1, 2, 3, 4], oldPIN: nil, cardKeyLeft: left), h("041234FFA7F7C1A1"))
        XCTAssertEqual(try EMV.pinChangeBlock(newPIN: [1, 2, 3, 4], oldPIN: [9, 8, 7, 6], cardKeyLeft: left), h("9C6434FFA7F7C1A1"))
        assertThrows(.invalidPIN, try EMV.pinChangeBlock(newPIN: [1, 2, 3], oldPIN: nil, cardKeyLeft: left))
        assertThrows(.invalidPIN, try EMV.pinChangeBlock(newPIN: [1, 2, 3, 10], oldPIN: nil, cardKeyLeft: left))
    }

    func testSM4DiversifyIsOneBlockOfYAndNotY() throws {
        let k = h("0123456789ABCDEFFEDCBA9876543210")
        let y = h("1234567890123445")
        let expected = try BlockCipher(algorithm: .sm4, key: k).encryptECB(y + y.map { ~$0 })
        XCTAssertEqual(try EMV.diversify(k, algorithm: .sm4, factor: y), expected)
        XCTAssertEqual(try EMV.cryptogram(key: k, algorithm: .sm4, data: h("00")).count, 8)
    }

    func testRefusals() {
        assertThrows(.invalidArgument("derivation factor must be 8 bytes"), try EMV.diversify(imk, algorithm: .des, factor: h("00")))
        XCTAssertNil(EMV.packDigits(a("123456789012345A")))
        XCTAssertNil(EMV.packDigits(a("123")))
        XCTAssertThrowsError(try EMV.diversify(h("0123456789ABCDEF"), algorithm: .des, factor: h("0000000000000000")))
        XCTAssertThrowsError(try EMV.diversify(imk, algorithm: .aes128, factor: h("0000000000000000")))
        XCTAssertThrowsError(try EMV.arpcMethod1(key: imk, algorithm: .des, arqc: h("00"), arc: h("0000")))
    }
}
