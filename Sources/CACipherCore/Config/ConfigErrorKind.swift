/// Which configuration rule failed, given where the error is raised (never read back from
/// the message's wording). Every configuration error carries one: a throw site builds it with
/// `CACipherError(config:_:)`, which takes the kind and derives the code from it, so the C
/// codes stay `CACIPHER_E_CONFIG` / `_CONFIG_FILE` / `_LOG` with the same messages as before.
///
/// The raw values are ABI: `CACipher_LastErrorKind` returns them (`CACIPHER_CONFIG_*` in
/// include/cacipher.h; 0 there means "not a configuration failure"). Only add, never renumber.
/// Layers above map the kind to their own codes (the Java SDK drop-in to the vendor's
/// section 5.2 codes, docs/java.md "Configuration errors").
public enum ConfigErrorKind: Int32, CaseIterable, Sendable {
    /// The text is not a configuration: a line neither `[SECTION]` nor `key=value`, a header
    /// without `]` or with text after it, `[]`, `=` without a key, a `{` line inside INI text,
    /// a section given twice, both host forms at once, text over the size limit.
    case syntax = 1
    /// No device configured: no `[HOST1]`, a host section without `host=` or `port=`, a
    /// section-less `host=` list without `port=`, a group without members.
    case noHost = 2
    /// No configuration at all (an empty file path).
    case noConfiguration = 3
    /// The configuration file does not exist, cannot be opened or read, delivers nothing
    /// (a FIFO) or is over the size limit.
    case fileUnreadable = 4
    /// The configuration path names a directory.
    case notAFile = 5
    /// A known key with a value outside its rule (`port=abc`, `timeout=-1`, `logPath=`, ...).
    case badValue = 6
    /// `hsmModel` names a model this library serves no device family for; raised only when
    /// the caller asks for known models only (`CACipherConfig.requireKnownModels`,
    /// `CACIPHER_OPEN_KNOWN_MODELS_ONLY`); otherwise such a model is a warning.
    case unknownModel = 7
    /// `logsw` names a log category that does not exist.
    case unknownLogCategory = 8
    /// `logPath` does not exist, is not a directory, or a log file cannot be created in it.
    case logPathUnusable = 9

    /// The library code an error of this kind has (ABI, unchanged by the kinds).
    public var code: CACipherError.Code {
        switch self {
        case .syntax, .noHost, .badValue, .unknownModel, .unknownLogCategory: return .config
        case .noConfiguration, .fileUnreadable, .notAFile: return .configFile
        case .logPathUnusable: return .logSetup
        }
    }

    /// The name of the C constant in include/cacipher.h.
    public var cName: String {
        switch self {
        case .syntax: return "CACIPHER_CONFIG_SYNTAX"
        case .noHost: return "CACIPHER_CONFIG_NO_HOST"
        case .noConfiguration: return "CACIPHER_CONFIG_NO_CONFIGURATION"
        case .fileUnreadable: return "CACIPHER_CONFIG_FILE_UNREADABLE"
        case .notAFile: return "CACIPHER_CONFIG_NOT_A_FILE"
        case .badValue: return "CACIPHER_CONFIG_BAD_VALUE"
        case .unknownModel: return "CACIPHER_CONFIG_UNKNOWN_MODEL"
        case .unknownLogCategory: return "CACIPHER_CONFIG_UNKNOWN_LOG_CATEGORY"
        case .logPathUnusable: return "CACIPHER_CONFIG_LOG_PATH"
        }
    }
}

extension CACipherError {
    /// A configuration error of `kind`: the code is the kind's (`kind.code`). The only way
    /// configuration code builds its errors (a test checks that no other form is used there).
    public init(config kind: ConfigErrorKind, _ message: String) {
        self.init(kind.code, message)
        self.configKind = kind
    }
}
