/// Key check values (KCV).
public enum KeyCheckValue {
    /// Encrypts one zero block (8 bytes for DES/3DES, 16 for SM4/AES) under `key` in ECB and
    /// returns the whole encrypted block. Callers take the prefix they need (16H = 8 bytes,
    /// 6H = 3 bytes).
    public static func compute(key: [UInt8], algorithm: BlockCipherAlgorithm) throws -> [UInt8] {
        let cipher = try BlockCipher(algorithm: algorithm, key: key)
        return try cipher.encryptECB([UInt8](repeating: 0, count: algorithm.blockSize))
    }
}
