import HSMCrypto
import HostProtocol

/// Clear PIN blocks for the handlers, on top of HSMCrypto's `PINBlock` (ISO 9564 formats 0,
/// 1, 3 and IBM 3624; PINs here are digit values 0...9, format codes 2N).
///
/// 16-byte (32H) layout under SM4/AES keys: the 8-byte block of the requested format
/// followed by 8 bytes `FF` (HSMCrypto `buildWide`/`extractWide`). Decoding checks the `FF`
/// tail (else `20`).
enum PINBlock {
    static func format(_ code: Int) throws -> HSMCrypto.PINBlock.Format {
        guard let f = HSMCrypto.PINBlock.Format(code: code) else { throw HostFailure(.invalidPINBlockFormat) }
        return f
    }

    /// The host error for a PIN block failure.
    static func hostError(_ e: Error) -> HostFailure {
        switch e as? CryptoError {
        case .pinBlockLengthInvalid?, .invalidPIN?: return HostFailure(.pinLength)
        case .pinBlockControlMismatch?, .pinBlockNonDecimalDigit?, .pinBlockFillInvalid?, .pinBlockSizeInvalid?:
            return HostFailure(.pinBlockError)
        default: return (e as? HostFailure) ?? HostFailure(.invalidInput)
        }
    }

    /// Builds a clear block (8 bytes, or 16 for `blockSize` 16). `pin` is 4...12 digit
    /// values; `account` the 12N account field.
    static func make(pin: [UInt8], format code: Int, account: String, blockSize: Int) throws -> [UInt8] {
        guard pin.count >= 4, pin.count <= 12, pin.allSatisfy({ $0 <= 9 }) else { throw HostFailure(.pinLength) }
        let f = try format(code)
        var ascii = pin.map { $0 + 0x30 }
        defer { SecureBytes.wipe(&ascii) }
        do {
            return blockSize == 16
                ? try HSMCrypto.PINBlock.buildWide(format: f, pin: ascii, accountField: account)
                : try HSMCrypto.PINBlock.build(format: f, pin: ascii, accountField: account)
        } catch {
            throw hostError(error)
        }
    }

    /// Reads the PIN digit values out of a clear block; `20`/`24` when it is not well formed.
    static func parse(_ block: [UInt8], format code: Int, account: String) throws -> [UInt8] {
        let f = try format(code)
        guard block.count == 8 || block.count == 16 else { throw HostFailure(.pinBlockError) }
        var ascii: [UInt8]
        do {
            ascii = block.count == 16
                ? try HSMCrypto.PINBlock.extractWide(format: f, block: block, accountField: account)
                : try HSMCrypto.PINBlock.extract(format: f, block: block, accountField: account)
        } catch {
            throw hostError(error)
        }
        defer { SecureBytes.wipe(&ascii) }
        return ascii.map { $0 - 0x30 }
    }

    // MARK: PIN under LMK

    /// PIN under LMK (this project's form): 3DES-ECB under LMK pair 02-03 of the ISO
    /// format 0 block of the PIN and account. 16H.
    static func encryptUnderLMK(_ keys: StorageKeys, pin: [UInt8], account: String) throws -> [UInt8] {
        guard let lmk = keys.lmkPair(2) else { throw HostFailure(.internalError) }
        var block = try make(pin: pin, format: 1, account: account, blockSize: 8)
        defer { SecureBytes.wipe(&block) }
        return try Prim.crypt(.des, key: lmk, data: block, encrypt: true)
    }

    static func decryptUnderLMK(_ keys: StorageKeys, _ enc: [UInt8], account: String) throws -> [UInt8] {
        guard enc.count == 8, let lmk = keys.lmkPair(2) else { throw HostFailure(.invalidInput) }
        var block = try Prim.crypt(.des, key: lmk, data: enc, encrypt: false)
        defer { SecureBytes.wipe(&block) }
        return try parse(block, format: 1, account: account)
    }
}
