/// Request and response layouts of the host commands, shared by the client library and
/// the emulator (one codec, both sides).
///
/// A request's `encode(into:)` writes the fields after the command code; its
/// `decode(_:)` reads them back and checks that nothing is left. A response's layout
/// is the fields after the two-digit error code, present only when the code is `00`
/// (or `01` for the verify commands, which carry no fields).
public protocol HostCommandRequest {
    /// The command code this request is sent under.
    static var command: CommandCode { get }
    func encode(into w: inout FieldWriter) throws
    static func decode(_ r: inout FieldReader) throws -> Self
}

public protocol HostCommandResponse {
    func encode(into w: inout FieldWriter) throws
    static func decode(_ r: inout FieldReader) throws -> Self
}

extension HostCommandRequest {
    /// The request's payload: command code then fields.
    public func payload() throws -> [UInt8] {
        var w = FieldWriter()
        w.append(Self.command)
        try encode(into: &w)
        return w.bytes
    }

    /// Decodes fields and requires that nothing follows them. Reads `fields` in place: no
    /// copy of the message is made (a request or reply holding a secret stays in the one
    /// buffer its owner zeroes).
    @inlinable
    public static func decodeAll(_ fields: ArraySlice<UInt8>) throws -> Self {
        var r = FieldReader(fields)
        let v = try decode(&r)
        try r.expectEnd()
        return v
    }

    /// The same over a whole array (no copy).
    @inlinable
    public static func decodeAll(_ fields: [UInt8]) throws -> Self { try decodeAll(fields[...]) }
}

extension HostCommandResponse {
    public func fields() throws -> [UInt8] {
        var w = FieldWriter()
        try encode(into: &w)
        return w.bytes
    }

    /// Decodes a reply's fields and requires that nothing follows them. Reads `fields` in
    /// place: no copy of the reply is made, so a reply holding a secret (the clear data of
    /// `M2`/`E4`, a clear PIN) is only in the reply buffer the caller zeroes.
    @inlinable
    public static func decodeAll(_ fields: ArraySlice<UInt8>) throws -> Self {
        var r = FieldReader(fields)
        let v = try decode(&r)
        try r.expectEnd()
        return v
    }

    /// The same over a whole array (no copy).
    @inlinable
    public static func decodeAll(_ fields: [UInt8]) throws -> Self { try decodeAll(fields[...]) }
}

extension FieldReader {
    /// Throws `trailingData` when bytes are left over.
    public mutating func expectEnd() throws {
        guard isAtEnd else { throw FieldError.trailingData(remaining) }
    }

    /// A 1A key scheme letter (`Z`, `U`, `T`, `X`, `Y`, `R`, `P`, `L`).
    public mutating func keyScheme(_ name: StaticString = "key scheme") throws -> KeyScheme {
        let b = try byte(name)
        guard let s = KeyScheme(tag: b) else { throw FieldError.invalidScheme(String(describing: name)) }
        return s
    }

    /// A 3H key type.
    public mutating func keyType(_ name: StaticString = "key type") throws -> KeyType {
        let t = try take(3, name)
        guard let k = KeyType(wire: t) else { throw FieldError.invalid(String(describing: name)) }
        return k
    }

    /// `n` ASCII digits, returned as text (account numbers, PINs).
    public mutating func digits(_ n: Int, _ name: StaticString = "digits") throws -> String {
        let t = try take(n, name)
        guard t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw FieldError.notDecimal(String(describing: name)) }
        return String(decoding: t, as: UTF8.self)
    }

    /// The optional store-inside suffix: `K` index 4N, label length 2N, label.
    public mutating func storeSuffix() throws -> StoreTarget? {
        guard skip(UInt8(ascii: "K")) else { return nil }
        let index = try decimal(4, "key index")
        guard index >= 1 else { throw FieldError.invalid("key index") }
        let n = try decimal(2, "label length")
        let label = try take(n, "label")
        guard label.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw FieldError.invalid("label") }
        return StoreTarget(index: index, label: String(decoding: label, as: UTF8.self))
    }
}

extension FieldWriter {
    public mutating func append(scheme: KeyScheme) { append(byte: scheme.tag) }
    public mutating func append(keyType: KeyType) { append(raw: keyType.wire) }

    public mutating func append(digits: String, width: Int) throws {
        let u = Array(digits.utf8)
        guard u.count == width, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw FieldError.invalid("digits") }
        append(raw: u)
    }

    public mutating func append(store: StoreTarget?) throws {
        guard let s = store else { return }
        append(byte: UInt8(ascii: "K"))
        try append(decimal: s.index, width: 4)
        let l = Array(s.label.utf8)
        try append(decimal: l.count, width: 2)
        append(raw: l)
    }
}

/// Where a generated or imported key is also kept inside the HSM (`K0001`..`K9999`).
public struct StoreTarget: Equatable, Sendable {
    public var index: Int
    public var label: String
    public init(index: Int, label: String) {
        self.index = index
        self.label = label
    }
}
