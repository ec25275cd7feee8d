/// MAC algorithms of ISO/IEC 9797-1.
public enum MACAlgorithm: Sendable, CaseIterable {
    /// ISO/IEC 9797-1 MAC algorithm 1: CBC-MAC with the whole key (ANSI X9.9 with single
    /// DES; also 3DES, SM4, AES).
    case alg1
    /// ISO/IEC 9797-1 MAC algorithm 3: ANSI X9.19 "retail MAC". DES only, double-length key
    /// K1|K2: CBC with single-DES K1 over all blocks, then decrypt with K2 and encrypt with K1.
    case alg3
}

/// Padding methods of ISO/IEC 9797-1.
public enum MACPadding: Sendable, CaseIterable {
    /// No padding: the message must be block-aligned and (for a whole message) non-empty.
    case none
    /// Method 1: append as few zero bytes as needed (none if aligned). An empty message is
    /// padded to one zero block (ISO/IEC 9797-1:2011 method 1).
    case method1
    /// Method 2: append `80`, then as few zero bytes as needed (always adds 1..blockSize bytes).
    case method2
}

/// ISO/IEC 9797-1 MAC algorithms 1 and 3, with padding methods none/1/2 and multi-part
/// chaining for the HSM's `M6`/`M8` modes.
///
/// Multi-part use (message split into parts, each non-final part block-aligned):
/// - first part:  `cv = try mac.update(part1)`                (chaining nil = zero IV)
/// - middle part: `cv = try mac.update(partN, chaining: cv)`
/// - last part:   `m  = try mac.finish(partLast, padding: p, chaining: cv)`
/// - only part:   `m  = try mac.compute(message, padding: p)`  (== `finish(..., chaining: nil)`)
///
/// The chaining value is one block: the CBC state after the part (for algorithm 3 the
/// single-DES K1 CBC state, before the final K2/K1 transformation). Padding is applied
/// only in `finish`, to the final part; with `chaining != nil` the final part may be
/// empty (then no pad block is added by method 1 or none, since the whole message is
/// non-empty). The result of `finish`/`compute` is the full MAC block (8 bytes for DES,
/// 16 for SM4/AES); callers truncate (e.g. 4 bytes = 8H, 8 bytes = 16H).
public struct ISO9797MAC: Sendable {
    /// The MAC algorithm.
    public let algorithm: MACAlgorithm
    /// The block cipher.
    public let cipherAlgorithm: BlockCipherAlgorithm
    /// The cipher block size (= MAC block / chaining value length).
    public var blockSize: Int { cipherAlgorithm.blockSize }

    private let cbc: BlockCipher
    private let k2: BlockCipher?

    /// Creates a MAC context. Algorithm 1 accepts any key the cipher accepts; algorithm 3
    /// requires `cipher == .des` and a 16-byte key (else `unsupported` / `invalidKeyLength`).
    public init(algorithm: MACAlgorithm, cipher: BlockCipherAlgorithm, key: [UInt8]) throws {
        self.algorithm = algorithm
        self.cipherAlgorithm = cipher
        switch algorithm {
        case .alg1:
            cbc = try BlockCipher(algorithm: cipher, key: key)
            k2 = nil
        case .alg3:
            guard cipher == .des else { throw CryptoError.unsupported("ISO 9797-1 algorithm 3 needs DES") }
            guard key.count == 16 else { throw CryptoError.invalidKeyLength(algorithm: "ISO 9797-1 alg 3", length: key.count) }
            var k1 = Array(key[0..<8])
            var kk2 = Array(key[8..<16])
            defer { SecureBytes.wipe(&k1); SecureBytes.wipe(&kk2) }
            cbc = try BlockCipher(algorithm: .des, key: k1)
            k2 = try BlockCipher(algorithm: .des, key: kk2)
        }
    }

    /// Processes a non-final part. `data` must be block-aligned (may be empty); `chaining`
    /// is the previous part's result or nil (zero IV) for the first part. Returns the new
    /// chaining value (one block).
    public func update(_ data: [UInt8], chaining: [UInt8]? = nil) throws -> [UInt8] {
        try data.withUnsafeBytes { try chain($0, iv: chaining) }
    }

    /// Processes the final part (padding applied here) and returns the MAC block.
    /// `chaining` nil means `data` is the whole message.
    public func finish(_ data: [UInt8], padding: MACPadding, chaining: [UInt8]? = nil) throws -> [UInt8] {
        let bs = blockSize
        let rem = data.count % bs
        let full = data.count - rem
        // The padded tail: the last partial block plus padding (empty or exactly one block).
        var tail = [UInt8]()
        switch padding {
        case .none:
            guard rem == 0 else { throw CryptoError.unalignedData(length: data.count, blockSize: bs) }
            if data.isEmpty && chaining == nil { throw CryptoError.invalidArgument("empty message without padding") }
        case .method1:
            if data.isEmpty && chaining == nil {
                tail = [UInt8](repeating: 0, count: bs)
            } else if rem != 0 {
                tail = Array(data[full...]) + [UInt8](repeating: 0, count: bs - rem)
            }
        case .method2:
            tail = Array(data[full...]) + [0x80] + [UInt8](repeating: 0, count: bs - rem - 1)
        }
        var h = try data.withUnsafeBytes { raw in
            try chain(UnsafeRawBufferPointer(rebasing: raw[0..<full]), iv: chaining)
        }
        if !tail.isEmpty {
            h = try tail.withUnsafeBytes { try chain($0, iv: h) }
        }
        switch algorithm {
        case .alg1:
            return h
        case .alg3:
            guard let k2 = k2 else { throw CryptoError.unsupported("ISO 9797-1 algorithm 3 key") }
            return try cbc.encryptECB(k2.decryptECB(h))
        }
    }

    /// MAC of a whole message (one part).
    public func compute(_ data: [UInt8], padding: MACPadding) throws -> [UInt8] {
        try finish(data, padding: padding, chaining: nil)
    }

    private func chain(_ data: UnsafeRawBufferPointer, iv: [UInt8]?) throws -> [UInt8] {
        let bs = blockSize
        guard data.count % bs == 0 else { throw CryptoError.unalignedData(length: data.count, blockSize: bs) }
        let start = iv ?? [UInt8](repeating: 0, count: bs)
        guard start.count == bs else { throw CryptoError.invalidIVLength(expected: bs, actual: start.count) }
        return try cbc.cbcLastBlock(data, iv: start)
    }
}
