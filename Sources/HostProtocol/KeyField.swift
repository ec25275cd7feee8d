/// The key scheme letter that prefixes a key's hex on the wire.
public enum KeyScheme: UInt8, Sendable, CaseIterable {
    /// Single DES, 16H, written with no tag or `Z`.
    case singleDES = 0x5A       // Z
    /// Double-length 3DES, variant method, 32H.
    case doubleVariant = 0x55   // U
    /// Double-length 3DES, ANSI X9.17 method, 32H.
    case doubleX917 = 0x58      // X
    /// Triple-length 3DES, variant method, 48H.
    case tripleVariant = 0x54   // T
    /// Triple-length 3DES, ANSI X9.17 method, 48H.
    case tripleX917 = 0x59      // Y
    /// SM4, 32H.
    case sm4 = 0x52             // R
    /// SM1, 32H: cannot be implemented in software; rejected with a clear error.
    case sm1 = 0x50             // P
    /// AES-128, 32H.
    case aes128 = 0x4C          // L

    public init?(tag: UInt8) { self.init(rawValue: tag) }

    /// The scheme letter as sent in a 1A "LMK scheme" / "ZMK scheme" field.
    public var tag: UInt8 { rawValue }

    /// Clear key length in bytes (8 single DES, 24 triple DES, 16 the others).
    public var keyLength: Int {
        switch self {
        case .singleDES: return 8
        case .tripleVariant, .tripleX917: return 24
        default: return 16
        }
    }

    /// Bytes of the authenticator that follow the encrypted key in a field of `form`:
    /// 8 for SM4 (`R`) and AES (`L`) keys under the LMK, 0 otherwise. 3DES keys under the
    /// LMK are checked by their parity instead; keys under a ZMK carry no authenticator
    /// (the exchange form other systems expect).
    public func authenticatorLength(_ form: KeyFieldForm) -> Int {
        guard form == .underLMK else { return 0 }
        return self == .sm4 || self == .aes128 ? 8 : 0
    }

    /// Bytes of key material in a field of `form`: the encrypted key, then its authenticator.
    public func materialLength(_ form: KeyFieldForm) -> Int { keyLength + authenticatorLength(form) }

    /// Hex characters that follow the tag in a field of `form`.
    public func hexLength(_ form: KeyFieldForm) -> Int { 2 * materialLength(form) }

    /// The cipher family the key belongs to.
    public var algorithm: KeyAlgorithm {
        switch self {
        case .singleDES, .doubleVariant, .doubleX917, .tripleVariant, .tripleX917: return .des
        case .sm4: return .sm4
        case .sm1: return .sm1
        case .aes128: return .aes
        }
    }
}

/// Which key a key field carries, which decides its length for `R`/`L` keys.
public enum KeyFieldForm: Sendable {
    /// A working key under the LMK (the form an HSM returns and later accepts):
    /// `R`/`L` + 48H = 32H SM4/AES-ECB under the storage key of the key type, then a 16H
    /// authenticator binding the key to its type (see docs/wire.md).
    case underLMK
    /// A key under a ZMK (key exchange with another system): `R`/`L` + 32H.
    case underZMK
}

/// The block cipher behind a key.
public enum KeyAlgorithm: Sendable {
    case des, sm4, sm1, aes

    /// Block size in bytes.
    public var blockSize: Int { self == .des ? 8 : 16 }
}

/// A key as it travels in a command: encrypted (under the LMK or a ZMK), or a reference
/// to a key stored inside the HSM (`K0001`...`K9999`).
public enum KeyField: Equatable, Sendable {
    case encrypted(scheme: KeyScheme, material: [UInt8])
    case stored(index: Int)

    /// Writes the field: the scheme tag (none for single DES), then the hex; or `K` + 4N.
    public func encode(into out: inout [UInt8]) {
        switch self {
        case let .encrypted(scheme, material):
            if scheme != .singleDES { out.append(scheme.tag) }
            Hex.encode(material, into: &out)
        case let .stored(index):
            out.append(UInt8(ascii: "K"))
            var v = index
            var digits = [UInt8](repeating: 0x30, count: 4)
            for i in stride(from: 3, through: 0, by: -1) {
                digits[i] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: digits)
        }
    }

    public var wire: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    /// Parses a whole key field given as text (for APIs that take keys as strings).
    public init?(text: String, form: KeyFieldForm = .underLMK) {
        var r = FieldReader(Array(text.utf8))
        guard let k = try? r.keyField(form: form), r.isAtEnd else { return nil }
        self = k
    }
}
