/// Reads fixed-layout fields from a command or reply, left to right.
///
/// Every read checks bounds and content and throws `FieldError` instead of trapping, so a
/// malformed message from the network can never crash either side.
public struct FieldReader {
    public private(set) var bytes: ArraySlice<UInt8>

    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }
    public init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    public var isAtEnd: Bool { bytes.isEmpty }
    public var remaining: Int { bytes.count }

    /// Looks at the next byte without consuming it.
    public func peek() -> UInt8? { bytes.first }

    /// Takes `count` raw bytes.
    public mutating func take(_ count: Int, _ name: StaticString = "field") throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count >= count else {
            throw FieldError.missing(String(describing: name), need: count, have: bytes.count)
        }
        let out = bytes.prefix(count)
        bytes = bytes.dropFirst(count)
        return out
    }

    /// Takes everything that is left.
    public mutating func rest() -> ArraySlice<UInt8> {
        let out = bytes
        bytes = bytes[bytes.endIndex...]
        return out
    }

    /// Takes one byte.
    public mutating func byte(_ name: StaticString = "field") throws -> UInt8 {
        try take(1, name).first!
    }

    /// Takes one byte if it equals `c` (for optional delimiters such as `;`).
    public mutating func skip(_ c: UInt8) -> Bool {
        guard bytes.first == c else { return false }
        bytes = bytes.dropFirst()
        return true
    }

    /// Takes a fixed-width ASCII decimal number (`2N`, `4N`).
    public mutating func decimal(_ width: Int, _ name: StaticString = "number") throws -> Int {
        let digits = try take(width, name)
        var v = 0
        for d in digits {
            guard d >= 0x30, d <= 0x39 else { throw FieldError.notDecimal(String(describing: name)) }
            v = v * 10 + Int(d - 0x30)
        }
        return v
    }

    /// Takes a fixed-width ASCII hexadecimal number (`4H` lengths, `3H` key types).
    public mutating func hexNumber(_ width: Int, _ name: StaticString = "number") throws -> Int {
        let digits = try take(width, name)
        var v = 0
        for d in digits {
            guard let n = Hex.nibble(d) else { throw FieldError.notHex(String(describing: name)) }
            v = v << 4 | Int(n)
        }
        return v
    }

    /// Takes `hexChars` hex characters and returns the bytes they spell.
    public mutating func hexBytes(_ hexChars: Int, _ name: StaticString = "hex field") throws -> [UInt8] {
        guard hexChars % 2 == 0 else { throw FieldError.invalid(String(describing: name)) }
        let text = try take(hexChars, name)
        guard let out = Hex.decode(text) else { throw FieldError.notHex(String(describing: name)) }
        return out
    }

    /// The hex lengths of a key check value a reply may end with: 16H (TASS), 8H (the
    /// SJJ1310 manual), 6H (payShield's short KCV). The vendor's parsers copy "up to 16H".
    public static let checkValueHexLengths: [Int] = [6, 8, 16]

    /// Takes a key check value that is the **last** field of a reply: everything left, which
    /// must be 6, 8 or 16 hex characters (`checkValueHexLengths`); returns its 3, 4 or 8
    /// bytes as received. Nothing left is `missing`, another length or a non-hex character
    /// `invalid` / `notHex` (the text names the field and the length, never the value).
    public mutating func trailingCheckValue(_ name: StaticString = "check value") throws -> [UInt8] {
        let n = bytes.count
        guard n > 0 else { throw FieldError.missing(String(describing: name), need: 6, have: 0) }
        guard Self.checkValueHexLengths.contains(n) else {
            throw FieldError.invalid("\(name) of \(n) characters (6, 8 or 16 hex expected)")
        }
        return try hexBytes(n, name)
    }

    /// Takes a key field (`U` + 32H, `K0001`, 16H, ...).
    public mutating func keyField(_ name: StaticString = "key", form: KeyFieldForm = .underLMK) throws -> KeyField {
        guard let first = bytes.first else { throw FieldError.missing(String(describing: name), need: 1, have: 0) }
        if first == UInt8(ascii: "K") {
            _ = try take(1, name)
            let index = try decimal(4, name)
            guard index >= 1 else { throw FieldError.invalid(String(describing: name)) }
            return .stored(index: index)
        }
        let scheme: KeyScheme
        if let s = KeyScheme(tag: first) {
            scheme = s
            _ = try take(1, name)
        } else if Hex.nibble(first) != nil {
            scheme = .singleDES
        } else {
            throw FieldError.invalidScheme(String(describing: name))
        }
        let material = try hexBytes(scheme.hexLength(form), name)
        return .encrypted(scheme: scheme, material: material)
    }
}

/// Why a field could not be read. The text names the field, never its content.
public enum FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String, need: Int, have: Int)
    case notDecimal(String)
    case notHex(String)
    case invalidScheme(String)
    case invalid(String)
    case trailingData(Int)

    public var description: String {
        switch self {
        case let .missing(n, need, have): return "\(n): need \(need) bytes, \(have) left"
        case let .notDecimal(n): return "\(n): not a decimal number"
        case let .notHex(n): return "\(n): not hexadecimal"
        case let .invalidScheme(n): return "\(n): unknown key scheme"
        case let .invalid(n): return "\(n): invalid value"
        case let .trailingData(count): return "\(count) unexpected bytes after the last field"
        }
    }

    /// The HSM error code a handler answers with for this field error.
    public var hostError: HostErrorCode {
        switch self {
        case .invalidScheme: return .invalidKeyScheme
        case .missing, .trailingData: return .lengthError
        default: return .invalidInput
        }
    }
}
