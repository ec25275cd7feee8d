/// The two-digit error codes an HSM puts after the response code (`ERR`).
///
/// This is the one table of HSM error codes in the project: the emulator answers with
/// these, the client library returns them to callers as their numeric value (1...99),
/// and `docs/error-codes.md` lists the same rows.
public struct HostErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let ok = HostErrorCode(rawValue: 0)
    public static let verificationFailed = HostErrorCode(rawValue: 1)
    public static let sourceKeyParity = HostErrorCode(rawValue: 10)
    public static let destinationKeyParity = HostErrorCode(rawValue: 11)
    public static let noKeyAtIndex = HostErrorCode(rawValue: 12)
    public static let notInitialised = HostErrorCode(rawValue: 13)
    public static let invalidInput = HostErrorCode(rawValue: 15)
    public static let pinBlockError = HostErrorCode(rawValue: 20)
    public static let invalidPINBlockFormat = HostErrorCode(rawValue: 23)
    public static let pinLength = HostErrorCode(rawValue: 24)
    public static let invalidKeyScheme = HostErrorCode(rawValue: 26)
    public static let keyTypeNotPermitted = HostErrorCode(rawValue: 27)
    public static let commandNotSupported = HostErrorCode(rawValue: 68)
    public static let lengthError = HostErrorCode(rawValue: 80)
    public static let internalError = HostErrorCode(rawValue: 99)

    /// Two ASCII digits, as on the wire.
    public var wire: (UInt8, UInt8) { (0x30 + rawValue / 10 % 10, 0x30 + rawValue % 10) }

    /// A short English text for the code; never contains data from a request.
    public var message: String {
        switch rawValue {
        case 0: return "no error"
        case 1: return "verification failed"
        case 10: return "source key parity error (or the key is not of the type the command needs)"
        case 11: return "destination key parity error (or the key is not of the type the command needs)"
        case 12: return "no key stored at that index"
        case 13: return "device master key not loaded (device not initialised)"
        case 15: return "invalid input data"
        case 20: return "PIN block error"
        case 23: return "invalid PIN block format code"
        case 24: return "PIN length error"
        case 26: return "invalid key scheme"
        case 27: return "key type not permitted for this command"
        case 68: return "command not supported"
        case 80: return "data length error"
        case 99: return "internal device error"
        default: return "HSM error \(rawValue)"
        }
    }

    public var description: String {
        let d = wire
        return String(decoding: [d.0, d.1], as: UTF8.self) + " (" + message + ")"
    }

    /// Every code this project emits, in order (used by docs and tests).
    public static let all: [HostErrorCode] = [
        .ok, .verificationFailed, .sourceKeyParity, .destinationKeyParity, .noKeyAtIndex,
        .notInitialised, .invalidInput, .pinBlockError, .invalidPINBlockFormat, .pinLength,
        .invalidKeyScheme, .keyTypeNotPermitted, .commandNotSupported, .lengthError, .internalError,
    ]
}
