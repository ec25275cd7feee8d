import HSMCrypto
import HostProtocol

/// How the device gets its 3DES LMKs.
public enum DeviceMode: String, Sendable, Codable {
    /// LMKs and SM4/AES storage keys are derived from the installed DMK.
    case normal
    /// The public payShield test LMK set (3DES results byte-identical to a payShield test
    /// unit); SM4/AES storage keys and the `NC` check value come from the installed DMK,
    /// which starts as the fixed test DMK (`TestLMK.testDMK`).
    case testLMK
}

/// What the device keeps about the management authorisation set. The ceremony decides
/// what `verifier` is; the device only stores it.
public struct AuthorisationRecord: Codable, Equatable, Sendable {
    public var setID: String
    public var threshold: Int
    public var shares: Int
    public var verifier: [UInt8]
    public var salt: [UInt8]
    public init(setID: String, threshold: Int, shares: Int, verifier: [UInt8], salt: [UInt8]) {
        self.setID = setID
        self.threshold = threshold
        self.shares = shares
        self.verifier = verifier
        self.salt = salt
    }
}

/// Why a device operation (not a host command) failed. Texts never contain key material.
public enum DeviceError: Error, Equatable, CustomStringConvertible {
    case invalidDMK
    case notInitialised
    case storage(String)
    case secureMemoryUnreadable
    case crypto

    public var description: String {
        switch self {
        case .invalidDMK: return "the DMK must be 16 bytes"
        case .notInitialised: return "the device is not initialised (no DMK loaded)"
        case let .storage(s): return "state directory: \(s)"
        case .secureMemoryUnreadable:
            return "secure memory cannot be opened with this device's key (device key missing or replaced: treated as tamper)"
        case .crypto: return "internal cryptographic failure"
        }
    }
}

/// A host command failed with this HSM error code.
struct HostFailure: Error {
    let code: HostErrorCode
    init(_ code: HostErrorCode) { self.code = code }
}

/// A key kept inside the device at a `K` index (stored under the LMK, like a host would).
struct StoredKey: Codable, Equatable {
    /// Each kind has an index space of its own (`Device.storedKey(_:kind:)`).
    enum Kind: String, Codable {
        case symmetric, sm2, rsa
        /// Every kind, in `order`.
        static let byOrder: [Kind] = [.symmetric, .rsa, .sm2]
        /// The order of kinds sharing an index in the stored list: symmetric, RSA, SM2.
        var order: Int {
            switch self {
            case .symmetric: return 0
            case .rsa: return 1
            case .sm2: return 2
            }
        }
    }
    var index: Int
    var label: String
    var kind: Kind
    /// 3H key type (symmetric keys).
    var keyType: String
    /// Scheme tag letter (symmetric keys).
    var scheme: String
    /// The key under the LMK (symmetric) or the SM2 private key under the SM2 storage key.
    var material: [UInt8]
    /// SM2 public key X || Y.
    var publicKey: [UInt8]?
    /// When the key was stored (`YYYYMMDDhhmmss`, UTC; `KG` reports it). Absent in older states.
    var storedAt: String? = nil
}

/// Where a stored key lives: its index in its kind's index space.
struct StoredKeySlot: Hashable {
    var index: Int
    var kind: StoredKey.Kind
}

/// Everything the device persists: sealed as one blob in secure memory.
///
/// The DMK is a `SecureBytes` (zeroed when the last state holding it goes); it is coded as
/// the byte array it always was, so the sealed JSON is unchanged.
struct PersistedState: Codable {
    var version = 1
    var mode: DeviceMode
    var dmk: SecureBytes?
    var authorisation: AuthorisationRecord?
    var keys: [StoredKey] = []
    var serial: String

    init(mode: DeviceMode, serial: String) {
        self.mode = mode
        self.serial = serial
    }

    enum CodingKeys: String, CodingKey { case version, mode, dmk, authorisation, keys, serial }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        mode = try c.decode(DeviceMode.self, forKey: .mode)
        if var d = try c.decodeIfPresent([UInt8].self, forKey: .dmk) {
            dmk = SecureBytes(d)
            SecureBytes.wipe(&d)
        }
        authorisation = try c.decodeIfPresent(AuthorisationRecord.self, forKey: .authorisation)
        keys = try c.decode([StoredKey].self, forKey: .keys)
        serial = try c.decode(String.self, forKey: .serial)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(mode, forKey: .mode)
        if let dmk { try dmk.withTemporaryArray { try c.encode($0, forKey: .dmk) } }
        try c.encodeIfPresent(authorisation, forKey: .authorisation)
        try c.encode(keys, forKey: .keys)
        try c.encode(serial, forKey: .serial)
    }
}
