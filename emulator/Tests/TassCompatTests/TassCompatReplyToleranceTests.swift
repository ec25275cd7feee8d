import XCTest
import CACipherTestSupport
@testable import TassCompat

/// The vendor functions against a `FakeHSM` whose key replies carry a 6H, 8H or 16H KCV
/// (vendor spec §5.10, Q7; docs/vendor-compat.md): the KCV is written as received (`A2`/`A4`:
/// its first 8 characters, as the vendor's parser copies them); another length, a reply cut
/// short or one too long is `HAR_MSG_RSPCODE` with the caller's buffers untouched. And the
/// whole-payload outputs of `NG`, `JA`, `BA` (Q8).
final class TassCompatReplyToleranceTests: XCTestCase {
    static let kcvHex = "0123456789ABCDEF"
    static let uHex = "U" + String(repeating: "AB", count: 16)
    static let xHex = "X" + String(repeating: "CD", count: 16)
    static let raw4 = "0004" + "\u{01}\u{02}\u{03}\u{04}"
    static let before: [String: String] = [
        "A0": uHex + xHex, "A6": uHex, "A8": xHex, "A4": uHex, "A2": uHex, "AN": uHex, "AM": uHex, "KR": uHex, "KD": uHex,
        "SH": "0010" + String(repeating: "EF", count: 16), "SI": uHex, "TV": raw4, "TW": uHex, "TX": raw4, "TY": uHex,
        "A3": String(repeating: "5A", count: 8),
    ]
    static let sentinel = CChar(UInt8(ascii: "#"))

