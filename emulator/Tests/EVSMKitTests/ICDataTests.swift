import XCTest
import HostProtocol
@testable import EVSMKit

/// `S0`, `S3`, `S4`, `S5` in test-LMK mode: published known answers, values computed
/// independently with the `openssl enc` command line (OpenSSL 3.0, `-des-ede-ecb`,
/// `-des-ede-cbc`, `-sm4-ecb`, `-sm4-cbc`, `-nopad`; DES parity set by hand), round trips
/// and refusals.
///
/// Sources of the published values:
/// - [ISO9797] ISO/IEC 9797-1:2011 annex B (MAC algorithm 3, padding method 1), as also in
///   /work/shared/vectors/public-kat.json: key 0123456789ABCDEF FEDCBA9876543210.
/// - [X99] ANSI X9.9 / FIPS 113 style example: key 0123456789ABCDEF, "7654321 Now is the
///   time for " -> F1D30F6849312CA4.
/// - [SM4] GB/T 32907-2016 example 1.
final class ICDataKnownAnswerTests: XCTestCase {
    let k2 = "0123456789ABCDEFFEDCBA9876543210"
    let factor = hex("1234567890123456EDCBA98765432109")
    /// 8 bytes of session data (an ATC padded on the left).
    let atc = hex("0000000000000012")

    func mac(_ d: Device, mode: Int, type: Int = 8, key: ICKeySpec, padding: Int, data: [UInt8], iv: [UInt8]) throws -> String {
        Hex.string(try call(d, ICGenerateMACRequest(macMode: mode, macType: type, key: key, padding: padding, data: data, iv: iv),
                            ICGenerateMACResponse.self).mac)
    }

    /// [ISO9797] and [X99] through S0 with the clear key under the test LMK as a ZAK.
    func testS0PublishedMACs() throws {
        let d = testDevice()
        let zak = ICKeySpec(keyType: .zak, key: try underLMK(d, clear: k2, type: .zak, scheme: .doubleVariant))
        let z8 = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(try mac(d, mode: 3, key: zak, padding: 2, data: Array("Now is the time for all ".utf8), iv: z8), "A1C72E74EA3FA9B6")
        XCTAssertEqual(try mac(d, mode: 3, key: zak, padding: 2, data: Array("Now is the time for it".utf8), iv: z8), "2E2B1428CC78254F")
        // MAC type 04: the leftmost 8H.
        XCTAssertEqual(try mac(d, mode: 3, type: 4, key: zak, padding: 2, data: Array("Now is the time for it".utf8), iv: z8), "2E2B1428")
        let single = ICKeySpec(keyType: .zak, key: try underLMK(d, clear: "0123456789ABCDEF", type: .zak, scheme: .singleDES))
        XCTAssertEqual(try mac(d, mode: 1, key: single, padding: 2, data: Array("7654321 Now is the time for ".utf8), iv: z8), "F1D30F6849312CA4")
        // MAC type 10 under a DES key: the whole block (16H), as TASS's Tass_GenUnionMac_IV expects.
        XCTAssertEqual(try mac(d, mode: 3, type: 10, key: zak, padding: 2, data: Array("Now is the time for all ".utf8), iv: z8), "A1C72E74EA3FA9B6")
        // The same key as a TAK works with type 003.
        let tak = ICKeySpec(keyType: .tak, key: try underLMK(d, clear: k2, type: .tak, scheme: .doubleX917))
        XCTAssertEqual(try mac(d, mode: 3, key: tak, padding: 2, data: Array("Now is the time for all ".utf8), iv: z8), "A1C72E74EA3FA9B6")
    }

    /// The raw vendor bytes of `Tass_Gen_ANSI_Mac` (mode 03, type 08, ZAK, no derivation,
    /// padding 02, zero IV) give the published MAC.
    func testS0VendorBytes() throws {
        let d = testDevice()
        let zak = try underLMK(d, clear: k2, type: .zak, scheme: .doubleVariant)
        let r = send(d, Array("S00308008".utf8) + zak.wire + Array("000002".utf8) + Array("0018Now is the time for all 0000000000000000".utf8))
        XCTAssertEqual(r.code, "S1")
        XCTAssertEqual(r.error, "00")
        XCTAssertEqual(r.text, "A1C72E74EA3FA9B6")
    }

