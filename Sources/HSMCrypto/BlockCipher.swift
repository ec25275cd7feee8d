import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Block cipher algorithms supported by ``BlockCipher``.
public enum BlockCipherAlgorithm: String, Sendable, CaseIterable {
    /// DES family, run as DES-EDE3 (Triple DES). Keys of 8 bytes (single DES, done as
    /// K|K|K), 16 bytes (double length, K1|K2|K1) or 24 bytes (triple length).
    case des
    /// SM4 (GB/T 32907-2016), 16-byte key.
    case sm4
    /// AES-128 (FIPS 197), 16-byte key.
    case aes128
    /// AES-192 (FIPS 197), 24-byte key.
    case aes192
    /// AES-256 (FIPS 197), 32-byte key.
    case aes256

    /// Block size in bytes: 8 for DES, 16 for SM4 and AES.
    public var blockSize: Int { self == .des ? 8 : 16 }

    /// Key lengths (bytes) accepted by ``BlockCipher``.
    public var keyLengths: [Int] {
        switch self {
        case .des: return [8, 16, 24]
        case .sm4, .aes128: return [16]
        case .aes192: return [24]
        case .aes256: return [32]
        }
    }
}

/// A keyed block cipher without padding: ECB and CBC over data whose length is a multiple
/// of the block size (otherwise ``CryptoError/unalignedData(length:blockSize:)``).
///
/// The key is copied into a private buffer that is cleansed on deinit. OpenSSL contexts
/// are created lazily per mode and direction, keyed once and reused (only the IV is reset
/// per CBC call), so repeated operations do no key schedule and no algorithm fetch.
/// Instances are thread-safe (operations are serialised by an internal mutex).
public final class BlockCipher: @unchecked Sendable {
    /// The algorithm.
    public let algorithm: BlockCipherAlgorithm
    /// Block size in bytes (8 or 16).
    public let blockSize: Int

    private let keyBuf: UnsafeMutablePointer<UInt8>
    private let keyLen: Int
    private let ecb: OpaquePointer
    private let cbc: OpaquePointer
    /// Contexts: 0 ECB encrypt, 1 ECB decrypt, 2 CBC encrypt, 3 CBC decrypt.
    private var ctxs: (OpaquePointer?, OpaquePointer?, OpaquePointer?, OpaquePointer?) = (nil, nil, nil, nil)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    /// Creates a cipher. Throws ``CryptoError/invalidKeyLength(algorithm:length:)`` when
    /// the key length is not one of `algorithm.keyLengths`.
    public convenience init(algorithm: BlockCipherAlgorithm, key: [UInt8]) throws {
        try self.init(algorithm: algorithm, keyCount: key.count) { buf in
            key.withUnsafeBytes { BlockCipher.load($0, algorithm, into: buf) }
        }
    }

    /// Creates a cipher with the key lent as bytes (a ``SecureBytes``' `withUnsafeBytes`):
    /// the key is copied into the cipher's own cleansed buffer, as with an array key.
    public convenience init(algorithm: BlockCipherAlgorithm, key: UnsafeRawBufferPointer) throws {
        try self.init(algorithm: algorithm, keyCount: key.count) { BlockCipher.load(key, algorithm, into: $0) }
    }

    /// Copies a key into the cipher's buffer (DES keys of 8/16 bytes expanded to 24).
    private static func load(_ key: UnsafeRawBufferPointer, _ algorithm: BlockCipherAlgorithm, into kbuf: UnsafeMutablePointer<UInt8>) {
        guard let kb = key.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        switch (algorithm, key.count) {
        case (.des, 8):
            for i in 0..<3 { (kbuf + 8 * i).initialize(from: kb, count: 8) }
        case (.des, 16):
            kbuf.initialize(from: kb, count: 16)
            (kbuf + 16).initialize(from: kb, count: 8)
        default:
            kbuf.initialize(from: kb, count: key.count)
        }
    }

