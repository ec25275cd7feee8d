// The DMK as the XOR of n components, and check values (first 8 bytes of 3DES-ECB of a zero
// block, as 16 hex characters).
import HostProtocol
import HSMCrypto
import ManagementProtocol

public enum DMKComponents {
    public static let keyLength = ManagementLimits.componentLength

    /// Check value (16H) of a 16-byte key or component.
    public static func checkValue(_ key: [UInt8]) throws -> String {
        guard key.count == keyLength, let kcv = try? CeremonyCrypto.checkValue(of: key) else {
            throw CeremonyError(.deviceFailure, "cannot compute a check value")
        }
        return Hex.string(kcv)
    }

    /// Check value (16H) of a key held in a secret buffer.
    public static func checkValue(_ key: SecureBytes) throws -> String {
        try key.withTemporaryArray { try checkValue($0) }
    }

    /// Splits `dmk` into `count` components whose XOR is `dmk`: count-1 random, the last the rest.
    static func split(dmk: [UInt8], count: Int, ceremonyID: String) throws -> [DMKComponent] {
        guard dmk.count == keyLength, ManagementLimits.componentCount.contains(count) else {
            throw CeremonyError(.componentCount, "the DMK is split into 2 to 9 components")
        }
        var last = dmk
        var out: [DMKComponent] = []
        for i in 1..<count {
            guard let r = try? CeremonyCrypto.random(keyLength) else {
                throw CeremonyError(.deviceFailure, "random generator failure")
            }
            for j in 0..<keyLength { last[j] ^= r[j] }
            out.append(DMKComponent(ceremonyID: ceremonyID, index: i, count: count, checkValue: try checkValue(r), bytes: r))
        }
        out.append(DMKComponent(ceremonyID: ceremonyID, index: count, count: count, checkValue: try checkValue(last), bytes: last))
        SecureBytes.wipe(&last)
        return out
    }

    /// XOR of the components' bytes.
    static func combine(_ components: [DMKComponent]) -> [UInt8] {
        var dmk = [UInt8](repeating: 0, count: keyLength)
        for c in components where c.bytes.count == keyLength {
            for j in 0..<keyLength { dmk[j] ^= c.bytes[j] }
        }
        return dmk
    }
}
