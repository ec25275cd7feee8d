#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore
import HostProtocol

// Argument conversion and output helpers of the typed C calls (APICommands*.swift).
// C values are converted here (NULL pointers, lengths, hex text, enum values), before the
// instance is looked up; value rules the typed layer enforces (an account's 12 digits, a
// clear PIN's 4 to 12, a PIN block's 8 or 16 bytes, a PAN's 16 digits, a store index and
// label, an IV's block, a MAC's size, an expected check value's 8 bytes, an SM2 public key's
// and signature's 64 bytes, an RSA key index's 1 to 9998) are left to it, so they live once. Either way nothing goes on the wire with a bad
// argument: CACIPHER_E_INVALID_ARG naming the function and argument (`CArg.names`).

/// Runs a typed call: like `cCall`, and messages of errors thrown by the Swift API get the
/// C function's name in front ("CACipher_KeyCheckValue: key check value (BU): HSM error 27: ...");
/// an argument the typed call refused is named as the C API spells it (`CArg.names`).
@inline(__always)
func cTyped(_ function: String, _ body: () throws -> Int32) -> Int32 {
    cCall {
        do {
            return try body()
        } catch var e as CACipherError {
            if !e.message.hasPrefix(function) { e.message = function + ": " + e.message }
            if let a = e.argument, let c = CArg.names[a], c != a { e.message += " (argument \(c))" }
            throw e
        }
    }
}

enum CArg {
    /// The one map from an argument's name in the typed calls' messages
    /// (`CACipherError.argument`) to the C argument that carries it, where the words differ:
    /// the typed call checks the value, the C message names the C argument.
    static let names: [String: String] = [
        "PIN block": "pinBlock", "new PIN block": "newPINBlock", "old PIN block": "oldPINBlock",
        "PIN under LMK": "pinLMK", "PAN": "pan", "ATC": "atc", "store index": "storeIndex",
        "source account": "sourceAccount", "destination account": "destinationAccount",
        "maximum PIN length": "maxPINLength",
        "ARQC": "arqc", "ARC": "arc", "CSU": "csu",
        "IV": "iv", "source key IV": "srciv", "destination key IV": "dstiv", "MAC": "mac",
        "expected check value": "expectedKcv", "public key": "publicKey",
        "RSA key index": "index", "private key index": "privateKey", "public key index": "publicKey",
        "MAC part": "mode", "key index": "index",
    ]

    static func invalid(_ function: String, _ text: String) -> CACipherError {
        CACipherError(.invalidArgument, "\(function): \(text)")
    }

    /// A NUL-terminated string argument as bytes (NULL refused).
    static func text(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, max: Int = 4096) throws -> [UInt8] {
        guard let p else { throw invalid(function, "\(name) is NULL") }
        let n = strnlen(p, max + 1)
        guard n <= max else { throw invalid(function, "\(name) is longer than \(max) characters") }
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
    }

    /// A key field as on the wire: `U` + 32H, 16H, `T` + 48H, `R`/`L` + 48H under the LMK
    /// (`R`/`L` + 32H under a ZMK), `K0001`...
    static func key(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, form: KeyFieldForm = .underLMK) throws -> KeyField {
        let t = try text(p, name, function, max: 64)
        var r = FieldReader(t)
        guard let k = try? r.keyField(form: form), r.isAtEnd else {
            let sm4 = form == .underLMK ? "R/L + 48H" : "R/L + 32H"
            throw invalid(function, "\(name) is not a key field (scheme letter and hex of its length: U/X + 32H, T/Y + 48H, 16H, \(sm4); or K and a 4-digit index)")
        }
        return k
    }

    /// `CACIPHER_KEY_*`: variant digit << 8 | LMK pair code (0x001 ZPK, 0x402 CVK ...).
    static func keyType(_ v: Int32, _ name: String, _ function: String) throws -> KeyType {
        guard v >= 0, v <= 0x9FF else { throw invalid(function, "\(name) \(v) is not a key type (0x000 to 0x9FF, CACIPHER_KEY_*)") }
        return KeyType(variant: UInt8(v >> 8), pairCode: UInt8(v & 0xFF))
    }