    private init(algorithm: BlockCipherAlgorithm, keyCount: Int, load: (UnsafeMutablePointer<UInt8>) -> Void) throws {
        guard algorithm.keyLengths.contains(keyCount) else {
            throw CryptoError.invalidKeyLength(algorithm: algorithm.rawValue, length: keyCount)
        }
        let pair: (OpaquePointer?, OpaquePointer?)
        switch algorithm {
        case .des: pair = (EVPCache.desEDE3ECB, EVPCache.desEDE3CBC)
        case .sm4: pair = (EVPCache.sm4ECB, EVPCache.sm4CBC)
        case .aes128: pair = (EVPCache.aes128ECB, EVPCache.aes128CBC)
        case .aes192: pair = (EVPCache.aes192ECB, EVPCache.aes192CBC)
        case .aes256: pair = (EVPCache.aes256ECB, EVPCache.aes256CBC)
        }
        guard let e = pair.0, let c = pair.1 else { throw openSSLFailure("EVP_CIPHER_fetch \(algorithm.rawValue)") }
        self.algorithm = algorithm
        self.blockSize = algorithm.blockSize
        self.ecb = e
        self.cbc = c
        let len = algorithm == .des ? 24 : keyCount
        self.keyLen = len
        let kbuf = UnsafeMutablePointer<UInt8>.allocate(capacity: len)
        self.keyBuf = kbuf
        load(kbuf)
        self.mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        self.mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(self.mutex, nil)
    }

    deinit {
        EVP_CIPHER_CTX_free(ctxs.0)
        EVP_CIPHER_CTX_free(ctxs.1)
        EVP_CIPHER_CTX_free(ctxs.2)
        EVP_CIPHER_CTX_free(ctxs.3)
        OPENSSL_cleanse(keyBuf, keyLen)
        keyBuf.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// ECB encryption of block-aligned `data`.
    public func encryptECB(_ data: [UInt8]) throws -> [UInt8] { try run(0, data, iv: nil) }
    /// ECB decryption of block-aligned `data`.
    public func decryptECB(_ data: [UInt8]) throws -> [UInt8] { try run(1, data, iv: nil) }
    /// CBC encryption of block-aligned `data`; `iv` must be exactly one block.
    public func encryptCBC(_ data: [UInt8], iv: [UInt8]) throws -> [UInt8] { try run(2, data, iv: iv) }
    /// CBC decryption of block-aligned `data`; `iv` must be exactly one block.
    public func decryptCBC(_ data: [UInt8], iv: [UInt8]) throws -> [UInt8] { try run(3, data, iv: iv) }

    private func context(_ slot: Int) -> OpaquePointer? {
        switch slot {
        case 0: return ctxs.0
        case 1: return ctxs.1
        case 2: return ctxs.2
        default: return ctxs.3
        }
    }

    private func setContext(_ slot: Int, _ c: OpaquePointer) {
        switch slot {
        case 0: ctxs.0 = c
        case 1: ctxs.1 = c
        case 2: ctxs.2 = c
        default: ctxs.3 = c
        }
    }

    /// Runs `body` with the CBC-encrypt context, IV reset to `iv`, under the lock.
    func withCBCEncryptContext<R>(iv: [UInt8], _ body: (OpaquePointer) throws -> R) throws -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let ctx = try prepare(slot: 2, iv: iv)
        return try body(ctx)
    }

