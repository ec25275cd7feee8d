import HostProtocol

/// Clear PIN blocks (ISO 9564 formats 0, 1, 3 and IBM 3624) and the 16-byte form used under
/// SM4/AES keys.
///
/// 16-byte (32H) layout under SM4/AES keys: the 8-byte block of the requested format
/// followed by 8 bytes `FF`. Decoding checks the `FF` tail (else `20`).
enum PINBlock {
    /// Builds a clear block. `pin` is 4...12 digits; `account` the 12N account field.
    static func make(pin: [UInt8], format: Int, account: String, blockSize: Int) throws -> [UInt8] {
        guard pin.count >= 4, pin.count <= 12, pin.allSatisfy({ $0 <= 9 }) else { throw HostFailure(.pinLength) }
        var nib = [UInt8](repeating: 0xF, count: 16)
        switch format {
        case PINBlockFormat.iso0.rawValue, PINBlockFormat.iso1.rawValue, PINBlockFormat.iso3.rawValue:
            nib[0] = format == 1 ? 0 : format == 5 ? 1 : 3
            nib[1] = UInt8(pin.count)
            for (i, d) in pin.enumerated() { nib[2 + i] = d }
            let r = try Prim.random(16)
            for i in (2 + pin.count)..<16 {
                if format == 5 { nib[i] = r[i] & 0xF }
                if format == 47 { nib[i] = 0xA + r[i] % 6 }
            }
        case PINBlockFormat.ibm3624.rawValue:
            for (i, d) in pin.enumerated() { nib[i] = d }
        default:
            throw HostFailure(.invalidPINBlockFormat)
        }
        var block = pack(nib)
        if format == 1 || format == 47 {
            let a = try accountField(account)
            for i in 0..<8 { block[i] ^= a[i] }
        }
        if blockSize == 16 { block += [UInt8](repeating: 0xFF, count: 8) }
        return block
    }

    /// Reads the PIN digits out of a clear block; `20` when the block is not well formed.
    static func parse(_ block: [UInt8], format: Int, account: String) throws -> [UInt8] {
        guard block.count == 8 || block.count == 16 else { throw HostFailure(.pinBlockError) }
        guard [1, 3, 5, 47].contains(format) else { throw HostFailure(.invalidPINBlockFormat) }
        if block.count == 16 { guard block[8...].allSatisfy({ $0 == 0xFF }) else { throw HostFailure(.pinBlockError) } }
        var b = Array(block.prefix(8))
        if format == 1 || format == 47 {
            let a = try accountField(account)
            for i in 0..<8 { b[i] ^= a[i] }
        }
        let nib = unpack(b)
        var pin: [UInt8] = []
        if format == 3 {
            for n in nib {
                if n == 0xF { break }
                guard n <= 9 else { throw HostFailure(.pinBlockError) }
                pin.append(n)
            }
            guard nib[pin.count...].allSatisfy({ $0 == 0xF }) else { throw HostFailure(.pinBlockError) }
        } else {
            let control: UInt8 = format == 1 ? 0 : format == 5 ? 1 : 3
            guard nib[0] == control else { throw HostFailure(.pinBlockError) }
            let l = Int(nib[1])
            guard l >= 4, l <= 12 else { throw HostFailure(.pinLength) }
            for i in 0..<l {
                guard nib[2 + i] <= 9 else { throw HostFailure(.pinBlockError) }
                pin.append(nib[2 + i])
            }
            let fill = nib[(2 + l)...]
            if format == 1 { guard fill.allSatisfy({ $0 == 0xF }) else { throw HostFailure(.pinBlockError) } }
            if format == 47 { guard fill.allSatisfy({ $0 >= 0xA }) else { throw HostFailure(.pinBlockError) } }
        }
        guard pin.count >= 4, pin.count <= 12 else { throw HostFailure(.pinLength) }
        return pin
    }

    /// `0000` + the 12 account digits, packed.
    static func accountField(_ account: String) throws -> [UInt8] {
        let d = Array(account.utf8)
        guard d.count == 12, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw HostFailure(.invalidInput) }
        return pack([0, 0, 0, 0] + d.map { $0 - 0x30 })
    }

    static func pack(_ nib: [UInt8]) -> [UInt8] {
        stride(from: 0, to: nib.count, by: 2).map { nib[$0] << 4 | nib[$0 + 1] }
    }

    static func unpack(_ b: [UInt8]) -> [UInt8] { b.flatMap { [$0 >> 4, $0 & 0xF] } }

    // MARK: PIN under LMK

    /// PIN under LMK (this project's form): 3DES-ECB under LMK pair 02-03 of the ISO
    /// format 0 block of the PIN and account. 16H.
    static func encryptUnderLMK(_ keys: StorageKeys, pin: [UInt8], account: String) throws -> [UInt8] {
        guard var lmk = keys.lmkPair(2) else { throw HostFailure(.internalError) }
        defer { Prim.cleanse(&lmk) }
        var block = try make(pin: pin, format: 1, account: account, blockSize: 8)
        defer { Prim.cleanse(&block) }
        return try Prim.crypt(.des, key: lmk, data: block, encrypt: true)
    }

    static func decryptUnderLMK(_ keys: StorageKeys, _ enc: [UInt8], account: String) throws -> [UInt8] {
        guard enc.count == 8, var lmk = keys.lmkPair(2) else { throw HostFailure(.invalidInput) }
        defer { Prim.cleanse(&lmk) }
        var block = try Prim.crypt(.des, key: lmk, data: enc, encrypt: false)
        defer { Prim.cleanse(&block) }
        return try parse(block, format: 1, account: account)
    }
}
