import XCTest
import HostProtocol
@testable import EVSMKit

/// `E0`, `UQ`, `MS` in test-LMK mode: known answers, parts, round trips, refusals.
///
/// Sources:
/// - [9797] ISO/IEC 9797-1:2011 annex B (X9.19 / alg 3, key 0123456789ABCDEFFEDCBA9876543210)
///   and the FIPS 113 / X9.9 example (key 0123456789ABCDEF), as in KnownAnswerTests.
/// - [FIPS81] FIPS PUB 81 appendix B: DES ECB and CBC (IV 1234567890ABCDEF) of "Now is the
///   time for all " under 0123456789ABCDEF.
/// - [JPOS] jPOS JCESecurityModuleTest: DEK 1334577913345779 (x2) encrypts 0011223344556677
///   to ABFA6F3C28A8CB0C, CBC (zero IV) of it twice to ...99C22188F56DAE9F.
/// - [UP] China UnionPay POS terminal specification "ECB" MAC, worked example published in
///   solo123/pgate test/integration/pos_mac_test.rb: MAK 2222222222222222, MAB
///   1234567890ABCDEFABCDEF1234567890 -> XOR B9F9B96AA4FDB57F, E2 E267B6E21913D339, MAC
///   E267B6E2. DES ignores parity bits, so the parity-adjusted 2323232323232323 (which the
///   HSM requires) gives the same values.
final class RacalDataTests: XCTestCase {
    let d = testDevice()
    let nowAll = Array("Now is the time for all ".utf8)

    func e0(_ r: RacalDataRequest) -> Reply { send(d, (try? r.payload()) ?? []) }

    // MARK: - E0

