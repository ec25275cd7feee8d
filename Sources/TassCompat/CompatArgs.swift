#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

/// Reading the vendor functions' C arguments, with the vendor's error codes.
///
/// Every reader bounds its read (`strnlen`), so an unterminated or huge string is a
/// `HAR_PARAM_LEN`, never a read past the caller's buffer. Errors name the argument, never
/// its value.
enum Arg {
    /// The longest string argument any function takes (a 4096-byte data field as hex, and
    /// some room); longer input is refused with `HAR_PARAM_LEN`.
    static let maxString = 16_384

    /// A NUL-terminated string argument (NULL -> `HAR_PARAM_ISNULL`).
    static func string(_ p: UnsafePointer<CChar>?, _ name: String, max: Int = maxString) throws -> [UInt8] {
        guard let p, Ptr.usable(p) else { throw CompatError(HAR.paramIsNull, "\(name) is NULL (or not a valid address)") }
        let n = strnlen(p, max + 1)
        guard n <= max else { throw CompatError(HAR.paramLen, "\(name) is longer than \(max) characters") }
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { Array(UnsafeBufferPointer(start: $0, count: n)) }
    }

    /// A string argument that may be NULL (then `nil`).
    static func optionalString(_ p: UnsafePointer<CChar>?, _ name: String, max: Int = maxString) throws -> [UInt8]? {
        guard p != nil else { return nil }
        return try string(p, name, max: max)
    }

    /// A string of exactly one of `lengths` characters (else `error`, default `HAR_PARAM_LEN`).
    static func string(_ p: UnsafePointer<CChar>?, _ name: String, lengths: Set<Int>, error: Int32 = HAR.paramLen) throws -> [UInt8] {
        let s = try string(p, name, max: (lengths.max() ?? 0) + 1)
        guard lengths.contains(s.count) else {
            throw CompatError(error, "\(name) has \(s.count) characters (allowed: \(lengths.sorted().map(String.init).joined(separator: ", ")))")
        }
        return s
    }

    /// A hex string argument as bytes (odd length or a non-hex character -> `HAR_HEX_TO_BYTE`).
    static func hex(_ p: UnsafePointer<CChar>?, _ name: String, max: Int = maxString) throws -> [UInt8] {
        try hexBytes(try string(p, name, max: max), name)
    }

    static func hexBytes(_ text: [UInt8], _ name: String) throws -> [UInt8] {
        guard text.count % 2 == 0 else { throw CompatError(HAR.hexToByte, "\(name) has an odd number of hex characters") }
        guard let b = Hex.decode(text) else { throw CompatError(HAR.hexToByte, "\(name) is not hexadecimal") }
        return b
    }

    /// Whether `text` is all hex digits (either case).
    static func isHex(_ text: [UInt8]) -> Bool { text.allSatisfy { Hex.nibble($0) != nil } }

    /// Whether `text` is all decimal digits.
    static func isDigits(_ text: [UInt8]) -> Bool { text.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    /// `len` bytes of binary input (NULL with a positive length -> `HAR_PARAM_ISNULL`; a
    /// negative length or one above `max` -> `HAR_PARAM_LEN`).
    static func bytes(_ p: UnsafePointer<UInt8>?, _ len: Int32, _ name: String, max: Int) throws -> [UInt8] {
        guard len >= 0, Int(len) <= max else { throw CompatError(HAR.paramLen, "\(name) length \(len) is out of range (0 to \(max))") }
        if len == 0 { return [] }
        guard let p, Ptr.usable(p) else { throw CompatError(HAR.paramIsNull, "\(name) is NULL (or not a valid address)") }
        return Array(UnsafeBufferPointer(start: p, count: Int(len)))
    }

    /// A 3-character key type code (`001`, `00A`, ...; `HAR_PARAM_KEY_TYPE` otherwise).
    static func keyType(_ p: UnsafePointer<CChar>?, _ name: String = "key type") throws -> KeyType {
        let s = try string(p, name, max: 8)
        guard s.count == 3, let t = KeyType(wire: s.map { $0 >= 0x61 && $0 <= 0x66 ? $0 - 0x20 : $0 }),
              knownKeyTypes.contains(t.description) else {
            throw CompatError(HAR.paramKeyType, "\(name) is not a known 3-character key type code")
        }
        return t
    }

    /// The key types of the vendor's `KEY_TYPE_*` constants (and `007` EDK, which the
    /// vendor's Java driver knows). `309` (MK-SMC), which the vendor's check forgot, is
    /// accepted.
    static let knownKeyTypes: Set<String> = [
        "000", "001", "002", "402", "003", "008", "009", "109", "209", "309", "409", "509",
        "00A", "00B", "10C", "011", "007",
    ]

    /// A key scheme letter (`Z U T X Y P R`, and `L` AES, which the vendor's check forgot;
    /// `HAR_PARAM_KEY_SCHEME` otherwise).
    static func scheme(_ c: CChar, _ name: String = "key scheme") throws -> KeyScheme {
        let u = UInt8(bitPattern: c)
        guard let s = KeyScheme(tag: u) else { throw CompatError(HAR.paramKeyScheme, "\(name) is not one of Z U X T Y P R L") }
        return s
    }

    /// A PIN block format code as the vendor passes it (`int`, sent as 2N).
    static func pinFormat(_ v: Int32) throws -> PINBlockFormat {
        guard (0...99).contains(v), let f = PINBlockFormat(rawValue: Int(v)) else {
            throw CompatError(HAR.paramValue, "PIN block format \(v) is not supported (01, 03, 05, 47)")
        }
        return f
    }
}
