import COpenSSL

/// Cryptographically secure random bytes (OpenSSL `RAND_bytes`).
public enum Random {
    /// Returns `n` random bytes from OpenSSL's DRBG. Throws for negative `n` or a DRBG failure.
    public static func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= Int(Int32.max) else { throw CryptoError.invalidArgument("random length") }
        if n == 0 { return [] }
        var ok: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: n) { buf, count in
            ok = RAND_bytes(buf.baseAddress, Int32(n))
            count = n
        }
        guard ok == 1 else { throw openSSLFailure("RAND_bytes") }
        return out
    }
}

/// Comparison of secrets. Zeroing lives in ``SecureBytes`` (a buffer that zeroes itself, and
/// ``SecureBytes/wipe(_:)`` for an array still in flight).
public enum Secure {
    /// Constant-time comparison (`CRYPTO_memcmp`). Arrays of different length compare
    /// unequal (the length itself is not secret).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }
}

/// Hex helpers (uppercase), internal: HostProtocol owns the public `Hex`.
enum Hex {
    /// Encodes bytes as uppercase hex.
    static func encode(_ b: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(b.count * 2)
        for x in b { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case, no separators). Returns nil on odd length or a non-hex char.
    static func decode(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let h = nibble(u[i]), let l = nibble(u[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
