/// ISO 9564-1 PIN blocks (clear) and ISO 9564-1 format 4 (AES / 128-bit block ciphers).
///
/// PINs are passed and returned as ASCII decimal digits in `[UInt8]` (e.g. `Array("1234".utf8)`)
/// so callers can zero them (``SecureBytes/wipe(_:)``); PINs must be 4...12 digits. Clear PIN
/// blocks are 8 bytes. Intermediate buffers holding PIN material are cleansed.
public enum PINBlock {
    /// 8-byte PIN block formats.
    public enum Format: Sendable, CaseIterable {
        /// ISO 9564-1 format 0 (ANSI X9.8): `0 L PIN F..F` XOR `0000 + 12-digit account field`.
        case iso0
        /// ISO 9564-1 format 1: `1 L PIN` then random fill nibbles (0-F); no account number.
        case iso1
        /// ISO 9564-1 format 3: as format 0 with control `3` and random fill nibbles A-F.
        case iso3
        /// IBM 3624: PIN digits then the pad character (default F) to 16 nibbles; no
        /// control field, no account number. The pad must be a non-decimal nibble (A-F).
        case ibm3624

        /// The host-command format code (2N) of this format: 01 ISO 0, 03 IBM 3624,
        /// 05 ISO 1, 47 ISO 3.
        public var code: Int {
            switch self {
            case .iso0: return 1
            case .ibm3624: return 3
            case .iso1: return 5
            case .iso3: return 47
            }
        }

        /// The format for a host-command format code, or nil for an unknown code.
        public init?(code: Int) {
            guard let f = Format.allCases.first(where: { $0.code == code }) else { return nil }
            self = f
        }
    }

