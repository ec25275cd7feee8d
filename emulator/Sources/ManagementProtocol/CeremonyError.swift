// Every way a ceremony step can fail, each with a stable code (sent over the management
// channel) and a message for the operator. Messages name things, never secret values.

public struct CeremonyError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        case wrongPIN = "wrong-pin"
        case ukeyLocked = "ukey-locked"
        case ukeyFormat = "ukey-format"
        case ukeyKind = "ukey-kind"
        case ukeyIO = "ukey-io"
        case duplicateComponent = "duplicate-component"
        case foreignComponent = "foreign-component"
        case componentCheckValue = "component-check-value"
        case missingComponent = "missing-component"
        case componentCount = "component-count"
        case badScheme = "bad-scheme"
        case quorumNotMet = "quorum-not-met"
        case eraseNotConfirmed = "erase-not-confirmed"
        case busy = "device-busy"
        case noSession = "no-session"
        case wrongStep = "wrong-step"
        case notInitialised = "not-initialised"
        case badRequest = "bad-request"
        case deviceFailure = "device-failure"
        case channel = "channel"
        /// The operator's side only: the device did not connect or answer within the timeout.
        case timeout = "timeout"
        /// The operator's side only: the device's certificate does not match the pinned
        /// fingerprint, or the TLS handshake failed.
        case certificate = "certificate"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [\(code.rawValue)]" }
}
