/// Upper-case ASCII hexadecimal, the protocol's encoding for binary fields.
public enum Hex {
    public static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)

    @inline(__always)
    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    @inlinable
    public static func encode<C: Collection>(_ data: C, into out: inout [UInt8]) where C.Element == UInt8 {
        out.reserveCapacity(out.count + data.count * 2)
        for b in data {
            out.append(digit(b >> 4))
            out.append(digit(b & 0xF))
        }
    }

    /// The upper-case hex digit of a value 0...15.
    @inlinable @inline(__always)
    static func digit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 &+ v : 0x37 &+ v }

    /// Bytes to an upper-case hex string.
    @inlinable
    public static func string<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        encode(data, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Hex characters (either case) to bytes; `nil` for odd length or a non-hex character.
    @inlinable
    public static func decode<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)
        var it = text.makeIterator()
        while let a = it.next(), let b = it.next() {
            guard let hi = nibble(a), let lo = nibble(b) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }

    public static func decode(_ text: String) -> [UInt8]? { decode(Array(text.utf8)) }
}