    /// The 12-digit account number field: the rightmost 12 digits of `pan` excluding the
    /// final check digit, left-padded with zeros when the PAN is shorter than 13 digits.
    /// Throws ``CryptoError/invalidAccountNumber`` unless `pan` is 2...19 decimal digits.
    public static func accountField(pan: String) throws -> String {
        let u = Array(pan.utf8)
        guard u.count >= 2, u.count <= 19, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw CryptoError.invalidAccountNumber
        }
        let body = u[0..<(u.count - 1)]
        let take = body.suffix(12)
        let field = [UInt8](repeating: 0x30, count: 12 - take.count) + take
        return String(decoding: field, as: UTF8.self)
    }

    /// Builds a clear 8-byte PIN block. `accountField` (12 decimal digits, see
    /// ``accountField(pan:)``) is required for `.iso0` and `.iso3` and ignored otherwise;
    /// `pad` is the IBM 3624 pad nibble (0xA...0xF).
    public static func build(format: Format, pin: [UInt8], accountField: String? = nil, pad: UInt8 = 0x0F) throws -> [UInt8] {
        var digits = try pinDigits(pin)
        defer { SecureBytes.wipe(&digits) }
        var nibbles = [UInt8](repeating: 0, count: 16)
        defer { SecureBytes.wipe(&nibbles) }
        let n = digits.count
        switch format {
        case .ibm3624:
            guard pad >= 0x0A, pad <= 0x0F else { throw CryptoError.invalidArgument("IBM 3624 pad character") }
            for i in 0..<16 { nibbles[i] = i < n ? digits[i] : pad }
            return pack(nibbles)
        case .iso0, .iso1, .iso3:
            var fill: [UInt8]
            switch format {
            case .iso0: fill = [UInt8](repeating: 0x0F, count: 14)
            case .iso1: fill = try Random.bytes(14).map { $0 & 0x0F }
            default: fill = try Random.bytes(14).map { 0x0A + ($0 % 6) }
            }
            nibbles[0] = format == .iso0 ? 0 : (format == .iso1 ? 1 : 3)
            nibbles[1] = UInt8(n)
            for i in 0..<14 { nibbles[2 + i] = i < n ? digits[i] : fill[i] }
            SecureBytes.wipe(&fill)
            var block = pack(nibbles)
            if format != .iso1 {
                let acct = try accountNibbles(accountField)
                let af = pack([0, 0, 0, 0] + acct)
                for i in 0..<8 { block[i] ^= af[i] }
            }
            return block
        }
    }

    /// Extracts the PIN (ASCII digits) from a clear 8-byte PIN block, validating it.
    /// Errors: ``CryptoError/pinBlockSizeInvalid``, ``CryptoError/pinBlockControlMismatch``
    /// (wrong format nibble), ``CryptoError/pinBlockLengthInvalid`` (length not 4...12),
    /// ``CryptoError/pinBlockNonDecimalDigit``, ``CryptoError/pinBlockFillInvalid``
    /// (format 0 fill not F, format 3 fill not A-F, 3624 pad mismatch).
    public static func extract(format: Format, block: [UInt8], accountField: String? = nil, pad: UInt8 = 0x0F) throws -> [UInt8] {
        guard block.count == 8 else { throw CryptoError.pinBlockSizeInvalid }
        var b = block
        defer { SecureBytes.wipe(&b) }
        if format == .iso0 || format == .iso3 {
            let af = pack([0, 0, 0, 0] + (try accountNibbles(accountField)))
            for i in 0..<8 { b[i] ^= af[i] }
        }
        var nib = unpack(b)
        defer { SecureBytes.wipe(&nib) }
        var pin = [UInt8]()
        pin.reserveCapacity(12)
        switch format {
        case .ibm3624:
            guard pad >= 0x0A, pad <= 0x0F else { throw CryptoError.invalidArgument("IBM 3624 pad character") }
            var n = 0
            while n < 16, nib[n] <= 9 { n += 1 }
            guard n >= 4, n <= 12 else { throw CryptoError.pinBlockLengthInvalid }
            for i in n..<16 where nib[i] != pad { SecureBytes.wipe(&pin); throw CryptoError.pinBlockFillInvalid }
            for i in 0..<n { pin.append(0x30 + nib[i]) }
            return pin
        case .iso0, .iso1, .iso3:
            let control: UInt8 = format == .iso0 ? 0 : (format == .iso1 ? 1 : 3)
            guard nib[0] == control else { throw CryptoError.pinBlockControlMismatch }
            let n = Int(nib[1])
            guard n >= 4, n <= 12 else { throw CryptoError.pinBlockLengthInvalid }
            for i in 0..<n where nib[2 + i] > 9 { throw CryptoError.pinBlockNonDecimalDigit }
            for i in (2 + n)..<16 {
                switch format {
                case .iso0: if nib[i] != 0x0F { throw CryptoError.pinBlockFillInvalid }
                case .iso3: if nib[i] < 0x0A { throw CryptoError.pinBlockFillInvalid }
                default: break
                }
            }
            for i in 0..<n { pin.append(0x30 + nib[2 + i]) }
            return pin
        }
    }

    // MARK: 16-byte (32H) clear PIN block for SM4/AES keys, project layout

    /// Builds this project's 16-byte clear PIN block for 128-bit block ciphers when a
    /// classic format (0, 1, 3, 3624) is requested under an SM4/AES key: the 8-byte block
    /// of ``build(format:pin:accountField:pad:)`` followed by 8 bytes `FF`. (ISO 9564-1
    /// format 4, which is the standard for AES, is ``encipherFormat4(pin:pan:cipher:)``.)
    public static func buildWide(format: Format, pin: [UInt8], accountField: String? = nil, pad: UInt8 = 0x0F) throws -> [UInt8] {
        try build(format: format, pin: pin, accountField: accountField, pad: pad) + [UInt8](repeating: 0xFF, count: 8)
    }

    /// Extracts the PIN from a 16-byte block made by ``buildWide(format:pin:accountField:pad:)``.
    /// The tail must be 8 bytes `FF` (else ``CryptoError/pinBlockFillInvalid``); the first
    /// 8 bytes are checked as by ``extract(format:block:accountField:pad:)``.
    public static func extractWide(format: Format, block: [UInt8], accountField: String? = nil, pad: UInt8 = 0x0F) throws -> [UInt8] {
        guard block.count == 16 else { throw CryptoError.pinBlockSizeInvalid }
        guard block[8...].allSatisfy({ $0 == 0xFF }) else { throw CryptoError.pinBlockFillInvalid }
        return try extract(format: format, block: Array(block[0..<8]), accountField: accountField, pad: pad)
    }

    // MARK: ISO 9564-1 format 4 (16-byte, for AES; also applied to SM4)

    /// Enciphers a PIN as an ISO 9564-1 format 4 PIN block under a 128-bit block cipher:
    /// `E(E(PIN field) XOR PAN field)`. PIN field: `4 L PIN A..A` (16 nibbles) followed by
    /// 8 random bytes. PAN field: `M` (PAN length - 12, 0...7), the PAN digits (12...19;
    /// shorter PANs are left-padded with zeros to 12), then zeros to 32 nibbles.
    /// With a 12-digit account field as `pan` (as the wire carries), `M` = 0.
    public static func encipherFormat4(pin: [UInt8], pan: String, cipher: BlockCipher) throws -> [UInt8] {
        try encipherFormat4(pin: pin, pan: pan, cipher: cipher, randomFill: nil)
    }

    /// As the public one; `randomFill` (8 bytes) replaces the random half (tests only).
    static func encipherFormat4(pin: [UInt8], pan: String, cipher: BlockCipher, randomFill: [UInt8]?) throws -> [UInt8] {
        guard cipher.blockSize == 16 else { throw CryptoError.unsupported("format 4 needs a 128-bit block cipher") }
        var digits = try pinDigits(pin)
        defer { SecureBytes.wipe(&digits) }
        let panField = try format4PANField(pan)
        var nib = [UInt8](repeating: 0x0A, count: 16)
        defer { SecureBytes.wipe(&nib) }
        nib[0] = 4
        nib[1] = UInt8(digits.count)
        for i in 0..<digits.count { nib[2 + i] = digits[i] }
        var field = pack(nib) + (try randomFill ?? Random.bytes(8))
        guard field.count == 16 else { throw CryptoError.invalidArgument("format 4 random fill") }
        defer { SecureBytes.wipe(&field) }
        var a = try cipher.encryptECB(field)
        defer { SecureBytes.wipe(&a) }
        for i in 0..<16 { a[i] ^= panField[i] }
        return try cipher.encryptECB(a)
    }

    /// Deciphers and validates an ISO 9564-1 format 4 PIN block; returns the PIN digits.
    /// Errors as ``extract(format:block:accountField:pad:)`` (fill must be `A`).
    public static func decipherFormat4(_ block: [UInt8], pan: String, cipher: BlockCipher) throws -> [UInt8] {
        guard cipher.blockSize == 16 else { throw CryptoError.unsupported("format 4 needs a 128-bit block cipher") }
        guard block.count == 16 else { throw CryptoError.pinBlockSizeInvalid }
        let panField = try format4PANField(pan)
        var b = try cipher.decryptECB(block)
        defer { SecureBytes.wipe(&b) }
        for i in 0..<16 { b[i] ^= panField[i] }
        var field = try cipher.decryptECB(b)
        defer { SecureBytes.wipe(&field) }
        var nib = unpack(Array(field[0..<8]))
        defer { SecureBytes.wipe(&nib) }
        guard nib[0] == 4 else { throw CryptoError.pinBlockControlMismatch }
        let n = Int(nib[1])
        guard n >= 4, n <= 12 else { throw CryptoError.pinBlockLengthInvalid }
        for i in 0..<n where nib[2 + i] > 9 { throw CryptoError.pinBlockNonDecimalDigit }
        for i in (2 + n)..<16 where nib[i] != 0x0A { throw CryptoError.pinBlockFillInvalid }
        var pin = [UInt8]()
        for i in 0..<n { pin.append(0x30 + nib[2 + i]) }
        return pin
    }

    // MARK: helpers

    static func pinDigits(_ pin: [UInt8]) throws -> [UInt8] {
        guard pin.count >= 4, pin.count <= 12 else { throw CryptoError.invalidPIN }
        var d = [UInt8](repeating: 0, count: pin.count)
        for i in 0..<pin.count {
            let c = pin[i]
            guard c >= 0x30, c <= 0x39 else { SecureBytes.wipe(&d); throw CryptoError.invalidPIN }
            d[i] = c - 0x30
        }
        return d
    }

    static func accountNibbles(_ account: String?) throws -> [UInt8] {
        guard let account = account else { throw CryptoError.invalidAccountNumber }
        let u = Array(account.utf8)
        guard u.count == 12, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw CryptoError.invalidAccountNumber }
        return u.map { $0 - 0x30 }
    }

    static func format4PANField(_ pan: String) throws -> [UInt8] {
        var u = Array(pan.utf8)
        guard !u.isEmpty, u.count <= 19, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw CryptoError.invalidAccountNumber }
        if u.count < 12 { u = [UInt8](repeating: 0x30, count: 12 - u.count) + u }
        var nib = [UInt8](repeating: 0, count: 32)
        nib[0] = UInt8(u.count - 12)
        for i in 0..<u.count { nib[1 + i] = u[i] - 0x30 }
        return pack(nib)
    }

    static func pack(_ nibbles: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: nibbles.count / 2)
        for i in 0..<out.count { out[i] = (nibbles[2 * i] << 4) | (nibbles[2 * i + 1] & 0x0F) }
        return out
    }

    static func unpack(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: bytes.count * 2)
        for i in 0..<bytes.count { out[2 * i] = bytes[i] >> 4; out[2 * i + 1] = bytes[i] & 0x0F }
        return out
    }
}
