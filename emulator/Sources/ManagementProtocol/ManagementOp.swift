// The operations of the management port, by the name each has on the wire.

/// One management operation; `rawValue` is its `"op"` on the wire.
public enum ManagementOp: String, CaseIterable, Sendable {
    case status = "status"
    case dmkCheckValue = "dmk-check-value"
    case initOriginal = "init-original"
    case recoverBegin = "recover-begin"
    case recoverImport = "recover-import"
    case recoverCombine = "recover-combine"
    case recoverSyncAuth = "recover-sync-auth"
    case recoverNewAuth = "recover-new-auth"
    case initCommit = "init-commit"
    case recoverCommit = "recover-commit"
    case initAbort = "init-abort"
    case recoverAbort = "recover-abort"

    /// Whether the operation works on the connection's ceremony session: the device checks
    /// that there is one before it looks at the request's fields.
    public var needsSession: Bool {
        switch self {
        case .recoverImport, .recoverCombine, .recoverSyncAuth, .recoverNewAuth, .initCommit, .recoverCommit: return true
        case .status, .dmkCheckValue, .initOriginal, .recoverBegin, .initAbort, .recoverAbort: return false
        }
    }

    /// The operation a request names. Throws `badRequest` without an op or for an unknown one
    /// (the unknown name is cut to 40 characters in the message).
    public static func of(_ m: ManagementMessage) throws -> ManagementOp {
        guard let name = m.string("op") else { throw CeremonyError(.badRequest, "request without op") }
        guard let op = ManagementOp(rawValue: name) else {
            throw CeremonyError(.badRequest, "unknown management operation '\(name.prefix(40))'")
        }
        return op
    }
}

extension ManagementOp: CustomStringConvertible {
    /// The name on the wire (`init-commit`), as messages show it.
    public var description: String { rawValue }
}
