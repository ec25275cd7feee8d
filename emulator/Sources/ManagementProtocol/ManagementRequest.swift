// The requests of the management port, typed: one case per operation, encoded and decoded
// here only. The bytes are those the operator's tools have always sent (JSON with sorted keys,
// secrets in the frame's secret part; see ManagementMessage).
//
// Two-phase requests: `initOriginal` and `recoverNewAuth` only PREPARE and always carry
// "twoPhase": true; a request without it is refused (a tool that would never commit).

/// One request to a device's management port.
public enum ManagementRequest: Sendable {
    case status
    case dmkCheckValue
    /// Prepares an original initialisation: n components, a k-of-m authorisation set.
    /// `authorising`: shares of the device's current set (re-initialisation only).
    case initOriginal(components: Int, threshold: Int, shares: Int, confirmErase: Bool, authorising: [AuthorisationShare])
    /// Begins a recovery of `components` components.
    case recoverBegin(components: Int, confirmErase: Bool, authorising: [AuthorisationShare])
    case recoverImport(DMKComponent)
    case recoverCombine
    /// Adopts the set of this share (synchronisation) and finishes the recovery.
    case recoverSyncAuth(AuthorisationShare)
    /// Prepares a new k-of-m authorisation set for the recovered DMK.
    case recoverNewAuth(threshold: Int, shares: Int)
    case initCommit
    case recoverCommit
    case initAbort
    case recoverAbort

    /// The operation this request is.
    public var op: ManagementOp {
        switch self {
        case .status: return .status
        case .dmkCheckValue: return .dmkCheckValue
        case .initOriginal: return .initOriginal
        case .recoverBegin: return .recoverBegin
        case .recoverImport: return .recoverImport
        case .recoverCombine: return .recoverCombine
        case .recoverSyncAuth: return .recoverSyncAuth
        case .recoverNewAuth: return .recoverNewAuth
        case .initCommit: return .initCommit
        case .recoverCommit: return .recoverCommit
        case .initAbort: return .initAbort
        case .recoverAbort: return .recoverAbort
        }
    }

    /// The request as a message. Secret bytes (components, shares) are copied into its
    /// secret part: the caller wipes the message after sending it.
    public func message() -> ManagementMessage {
        var m = ManagementMessage(["op": op.rawValue])
        switch self {
        case .status, .dmkCheckValue, .recoverCombine, .initCommit, .recoverCommit, .initAbort, .recoverAbort:
            break
        case let .initOriginal(n, k, shares, erase, auth):
            m["components"] = n
            m["threshold"] = k
            m["shares"] = shares
            m["confirmErase"] = erase
            m["twoPhase"] = true
            m["authorising"] = auth.map { m.encode(share: $0) }
        case let .recoverBegin(n, erase, auth):
            m["components"] = n
            m["confirmErase"] = erase
            m["authorising"] = auth.map { m.encode(share: $0) }
        case let .recoverImport(c):
            m["component"] = m.encode(component: c)
        case let .recoverSyncAuth(s):
            m["share"] = m.encode(share: s)
        case let .recoverNewAuth(k, shares):
            m["threshold"] = k
            m["shares"] = shares
            m["twoPhase"] = true
        }
        return m
    }

    /// Decodes a request. Throws `CeremonyError.badRequest` with the device's messages: no or
    /// unknown op, missing counts, no "twoPhase": true on a prepare, malformed shares or
    /// component. (Ranges are the ceremony's to check: they have codes of their own.)
    public init(decoding r: ManagementMessage) throws {
        let op = try ManagementOp.of(r)
        switch op {
        case .status: self = .status
        case .dmkCheckValue: self = .dmkCheckValue
        case .initOriginal:
            guard let n = r.int("components"), let k = r.int("threshold"), let m = r.int("shares") else {
                throw CeremonyError(.badRequest, "init-original needs components, threshold and shares")
            }
            try Self.requireTwoPhase(r, op, .initCommit)
            self = .initOriginal(components: n, threshold: k, shares: m, confirmErase: r.bool("confirmErase"),
                                 authorising: try Self.authorising(r))
        case .recoverBegin:
            guard let n = r.int("components") else { throw CeremonyError(.badRequest, "recover-begin needs components") }
            self = .recoverBegin(components: n, confirmErase: r.bool("confirmErase"), authorising: try Self.authorising(r))
        case .recoverImport:
            guard let c = r.decodeComponent(r["component"]) else { throw CeremonyError(.badRequest, "malformed component") }
            self = .recoverImport(c)
        case .recoverCombine: self = .recoverCombine
        case .recoverSyncAuth:
            guard let s = r.decodeShare(r["share"]) else { throw CeremonyError(.badRequest, "malformed authorisation share") }
            self = .recoverSyncAuth(s)
        case .recoverNewAuth:
            guard let k = r.int("threshold"), let m = r.int("shares") else {
                throw CeremonyError(.badRequest, "recover-new-auth needs threshold and shares")
            }
            try Self.requireTwoPhase(r, op, .recoverCommit)
            self = .recoverNewAuth(threshold: k, shares: m)
        case .initCommit: self = .initCommit
        case .recoverCommit: self = .recoverCommit
        case .initAbort: self = .initAbort
        case .recoverAbort: self = .recoverAbort
        }
    }

    /// Drops the secret bytes the request holds (components, shares: SecureBytes, zeroed when
    /// their last holder lets go) now rather than when the request goes.
    public mutating func wipe() {
        switch self {
        case var .initOriginal(n, k, m, erase, auth):
            for i in auth.indices { auth[i].wipe() }
            self = .initOriginal(components: n, threshold: k, shares: m, confirmErase: erase, authorising: auth)
        case var .recoverBegin(n, erase, auth):
            for i in auth.indices { auth[i].wipe() }
            self = .recoverBegin(components: n, confirmErase: erase, authorising: auth)
        case var .recoverImport(c):
            c.wipe()
            self = .recoverImport(c)
        case var .recoverSyncAuth(s):
            s.wipe()
            self = .recoverSyncAuth(s)
        default:
            break
        }
    }

    private static func requireTwoPhase(_ r: ManagementMessage, _ op: ManagementOp, _ commit: ManagementOp) throws {
        guard r.bool("twoPhase") else {
            throw CeremonyError(.badRequest, "\(op.rawValue) needs \"twoPhase\": true: the device installs nothing until \(commit.rawValue) (a tool that does not send it is too old)")
        }
    }

    private static func authorising(_ r: ManagementMessage) throws -> [AuthorisationShare] {
        guard let a = r.decodeShares(r["authorising"]) else {
            throw CeremonyError(.badRequest, "malformed authorising shares")
        }
        return a
    }
}