    /// [SM4] through S3 (ECB, padding 05) with the clear key as an SM4 ZEK, and back via S4.
    func testS3PublishedSM4() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: k2, type: .zek, scheme: .sm4))
        let c = try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: zek, padding: 5, data: hex(k2))), ICCipherResponse.self)
        XCTAssertEqual(Hex.string(c.data), "681EDF34D206965E86B3E94F536E4246")
        XCTAssertEqual(try call(d, ICDecryptRequest(ICCipherFields(mode: 0, key: zek, padding: 5, data: c.data)), ICCipherResponse.self).data, hex(k2))
    }

    /// Derivation and session keys (openssl): DES parent k2, factor F: child
    /// 3DES-ECB(k2, F) with parity = A82FD66425830BD0D03D4FFD6B4C1CE3; session mode 1 with
    /// X = 0000000000000012: 3DES-ECB(child, X || ~X) with parity =
    /// 02319E3EF22CFE8A91ADC179326225D3. S3 ECB of 0123456789ABCDEF twice.
    func testS3DerivationAndSessionDES() throws {
        let d = testDevice()
        let mdk = try underLMK(d, clear: k2, type: .mkAC, scheme: .doubleVariant)
        let data = hex("0123456789ABCDEF0123456789ABCDEF")
        func enc(_ spec: ICKeySpec) throws -> String {
            Hex.string(try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: spec, padding: 5, data: data)), ICCipherResponse.self).data)
        }
        XCTAssertEqual(try enc(ICKeySpec(keyType: .mkAC, key: mdk, derivation: [factor])), "E2C15823A1C8AE27E2C15823A1C8AE27")
        XCTAssertEqual(try enc(ICKeySpec(keyType: .mkAC, key: mdk, derivation: [factor], session: ICSessionKey(mode: 1, data: atc))),
                       "66E77B3EB1826A8C66E77B3EB1826A8C")
        // Session mode 2 (16 bytes, PBOC form 00..ATC || 00..~ATC) on the parent itself.
        XCTAssertEqual(try enc(ICKeySpec(keyType: .mkAC, key: mdk, session: ICSessionKey(mode: 2, data: hex("000000000000001200000000000000ED")))),
                       "6973CF908C8D78C86973CF908C8D78C8")
        // The derived child put under the LMK directly gives the same as deriving inside.
        let child = try underLMK(d, clear: "A82FD66425830BD0D03D4FFD6B4C1CE3", type: .zek, scheme: .doubleX917)
        XCTAssertEqual(try enc(ICKeySpec(keyType: .zek, key: child)), "E2C15823A1C8AE27E2C15823A1C8AE27")
    }

    /// SM4 (openssl): child SM4-ECB(k2, F) = CD70BB3AEA1341267D0D8D877B002F2C, session
    /// SM4-ECB(child, X || ~X) = E6D10D115670F155717E0A2E2A79CF52.
    func testS3AndS0DerivationAndSessionSM4() throws {
        let d = testDevice()
        let zek = try underLMK(d, clear: k2, type: .zek, scheme: .sm4)
        let spec = ICKeySpec(keyType: .zek, key: zek, derivation: [factor], session: ICSessionKey(mode: 1, data: atc))
        let c = try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: spec, padding: 5, data: hex("0123456789ABCDEF0123456789ABCDEF"))), ICCipherResponse.self)
        XCTAssertEqual(Hex.string(c.data), "4901F990313811753FA355280269D080")
        // S0 algorithm 1 with the same SM4 working key (as a ZAK), padding 01, IV 00..0F,
        // MAC type 10 (32H): the last block of SM4-CBC over the padded data.
        let zak = try underLMK(d, clear: k2, type: .zak, scheme: .sm4)
        let mspec = ICKeySpec(keyType: .zak, key: zak, derivation: [factor], session: ICSessionKey(mode: 1, data: atc))
        let iv = hex("000102030405060708090A0B0C0D0E0F")
        XCTAssertEqual(try mac(d, mode: 1, type: 10, key: mspec, padding: 1, data: Array("Now is the time for all ".utf8), iv: iv),
                       "31559AEF250E5FAC2AE139B9C4CE1960")
        XCTAssertEqual(try mac(d, mode: 1, type: 8, key: mspec, padding: 1, data: Array("Now is the time for all ".utf8), iv: iv),
                       "31559AEF250E5FAC")
    }

    /// S0 algorithm 3 with a derived session key and a non-zero IV (openssl, single-DES CBC
    /// under K1 from the IV, then D(K2), E(K1)).
    func testS0RetailMACWithDerivedKeyAndIV() throws {
        let d = testDevice()
        let zak = try underLMK(d, clear: k2, type: .zak, scheme: .doubleVariant)
        let spec = ICKeySpec(keyType: .zak, key: zak, derivation: [factor], session: ICSessionKey(mode: 1, data: atc))
        XCTAssertEqual(try mac(d, mode: 3, key: spec, padding: 1, data: Array("Now is the time for all ".utf8), iv: hex("0102030405060708")),
                       "BAD0042FB39ABC8A")
    }

    /// Padding modes (openssl, 3DES-ECB/CBC under k2 of "Now is the time for it", 22 bytes).
    func testS3PaddingModes() throws {
        let d = testDevice()
        let zek = ICKeySpec(keyType: .zek, key: try underLMK(d, clear: k2, type: .zek, scheme: .doubleVariant))
        let m = Array("Now is the time for it".utf8)
        let expected: [(Int, String)] = [
            (0, "CEE8C663777CE6B18F35666B0C1AE4DF3481B0C0164B05B7"),  // 16 || data || 80
            (1, "D80A0D8B2BAE5E4E6A0094171ABCFC27711FE3E8083B6D45"),  // data || 80 00
            (3, "D80A0D8B2BAE5E4E6A0094171ABCFC2729A8B8E2C3295289"),  // data || 00 02
            (4, "D80A0D8B2BAE5E4E6A0094171ABCFC27C76CDFA5085C1D7C"),  // data || 02 02
        ]
        for (p, c) in expected {
            let r = try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: zek, padding: p, data: m)), ICCipherResponse.self)
            XCTAssertEqual(Hex.string(r.data), c, "padding \(p)")
            XCTAssertEqual(try call(d, ICDecryptRequest(ICCipherFields(mode: 0, key: zek, padding: p, data: r.data)), ICCipherResponse.self).data, m,
                           "padding \(p)")
        }
        let cbc = try call(d, ICEncryptRequest(ICCipherFields(mode: 1, key: zek, padding: 4, data: m, iv: hex("0102030405060708"))), ICCipherResponse.self)
        XCTAssertEqual(Hex.string(cbc.data), "DBABAB266E84CCE3F51C1D0E6C47A51CC262BF7B5FB4BAC8")
        // Zeros (02): padded to whole blocks, left in place on decryption.
        let z = try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: zek, padding: 2, data: m)), ICCipherResponse.self)
        XCTAssertEqual(try call(d, ICDecryptRequest(ICCipherFields(mode: 0, key: zek, padding: 2, data: z.data)), ICCipherResponse.self).data, m + [0, 0])
    }

    func testPaddingFunctions() throws {
        for bs in [8, 16] {
            for n in 1...40 {
                let data = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 1) }
                for mode in [0, 1, 3, 4] {
                    let p = try ICHandlerSupport.pad(data, mode: mode, blockSize: bs)
                    XCTAssertEqual(p.count % bs, 0)
                    XCTAssertEqual(try ICHandlerSupport.unpad(p, mode: mode, blockSize: bs), data, "mode \(mode) n \(n)")
                }
                let z = try ICHandlerSupport.pad(data, mode: 2, blockSize: bs)
                XCTAssertEqual(z.count, (n + bs - 1) / bs * bs)
            }
        }
        // Method 2 always adds a block to aligned data; PKCS#5 too.
        XCTAssertEqual(try ICHandlerSupport.pad([UInt8](repeating: 1, count: 8), mode: 1, blockSize: 8).count, 16)
        XCTAssertEqual(try ICHandlerSupport.pad([UInt8](repeating: 1, count: 8), mode: 4, blockSize: 8).suffix(8), [UInt8](repeating: 8, count: 8)[...])
        // PBOC encryption padding: 7 bytes + the length byte are one block, no 80 added.
        XCTAssertEqual(try ICHandlerSupport.pad([1, 2, 3, 4, 5, 6, 7], mode: 0, blockSize: 8), [7, 1, 2, 3, 4, 5, 6, 7])
        // Malformed padding after decryption: 15.
        XCTAssertThrowsError(try ICHandlerSupport.unpad([1, 2, 3, 4, 5, 6, 7, 9], mode: 4, blockSize: 8))
        XCTAssertThrowsError(try ICHandlerSupport.unpad([1, 2, 3, 4, 5, 6, 7, 0], mode: 3, blockSize: 8))
        XCTAssertThrowsError(try ICHandlerSupport.unpad([1, 2, 3, 4, 5, 6, 7, 0], mode: 1, blockSize: 8))
        XCTAssertThrowsError(try ICHandlerSupport.unpad([9, 2, 3, 4, 5, 6, 7, 0], mode: 0, blockSize: 8))
        XCTAssertThrowsError(try ICHandlerSupport.unpad([2, 2, 3, 0x80, 0, 0, 0, 1], mode: 0, blockSize: 8))
        for m in [10, 11, 6, 99] {
            XCTAssertThrowsError(try ICHandlerSupport.pad([1], mode: m, blockSize: 8))
        }
    }
}

