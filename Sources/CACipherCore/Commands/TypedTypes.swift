import HostProtocol

/// Results and option enums of the typed commands (docs/typed-api.md).

/// `A0`: the new key under the LMK, optionally under a ZMK, and its check value.
public struct GeneratedKey: Equatable, Sendable {
    public var keyUnderLMK: KeyField
    /// Present when the key was also exported under a ZMK.
    public var keyUnderZMK: KeyField?
    /// KCV, 8 bytes (16H on the wire).
    public var checkValue: [UInt8]
}

/// `A6`, `A8`, `A4`: a key field and its check value.
public struct KeyWithCheckValue: Equatable, Sendable {
    public var key: KeyField
    /// KCV, 8 bytes (16H on the wire).
    public var checkValue: [UInt8]
}

/// `CA`/`CC`: the translated PIN block.
public struct TranslatedPIN: Equatable, Sendable {
    /// Digits in the PIN.
    public var pinLength: Int
    /// 8 bytes under a DES ZPK, 16 under an SM4/AES ZPK.
    public var pinBlock: [UInt8]
    public var format: PINBlockFormat
}

/// A PIN key of `TI` (TASS translation): its kind and field.
public enum PINKey: Equatable, Sendable {
    case tpk(KeyField)
    case zpk(KeyField)
    var kind: Int { if case .tpk = self { return 1 } else { return 2 } }
    var field: KeyField {
        switch self {
        case let .tpk(k), let .zpk(k): return k
        }
    }
}

/// ISO 9797-1 MAC algorithm of `M6`/`M8`.
public enum MACAlgorithm: Int, Sendable, CaseIterable {
    /// Algorithm 1: CBC-MAC (ANSI X9.9 with a single DES key). Also SM4/AES keys.
    case alg1 = 1
    /// Algorithm 3: retail MAC (ANSI X9.19), DES keys only.
    case alg3 = 3
}

/// Padding of `M6`/`M8`.
public enum MACPadding: Int, Sendable, CaseIterable {
    /// None: the data must be whole blocks.
    case none = 0
    /// ISO 9797-1 method 1: zeros to a whole block.
    case zeros = 1
    /// ISO 9797-1 method 2: `80` then zeros.
    case method2 = 2
}

/// MAC size of `M6`/`M8`.
public enum MACSize: Int, Sendable, CaseIterable {
    /// 4 bytes (8H).
    case bytes4 = 0
    /// 8 bytes (16H).
    case bytes8 = 1
    var byteCount: Int { self == .bytes4 ? 4 : 8 }
}

/// Which part of a message one `M6`/`M8` call carries. `first` and `middle` return the
/// chaining value (one block) to pass as `iv` of the next part; `middle` and `last` need it.
public enum MACPart: Int, Sendable, CaseIterable {
    case only = 0, first = 1, middle = 2, last = 3
    var needsIV: Bool { self == .middle || self == .last }
    var isFinal: Bool { self == .only || self == .last }
}

/// Block cipher mode of `M0`/`M2` (no padding: data must be whole blocks).
public enum CipherMode: Int, Sendable, CaseIterable {
    case ecb = 0, cbc = 1
}

/// `M0`/`M2`: the output and, in CBC mode, the IV for the next part.
public struct DataCipherResult: Equatable, Sendable {
    public var data: [UInt8]
    /// CBC: the last cipher block (pass it as the IV of the next part). ECB: `nil`.
    public var nextIV: [UInt8]?
}

/// `NC`: what the device reports.
public struct DeviceInfo: Equatable, Sendable {
    /// DMK check value, 16 upper-case hex characters (all `0` on a factory-fresh device).
    public var dmkCheckValue: String
    public var version: String
    public var serial: String
}

/// `E7`: a new SM2 key pair.
public struct SM2KeyPair: Equatable, Sendable {
    /// 64 bytes, X || Y.
    public var publicKey: [UInt8]
    /// The HSM's private key blob under the LMK (opaque; 40 bytes from evsm: the scalar
    /// under the SM2 storage key and an authenticator, docs/wire.md).
    public var privateKeyUnderLMK: [UInt8]
}