    func testE0FIPS81AndJPOSKnownAnswers() throws {
        let k = try underLMK(d, clear: "0123456789ABCDEF", type: .zek, scheme: .singleDES)
        let ecb = try call(d, RacalDataRequest(direction: 0, algorithm: 0, key: k, padding: .none, data: nowAll), RacalDataResponse.self)
        XCTAssertEqual(Hex.string(ecb.data), "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53")
        XCTAssertNil(ecb.iv)
        let cbc = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: k, padding: .none, iv: Array("1234567890ABCDEF".utf8), data: nowAll),
                           RacalDataResponse.self)
        XCTAssertEqual(Hex.string(cbc.data), "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6")
        XCTAssertNil(cbc.iv, "block flag 0: no IV in the reply")
        // Binary IV form gives the same.
        let bin = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: k, padding: .none, iv: hex("1234567890ABCDEF"), data: nowAll),
                           RacalDataResponse.self)
        XCTAssertEqual(bin.data, cbc.data)
        // Hex output, decrypt back.
        let back = try call(d, RacalDataRequest(direction: 1, algorithm: 1, key: k, inputFormat: 1, outputFormat: 1, padding: .none,
                                                iv: Array("1234567890ABCDEF".utf8), data: Array(Hex.string(cbc.data).utf8)), RacalDataResponse.self)
        XCTAssertEqual(back.outputFormat, 1)
        XCTAssertEqual(String(decoding: back.data, as: UTF8.self), Hex.string(nowAll))

        let dek = try underLMK(d, clear: "13345779133457791334577913345779", type: .zek, scheme: .doubleVariant)
        let j = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: dek, padding: .none, iv: Array("0000000000000000".utf8),
                                             data: hex("00112233445566770011223344556677")), RacalDataResponse.self)
        XCTAssertEqual(Hex.string(j.data), "ABFA6F3C28A8CB0C99C22188F56DAE9F")
    }

    /// The vendor padding `180000`: `80` then zeros on the last block; removed on decryption.
    func testE0PaddingMethod2() throws {
        let k = try underLMK(d, clear: "0123456789ABCDEF", type: .zek, scheme: .singleDES)
        let r = try call(d, RacalDataRequest(direction: 0, algorithm: 0, key: k, data: nowAll), RacalDataResponse.self)
        XCTAssertEqual(r.data.count, 32, "a whole-block message gets a full pad block")
        XCTAssertEqual(Hex.string(r.data.prefix(24)), "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53")
        // Cross-check computed with the OpenSSL command line (DES-EDE3 K|K|K of 80 00...00).
        XCTAssertEqual(Hex.string(r.data.suffix(8)), "CAEE534C523E1E79")
        let back = try call(d, RacalDataRequest(direction: 1, algorithm: 0, key: k, data: r.data), RacalDataResponse.self)
        XCTAssertEqual(back.data, nowAll)
        for n in [1, 7, 8, 9, 15, 100] {
            let m = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
            let e = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: k, iv: hex("0102030405060708"), data: m), RacalDataResponse.self)
            XCTAssertEqual(e.data.count, (n / 8 + 1) * 8)
            let b = try call(d, RacalDataRequest(direction: 1, algorithm: 1, key: k, iv: hex("0102030405060708"), data: e.data), RacalDataResponse.self)
            XCTAssertEqual(b.data, m, "length \(n)")
        }
        // Decrypting data whose last block is not method-2 padded: 15.
        XCTAssertEqual(e0(RacalDataRequest(direction: 1, algorithm: 0, key: k, data: hex("3FA40E8A984D4815"))).error, "15")
    }

    /// CBC in parts (first, middle, last) chained through the returned IV equals one call,
    /// for DES (hex and binary IV forms) and SM4 keys.
    func testE0PartsEqualOneShot() throws {
        let des = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .doubleVariant)
        let sm4 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .sm4)
        let msg = (0..<77).map { UInt8($0) }
        for (key, bs) in [(des, 8), (sm4, 16)] {
            for hexForm in [true, false] {
                let iv0 = [UInt8](repeating: 0x5A, count: bs)
                let ivField: ([UInt8]) -> [UInt8] = { hexForm ? Array(Hex.string($0).utf8) : $0 }
                let whole = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: key, iv: ivField(iv0), data: msg), RacalDataResponse.self)
                let p1 = try call(d, RacalDataRequest(blockFlag: 1, direction: 0, algorithm: 1, key: key, iv: ivField(iv0), data: Array(msg[0..<(2 * bs)])),
                                  RacalDataResponse.self)
                let iv1 = try XCTUnwrap(p1.iv)
                XCTAssertEqual(iv1.count, ivField(iv0).count, "the reply IV has the request's form")
                let p2 = try call(d, RacalDataRequest(blockFlag: 2, direction: 0, algorithm: 1, key: key, iv: iv1, data: Array(msg[(2 * bs)..<(4 * bs)])),
                                  RacalDataResponse.self)
                let p3 = try call(d, RacalDataRequest(blockFlag: 3, direction: 0, algorithm: 1, key: key, iv: try XCTUnwrap(p2.iv), data: Array(msg[(4 * bs)...])),
                                  RacalDataResponse.self)
                XCTAssertNil(p3.iv)
                XCTAssertEqual(p1.data + p2.data + p3.data, whole.data)
                // Decrypt in parts too.
                let d1 = try call(d, RacalDataRequest(blockFlag: 1, direction: 1, algorithm: 1, key: key, iv: ivField(iv0), data: Array(whole.data[0..<bs])),
                                  RacalDataResponse.self)
                let d3 = try call(d, RacalDataRequest(blockFlag: 3, direction: 1, algorithm: 1, key: key, iv: try XCTUnwrap(d1.iv), data: Array(whole.data[bs...])),
                                  RacalDataResponse.self)
                XCTAssertEqual(d1.data + d3.data, msg)
            }
        }
        // ECB parts: no IV either way.
        let e = try call(d, RacalDataRequest(blockFlag: 1, direction: 0, algorithm: 0, key: des, data: Array(msg[0..<8])), RacalDataResponse.self)
        XCTAssertNil(e.iv)
    }

    /// A ZEK held at a `K` index gives what its key field gives (IV in both forms).
    func testE0StoredZEK() throws {
        let g = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .doubleVariant, store: StoreTarget(index: 21, label: "zek")),
                         GenerateKeyResponse.self)
        for iv in [Array("1234567890ABCDEF".utf8), hex("1234567890ABCDEF")] {
            let a = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: .stored(index: 21), iv: iv, data: nowAll), RacalDataResponse.self)
            let b = try call(d, RacalDataRequest(direction: 0, algorithm: 1, key: g.keyUnderLMK, iv: iv, data: nowAll), RacalDataResponse.self)
            XCTAssertEqual(a, b)
        }
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: .stored(index: 22), data: [1])).error, "12")
        // Stored as a ZEK, so a MAC command refuses it: 27.
        XCTAssertEqual(send(d, try ZAKTAKMACRequest(keyKind: 1, keyLength: 1, key: .stored(index: 21), iv: Array("0000000000000000".utf8), data: [1]).payload()).error, "27")
    }

    func testE0Refusals() throws {
        let k = try underLMK(d, clear: "0123456789ABCDEF", type: .zek, scheme: .singleDES)
        let zpk = try underLMK(d, clear: "0123456789ABCDEF", type: .zpk, scheme: .singleDES)
        // Wrong key: a ZPK decrypts to garbage under the ZEK LMK: 10. Key type field not 0: 27.
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: zpk, data: [1])).error, "10")
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, keyType: 1, key: k, data: [1])).error, "27")
        // Algorithm other than 0/1, padding other than 180000/000000, bad IV, bad hex: 15.
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 2, key: k, iv: Array("0000000000000000".utf8), data: [1])).error, "15")
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: k, padding: RacalPadding(mode: 2, character: 0, countFlag: 0), data: [1])).error, "15")
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 1, key: k, iv: Array("000000000000000G".utf8), data: [1])).error, "15")
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: k, inputFormat: 1, data: Array("0G".utf8))).error, "15")
        // Not whole blocks (no padding, or a first/middle part), empty data: 80.
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: k, padding: .none, data: [1, 2, 3])).error, "80")
        XCTAssertEqual(e0(RacalDataRequest(blockFlag: 1, direction: 0, algorithm: 0, key: k, data: [1, 2, 3])).error, "80")
        XCTAssertEqual(e0(RacalDataRequest(direction: 1, algorithm: 0, key: k, data: [1, 2, 3])).error, "80")
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: k, data: [])).error, "80")
        // Output longer than 3H: 80.
        XCTAssertEqual(e0(RacalDataRequest(direction: 0, algorithm: 0, key: k, outputFormat: 1, padding: .none, data: [UInt8](repeating: 0, count: 2048))).error, "80")
        // Malformed text: never 00 or 99.
        let zek = "U" + String(repeating: "0", count: 32)
        for b in ["", "0", "0000", "0000" + zek, "0000" + zek + "00", "0000" + zek + "001800000", "0010" + zek + "00180000ZZZ", "5000" + zek,
                  "0010" + zek + "001800000011223344556677001", "0010" + zek + "00180000001122334455667G001a"] {
            let r = send(d, "E0" + b)
            XCTAssertEqual(r.code, "E1")
            XCTAssertNotEqual(r.error, "00", b)
            XCTAssertNotEqual(r.error, "99", b)
        }
    }

    // MARK: - UQ

    func testUQUnionPayKnownAnswer() throws {
        let k = try underLMK(d, clear: "2323232323232323", type: .zpk, scheme: .singleDES)
        let mab = hex("1234567890ABCDEFABCDEF1234567890")
        XCTAssertEqual(Hex.string(try call(d, ZPKMACRequest(key: k, data: mab), ZPKMACResponse.self).mac), "E267B6E2")
        XCTAssertEqual(send(d, try ZPKMACRequest(key: k, data: mab).payload()).text, "E267B6E2")
        XCTAssertEqual(Hex.string(try call(d, ZPKMACRequest(key: k, data: mab, macLength: 16), ZPKMACResponse.self).mac), "E267B6E21913D339")
        // In parts: the chaining value is the running XOR; the last part gives the same MAC.
        let first = try call(d, ZPKMACRequest(blockFlag: 1, key: k, data: Array(mab[0..<8])), ZPKMACResponse.self)
        XCTAssertEqual(Hex.string(first.mac), "1234567890ABCDEF")
        let last = try call(d, ZPKMACRequest(blockFlag: 3, key: k, iv: Array(Hex.string(first.mac).utf8), data: Array(mab[8...])), ZPKMACResponse.self)
        XCTAssertEqual(Hex.string(last.mac), "E267B6E2")
        let lastBin = try call(d, ZPKMACRequest(blockFlag: 3, key: k, iv: first.mac, data: Array(mab[8...])), ZPKMACResponse.self)
        XCTAssertEqual(Hex.string(lastBin.mac), "E267B6E2")
        // Zero padding of a partial last block: XOR of 1234567890ABCDEF and AB CD EF 00.. .
        let short = try call(d, ZPKMACRequest(key: k, data: hex("1234567890ABCDEFABCDEF")), ZPKMACResponse.self)
        let padded = try call(d, ZPKMACRequest(key: k, data: hex("1234567890ABCDEFABCDEF0000000000")), ZPKMACResponse.self)
        XCTAssertEqual(short, padded)
    }

    func testUQPartsEqualOneShotDoubleAndSM4() throws {
        let des = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .doubleVariant)
        let sm4 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .sm4)
        let msg = (0..<50).map { UInt8($0 &* 3) }
        for (k, bs) in [(des, 8), (sm4, 16)] {
            let whole = try call(d, ZPKMACRequest(key: k, data: msg), ZPKMACResponse.self).mac
            XCTAssertEqual(whole.count, 4)
            let p1 = try call(d, ZPKMACRequest(blockFlag: 1, key: k, data: Array(msg[0..<bs])), ZPKMACResponse.self).mac
            let p2 = try call(d, ZPKMACRequest(blockFlag: 2, key: k, iv: p1, data: Array(msg[bs..<(3 * bs)])), ZPKMACResponse.self).mac
            let p3 = try call(d, ZPKMACRequest(blockFlag: 3, key: k, iv: Array(Hex.string(p2).utf8), data: Array(msg[(3 * bs)...])), ZPKMACResponse.self).mac
            XCTAssertEqual(p3, whole)
        }
    }

    func testUQRefusals() throws {
        let k = try underLMK(d, clear: "2323232323232323", type: .zpk, scheme: .singleDES)
        let zak = try underLMK(d, clear: "2323232323232323", type: .zak, scheme: .singleDES)
        let sm4zak = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zak, scheme: .sm4)
        func uq(_ r: ZPKMACRequest) throws -> String { send(d, try r.payload()).error }
        XCTAssertEqual(try uq(ZPKMACRequest(key: zak, data: [1])), "10", "a ZAK is not a ZPK")
        XCTAssertEqual(try uq(ZPKMACRequest(key: sm4zak, data: [1])), "10", "an SM4 ZAK's authenticator does not verify as a ZPK")
        XCTAssertEqual(try uq(ZPKMACRequest(key: k, data: [1], macLength: 6)), "15")
        XCTAssertEqual(try uq(ZPKMACRequest(key: k, data: [1], macLength: 9)), "15")
        XCTAssertEqual(try uq(ZPKMACRequest(key: k, data: [1], macLength: 18)), "15")
        XCTAssertEqual(try uq(ZPKMACRequest(blockFlag: 2, key: k, iv: Array("GGGGGGGGGGGGGGGG".utf8), data: [UInt8](repeating: 0, count: 8))), "15")
        XCTAssertEqual(try uq(ZPKMACRequest(blockFlag: 1, key: k, data: [1, 2, 3])), "80")
        XCTAssertEqual(try uq(ZPKMACRequest(key: k, data: [])), "80")
        for b in ["", "0", "0" + String(repeating: "G", count: 16), "0U" + String(repeating: "0", count: 32) + "00G", "9" + String(repeating: "0", count: 16) + "000" + "08",
                  "3" + String(repeating: "0", count: 16) + "0011"] {
            let r = send(d, "UQ" + b)
            XCTAssertEqual(r.code, "UR")
            XCTAssertNotEqual(r.error, "00", b)
            XCTAssertNotEqual(r.error, "99", b)
        }
    }

    // MARK: - MS

    func testMSISO9797AndX99KnownAnswers() throws {
        let zero = Array("0000000000000000".utf8)
        for (type, kind) in [(KeyType.tak, 0), (.zak, 1)] {
            let k2 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: type, scheme: .doubleVariant)
            let a = try call(d, ZAKTAKMACRequest(keyKind: kind, keyLength: 1, key: k2, iv: zero, data: Array("Now is the time for all ".utf8)), ZAKTAKMACResponse.self)
            XCTAssertEqual(Hex.string(a.mac), "A1C72E74EA3FA9B6")
            let b = try call(d, ZAKTAKMACRequest(keyKind: kind, keyLength: 1, key: k2, iv: [UInt8](repeating: 0, count: 8), data: Array("Now is the time for it".utf8)),
                             ZAKTAKMACResponse.self)
            XCTAssertEqual(Hex.string(b.mac), "2E2B1428CC78254F")
            let k1 = try underLMK(d, clear: "0123456789ABCDEF", type: type, scheme: .singleDES)
            let c = try call(d, ZAKTAKMACRequest(keyKind: kind, keyLength: 0, key: k1, iv: zero, data: Array("7654321 Now is the time for ".utf8)), ZAKTAKMACResponse.self)
            XCTAssertEqual(Hex.string(c.mac), "F1D30F6849312CA4")
            // Data type 1: the same message as hex.
            let h = try call(d, ZAKTAKMACRequest(keyKind: kind, keyLength: 0, dataType: 1, key: k1, iv: zero,
                                                 data: Array(Hex.string(Array("7654321 Now is the time for ".utf8)).utf8)), ZAKTAKMACResponse.self)
            XCTAssertEqual(h, c)
            XCTAssertEqual(send(d, try ZAKTAKMACRequest(keyKind: kind, keyLength: 0, key: k1, iv: zero, data: Array("7654321 Now is the time for ".utf8)).payload()).text,
                           "F1D30F6849312CA4")
        }
    }

    /// First / middle / last through the chaining value give the one-call MAC (X9.19, X9.9, SM4).
    func testMSPartsEqualOneShot() throws {
        let msg = Array("Now is the time for all good men to come to the aid".utf8)
        let cases: [(String, KeyScheme, Int, Int)] = [("0123456789ABCDEFFEDCBA9876543210", .doubleVariant, 1, 8),
                                                      ("0123456789ABCDEF", .singleDES, 0, 8),
                                                      ("0123456789ABCDEFFEDCBA9876543210", .sm4, 1, 16)]
        for (clear, scheme, len, bs) in cases {
            let k = try underLMK(d, clear: clear, type: .zak, scheme: scheme)
            let z = [UInt8](repeating: 0, count: bs)
            let whole = try call(d, ZAKTAKMACRequest(keyKind: 1, keyLength: len, key: k, iv: z, data: msg), ZAKTAKMACResponse.self).mac
            XCTAssertEqual(whole.count, bs)
            let c1 = try call(d, ZAKTAKMACRequest(blockFlag: 1, keyKind: 1, keyLength: len, key: k, iv: z, data: Array(msg[0..<bs])), ZAKTAKMACResponse.self).mac
            let c2 = try call(d, ZAKTAKMACRequest(blockFlag: 2, keyKind: 1, keyLength: len, key: k, iv: Array(Hex.string(c1).utf8), data: Array(msg[bs..<(2 * bs)])),
                              ZAKTAKMACResponse.self).mac
            let m = try call(d, ZAKTAKMACRequest(blockFlag: 3, keyKind: 1, keyLength: len, key: k, iv: c2, data: Array(msg[(2 * bs)...])), ZAKTAKMACResponse.self).mac
            XCTAssertEqual(m, whole, "\(scheme)")
        }
    }

    func testMSRefusals() throws {
        let zero = Array("0000000000000000".utf8)
        let tak = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .tak, scheme: .doubleVariant)
        let zpk = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zpk, scheme: .doubleVariant)
        func ms(_ r: ZAKTAKMACRequest) throws -> String { send(d, try r.payload()).error }
        // A ZPK is not a MAC key; a TAK declared as a ZAK: 10. Key type field 2: 27.
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 0, keyLength: 1, key: zpk, iv: zero, data: [1])), "10")
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 1, keyLength: 1, key: tak, iv: zero, data: [1])), "10")
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 2, keyLength: 1, key: tak, iv: zero, data: [1])), "27")
        // Key length flag not matching, non-hex data or IV: 15.
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 0, keyLength: 0, key: tak, iv: zero, data: [1])), "15")
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 0, keyLength: 1, dataType: 1, key: tak, iv: zero, data: Array("0G".utf8))), "15")
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 0, keyLength: 1, key: tak, iv: Array("000000000000000G".utf8), data: [1])), "15")
        // Not whole blocks for a first part, empty data: 80.
        XCTAssertEqual(try ms(ZAKTAKMACRequest(blockFlag: 1, keyKind: 0, keyLength: 1, key: tak, iv: zero, data: [1, 2, 3])), "80")
        XCTAssertEqual(try ms(ZAKTAKMACRequest(keyKind: 0, keyLength: 1, key: tak, iv: zero, data: [])), "80")
        let u = "U" + String(repeating: "0", count: 32)
        for b in ["", "0010", "0010" + u, "0010" + u + "0000000000000000", "0010" + u + "00000000000000000004ab", "9010" + u, "0010" + u + "0000000000000000000G"] {
            let r = send(d, "MS" + b)
            XCTAssertEqual(r.code, "MT")
            XCTAssertNotEqual(r.error, "00", b)
            XCTAssertNotEqual(r.error, "99", b)
        }
    }

    // MARK: - Mutations

    /// Mutated `E0`/`UQ`/`MS` requests (fixed seed, 3000 in all): always an `E1`/`UR`/`MT`
    /// reply and never `99`.
    func testMutatedRequestsNeverCrash() throws {
        let zek = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .doubleVariant)
        let sm4 = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zek, scheme: .sm4)
        let zpk = try underLMK(d, clear: "2323232323232323", type: .zpk, scheme: .singleDES)
        let zak = try underLMK(d, clear: "0123456789ABCDEFFEDCBA9876543210", type: .zak, scheme: .doubleVariant)
        let seeds: [[UInt8]] = [
            try RacalDataRequest(blockFlag: 1, direction: 0, algorithm: 1, key: zek, iv: Array("0000000000000000".utf8), data: Array(nowAll[0..<16])).payload(),
            try RacalDataRequest(direction: 1, algorithm: 1, key: sm4, inputFormat: 1, outputFormat: 1, iv: [UInt8](repeating: 1, count: 16),
                                 data: Array(String(repeating: "AB", count: 16).utf8)).payload(),
            try ZPKMACRequest(blockFlag: 3, key: zpk, iv: Array("1234567890ABCDEF".utf8), data: [1, 2, 3]).payload(),
            try ZAKTAKMACRequest(blockFlag: 2, keyKind: 1, keyLength: 1, dataType: 1, key: zak, iv: [UInt8](repeating: 0, count: 8), data: Array("0011223344556677".utf8)).payload(),
        ]
        var rng = SplitMix64(seed: 0xE0_55_00)
        for i in 0..<3000 {
            let s = seeds[i % seeds.count]
            var m = s
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: m.removeLast(Int.random(in: 1...(m.count - 2), using: &rng))
            case 1: for _ in 0..<Int.random(in: 1...3, using: &rng) { m[Int.random(in: 2..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            case 2: m += (0..<Int.random(in: 1...9, using: &rng)).map { _ in UInt8.random(in: 0x30...0x46, using: &rng) }
            default: m.insert(UInt8.random(in: 0x30...0x39, using: &rng), at: Int.random(in: 2..<m.count, using: &rng))
            }
            let r = send(d, m)
            let c = Array(s.prefix(2))
            XCTAssertEqual(r.code, String(decoding: [c[0], c[1] + 1], as: UTF8.self))
            XCTAssertNotEqual(r.error, "99", Hex.string(m))
        }
    }
}
