import XCTest
@testable import HostProtocol

/// The replies whose key check value is the last field (docs/wire.md, "Key check values"):
/// 16H (TASS), 8H (the SJJ1310 manual) and 6H (payShield) are taken as received; any other
/// length, a non-hex character, a truncated or an overlong reply is a `FieldError`, never a
/// trap. And the `NH` (reply to `NG`) layouts: the TASS digits, the payShield digits with
/// `F` padding and a reference number.
final class ReplyToleranceTests: XCTestCase {
    static let kcvHex = "0123456789ABCDEF"
    static let u = "U" + String(repeating: "AB", count: 16)     // key under the LMK
    static let x = "X" + String(repeating: "CD", count: 16)     // key under a ZMK
    static let raw4 = "0004" + "\u{01}\u{02}\u{03}\u{04}"          // 4N length + 4 bytes

    /// One reply layout: the fields before the KCV, a decoder, and how to get the KCV back.
    struct Layout {
        let name: String
        let prefix: String
        let decode: ([UInt8]) throws -> [UInt8]
    }

    static func layout<R: HostCommandResponse>(_ name: String, _ type: R.Type, _ prefix: String, _ kcv: @escaping (R) -> [UInt8]) -> Layout {
        Layout(name: name, prefix: prefix, decode: { kcv(try R.decodeAll($0)) })
    }

    /// Every reply of the vendor spec §5.10 list this codec decodes (and `BV`).
    static let layouts: [Layout] = [
        layout("A1 mode 1", GenerateKeyResponse.self, u + x, { $0.checkValue }),
        layout("A7 / A5 / KS / KE / AO / AN / SJ / TZ", ImportKeyResponse.self, u, { $0.checkValue }),
        layout("A9", ExportKeyResponse.self, x, { $0.checkValue }),
        layout("SI", ICExportKeyResponse.self, "0010" + String(repeating: "EF", count: 16), { $0.checkValue }),
        layout("TW", RSAExportSymmetricKeyResponse.self, raw4, { $0.checkValue }),
        layout("TX", RSAImportSymmetricKeyResponse.self, u, { $0.checkValue }),
        layout("TY", SM2ExportSymmetricKeyResponse.self, raw4, { $0.checkValue }),
        layout("A3 / A4 (printed key)", PrintedKeyResponse.self, u, { $0.checkValue }),
        layout("BV", CheckValueResponse.self, "", { $0.checkValue }),
        Layout(name: "A3 component (length 8)", prefix: String(repeating: "5A", count: 8), decode: { f in
            var r = FieldReader(f)
            return try PrintedComponentResponse.decode(&r, componentLength: 8).checkValue
        }),
    ]

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testSixEightAndSixteenHexAreTakenAsReceived() throws {
        for l in Self.layouts {
            for n in FieldReader.checkValueHexLengths {
                let kcv = String(Self.kcvHex.prefix(n))
                XCTAssertEqual(try l.decode(bytes(l.prefix + kcv)), Hex.decode(Array(kcv.utf8)), "\(l.name) with \(n)H")
            }
        }
        // The A1 without a key under the ZMK, too.
        for n in FieldReader.checkValueHexLengths {
            let g = try GenerateKeyResponse.decodeAll(bytes(Self.u + String(Self.kcvHex.prefix(n))))
            XCTAssertNil(g.keyUnderZMK, "\(n)H")
            XCTAssertEqual(g.checkValue, Array([0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF].prefix(n / 2)))
        }
    }

    func testOtherLengthsAndNonHexAreFieldErrors() {
        for l in Self.layouts {
            for n in [0, 1, 2, 4, 5, 7, 9, 10, 12, 14, 15] {
                let kcv = String(String(repeating: Self.kcvHex, count: 3).prefix(n))
                XCTAssertThrowsError(try l.decode(bytes(l.prefix + kcv)), "\(l.name) with \(n) characters") { e in
                    XCTAssertTrue(e is FieldError, "\(l.name): \(e)")
                }
            }
            for bad in ["0123456G", "0123456789ABCDEg", "01 345", "0123456789ABCDE\u{0}"] {
                XCTAssertThrowsError(try l.decode(bytes(l.prefix + bad)), "\(l.name) with a non-hex KCV") { XCTAssertTrue($0 is FieldError) }
            }
        }
    }

    func testTheMessageNamesTheLengthNotTheValue() {
        XCTAssertThrowsError(try ImportKeyResponse.decodeAll(Array((Self.u + "0123456789").utf8))) { e in
            let text = String(describing: e)
            XCTAssertTrue(text.contains("10 characters"), text)
            XCTAssertTrue(text.contains("6, 8 or 16"), text)
            XCTAssertFalse(text.contains("0123456789"), text)
        }
        XCTAssertEqual((FieldError.invalid("check value of 10 characters (6, 8 or 16 hex expected)")).hostError, .invalidInput)
    }

