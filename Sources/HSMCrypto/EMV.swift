/// EMV / PBOC card key derivation and cryptograms, composed from ``BlockCipher`` and
/// ``ISO9797MAC`` (no cipher of its own). Each function is tested against published values
/// (Tests/HSMCryptoTests/EMVTests.swift).
///
/// Algorithms (EMV 4.3 Book 2 Annex A1.3/A1.4, JR/T 0025 PBOC 3.0 session key form):
/// - ``diversify(_:algorithm:factor:)``: Y || ~Y under the key (3DES: two ECB blocks,
///   parity adjusted; SM4: one 16-byte block). Option A card master key derivation is this
///   with Y = the rightmost 16 digits of PAN || PSN packed as 8 bytes; the PBOC session key
///   is this with Y = `000000000000` || ATC.
/// - ``commonSessionKey(_:algorithm:r:)``: EMV common session key derivation (Book 2 A1.3.1),
///   3DES (two blocks, F0/0F) or SM4 (one 16-byte block).
/// - ``arpcMethod1(key:algorithm:arqc:arc:)``: ARPC method 1 (Book 2 8.2.1).
/// - ``arpcMethod2(key:algorithm:arqc:csu:proprietaryData:)``: ARPC method 2 (Book 2 8.2.2).
/// - ``cryptogram(key:algorithm:data:)``: the application cryptogram / script MAC, ISO/IEC
///   9797-1 algorithm 3 (3DES) or 1 (SM4) with padding method 2, 8 bytes.
public enum EMV {
    /// Packs 16 decimal digits (ASCII) into 8 bytes; nil for anything else.
    public static func packDigits(_ digits: [UInt8]) -> [UInt8]? {
        guard digits.count == 16, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var out = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { out[i] = (digits[2 * i] - 0x30) << 4 | (digits[2 * i + 1] - 0x30) }
        return out
    }

    /// The key derived from `key` by the 8-byte factor `factor`: 3DES (16-byte key)
    /// E(Y) || E(~Y) with odd parity; SM4 E(Y || ~Y).
    public static func diversify(_ key: [UInt8], algorithm: BlockCipherAlgorithm, factor: [UInt8]) throws -> [UInt8] {
        guard factor.count == 8 else { throw CryptoError.invalidArgument("derivation factor must be 8 bytes") }
        guard algorithm == .des || algorithm == .sm4 else { throw CryptoError.unsupported("EMV derivation with \(algorithm.rawValue)") }
        guard algorithm != .des || key.count == 16 else { throw CryptoError.invalidKeyLength(algorithm: "EMV 3DES derivation", length: key.count) }
        let bc = try BlockCipher(algorithm: algorithm, key: key)
        let block = factor + factor.map { ~$0 }
        var out = try bc.encryptECB(block)
        guard algorithm == .des else { return out }
        defer { SecureBytes.wipe(&out) }
        return DES.adjustParity(out)
    }

    /// EMV common session key derivation (EMV 4.3 Book 2 A1.3.1) of a 16-byte card key with the
    /// diversification value R of one block:
    /// - 3DES (8-byte block, 16-byte key, k = 2n): R of 8 bytes,
    ///   E(R with byte 2 = F0) || E(R with byte 2 = 0F), parity set;
    /// - SM4 (16-byte block, 16-byte key, k = n, the book's rule for a key as long as the
    ///   block): R of 16 bytes, SK = E(MK)[R] (one block, no parity).
    public static func commonSessionKey(_ key: [UInt8], algorithm: BlockCipherAlgorithm = .des, r: [UInt8]) throws -> [UInt8] {
        guard key.count == 16 else { throw CryptoError.invalidKeyLength(algorithm: "EMV session key", length: key.count) }
        switch algorithm {
        case .des:
            guard r.count == 8 else { throw CryptoError.invalidArgument("R must be 8 bytes") }
            let bc = try BlockCipher(algorithm: .des, key: key)
            var left = r, right = r
            left[2] = 0xF0
            right[2] = 0x0F
            var out = try bc.encryptECB(left + right)
            defer { SecureBytes.wipe(&out) }
            return DES.adjustParity(out)
        case .sm4:
            guard r.count == 16 else { throw CryptoError.invalidArgument("R must be 16 bytes") }
            return try BlockCipher(algorithm: .sm4, key: key).encryptECB(r)
        default:
            throw CryptoError.unsupported("EMV session key with \(algorithm.rawValue)")
        }
    }