    /// `CACIPHER_SCHEME_*`: the scheme letter ('U', 'T', 'X', 'Y', 'Z', 'R', 'L', 'P').
    static func scheme(_ v: Int32, _ name: String, _ function: String) throws -> KeyScheme {
        guard v > 0, v < 128, let s = KeyScheme(tag: UInt8(v)) else {
            throw invalid(function, "\(name) \(v) is not a key scheme (CACIPHER_SCHEME_*)")
        }
        return s
    }

    static func pinFormat(_ v: Int32, _ name: String, _ function: String) throws -> PINBlockFormat {
        guard let f = PINBlockFormat(rawValue: Int(v)) else {
            throw invalid(function, "\(name) \(v) is not a PIN block format (CACIPHER_PIN_FORMAT_*)")
        }
        return f
    }

    static func enumValue<E: RawRepresentable>(_ v: Int32, _ type: E.Type, _ name: String, _ function: String) throws -> E where E.RawValue == Int {
        guard let e = E(rawValue: Int(v)) else { throw invalid(function, "\(name) \(v) is out of range") }
        return e
    }

    /// Hex text of one of the allowed byte lengths.
    static func hex(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, bytes allowed: [Int]) throws -> [UInt8] {
        let t = try text(p, name, function, max: (allowed.max() ?? 0) * 2)
        guard let b = Hex.decode(t), allowed.contains(b.count) else {
            let what = allowed.map { "\($0 * 2)" }.joined(separator: " or ")
            throw invalid(function, "\(name) must be \(what) hex characters")
        }
        return b
    }

    /// Hex text as bytes, converted only (an even number of hex characters, up to `max`,
    /// by default `textLimit`): the length the value must have is the typed call's rule.
    static func hexBytes(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, max: Int = textLimit) throws -> [UInt8] {
        var t = try text(p, name, function, max: max)
        defer { SecureBytes.wipe(&t) }
        guard let b = Hex.decode(t) else { throw invalid(function, "\(name) must be hex characters (an even number)") }
        return b
    }

    /// The bound of a text argument whose value rule is the typed call's: long enough for
    /// any value the rule could accept, so the typed layer gives the message.
    static let textLimit = 64

    /// A text argument as a String (NULL refused), converted only: its value rule (an
    /// account's 12 digits, ...) lives once, in the typed call, which names the argument.
    static func string(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String) throws -> String {
        String(decoding: try text(p, name, function, max: textLimit), as: UTF8.self)
    }