    /// Every prefix of a reply with a 16H KCV: a FieldError, except where the KCV left is
    /// 6H or 8H (then that much of it).
    func testTruncatedRepliesAreFieldErrors() {
        for l in Self.layouts {
            let full = bytes(l.prefix + Self.kcvHex)
            for cut in 0..<full.count {
                let part = Array(full.prefix(cut))
                let kcvLeft = cut - l.prefix.utf8.count
                if kcvLeft == 6 || kcvLeft == 8 {
                    XCTAssertEqual(try l.decode(part), Hex.decode(Array(Self.kcvHex.utf8.prefix(kcvLeft))), "\(l.name) cut at \(cut)")
                } else {
                    XCTAssertThrowsError(try l.decode(part), "\(l.name) cut at \(cut)") { XCTAssertTrue($0 is FieldError, "\(l.name): \($0)") }
                }
            }
        }
    }

    /// More than 16H after the fields before the KCV: a FieldError. (An `A1` without a key
    /// under the ZMK may then read a key there; the typed call refuses that, CACipherCoreTests.)
    func testOverlongRepliesAreFieldErrors() {
        for l in Self.layouts {
            for extra in 1...20 {
                let tail = String(String(repeating: "F0", count: 10).prefix(extra))
                XCTAssertThrowsError(try l.decode(bytes(l.prefix + Self.kcvHex + tail)), "\(l.name) + \(extra)") { XCTAssertTrue($0 is FieldError) }
            }
        }
        let g = try? GenerateKeyResponse.decodeAll(bytes(Self.u + Self.kcvHex + "01234567"))
        XCTAssertNotNil(g?.keyUnderZMK, "a mode-0 A1 with 24H after the key reads a single-DES key and an 8H KCV")
    }

    /// Random mutations of every layout (fixed seed): each decodes or throws a FieldError,
    /// and a decoded KCV is 3, 4 or 8 bytes.
    func testMutatedRepliesNeverTrap() {
        var state: UInt64 = 0x4B43_5654_4F4C
        func next() -> UInt64 {  // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet = Array("0123456789ABCDEFXUKZRL;Ff\u{0}\u{FF}".utf8)
        for l in Self.layouts {
            for _ in 0..<500 {
                var b = bytes(l.prefix + String(Self.kcvHex.prefix([6, 8, 16][Int(next() % 3)])))
                for _ in 0...Int(next() % 4) {
                    let at = b.isEmpty ? 0 : Int(next() % UInt64(b.count))
                    switch next() % 4 {
                    case 0: if !b.isEmpty { b[at] = alphabet[Int(next() % UInt64(alphabet.count))] }
                    case 1: if !b.isEmpty { b.remove(at: at) }
                    case 2: b.insert(alphabet[Int(next() % UInt64(alphabet.count))], at: at)
                    default: b = Array(b.prefix(at))
                    }
                }
                do {
                    let kcv = try l.decode(b)
                    XCTAssertTrue([3, 4, 8].contains(kcv.count), "\(l.name): \(kcv.count) bytes")
                } catch {
                    XCTAssertTrue(error is FieldError, "\(l.name): \(error)")
                }
            }
        }
    }

    // MARK: NH

    func testNGReplyLayouts() {
        let ok: [(String, Int)] = [
            ("1234", 4), ("123456789012", 12), ("1234567890123456", 16),     // TASS: the digits
            ("1234F", 4), ("1234FFFFFFFF", 4), ("123456f", 6),                 // payShield: F padding
            ("1234F" + "000000123456", 4), ("123456789012F" + "987654321098", 12), // and a reference number
        ]
        for (text, n) in ok {
            XCTAssertEqual(DecryptPINResponse.pinLength(of: Array(text.utf8)), n, text)
            XCTAssertEqual(try DecryptPINResponse.decodeAll(Array(text.utf8)).pin, String(text.prefix(n)), text)
        }
        let bad = ["", "F", "FFFF", "12345678901234567", "1234567890123F", "1234X", "1234F12345", "1234F0000001234567",
                   "1234F00000012345X", "1234 ", "12\u{0}4", "1234F000000123456F"]
        for text in bad {
            XCTAssertNil(DecryptPINResponse.pinLength(of: Array(text.utf8)), text)
            XCTAssertThrowsError(try DecryptPINResponse.decodeAll(Array(text.utf8)), text) { e in
                XCTAssertTrue(e is FieldError)
                XCTAssertFalse(String(describing: e).contains("1234"), "no PIN digits in the message")
            }
        }
    }
}
