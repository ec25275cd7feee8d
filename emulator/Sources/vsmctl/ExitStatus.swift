// vsmctl's exit statuses: one per kind of failure, documented in docs/ceremony.md
// ("Exit statuses") and stable (scripts test them).
import ArgumentParser
import VSMOperator

enum ExitStatus: Int32 {
    /// The command did what it was asked.
    case ok = 0
    /// An unexpected failure inside vsmctl (a bug or the system: out of memory, ...).
    case `internal` = 1
    /// The device or the ceremony's rules refused the request (device busy, wrong step,
    /// not initialised, duplicate or foreign component, erase not confirmed, ...).
    case refused = 2
    /// The device could not be reached or did not answer within `--timeout` (resolve,
    /// connection refused, connect/handshake/answer timed out, connection closed).
    case connect = 3
    /// Authentication: the device certificate does not match `--pin` or the TLS handshake
    /// failed; a wrong UKEY PIN, a locked UKEY, the quorum not met.
    case auth = 4
    /// A local file: a UKEY file or a state directory cannot be read, parsed or written.
    case file = 5
    /// Bad command line (ArgumentParser's own status for usage errors).
    case usage = 64

    var name: String {
        switch self {
        case .ok: return "ok"
        case .internal: return "internal"
        case .refused: return "refused"
        case .connect: return "connect"
        case .auth: return "auth"
        case .file: return "file"
        case .usage: return "usage"
        }
    }

    static func of(_ error: Error) -> ExitStatus {
        if error is ValidationError { return .usage }
        if error is ManagementTLSError { return .file }
        guard let c = error as? CeremonyError else { return .internal }
        switch c.code {
        case .channel, .timeout: return .connect
        case .certificate, .wrongPIN, .ukeyLocked, .quorumNotMet: return .auth
        case .ukeyIO, .ukeyFormat, .ukeyKind: return .file
        case .badRequest, .busy, .noSession, .wrongStep, .notInitialised, .deviceFailure, .eraseNotConfirmed,
             .duplicateComponent, .foreignComponent, .componentCheckValue, .missingComponent, .componentCount, .badScheme:
            return .refused
        }
    }

    /// The stable error code named in the JSON output: the ceremony code, or
    /// `usage` / `file` / `internal`.
    static func code(of error: Error) -> String {
        if let c = error as? CeremonyError { return c.code.rawValue }
        return of(error).name
    }
}
