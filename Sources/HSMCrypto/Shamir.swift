/// Shamir secret sharing over GF(2^8) (AES field, polynomial x^8+x^4+x^3+x+1), byte-wise:
/// each secret byte is the constant term of its own random polynomial of degree k-1; a
/// share is the evaluation at x in 1...255 of every polynomial. Coefficients come from
/// ``Random/bytes(_:)``. Any k shares recover the secret; fewer reveal nothing about it.
public enum Shamir {
    /// One share: x coordinate (1...255) and one y byte per secret byte.
    public struct Share: Equatable, Sendable {
        /// The x coordinate, 1...255.
        public var x: UInt8
        /// The share bytes (same length as the secret).
        public var y: [UInt8]

        public init(x: UInt8, y: [UInt8]) {
            self.x = x
            self.y = y
        }

        /// Serialised form: `x` followed by `y`.
        public var bytes: [UInt8] { [x] + y }

        /// Parses the serialised form; throws ``CryptoError/invalidShares(_:)`` when it is
        /// shorter than 2 bytes or x is 0.
        public init(bytes: [UInt8]) throws {
            guard bytes.count >= 2, bytes[0] != 0 else { throw CryptoError.invalidShares("share encoding") }
            self.x = bytes[0]
            self.y = Array(bytes[1...])
        }
    }

    /// Splits `secret` (non-empty) into `n` shares, any `k` of which recover it.
    /// Requires 1 <= k <= n <= 255 (``CryptoError/invalidThreshold``). Shares get x = 1...n.
    public static func split(secret: [UInt8], threshold k: Int, shares n: Int) throws -> [Share] {
        guard k >= 1, n >= k, n <= 255 else { throw CryptoError.invalidThreshold }
        guard !secret.isEmpty else { throw CryptoError.invalidArgument("empty secret") }
        var shares = (1...n).map { Share(x: UInt8($0), y: [UInt8](repeating: 0, count: secret.count)) }
        // coefficients a1..a(k-1) for every byte
        var coeffs = try Random.bytes((k - 1) * secret.count)
        defer { SecureBytes.wipe(&coeffs) }
        for i in 0..<secret.count {
            for s in 0..<n {
                let x = shares[s].x
                // Horner: ((a(k-1) x + a(k-2)) x + ...) x + a0
                var acc: UInt8 = 0
                var j = k - 1
                while j >= 1 {
                    acc = GF256.mul(acc, x) ^ coeffs[(j - 1) * secret.count + i]
                    j -= 1
                }
                acc = GF256.mul(acc, x) ^ secret[i]
                shares[s].y[i] = acc
            }
        }
        return shares
    }

    /// Recombines shares by Lagrange interpolation at x = 0. Pass at least k shares (with
    /// fewer, the result is an unrelated value: the scheme cannot detect it). Throws
    /// ``CryptoError/invalidShares(_:)`` for an empty list, x = 0 or unequal lengths, and
    /// ``CryptoError/duplicateShare`` for a repeated x.
    public static func combine(_ shares: [Share]) throws -> [UInt8] {
        guard let first = shares.first else { throw CryptoError.invalidShares("no shares") }
        let len = first.y.count
        guard len > 0 else { throw CryptoError.invalidShares("empty share") }
        var seen = [Bool](repeating: false, count: 256)
        for s in shares {
            guard s.x != 0 else { throw CryptoError.invalidShares("x is zero") }
            guard s.y.count == len else { throw CryptoError.invalidShares("share lengths differ") }
            guard !seen[Int(s.x)] else { throw CryptoError.duplicateShare }
            seen[Int(s.x)] = true
        }
        // Lagrange basis at 0: l_j = prod_{m != j} x_m / (x_m - x_j)  (subtraction = xor)
        var basis = [UInt8](repeating: 0, count: shares.count)
        for j in 0..<shares.count {
            var num: UInt8 = 1, den: UInt8 = 1
            for m in 0..<shares.count where m != j {
                num = GF256.mul(num, shares[m].x)
                den = GF256.mul(den, shares[m].x ^ shares[j].x)
            }
            basis[j] = GF256.mul(num, GF256.inverse(den))
        }
        var secret = [UInt8](repeating: 0, count: len)
        for i in 0..<len {
            var acc: UInt8 = 0
            for j in 0..<shares.count { acc ^= GF256.mul(shares[j].y[i], basis[j]) }
            secret[i] = acc
        }
        return secret
    }
}

/// GF(2^8) arithmetic with the AES polynomial 0x11B, without secret-dependent branches
/// or table lookups.
enum GF256 {
    static func mul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, p: UInt8 = 0
        for _ in 0..<8 {
            p ^= a & (0 &- (b & 1))
            let carry = 0 &- (a >> 7)
            a = (a << 1) ^ (0x1B & carry)
            b >>= 1
        }
        return p
    }

    /// Multiplicative inverse (a^254); inverse(0) = 0.
    static func inverse(_ a: UInt8) -> UInt8 {
        var result: UInt8 = 1, base = a, e = 254
        while e > 0 {
            if e & 1 == 1 { result = mul(result, base) }
            base = mul(base, base)
            e >>= 1
        }
        return result
    }
}
