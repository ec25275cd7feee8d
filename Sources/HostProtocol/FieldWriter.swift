/// Builds the fields of a command or reply. Appends into one growing buffer; callers
/// that reuse a writer keep its capacity (no per-command allocation once warm).
public struct FieldWriter {
    public var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(_ code: CommandCode) {
        bytes.append(code.first)
        bytes.append(code.second)
    }

    @inlinable
    public mutating func append<C: Collection>(raw: C) where C.Element == UInt8 { bytes.append(contentsOf: raw) }

    public mutating func append(ascii: StaticString) {
        ascii.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(byte: UInt8) { bytes.append(byte) }

    /// A fixed-width decimal number; throws if it does not fit in `width` digits.
    public mutating func append(decimal value: Int, width: Int) throws {
        guard value >= 0 else { throw FieldError.invalid("decimal") }
        // Check that it fits before writing anything (no scratch array per number).
        var v = value
        var n = 0
        while n < width { v /= 10; n += 1 }
        guard v == 0 else { throw FieldError.invalid("decimal") }
        let start = bytes.count
        var k = 0
        while k < width { bytes.append(0x30); k += 1 }
        v = value
        var i = start + width - 1
        while i >= start {
            bytes[i] = 0x30 + UInt8(v % 10)
            v /= 10
            i -= 1
        }
    }

    /// A fixed-width upper-case hex number; throws if it does not fit in `width` digits.
    public mutating func append(hexNumber value: Int, width: Int) throws {
        guard value >= 0, width >= 16 || value >> (4 * width) == 0 else { throw FieldError.invalid("hex number") }
        for i in stride(from: width - 1, through: 0, by: -1) {
            bytes.append(Hex.digits[(value >> (4 * i)) & 0xF])
        }
    }

    /// Bytes as upper-case hex.
    @inlinable
    public mutating func append<C: Collection>(hex data: C) where C.Element == UInt8 {
        Hex.encode(data, into: &bytes)
    }

    public mutating func append(key: KeyField) { key.encode(into: &bytes) }
}
