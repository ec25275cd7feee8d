/// DES key parity helpers. Each DES key byte carries an odd-parity bit in its low bit.
public enum DES {
    /// Returns `key` with each byte's low bit set so the byte has odd parity.
    public static func adjustParity(_ key: [UInt8]) -> [UInt8] {
        key.map { b in
            let high = b & 0xFE
            return (high.nonzeroBitCount % 2 == 0) ? (high | 1) : high
        }
    }

    /// True when every byte of `key` has odd parity (and `key` is non-empty).
    public static func hasOddParity(_ key: [UInt8]) -> Bool {
        guard !key.isEmpty else { return false }
        var ok = true
        for b in key where b.nonzeroBitCount % 2 == 0 { ok = false }
        return ok
    }
}