    /// Returns the context for `slot`, created and keyed on first use; for CBC slots the
    /// IV is (re)set. Must be called with the mutex held.
    private func prepare(slot: Int, iv: [UInt8]?) throws -> OpaquePointer {
        let enc: Int32 = (slot == 0 || slot == 2) ? 1 : 0
        let isCBC = slot >= 2
        if let c = context(slot) {
            if isCBC {
                guard let iv = iv else { throw CryptoError.invalidIVLength(expected: blockSize, actual: 0) }
                let ok = iv.withUnsafeBufferPointer { ivp in
                    EVP_CipherInit_ex2(c, nil, nil, ivp.baseAddress, enc, nil)
                }
                guard ok == 1 else { throw openSSLFailure("EVP_CipherInit_ex2") }
                EVP_CIPHER_CTX_set_padding(c, 0)
            }
            return c
        }
        guard let c = EVP_CIPHER_CTX_new() else { throw openSSLFailure("EVP_CIPHER_CTX_new") }
        let ok: Int32
        if let iv = iv {
            ok = iv.withUnsafeBufferPointer { ivp in
                EVP_CipherInit_ex2(c, isCBC ? cbc : ecb, keyBuf, ivp.baseAddress, enc, nil)
            }
        } else {
            ok = EVP_CipherInit_ex2(c, isCBC ? cbc : ecb, keyBuf, nil, enc, nil)
        }
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(c)
            throw openSSLFailure("EVP_CipherInit_ex2")
        }
        EVP_CIPHER_CTX_set_padding(c, 0)
        setContext(slot, c)
        return c
    }

    private func run(_ slot: Int, _ data: [UInt8], iv: [UInt8]?) throws -> [UInt8] {
        let bs = blockSize
        guard data.count % bs == 0 else { throw CryptoError.unalignedData(length: data.count, blockSize: bs) }
        if let iv = iv, iv.count != bs { throw CryptoError.invalidIVLength(expected: bs, actual: iv.count) }
        guard data.count <= Int(Int32.max) - bs else { throw CryptoError.invalidArgument("data length") }
        if data.isEmpty { return [] }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let ctx = try prepare(slot: slot, iv: iv)

        let n = data.count
        return try [UInt8](unsafeUninitializedCapacity: n) { out, count in
            var outl: Int32 = 0
            let ok = data.withUnsafeBufferPointer { inp in
                EVP_CipherUpdate(ctx, out.baseAddress, &outl, inp.baseAddress, Int32(n))
            }
            guard ok == 1, Int(outl) == n else {
                count = 0
                throw openSSLFailure("EVP_CipherUpdate")
            }
            count = n
        }
    }
}

extension BlockCipher {
    /// CBC-encrypts block-aligned `data` from `iv` and returns only the final ciphertext
    /// block (the CBC-MAC chaining value), or `iv` itself for empty data. The ciphertext is
    /// produced into a fixed scratch buffer, so no data-sized allocation happens.
    func cbcLastBlock(_ data: UnsafeRawBufferPointer, iv: [UInt8]) throws -> [UInt8] {
        let bs = blockSize
        guard data.count % bs == 0 else { throw CryptoError.unalignedData(length: data.count, blockSize: bs) }
        guard iv.count == bs else { throw CryptoError.invalidIVLength(expected: bs, actual: iv.count) }
        guard let base = data.baseAddress, data.count > 0 else { return iv }
        let chunk = 512
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunk) { scratch in
            defer { if let p = scratch.baseAddress { OPENSSL_cleanse(p, chunk) } }
            return try withCBCEncryptContext(iv: iv) { ctx in
                var off = 0
                var lastLen = 0
                while off < data.count {
                    let n = min(chunk, data.count - off)
                    var outl: Int32 = 0
                    guard EVP_CipherUpdate(ctx, scratch.baseAddress, &outl, base.advanced(by: off).assumingMemoryBound(to: UInt8.self), Int32(n)) == 1,
                          Int(outl) == n
                    else { throw openSSLFailure("EVP_CipherUpdate") }
                    off += n
                    lastLen = n
                }
                return Array(scratch[(lastLen - bs)..<lastLen])
            }
        }
    }
}

/// One-shot helpers for a single operation with a fresh key.
extension BlockCipher {
    /// Encrypts one or more blocks in ECB mode with `key`.
    public static func encryptECB(_ algorithm: BlockCipherAlgorithm, key: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        try BlockCipher(algorithm: algorithm, key: key).encryptECB(data)
    }
    /// Decrypts one or more blocks in ECB mode with `key`.
    public static func decryptECB(_ algorithm: BlockCipherAlgorithm, key: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
        try BlockCipher(algorithm: algorithm, key: key).decryptECB(data)
    }
}
