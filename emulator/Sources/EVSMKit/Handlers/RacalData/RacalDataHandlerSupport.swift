import HSMCrypto
import HostProtocol

/// Code shared by the Racal data and MAC handlers (`E0`, `UQ`, `MS`): IV fields in hex or
/// binary form, block flags, ISO/IEC 9797-1 padding method 2 and the UnionPay POS MAC.
/// Clear data and keys are zeroed by the callers (`SecureBytes.wipe`, `ClearKey.wipe`).
enum RacalDataHandlerSupport {
    /// The IV bytes of an IV field for a key of `blockSize` (hex of twice the block size, or
    /// binary of the block size); `15` otherwise.
    static func iv(_ field: [UInt8], blockSize: Int) throws -> [UInt8] {
        guard let v = RacalIVLayout.value(field, blockSize: blockSize) else { throw HostFailure(.invalidInput) }
        return v
    }

    /// A block value in the form of the IV field it answers (hex when the field was hex).
    static func sameForm(_ value: [UInt8], as field: [UInt8]) -> [UInt8] {
        guard field.count == 2 * value.count else { return value }
        var out: [UInt8] = []
        Hex.encode(value, into: &out)
        return out
    }

    /// Block flags 0 (only) and 3 (last) end a message; 1 and 2 are followed by more parts.
    static func isFinal(_ flag: Int) -> Bool { flag == 0 || flag == 3 }

    /// The data bytes from a data field in binary (0) or hex (1) form; `15` for bad hex.
    static func bytes(_ field: [UInt8], hex: Bool) throws -> [UInt8] {
        guard hex else { return field }
        guard let d = Hex.decode(field) else { throw HostFailure(.invalidInput) }
        return d
    }

    /// ISO/IEC 9797-1 padding method 2: `80`, then zeros to a whole block.
    static func padMethod2(_ data: [UInt8], blockSize: Int) -> [UInt8] {
        var out = data
        out.append(0x80)
        while out.count % blockSize != 0 { out.append(0) }
        return out
    }

    /// Removes method-2 padding (zeros, then `80`, within the last block); `15` when absent.
    static func unpadMethod2(_ data: [UInt8], blockSize: Int) throws -> [UInt8] {
        var i = data.count - 1
        let stop = max(0, data.count - blockSize)
        while i >= stop, data[i] == 0 { i -= 1 }
        guard i >= stop, data[i] == 0x80 else { throw HostFailure(.invalidInput) }
        return Array(data[..<i])
    }

    /// XORs the whole blocks of `data` (zero-padded to a whole block) into `acc`.
    static func xorBlocks(_ data: [UInt8], into acc: inout [UInt8]) {
        let bs = acc.count
        for (i, b) in data.enumerated() { acc[i % bs] ^= b }
    }

    /// The UnionPay POS MAC ("ECB" MAC of the China UnionPay POS terminal specification) of
    /// the XOR accumulator `r` (one block): H = upper-case hex of `r` (two blocks of ASCII),
    /// E1 = E(K, H[first block]), E2 = E(K, E1 XOR H[second block]); the MAC is the first
    /// `macHexLength` characters of hex(E2), i.e. the first `macHexLength / 2` bytes of E2.
    /// E is the key's block cipher in ECB (single DES, 3DES, SM4 or AES, by the key).
    static func unionPayMAC(accumulator r: [UInt8], key: ClearKey, macHexLength: Int) throws -> [UInt8] {
        let bs = key.blockSize
        var h: [UInt8] = []
        Hex.encode(r, into: &h)
        defer { SecureBytes.wipe(&h) }
        var e1 = try Prim.crypt(key.cipher, key: key.bytes, data: Array(h[0..<bs]), encrypt: true)
        defer { SecureBytes.wipe(&e1) }
        for i in 0..<bs { e1[i] ^= h[bs + i] }
        let e2 = try Prim.crypt(key.cipher, key: key.bytes, data: e1, encrypt: true)
        return Array(e2.prefix(macHexLength / 2))
    }

    /// Maps a crypto failure to an HSM code: `80` for data that is not whole blocks, `15`
    /// for anything else (the HSM code already set by a handler is kept).
    static func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as HostFailure {
            throw e
        } catch let e as CryptoError {
            if case .unalignedData = e { throw HostFailure(.lengthError) }
            throw HostFailure(.invalidInput)
        } catch {
            throw HostFailure(.invalidInput)
        }
    }
}
