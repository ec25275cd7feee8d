/// Matching a `CACipherError` by its code, in `catch` clauses and `switch`es:
///
/// ```swift
/// do { try client.transmit(...) }
/// catch CACipherError.timeout { ... }                           // the pattern form
/// catch let e as CACipherError where e.code == .dmkMismatch { ... }
/// catch let e as CACipherError where e.isHSMError { ... }       // an HSM answer 1...99
///
/// switch error { case CACipherError.connect, CACipherError.timeout: ...; default: ... }
/// switch error.libraryCode { case .connect?, .timeout?: ...; default: ... }
/// ```
///
/// `CACipherError.timeout` (a static `Code`, like `CocoaError.fileNoSuchFile`) is an
/// expression pattern matched by `~=`; `CACipherError.Code.timeout` in a pattern position
/// would be an enum-case pattern, which matches only a `Code` value.
///
/// `code` stays the `Int32` of the C ABI (it also carries HSM codes 1...99, which are not
/// `Code` cases); these operators only compare it with a `Code`.
extension CACipherError {
    /// The library code as an enum; nil for an HSM error code (1...99).
    public var libraryCode: Code? { isHSMError ? nil : Code(rawValue: code) }

    /// `switch e { case CACipherError.timeout: ... }` on a `CACipherError` value.
    public static func ~= (pattern: Code, error: CACipherError) -> Bool {
        error.code == pattern.rawValue
    }
}

extension CACipherError.Code {
    /// `catch CACipherError.timeout`: any error that is a `CACipherError` with that code.
    public static func ~= (pattern: CACipherError.Code, error: any Error) -> Bool {
        guard let e = error as? CACipherError else { return false }
        return e.code == pattern.rawValue
    }

    /// `e.code == .timeout` with `code` the ABI's `Int32`.
    public static func == (lhs: Int32, rhs: CACipherError.Code) -> Bool { lhs == rhs.rawValue }
    public static func != (lhs: Int32, rhs: CACipherError.Code) -> Bool { lhs != rhs.rawValue }

    /// `switch e.code { case CACipherError.timeout: ... }` on the `Int32`.
    public static func ~= (pattern: CACipherError.Code, value: Int32) -> Bool { value == pattern.rawValue }
}

extension CACipherError {
    // The library codes as patterns (`catch CACipherError.timeout`), one per `Code` case
    // but `ok` (PublicSurfaceTests checks each).
    public static let invalidArgument = Code.invalidArgument
    public static let bufferTooSmall = Code.bufferTooSmall
    public static let notInitialized = Code.notInitialized
    public static let alreadyInitialized = Code.alreadyInitialized
    public static let config = Code.config
    public static let configFile = Code.configFile
    public static let logSetup = Code.logSetup
    public static let noMemory = Code.noMemory
    public static let connect = Code.connect
    public static let timeout = Code.timeout
    public static let allMembersDown = Code.allMembersDown
    public static let badFrame = Code.badFrame
    public static let io = Code.io
    public static let poolExhausted = Code.poolExhausted
    public static let dmkMismatch = Code.dmkMismatch
    public static let retryBudgetExhausted = Code.retryBudgetExhausted
    public static let tls = Code.tls
    public static let tlsVerify = Code.tlsVerify
    public static let `internal` = Code.`internal`
}