    func withC<T>(_ s: String, _ body: (CString) -> T) -> T {
        var a = Array(s.utf8CString)
        return a.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// A stand-in answering each command with `reply(cmd)` after `00`; the init host and a
    /// session on it. `body` gets the session.
    func withHSM(code: String = "00", _ reply: @escaping @Sendable (String) -> String, _ body: (Handle) throws -> Void) throws {
        let hsm = try FakeHSM(dmk: "08D7B4FB629D0885")
        defer { hsm.close() }
        hsm.script = { cmd in
            let b = Array(cmd.utf8)
            return [b[0], b[1] &+ 1] + Array(((cmd == "NC" ? "00" : code) + reply(cmd)).utf8)
        }
        let dir = FileManager.default.temporaryDirectory.path
        XCTAssertEqual(withC("127.0.0.1") { ip in withC(dir) { Tass_HsmApiInitByContent(ip, UInt32(hsm.port), 5, $0) } }, HAR.ok)
        var d: Handle?
        var s: Handle?
        XCTAssertEqual(withC("127.0.0.1") { SDF_OpenDevice(&d, $0, Int32(hsm.port)) }, HAR.ok)
        defer { _ = SDF_CloseDevice(d) }
        XCTAssertEqual(SDF_OpenSession(d, &s), HAR.ok)
        try body(try XCTUnwrap(s))
    }

    /// Output buffers, filled with `#` so that an untouched one can be told.
    final class Outs {
        var a = [CChar](repeating: sentinel, count: 200)
        var b = [CChar](repeating: sentinel, count: 200)
        var c = [CChar](repeating: sentinel, count: 200)
        var bin = [UInt8](repeating: 0x23, count: 600)
        var binLen: Int32 = -1
        var kcv: String { Outs.text(b) }
        static func text(_ p: [CChar]) -> String { String(cString: p.map { UInt8(bitPattern: $0) }.prefix { $0 != 0 } + [0]) }
        var untouched: Bool { a.allSatisfy { $0 == sentinel } && b.allSatisfy { $0 == sentinel } && c.allSatisfy { $0 == sentinel } && binLen == -1 }
    }

    /// Every vendor function whose reply ends with a KCV: the command, and a call writing the
    /// KCV to `o.b` (the key or cryptogram to `o.a` / `o.bin`).
    func calls(_ session: Handle) -> [(String, (Outs) -> Int32)] {
        let zmk = "X" + String(repeating: "11", count: 16)
        let key = Self.uHex
        return [
            ("A0", { o in self.withC(zmk) { z in Tass_Generate_Pik(session, 0, z, CChar(UInt8(ascii: "X")), &o.a, &o.c, &o.b) } }),
            ("A6", { o in self.withC(zmk) { z in self.withC(Self.xHex) { k in Tass_ImportPik(session, 0, z, CChar(UInt8(ascii: "U")), k, &o.a, &o.b) } } }),
            ("A8", { o in self.withC(zmk) { z in self.withC("001") { t in self.withC(key) { k in Tass_ExportKey(0, z, t, 0, k, CChar(UInt8(ascii: "X")), &o.a, &o.b) } } } }),
            ("AN", { o in self.withC(key) { k in self.withC("001") { s in self.withC("008") { d in HSM_RCL_KeyTypeConversion(s, 0, k, d, CChar(UInt8(ascii: "U")), &o.a, &o.b) } } } }),
            ("AM", { o in self.withC("001") { t in self.withC(String(repeating: "0123456789ABCDEF", count: 2)) { c in HSM_IC_PutPlainKey(t, CChar(UInt8(ascii: "U")), c, 0, nil, &o.a, &o.b) } } }),
            ("KR", { o in self.withC("001") { t in HSM_IC_GenerateNewKey(t, CChar(UInt8(ascii: "U")), 0, nil, &o.a, &o.b) } }),
            ("KD", { o in self.withC("109") { t in self.withC(key) { k in self.withC("1122334455667788") { f in
                HSM_IC_DeriveNewKey(t, 0, k, t, CChar(UInt8(ascii: "U")), 0, 1, f, 0, nil, &o.a, &o.b) } } } }),
            ("SH", { o in self.withC("000") { pt in self.withC(key) { k in self.withC("001") { t in self.withC("") { e in
                HSM_IC_ExportCipherKey(session, 0, pt, 0, k, 0, e, 0, nil, t, 0, k, 0, e, nil, &o.a, &o.b) } } } } }),
            ("SI", { o in self.withC("000") { pt in self.withC(key) { k in self.withC("001") { t in self.withC("") { e in
                self.withC(String(repeating: "44", count: 16)) { c in
                    HSM_IC_ImportCipherKey(0, pt, 0, k, 0, e, 0, nil, t, CChar(UInt8(ascii: "U")), c, 0, nil, nil, 0, nil, nil, nil, &o.a, &o.b) } } } } } }),
            ("TV", { o in self.withC("001") { t in self.withC(key) { k in self.withC("") { e in
                HSM_RSA_ExportSymmetricKey(t, 0, k, 0, e, 1, nil, 0, nil, 0, nil, &o.bin, &o.binLen, &o.b) } } } }),
            ("TW", { o in self.withC("001") { t in
                var c = [UInt8](repeating: 5, count: 128)
                return HSM_RSA_ImportSymmetricKey(t, CChar(UInt8(ascii: "U")), 0, nil, 1, nil, 0, &c, 128, &o.a, &o.b) } }),
            ("TX", { o in self.withC("000") { t in self.withC(key) { k in self.withC("") { e in
                HSM_SM2_ExportSymmetricKey(t, 0, k, 0, e, 1, nil, 0, nil, 0, nil, &o.bin, &o.binLen, &o.b) } } } }),
            ("TY", { o in self.withC("001") { t in
                var c = [UInt8](repeating: 6, count: 113)
                return HSM_SM2_ImportSymmetricKey(t, CChar(UInt8(ascii: "U")), 0, nil, 1, nil, 0, &c, 113, &o.a, &o.b) } }),
            ("A3", { o in self.withC("001") { t in self.withC("mark") { m in Tass_GenPrintRandkey(t, CChar(UInt8(ascii: "U")), m, &o.a, &o.b) } } }),
        ]
    }

    /// `A3` mode 1 (a component of 8 bytes), `A2` and `A4` (8 characters written).
    func eightCharacterCalls() -> [(String, (Outs) -> Int32)] {
        [
            ("A2", { o in self.withC("001") { t in self.withC("x") { p in HSM_RCL_GenAndPrintKeyElement(t, CChar(UInt8(ascii: "U")), p, &o.a, &o.b) } } }),
            ("A4", { o in self.withC("001") { t in self.withC(Self.uHex + Self.uHex) { c in HSM_RCL_SyntheticKey_KeyCipher(2, t, CChar(UInt8(ascii: "U")), c, &o.a, &o.b) } } }),
        ]
    }

    func testKeyRepliesWithSixEightOrSixteenHexKCVs() throws {
        for n in [6, 8, 16] {
            let kcv = String(Self.kcvHex.prefix(n))
            try withHSM({ cmd in (Self.before[cmd] ?? "") + kcv }) { s in
                for (cmd, call) in calls(s) {
                    let o = Outs()
                    XCTAssertEqual(call(o), HAR.ok, "\(cmd) with \(n)H")
                    XCTAssertEqual(o.kcv, kcv, "\(cmd) with \(n)H: the KCV as received")
                }
                for (cmd, call) in eightCharacterCalls() {
                    let o = Outs()
                    XCTAssertEqual(call(o), HAR.ok, "\(cmd) with \(n)H")
                    XCTAssertEqual(o.kcv, String(kcv.prefix(8)), "\(cmd): 8 characters at most, as the vendor's parser")
                }
                // A3 mode 1: the component's length from the request, then the KCV.
                let o = Outs()
                let rc = withC("x") { p in HSM_RCL_GenAndPrintKey(1, nil, CChar(UInt8(ascii: "U")), 8, 30, 10, p, &o.a, &o.b) }
                XCTAssertEqual(rc, HAR.ok, "A3 component with \(n)H")
                XCTAssertEqual(Outs.text(o.a), String(repeating: "5A", count: 8))
                XCTAssertEqual(o.kcv, kcv)
            }
        }
        // The key fields land where the vendor's do.
        try withHSM({ cmd in (Self.before[cmd] ?? "") + "89ABCDEF" }) { s in
            let o = Outs()
            XCTAssertEqual(withC("X" + String(repeating: "11", count: 16)) { z in Tass_Generate_Pik(s, 0, z, CChar(UInt8(ascii: "X")), &o.a, &o.c, &o.b) }, HAR.ok)
            XCTAssertEqual(Outs.text(o.a), Self.xHex, "Tass_Generate_Pik: the key under the ZMK first")
            XCTAssertEqual(Outs.text(o.c), Self.uHex)
            XCTAssertEqual(o.kcv, "89ABCDEF")
        }
    }

    func testOtherLengthsTruncatedAndOverlongRepliesLeaveTheBuffersUntouched() throws {
        for tail in ["", "0123", "01234", "0123456789", "0123456789ABCD", "0123456789ABCDEF0", "0123456789ABCDEF01", "0123456G",
                     "0123456789ABCDEF0123456789ABCDEF01"] {
            try withHSM({ cmd in (Self.before[cmd] ?? "") + tail }) { s in
                for (cmd, call) in calls(s) + eightCharacterCalls() {
                    let o = Outs()
                    XCTAssertEqual(call(o), HAR.msgRspCode, "\(cmd) + \(tail.count) characters")
                    XCTAssertTrue(o.untouched, "\(cmd) + \(tail.count): nothing written")
                }
            }
        }
        // Cut inside the fields before the KCV.
        try withHSM({ cmd in String((Self.before[cmd] ?? "").dropLast(3)) }) { s in
            for (cmd, call) in calls(s) + eightCharacterCalls() {
                let o = Outs()
                XCTAssertEqual(call(o), HAR.msgRspCode, "\(cmd) cut short")
                XCTAssertTrue(o.untouched, "\(cmd) cut short: nothing written")
            }
        }
    }

    // MARK: NG, JA, BA: the whole payload

    func testPINOutputsAreTheWholePayload() throws {
        let pinLMK = "0123456789ABCDEF"
        let pan = "123456789012"
        for payload in ["1234", "1234F", "1234FFFF000000123456", "123456789012F987654321098"] {
            try withHSM({ cmd in cmd == "JE" ? pinLMK : payload }) { s in
                var out = [CChar](repeating: Self.sentinel, count: 128)
                XCTAssertEqual(withC(pinLMK) { p in withC(pan) { a in HSM_RCL_DecryptPin_LMK(s, p, a, &out) } }, HAR.ok, payload)
                XCTAssertEqual(Outs.text(out), payload, "HSM_RCL_DecryptPin_LMK: the NG payload as received")
                out = [CChar](repeating: Self.sentinel, count: 128)
                let rc = withC("U" + String(repeating: "AB", count: 16)) { k in withC("0123456789ABCDEF") { b in withC(pan) { a in
                    Tass_Decrypt_PIN(s, 0, k, b, 1, a, &out) } } }
                XCTAssertEqual(rc, HAR.ok, payload)
                XCTAssertEqual(Outs.text(out), payload, "Tass_Decrypt_PIN: the NG payload as received")
            }
        }
        for payload in ["0123456789ABCDEF", "01234", "0123456789ABCDEF000000123456"] {
            try withHSM({ _ in payload }) { _ in
                var out = [CChar](repeating: Self.sentinel, count: 128)
                XCTAssertEqual(withC(pan) { a in HSM_RCL_GenerateRandomPin(a, 4, &out) }, HAR.ok)
                XCTAssertEqual(Outs.text(out), payload, "JA: the payload as received")
                out = [CChar](repeating: Self.sentinel, count: 128)
                XCTAssertEqual(withC("1234") { p in withC(pan) { a in HSM_RCL_EncryptPin_LMK(p, a, &out) } }, HAR.ok)
                XCTAssertEqual(Outs.text(out), payload, "BA: the payload as received")
            }
        }
        // Empty, a byte outside printable ASCII, longer than the 128-byte buffer: nothing written.
        for (payload, code) in [("", HAR.msgRspCode), ("12 34", HAR.msgRspCode), ("12\u{7}4", HAR.msgRspCode),
                                (String(repeating: "1", count: 127), HAR.ok), (String(repeating: "1", count: 128), HAR.memLenLess),
                                (String(repeating: "1", count: 1000), HAR.memLenLess)] {
            try withHSM({ _ in payload }) { s in
                for (name, call) in [
                    ("NG", { (o: inout [CChar]) in self.withC("0123456789ABCDEF") { p in self.withC(pan) { a in HSM_RCL_DecryptPin_LMK(s, p, a, &o) } } }),
                    ("JA", { (o: inout [CChar]) in self.withC(pan) { a in HSM_RCL_GenerateRandomPin(a, 4, &o) } }),
                    ("BA", { (o: inout [CChar]) in self.withC("1234") { p in self.withC(pan) { a in HSM_RCL_EncryptPin_LMK(p, a, &o) } } }),
                ] {
                    var out = [CChar](repeating: Self.sentinel, count: 128)
                    XCTAssertEqual(call(&out), code, "\(name) with \(payload.count) bytes")
                    if code != HAR.ok { XCTAssertTrue(out.allSatisfy { $0 == Self.sentinel }, "\(name): nothing written") }
                }
            }
        }
    }

    // MARK: JE, JG, TI, K2, K4, K6, UQ: the whole payload (vendor spec §5.1)

    /// The vendor functions whose output is the whole payload of one of these replies: the
    /// command, the longest payload the output takes (§5.11 less the NUL) and the call.
    func wholePayloadCalls(_ s: Handle) -> [(String, Int, (inout [CChar]) -> Int32)] {
        let key = Self.uHex
        let pan = "123456789012"
        let pan16 = "1234567890123456"
        let block = "0123456789ABCDEF"
        let data = "0102030405060708"
        return [
            ("JE", 127, { o in self.withC(key) { k in self.withC(pan) { a in self.withC(block) { b in
                HSM_RCL_TransferCipherPin_Zpk2Lmk(s, 0, k, 1, a, b, &o) } } } }),
            ("JG", 32, { o in self.withC(key) { k in self.withC(pan) { a in self.withC(block) { p in
                HSM_RCL_TransferCipherPin_Lmk2Zpk(s, 0, k, 1, a, p, &o) } } } }),
            ("JG", 32, { o in self.withC(key) { k in self.withC(pan) { a in self.withC("1234") { p in
                Tass_EncryptPIN(s, 0, k, p, 1, a, &o) } } } }),
            ("TI", 32, { o in self.withC(key) { k in self.withC(pan) { a in self.withC(block) { b in
                Tass_TranslatePin(0, k, 0, k, a, a, 1, 1, b, &o) } } } }),
            ("TI", 32, { o in self.withC(key) { k in self.withC(pan) { a in self.withC(block) { b in
                HSM_RCL_TransferCipherPin_Zpk2Zpk(0, k, 0, k, 1, 1, a, a, b, &o) } } } }),
            ("K6", 16, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(block) { q in
                self.withC("3030") { c in Tass_GenARPC(0, k, p, t, q, c, &o) } } } } } }),
            ("K6", 16, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(block) { q in
                self.withC("3030") { c in HSM_IC_GenerateArpc(0, k, p, t, q, c, &o) } } } } } }),
            ("K6", 16, { o in self.verifyAndGenerate(s, tass: true, &o) }),
            ("K6", 16, { o in self.verifyAndGenerate(s, tass: false, &o) }),
            // 16 bytes of script data under a DES MDK: at most 32 characters (the data's hex).
            ("K2", 32, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(data + data) { d in
                Tass_ScriptEncrypt(0, k, p, t, d, &o) } } } } }),
            ("K2", 32, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(data + data) { d in
                HSM_IC_EncryptPbocScript(0, k, p, t, d, &o) } } } } }),
            ("K4", 16, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(data) { d in
                Tass_ScriptMAC(0, k, p, t, d, &o) } } } } }),
            ("K4", 16, { o in self.withC(key) { k in self.withC(pan16) { p in self.withC("0001") { t in self.withC(data) { d in
                HSM_IC_GeneratePbocScriptMac(0, k, p, t, d, &o) } } } } }),
            ("UQ", 16, { o in self.withC(key) { k in self.withC(data) { d in Tass_GenZPKMac(0, k, 0, d, &o) } } }),
            ("UQ", 32, { o in self.withC(key) { k in
                var b: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
                return HSM_RCL_ZpkGenCbcMac(0, 0, k, nil, 0, &b, 8, 8, &o) } }),
        ]
    }

    /// A stand-in answering the command under test with `payload`; `BA` (the first step of
    /// `Tass_EncryptPIN`, a typed call) with a well-formed PIN under the LMK.
    func wholePayloadReply(_ payload: String) -> @Sendable (String) -> String {
        { cmd in cmd == "BA" ? "0123456789ABCDEF" : payload }
    }

    func testWholePayloadOutputsTakeTrailingFields() throws {
        let extra = "000000123456"   // a trailing field (a payShield-style reference number)
        for (cmd, base) in [("JE", "0123456789ABCDEF"), ("JG", "0123456789ABCDEF"), ("TI", "0123456789ABCDEF"), ("K6", "0123"),
                            ("K2", "0123456789ABCDEF"), ("K4", "0123"), ("UQ", "0123")] {
            let payload = base + extra
            try withHSM(wholePayloadReply(payload)) { s in
                for (c, _, call) in wholePayloadCalls(s) where c == cmd {
                    var out = [CChar](repeating: Self.sentinel, count: 200)
                    XCTAssertEqual(call(&out), HAR.ok, "\(cmd): \(payload.count) bytes")
                    XCTAssertEqual(Outs.text(out), payload, "\(cmd): the payload as received")
                    XCTAssertEqual(out[payload.count + 1], Self.sentinel, "\(cmd): nothing written past the NUL")
                }
            }
        }
    }

    func testWholePayloadOutputsRefuseEmptyUnprintableAndOverlongPayloads() throws {
        for payload in ["", "01 23", "0\u{7}23"] {
            try withHSM(wholePayloadReply(payload)) { s in
                for (cmd, _, call) in wholePayloadCalls(s) {
                    var out = [CChar](repeating: Self.sentinel, count: 200)
                    XCTAssertEqual(call(&out), HAR.msgRspCode, "\(cmd) with \(payload.count) bytes")
                    XCTAssertTrue(out.allSatisfy { $0 == Self.sentinel }, "\(cmd): nothing written")
                }
            }
        }
        for n in [16, 17, 32, 33, 127, 128] {
            let payload = String(repeating: "A", count: n)
            try withHSM(wholePayloadReply(payload)) { s in
                for (cmd, max, call) in wholePayloadCalls(s) {
                    var out = [CChar](repeating: Self.sentinel, count: 200)
                    let rc = call(&out)
                    if n <= max {
                        XCTAssertEqual(rc, HAR.ok, "\(cmd): \(n) bytes fit \(max)")
                        XCTAssertEqual(Outs.text(out), payload, cmd)
                    } else {
                        XCTAssertEqual(rc, HAR.memLenLess, "\(cmd): \(n) bytes do not fit \(max)")
                        XCTAssertTrue(out.allSatisfy { $0 == Self.sentinel }, "\(cmd): nothing written")
                    }
                }
            }
        }
    }

    // MARK: requests holding clear data are zeroed

    /// `HSM_RCL_EncryptData`'s `E0` request holds the clear data: zeroed after sending.
    func testE0RequestWithClearDataIsZeroed() throws {
        var seen: [[UInt8]] = []
        CompatExchange.secretRequestWiped = { seen.append($0) }
        defer { CompatExchange.secretRequestWiped = nil }
        let plain: [UInt8] = Array("clear data 16 b.".utf8)
        try withHSM({ _ in "0010" + String(repeating: "Z", count: 16) }) { _ in   // E1: binary, 16 bytes
            var input = plain
            var out = [UInt8](repeating: 0, count: 64)
            var outLen: Int32 = 0
            let rc = withC(Self.uHex) { k in HSM_RCL_EncryptData(0, 0, 0, k, nil, 0, &input, Int32(input.count), &out, &outLen) }
            XCTAssertEqual(rc, HAR.ok)
            XCTAssertEqual(seen.count, 1, "E0: the request buffer was zeroed")
            XCTAssertTrue(seen.allSatisfy { $0.count > plain.count && $0.allSatisfy { $0 == 0 } }, "E0 request all zero")
        }
    }

    /// `K6` mode 1: `Tass_VerifyARQC_GenARPC` or `HSM_IC_VerifyArqc_GenARPC` into `o`.
    func verifyAndGenerate(_ s: Handle, tass: Bool, _ o: inout [CChar]) -> Int32 {
        withC(Self.uHex) { k in withC("1234567890123456") { p in withC("0001") { t in withC("0123456789ABCDEF") { q in
            withC("3030") { c in withC("0102030405060708") { d in
                tass ? Tass_VerifyARQC_GenARPC(0, k, p, t, d, q, c, &o) : HSM_IC_VerifyArqc_GenARPC(0, k, p, t, d, q, c, &o) } } } } } }
    }

    /// `K6` mode 1 answered `01` (the ARQC does not verify): rv 1 and the whole payload (the
    /// diagnostic) in `pcARPC`, held to the same 16 characters; an empty one `HAR_MSG_RSPCODE`.
    func testK6ModeOneMismatchWritesTheWholePayload() throws {
        for (payload, rc) in [("ABCDEF0123456789", Int32(1)), ("ABCDEF01", 1), ("ABCDEF0123456789A", HAR.memLenLess), ("", HAR.msgRspCode)] {
            try withHSM(code: "01", { _ in payload }) { s in
                for tass in [true, false] {
                    var out = [CChar](repeating: Self.sentinel, count: 200)
                    XCTAssertEqual(verifyAndGenerate(s, tass: tass, &out), rc, "K6 01 with \(payload.count) bytes")
                    if rc == 1 {
                        XCTAssertEqual(Outs.text(out), payload)
                    } else {
                        XCTAssertTrue(out.allSatisfy { $0 == Self.sentinel }, "nothing written")
                    }
                }
            }
        }
    }

    /// `JG`'s input rule is the typed call's, kept with the whole-payload output: a PIN under
    /// the LMK of another length than 16H is `HAR_PARAM_VALUE` and nothing is sent.
    func testJGRefusesAPINUnderLMKOfAnotherLength() throws {
        try withHSM({ _ in "0123456789ABCDEF" }) { s in
            for p in ["0123456789AB", "0123456789ABCDEF00"] {
                var out = [CChar](repeating: Self.sentinel, count: 64)
                let rc = withC(Self.uHex) { k in withC("123456789012") { a in withC(p) { l in
                    HSM_RCL_TransferCipherPin_Lmk2Zpk(s, 0, k, 1, a, l, &out) } } }
                XCTAssertEqual(rc, HAR.paramValue, p)
                XCTAssertTrue(out.allSatisfy { $0 == Self.sentinel })
            }
        }
    }
}
