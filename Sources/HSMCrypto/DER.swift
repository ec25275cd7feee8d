/// Minimal DER reading/writing for the two fixed structures SM2 needs
/// (ECDSA-Sig-Value is handled by OpenSSL; this covers GM/T 0009 SM2 ciphertext):
/// `SEQUENCE { INTEGER x, INTEGER y, OCTET STRING hash, OCTET STRING ciphertext }`.
enum DER {
    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes = [UInt8]()
        var v = n
        while v > 0 { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }

    /// Unsigned big-endian integer as a DER INTEGER.
    static func integer(_ unsigned: [UInt8]) -> [UInt8] {
        var v = Array(unsigned.drop(while: { $0 == 0 }))
        if v.isEmpty { v = [0] }
        if v[0] & 0x80 != 0 { v.insert(0, at: 0) }
        return tlv(0x02, v)
    }

    /// A cursor over DER bytes.
    struct Reader {
        let bytes: [UInt8]
        var pos: Int

        init(_ b: [UInt8]) { bytes = b; pos = 0 }

        var atEnd: Bool { pos == bytes.count }

        /// Reads one TLV with the expected tag and returns its content.
        mutating func read(tag: UInt8) throws -> [UInt8] {
            guard pos < bytes.count, bytes[pos] == tag else { throw CryptoError.invalidArgument("DER tag") }
            pos += 1
            guard pos < bytes.count else { throw CryptoError.invalidArgument("DER length") }
            var len = Int(bytes[pos])
            pos += 1
            if len & 0x80 != 0 {
                let nb = len & 0x7F
                guard nb >= 1, nb <= 3, pos + nb <= bytes.count else { throw CryptoError.invalidArgument("DER length") }
                len = 0
                for _ in 0..<nb { len = len << 8 | Int(bytes[pos]); pos += 1 }
                guard len >= 0x80 else { throw CryptoError.invalidArgument("DER length") }
            }
            guard len <= bytes.count - pos else { throw CryptoError.invalidArgument("DER length") }
            let content = Array(bytes[pos..<(pos + len)])
            pos += len
            return content
        }

        /// Reads a non-negative INTEGER and returns it left-padded to `width` bytes.
        mutating func readUnsigned(width: Int) throws -> [UInt8] {
            var v = try read(tag: 0x02)
            guard !v.isEmpty, v[0] & 0x80 == 0 else { throw CryptoError.invalidArgument("DER integer") }
            while v.count > 1 && v[0] == 0 { v.removeFirst() }
            guard v.count <= width else { throw CryptoError.invalidArgument("DER integer") }
            return [UInt8](repeating: 0, count: width - v.count) + v
        }
    }
}