/// Round trips and refusals of `S0`, `S3`, `S4`, `S5`.
final class ICDataRefusalTests: XCTestCase {
    let k2 = "0123456789ABCDEFFEDCBA9876543210"

    func zek(_ d: Device, _ scheme: KeyScheme = .doubleVariant, type: KeyType = .zek) throws -> KeyField {
        let clear = scheme == .singleDES ? "0123456789ABCDEF" : scheme == .tripleVariant ? k2 + "0123456789ABCDEF" : k2
        return try underLMK(d, clear: clear, type: type, scheme: scheme)
    }

    func error(_ d: Device, _ r: some HostCommandRequest) throws -> String {
        send(d, try r.payload()).error
    }

    /// S5 re-encrypts from one working key to another; the result decrypts under the
    /// destination with S4; every scheme, CBC and ECB, derivation on either side.
    func testS5TranslatesBetweenKeys() throws {
        let d = testDevice()
        let plain = Array("track 2 data: 6222020200112233445=2512".utf8)
        let f = [UInt8](repeating: 0x42, count: 16)
        for (ss, ds) in [(KeyScheme.doubleVariant, KeyScheme.sm4), (.sm4, .aes128), (.tripleVariant, .singleDES), (.aes128, .doubleX917)] {
            let sk = try zek(d, ss), dk = try zek(d, ds, type: .mkAC)
            let src = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .zek, key: sk, derivation: [f]), padding: 4,
                                   iv: [UInt8](repeating: 7, count: ss.algorithm.blockSize))
            let dst = ICCipherSide(mode: 0, key: ICKeySpec(keyType: .mkAC, key: dk, session: ICSessionKey(mode: 2, data: f)), padding: 0)
            let c = try call(d, ICEncryptRequest(ICCipherFields(mode: src.mode, key: src.key, padding: src.padding, data: plain, iv: src.iv)),
                             ICCipherResponse.self)
            let t = try call(d, ICTranslateRequest(source: src, destination: dst, data: c.data), ICCipherResponse.self)
            XCTAssertEqual(t.data.count % ds.algorithm.blockSize, 0)
            XCTAssertNotEqual(t.data, c.data)
            let back = try call(d, ICDecryptRequest(ICCipherFields(mode: 0, key: dst.key, padding: 0, data: t.data)), ICCipherResponse.self)
            XCTAssertEqual(back.data, plain, "\(ss) -> \(ds)")
        }
    }

    /// Keys stored at `K` indexes (A0 with a store suffix) work, with 16H and 32H IVs.
    func testStoredKeys() throws {
        let d = testDevice()
        _ = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .sm4, store: StoreTarget(index: 21, label: "sm4")), GenerateKeyResponse.self)
        _ = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .doubleVariant, store: StoreTarget(index: 22, label: "des")), GenerateKeyResponse.self)
        _ = try call(d, GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant, store: StoreTarget(index: 23, label: "mac")), GenerateKeyResponse.self)
        let plain = [UInt8](repeating: 0x61, count: 20)
        for (i, bs) in [(21, 16), (22, 8)] {
            let s = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .zek, key: .stored(index: i)), padding: 4, iv: [UInt8](repeating: 1, count: bs))
            let c = try call(d, ICEncryptRequest(ICCipherFields(mode: 1, key: s.key, padding: 4, data: plain, iv: s.iv)), ICCipherResponse.self)
            XCTAssertEqual(try call(d, ICDecryptRequest(ICCipherFields(mode: 1, key: s.key, padding: 4, data: c.data, iv: s.iv)), ICCipherResponse.self).data, plain)
            let other = ICCipherSide(mode: 1, key: ICKeySpec(keyType: .zek, key: .stored(index: 43 - i)), padding: 4,
                                     iv: [UInt8](repeating: 2, count: 24 - bs))
            let t = try call(d, ICTranslateRequest(source: s, destination: other, data: c.data), ICCipherResponse.self)
            XCTAssertEqual(try call(d, ICDecryptRequest(ICCipherFields(mode: 1, key: other.key, padding: 4, data: t.data, iv: other.iv)),
                                    ICCipherResponse.self).data, plain)
        }
        let m = try call(d, ICGenerateMACRequest(macMode: 3, macType: 8, key: ICKeySpec(keyType: .zak, key: .stored(index: 23)), padding: 1,
                                                 data: plain, iv: [UInt8](repeating: 0, count: 8)), ICGenerateMACResponse.self)
        XCTAssertEqual(m.mac.count, 8)
        // An IV of the wrong block size for a stored key: 15.
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 1, key: ICKeySpec(keyType: .zek, key: .stored(index: 21)), padding: 4,
                                                                    data: plain, iv: [UInt8](repeating: 0, count: 8)))), "15")
        // A stored ZEK used as a ZAK: 27; an empty index: 12.
        XCTAssertEqual(try error(d, ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zak, key: .stored(index: 22)), padding: 1,
                                                         data: plain, iv: [UInt8](repeating: 0, count: 8))), "27")
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: .stored(index: 99)), padding: 4, data: plain))), "12")
    }

    func testWrongKeyTypeIsRefused() throws {
        let d = testDevice()
        let zak = try zek(d, type: .zak)
        let zekKey = try zek(d)
        let z8 = [UInt8](repeating: 0, count: 8)
        // A type the command does not take: 27 (ZPK for S0, ZAK for S3/S4, ZPK for S5).
        XCTAssertEqual(try error(d, ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zpk, key: zak), padding: 1, data: [1], iv: z8)), "27")
        XCTAssertEqual(try error(d, ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zek, key: zekKey), padding: 1, data: [1], iv: z8)), "27")
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zak, key: zak), padding: 4, data: [1]))), "27")
        XCTAssertEqual(try error(d, ICDecryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zak, key: zak), padding: 5, data: z8))), "27")
        // A key of another type presented as the type: 10 (source), 11 (S5 destination).
        XCTAssertEqual(try error(d, ICGenerateMACRequest(macMode: 1, macType: 8, key: ICKeySpec(keyType: .zak, key: zekKey), padding: 1, data: [1], iv: z8)), "10")
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: zak), padding: 4, data: [1]))), "10")
        let sm4zak = try zek(d, .sm4, type: .zak)
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: sm4zak), padding: 4, data: [1]))), "10")
        let good = ICCipherSide(mode: 0, key: ICKeySpec(keyType: .zek, key: zekKey), padding: 5)
        let badDst = ICCipherSide(mode: 0, key: ICKeySpec(keyType: .zek, key: zak), padding: 5)
        XCTAssertEqual(try error(d, ICTranslateRequest(source: good, destination: badDst, data: z8)), "11")
        XCTAssertEqual(try error(d, ICTranslateRequest(source: badDst, destination: good, data: z8)), "10")
        let zpkSide = ICCipherSide(mode: 0, key: ICKeySpec(keyType: .zpk, key: zekKey), padding: 5)
        XCTAssertEqual(try error(d, ICTranslateRequest(source: good, destination: zpkSide, data: z8)), "27")
    }

    func testBadLengthsAndValuesAreRefused() throws {
        let d = testDevice()
        let k = try zek(d)
        let sm4 = try zek(d, .sm4)
        let zak = try zek(d, type: .zak)
        let single = try zek(d, .singleDES, type: .zak)
        let z8 = [UInt8](repeating: 0, count: 8)
        func s3(_ mode: Int, _ key: KeyField = k, pad: Int, data: [UInt8], iv: [UInt8]? = nil, session: ICSessionKey = .none,
                levels: Int = 0) throws -> String {
            try error(d, ICEncryptRequest(ICCipherFields(mode: mode, key: ICKeySpec(keyType: .zek, key: key,
                                                                                     derivation: [[UInt8]](repeating: [UInt8](repeating: 1, count: 16), count: levels),
                                                                                     session: session),
                                                         padding: pad, data: data, iv: iv)))
        }
        XCTAssertEqual(try s3(0, pad: 5, data: [1, 2, 3]), "80")                   // no padding, not whole blocks
        XCTAssertEqual(try s3(0, pad: 4, data: []), "80")                          // empty
        XCTAssertEqual(try s3(0, pad: 0, data: [UInt8](repeating: 1, count: 256)), "80")  // PBOC length byte
        XCTAssertEqual(try s3(0, pad: 6, data: [1]), "15")                         // unknown padding
        XCTAssertEqual(try s3(0, pad: 10, data: [1]), "15")
        XCTAssertEqual(try s3(2, pad: 4, data: [1]), "15")                         // CFB without an IV (ICFeedbackModeTests)
        XCTAssertEqual(try s3(3, pad: 4, data: [1]), "15")                         // OFB without an IV
        XCTAssertEqual(try s3(1, sm4, pad: 4, data: [1], iv: z8), "80")           // an 8-byte IV for an SM4 key: short field
        XCTAssertEqual(try s3(0, pad: 4, data: [1], session: ICSessionKey(mode: 3)), "15")  // session modes 3-5 unsupported
        XCTAssertEqual(try s3(0, pad: 4, data: [1], session: ICSessionKey(mode: 5, data: [UInt8](repeating: 0, count: 16))), "15")
        XCTAssertEqual(try s3(0, pad: 4, data: [1], levels: 9), "15")              // more than 8 levels
        XCTAssertEqual(try s3(0, pad: 4, data: [1], levels: 8), "00")
        // S4: not whole blocks 80; padding that does not check 15.
        XCTAssertEqual(try error(d, ICDecryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: k), padding: 5, data: [1, 2, 3]))), "80")
        XCTAssertEqual(try error(d, ICDecryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: k), padding: 4,
                                                                    data: try call(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: k), padding: 5, data: z8)), ICCipherResponse.self).data))), "15")
        // S0: MAC mode 02, MAC type longer than the block, algorithm 3 with single DES or SM4, 4 levels, empty data.
        func s0(_ mode: Int, _ type: Int, _ key: KeyField, pad: Int = 1, data: [UInt8] = [1], iv: [UInt8]? = nil, levels: Int = 0) throws -> String {
            let ivv = iv ?? [UInt8](repeating: 0, count: key == sm4 ? 16 : 8)
            return try error(d, ICGenerateMACRequest(macMode: mode, macType: type,
                                                     key: ICKeySpec(keyType: .zak, key: key, derivation: [[UInt8]](repeating: [UInt8](repeating: 1, count: 16), count: levels)),
                                                     padding: pad, data: data, iv: ivv))
        }
        XCTAssertEqual(try s0(2, 8, zak), "15")
        XCTAssertEqual(try s0(1, 10, zak), "00")                                   // the whole 8-byte block
        XCTAssertEqual(try s0(1, 9, zak), "15")
        XCTAssertEqual(try s0(3, 8, single), "15")
        XCTAssertEqual(try s0(1, 8, zak, levels: 4), "15")
        XCTAssertEqual(try s0(1, 8, zak, levels: 3), "00")
        XCTAssertEqual(try s0(1, 8, zak, data: []), "80")
        XCTAssertEqual(try s0(1, 8, zak, pad: 5, data: [1, 2, 3]), "80")
        XCTAssertEqual(try s0(1, 8, zak, pad: 11), "15")
        // A stored-length IV of the wrong block size for an encrypted key does not decode: 80.
        XCTAssertEqual(try s0(1, 8, zak, iv: [UInt8](repeating: 0, count: 16)), "80")
        // SM1 keys: 26.
        let sm1 = KeyField.encrypted(scheme: .sm1, material: [UInt8](repeating: 0, count: 16))
        XCTAssertEqual(try error(d, ICEncryptRequest(ICCipherFields(mode: 0, key: ICKeySpec(keyType: .zek, key: sm1), padding: 4, data: [1]))), "26")
    }

    func testNonHexAndMalformedFieldsAreRefused() throws {
        let d = testDevice()
        let k = String(decoding: try zek(d).wire, as: UTF8.self)
        XCTAssertEqual(send(d, "S300" + "00A" + k + "01" + String(repeating: "X", count: 32) + "00" + "05" + "0008ABCDEFGH").error, "15")
        XCTAssertEqual(send(d, "S300" + "00A" + k + "00" + "01" + "XXXXXXXXXXXXXXXX" + "05" + "0008ABCDEFGH").error, "15")
        XCTAssertEqual(send(d, "S301" + "00A" + k + "00" + "00" + "05" + "0008ABCDEFGH" + "XXXXXXXXXXXXXXXX").error, "15")
        XCTAssertEqual(send(d, "S300" + "00A" + k + "00" + "00" + "05" + "00G8ABCDEFGH").error, "15")
        XCTAssertEqual(send(d, "S0" + "0108" + "008" + k + "00" + "00" + "01" + "0001A" + "GGGGGGGGGGGGGGGG").error, "15")
        XCTAssertEqual(send(d, "S4" + "0X" + "00A" + k).error, "15")
        XCTAssertEqual(send(d, "S5" + "00" + "00A" + k + "00" + "00" + "05" + "00" + "00A" + k + "00" + "00" + "05" + "0008ABCDEFG").error, "80")
        XCTAssertEqual(send(d, "S300" + "00A" + k + "00" + "00" + "05" + "0008ABCDEFGHI").error, "80")
        XCTAssertEqual(send(d, "S3").error, "80")
        XCTAssertEqual(send(d, "S0").error, "80")
    }

    /// Random layouts never crash and answer a code.
    func testFuzzedRequestsAnswer() throws {
        let d = testDevice()
        let k = String(decoding: try zek(d).wire, as: UTF8.self)
        let base = Array(("S300" + "00A" + k + "01" + String(repeating: "1", count: 32) + "0100000000000000AB" + "03" + "0010" + "0123456789ABCDEF").utf8)
        var g = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var m = base
            let i = Int.random(in: 2..<m.count, using: &g)
            m[i] = UInt8.random(in: 0...255, using: &g)
            if Bool.random(using: &g) { m = Array(m.prefix(Int.random(in: 2...m.count, using: &g))) }
            for c in ["S0", "S3", "S4", "S5"] {
                m[0] = c.utf8.first!
                m[1] = c.utf8.last!
                let r = send(d, m)
                XCTAssertEqual(r.error.count, 2)
                XCTAssertNotEqual(r.error, "99")
            }
        }
    }
}