    /// Exactly `count` decimal digits.
    static func digits(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, count: Int) throws -> String {
        let t = try text(p, name, function, max: count)
        guard t.count == count, t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw invalid(function, "\(name) must be \(count) decimal digits")
        }
        return String(decoding: t, as: UTF8.self)
    }

    /// Input bytes: NULL is allowed only with length 0.
    static func bytes(_ p: UnsafePointer<UInt8>?, _ count: Int, _ name: String, _ function: String, max: Int) throws -> [UInt8] {
        guard count >= 0, count <= max else { throw invalid(function, "\(name) length \(count) is out of range (0 to \(max))") }
        guard count > 0 else { return [] }
        guard let p else { throw invalid(function, "\(name) is NULL") }
        return Array(UnsafeBufferPointer(start: p, count: count))
    }

    /// The index of a `K` + 4 digits key argument; nil when `t` does not start with `K`;
    /// an error naming the other accepted form (`or`) when it starts with `K` but is malformed.
    static func kIndex(_ t: [UInt8], _ name: String, _ function: String, or other: String) throws -> Int? {
        guard t.first == UInt8(ascii: "K") else { return nil }
        guard t.count == 5, t.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw invalid(function, "\(name) must be K and a 4-digit index, or \(other)")
        }
        return t.dropFirst().reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// An SM2 key: `K` + 4 digits, or `bytes` * 2 hex characters; with `bytes` nil, hex of
    /// any whole number of bytes (up to `sm2TextLimit` characters): the length is the typed
    /// call's rule (an SM2 public key's 64 bytes).
    static func sm2Key(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, bytes: Int?) throws -> SM2KeyField {
        let t = try text(p, name, function, max: bytes.map { $0 * 2 } ?? sm2TextLimit)
        let what = bytes.map { "\($0 * 2) hex characters" } ?? "hex characters (an even number)"
        if let i = try kIndex(t, name, function, or: what) {
            guard i >= 1 else { throw invalid(function, "\(name): index 0000 is not a key index") }
            return .stored(index: i)
        }
        guard let b = Hex.decode(t), bytes == nil || b.count == bytes else {
            throw invalid(function, "\(name) must be K and a 4-digit index, or \(what)")
        }
        return .value(b)
    }

    /// The bound of an SM2 key's hex text whose length is the typed call's rule: twice the
    /// 64 bytes of a public key, so a longer key still gets the typed call's message.
    static let sm2TextLimit = 256

    /// `storeIndex` 0 = do not store; else the target with an optional label (NULL = "").
    /// Converted only: the index's 1...9999 and the label's 99 printable characters are the
    /// typed call's rule (`storeIndex`, `label` in the message).
    static func store(_ index: Int32, _ label: UnsafePointer<CChar>?, _ function: String) throws -> StoreTarget? {
        guard index != 0 else { return nil }
        var l: [UInt8] = []
        if label != nil { l = try text(label, "label", function) }
        return StoreTarget(index: Int(index), label: String(decoding: l, as: UTF8.self))
    }

    /// An output length pointer that must not be NULL.
    static func len(_ p: UnsafeMutablePointer<Int>?, _ name: String, _ function: String) throws {
        guard p != nil else { throw invalid(function, "\(name) is NULL") }
    }
}

/// One output of a call with several (a key and its KCV, ...).
struct COut {
    var bytes: [UInt8]
    var text: Bool
    var buf: UnsafeMutableRawPointer?
    var len: UnsafeMutablePointer<Int>?
    var name: String
}

extension CBuffer {
    /// Several outputs, all or nothing: if every buffer is NULL it is a size query (every
    /// `*len` set, `CACIPHER_OK`); if any buffer is NULL or too small nothing is written,
    /// every `*len` is set to the size needed and the call returns
    /// `CACIPHER_E_BUFFER_TOO_SMALL`. Outputs whose `len` is NULL (optional ones) are skipped.
    static func copyOutAll(_ outs: [COut], _ function: String) throws -> Int32 {
        let active = outs.filter { $0.len != nil }
        let needed = active.map { $0.bytes.count + ($0.text ? 1 : 0) }
        let allNull = active.allSatisfy { $0.buf == nil }
        var short: String?
        for (o, n) in zip(active, needed) {
            guard let l = o.len else { continue }
            if o.buf == nil || l.pointee < n {
                short = short ?? "\(o.name) \(o.buf == nil ? "is NULL" : "has \(l.pointee) bytes"), \(n) needed"
            }
        }
        if allNull || short != nil {
            for (o, n) in zip(active, needed) { o.len?.pointee = n }
            if allNull { return 0 }
            throw CACipherError(.bufferTooSmall, "\(function): buffer too small: \(short ?? "")")
        }
        for o in active {
            guard let buf = o.buf, let l = o.len else { continue }
            _ = try CBuffer.copyOut(o.bytes, text: o.text, buf, l, function)
        }
        return 0
    }
}

/// Upper-case hex text of bytes, and the wire text of a key field.
enum CText {
    static func hex(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        Hex.encode(b, into: &out)
        return out
    }
    static func key(_ k: KeyField) -> [UInt8] { k.wire }
}