    /// The 8-byte cryptogram (ARQC/TC/AAC, script MAC) of `data`: padding method 2, then
    /// ISO/IEC 9797-1 algorithm 3 (3DES, 16-byte key) or algorithm 1 (SM4), the leftmost 8 bytes.
    public static func cryptogram(key: [UInt8], algorithm: BlockCipherAlgorithm, data: [UInt8]) throws -> [UInt8] {
        let mac: ISO9797MAC
        switch algorithm {
        case .des: mac = try ISO9797MAC(algorithm: .alg3, cipher: .des, key: key)
        case .sm4: mac = try ISO9797MAC(algorithm: .alg1, cipher: .sm4, key: key)
        default: throw CryptoError.unsupported("EMV cryptogram with \(algorithm.rawValue)")
        }
        return Array(try mac.compute(data, padding: .method2).prefix(8))
    }

    /// ARPC method 1: E(key)[ARQC XOR (ARC || 00...)], the leftmost 8 bytes (SM4: the 8-byte
    /// value followed by 8 zero bytes is the block).
    public static func arpcMethod1(key: [UInt8], algorithm: BlockCipherAlgorithm, arqc: [UInt8], arc: [UInt8]) throws -> [UInt8] {
        guard arqc.count == 8 else { throw CryptoError.invalidArgument("ARQC must be 8 bytes") }
        guard arc.count == 2 else { throw CryptoError.invalidArgument("ARC must be 2 bytes") }
        var y = arqc
        y[0] ^= arc[0]
        y[1] ^= arc[1]
        let bc = try BlockCipher(algorithm: algorithm, key: key)
        if bc.blockSize == 16 { y += [UInt8](repeating: 0, count: 8) }
        return Array(try bc.encryptECB(y).prefix(8))
    }

    /// Most bytes of proprietary authentication data in ARPC method 2.
    public static let maxProprietaryAuthenticationData = 8

    /// ARPC method 2 (EMV 4.x Book 2 8.2.2): the leftmost 4 bytes of the ``cryptogram(key:algorithm:data:)``
    /// MAC (ISO/IEC 9797-1 algorithm 3, SM4: algorithm 1, padding method 2) of
    /// ARQC (8 bytes) || CSU (4 bytes) || proprietary authentication data (0...8 bytes), under
    /// the AC session key.
    public static func arpcMethod2(key: [UInt8], algorithm: BlockCipherAlgorithm, arqc: [UInt8], csu: [UInt8],
                                   proprietaryData: [UInt8] = []) throws -> [UInt8] {
        guard arqc.count == 8 else { throw CryptoError.invalidArgument("ARQC must be 8 bytes") }
        guard csu.count == 4 else { throw CryptoError.invalidArgument("CSU must be 4 bytes") }
        guard proprietaryData.count <= maxProprietaryAuthenticationData else {
            throw CryptoError.invalidArgument("proprietary authentication data must be at most 8 bytes")
        }
        return Array(try cryptogram(key: key, algorithm: algorithm, data: arqc + csu + proprietaryData).prefix(4))
    }

    /// Pads with `80` then zeros to a whole number of blocks, only when `data` is not already
    /// block-aligned (EMV Book 2 secure messaging for confidentiality).
    public static func padIfNeeded(_ data: [UInt8], blockSize: Int) -> [UInt8] {
        guard data.isEmpty || data.count % blockSize != 0 else { return data }
        var d = data
        d.append(0x80)
        while d.count % blockSize != 0 { d.append(0) }
        return d
    }

    /// The 8-byte offline PIN change block (Visa VIS PIN change, payShield formats 41/42):
    /// A = 00000000 || the rightmost 4 bytes of the card key's left half (UDK-A);
    /// B = `0` N PIN, `F` filled; C (format 42) = the current PIN, `0` filled;
    /// result A XOR B [XOR C]. PINs are digit values 0...9, 4 to 12 of them.
    public static func pinChangeBlock(newPIN: [UInt8], oldPIN: [UInt8]?, cardKeyLeft: [UInt8]) throws -> [UInt8] {
        guard cardKeyLeft.count >= 8 else { throw CryptoError.invalidArgument("card key half must be 8 bytes") }
        func valid(_ p: [UInt8]) -> Bool { (4...12).contains(p.count) && p.allSatisfy { $0 <= 9 } }
        guard valid(newPIN) else { throw CryptoError.invalidPIN }
        if let o = oldPIN { guard valid(o) else { throw CryptoError.invalidPIN } }
        var nibbles = [UInt8](repeating: 0xF, count: 16)
        nibbles[0] = 0
        nibbles[1] = UInt8(newPIN.count)
        for (i, d) in newPIN.enumerated() { nibbles[2 + i] = d }
        var out = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { out[i] = nibbles[2 * i] << 4 | nibbles[2 * i + 1] }
        for i in 4..<8 { out[i] ^= cardKeyLeft[i] }
        if let o = oldPIN {
            var c = [UInt8](repeating: 0, count: 16)
            for (i, d) in o.enumerated() { c[i] = d }
            for i in 0..<8 { out[i] ^= c[2 * i] << 4 | c[2 * i + 1] }
            SecureBytes.wipe(&c)
        }
        SecureBytes.wipe(&nibbles)
        return out
    }
}
