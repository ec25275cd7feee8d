import HostProtocol

/// Every failure the library reports, as one error type with a stable numeric code.
///
/// Codes: `0` success; `1...99` an HSM error code (the two-digit `ERR` of a reply);
/// negative values are library errors (`CACIPHER_E_*` in `include/cacipher.h`).
/// `message` is a detailed, human-readable text that never contains secrets (clear keys,
/// PINs, PIN blocks, DMK material): it names fields, hosts and sizes, never their values.
public struct CACipherError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    /// For an `.invalidArgument` a typed call refused before the wire: the argument's name
    /// as the call's messages spell it ("PIN block", "account", "store index"), so a layer
    /// above (the C API, a vendor-compatible library) can name its own argument for the same
    /// value without checking the value again. `nil` otherwise. Not part of `==`.
    public var argument: String?
    /// For a `.badFrame`: the reply frame itself could not be read (bad or over-long length,
    /// too short, header not echoed), rather than a readable reply answering another command
    /// or with fields that do not decode. Vendor layers report the two differently
    /// (`HAR_SOCK_RECV`, `HAR_MSG_RSPCODE`). Not part of `==`.
    public var frameUnreadable = false
    /// For a configuration error (`.config`, `.configFile`, `.logSetup` raised while reading a
    /// configuration or opening its log): which rule failed, set where it is raised
    /// (`init(config:_:)`). `nil` for every other error. Not part of `==`.
    public var configKind: ConfigErrorKind?

    public init(_ code: Code, _ message: String) {
        self.code = code.rawValue
        self.message = message
    }

    /// An HSM error reply (1...99).
    public init(hsm: UInt8, _ message: String) {
        self.code = Int32(hsm)
        self.message = message
    }

    public var description: String { "[\(code)] \(message)" }

    /// Same code and message (`argument` is a hint for the layers above, not part of the value).
    public static func == (a: CACipherError, b: CACipherError) -> Bool { a.code == b.code && a.message == b.message }

    /// Whether this is an HSM's own answer (not a transport or library failure).
    public var isHSMError: Bool { code > 0 && code < 100 }

    /// The static text for any code `CACipher_ErrorString` may be given: a library code,
    /// an HSM code 1...99 (from `HostErrorCode`), or "unknown error code".
    public static func text(forCode code: Int32) -> String {
        if let c = Code(rawValue: code) { return c.text }
        guard code >= 1, code <= 99 else { return "unknown error code" }
        let hsm = HostErrorCode(rawValue: UInt8(code))
        let two = code < 10 ? "0\(code)" : "\(code)"
        return HostErrorCode.all.contains(hsm) ? "HSM error \(two): \(hsm.message)" : "HSM error \(two)"
    }

    /// Library error codes. Values are ABI: never renumber, only add.
    public enum Code: Int32, CaseIterable, Sendable {
        case ok = 0
        case invalidArgument = -1
        case bufferTooSmall = -2
        case notInitialized = -3
        case alreadyInitialized = -4
        case config = -5
        case configFile = -6
        case logSetup = -7
        case noMemory = -8
        case connect = -10
        case timeout = -11
        case allMembersDown = -12
        case badFrame = -13
        case io = -14
        case poolExhausted = -15
        case dmkMismatch = -16
        case retryBudgetExhausted = -17
        case tls = -20
        case tlsVerify = -21
        case `internal` = -99

        /// The name of the C constant in `include/cacipher.h` (`CACIPHER_OK`, `CACIPHER_E_*`).
        public var cName: String {
            switch self {
            case .ok: return "CACIPHER_OK"
            case .invalidArgument: return "CACIPHER_E_INVALID_ARG"
            case .bufferTooSmall: return "CACIPHER_E_BUFFER_TOO_SMALL"
            case .notInitialized: return "CACIPHER_E_NOT_INITIALIZED"
            case .alreadyInitialized: return "CACIPHER_E_ALREADY_INITIALIZED"
            case .config: return "CACIPHER_E_CONFIG"
            case .configFile: return "CACIPHER_E_CONFIG_FILE"
            case .logSetup: return "CACIPHER_E_LOG"
            case .noMemory: return "CACIPHER_E_NO_MEMORY"
            case .connect: return "CACIPHER_E_CONNECT"
            case .timeout: return "CACIPHER_E_TIMEOUT"
            case .allMembersDown: return "CACIPHER_E_ALL_DOWN"
            case .badFrame: return "CACIPHER_E_BAD_FRAME"
            case .io: return "CACIPHER_E_IO"
            case .poolExhausted: return "CACIPHER_E_POOL_EXHAUSTED"
            case .dmkMismatch: return "CACIPHER_E_DMK_MISMATCH"
            case .retryBudgetExhausted: return "CACIPHER_E_RETRY_BUDGET"
            case .tls: return "CACIPHER_E_TLS"
            case .tlsVerify: return "CACIPHER_E_TLS_VERIFY"
            case .internal: return "CACIPHER_E_INTERNAL"
            }
        }

        /// The static text `CACipher_ErrorString` returns for this code.
        public var text: String {
            switch self {
            case .ok: return "success"
            case .invalidArgument: return "invalid argument (NULL pointer, bad length, non-hex input, or value out of range)"
            case .bufferTooSmall: return "output buffer too small; the required size was stored in the length argument"
            case .notInitialized: return "library not initialised (call CACipher_Init first)"
            case .alreadyInitialized: return "library already initialised (call CACipher_Finalize first)"
            case .config: return "malformed configuration"
            case .configFile: return "configuration file cannot be read"
            case .logSetup: return "log directory missing or not writable"
            case .noMemory: return "out of memory"
            case .connect: return "cannot connect to the HSM"
            case .timeout: return "HSM did not answer within the read timeout"
            case .allMembersDown: return "no HSM of the group is available"
            case .badFrame: return "malformed reply frame from the HSM"
            case .io: return "connection to the HSM failed during the exchange"
            case .poolExhausted: return "no pooled connection became free within the timeout"
            case .dmkMismatch: return "HSM holds a different DMK from the group and was kept out"
            case .retryBudgetExhausted: return "retry budget exhausted; the group is failing"
            case .tls: return "TLS handshake or channel failure"
            case .tlsVerify: return "TLS peer certificate verification failed"
            case .internal: return "internal library error"
            }
        }
    }
}
