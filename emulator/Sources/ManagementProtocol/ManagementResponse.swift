// The answers of the management port, typed: one case per operation (and `failure`), encoded
// here for the device and decoded here for the operator. The bytes are those the device has
// always sent: the JSON object carries "ok"; components and shares go in the frame's secret
// part, components first.

/// A device's authorisation set as `status` shows it (no verifier).
public struct AuthorisationSummary: Sendable, Equatable {
    public var setID: String
    public var threshold: Int
    public var count: Int

    public init(setID: String, threshold: Int, count: Int) {
        self.setID = setID
        self.threshold = threshold
        self.count = count
    }
}

/// One answer from a device's management port.
public enum ManagementResponse: Sendable {
    /// `status`: whether the device is initialised, its DMK check value (only when
    /// initialised), its authorisation set, and the ceremony step in progress, if any.
    case status(initialised: Bool, busy: Bool, dmkCheckValue: String?, authorisation: AuthorisationSummary?, step: String?)
    /// `dmk-check-value`.
    case dmkCheckValue(String)
    /// `init-original`: prepared, nothing installed until `init-commit`.
    case originalPrepared(ceremonyID: String, dmkCheckValue: String, authorisation: AuthorisationSet, session: String,
                          components: [DMKComponent], shares: [AuthorisationShare])
    /// `recover-begin`.
    case recoveryBegun(session: String, components: Int)
    /// `recover-import`: components imported so far, of the session's count.
    case componentImported(imported: Int, of: Int)
    /// `recover-combine`.
    case combined(dmkCheckValue: String)
    /// `recover-sync-auth`: the recovery is finished with the share's set.
    case authorisationSynchronised(dmkCheckValue: String, authorisation: AuthorisationSet)
    /// `recover-new-auth`: prepared, nothing installed until `recover-commit`.
    case newAuthorisationPrepared(dmkCheckValue: String, authorisation: AuthorisationSet, shares: [AuthorisationShare])
    /// `init-commit` / `recover-commit`: installed (`ceremonyID` for an original initialisation).
    case committed(dmkCheckValue: String, authorisation: AuthorisationSet, ceremonyID: String?)
    /// `init-abort` / `recover-abort`.
    case aborted
    /// The device refused the request.
    case failure(CeremonyError)

    /// The answer as a message. Secret bytes are copied into its secret part: the caller
    /// wipes the message after sending it.
    public func message() -> ManagementMessage {
        switch self {
        case let .status(initialised, busy, cv, auth, step):
            var j: [String: Any] = ["initialised": initialised, "busy": busy]
            if let cv, initialised { j["dmkCheckValue"] = cv }
            if let a = auth { j["authorisation"] = ["setID": a.setID, "threshold": a.threshold, "count": a.count] }
            if let step { j["step"] = step }
            return .ok(j)
        case let .dmkCheckValue(cv):
            return .ok(["dmkCheckValue": cv])
        case let .originalPrepared(cid, cv, set, session, components, shares):
            var out = ManagementMessage.ok(["ceremonyID": cid, "dmkCheckValue": cv,
                                            "authorisation": ManagementMessage.encode(set: set),
                                            "pending": true, "session": session])
            let comps = components.map { out.encode(component: $0) }
            let list = shares.map { out.encode(share: $0) }
            out["components"] = comps
            out["shares"] = list
            return out
        case let .recoveryBegun(session, n):
            return .ok(["session": session, "components": n])
        case let .componentImported(imported, of):
            return .ok(["imported": imported, "of": of])
        case let .combined(cv):
            return .ok(["dmkCheckValue": cv])
        case let .authorisationSynchronised(cv, set):
            return .ok(["dmkCheckValue": cv, "authorisation": ManagementMessage.encode(set: set)])
        case let .newAuthorisationPrepared(cv, set, shares):
            var out = ManagementMessage.ok(["dmkCheckValue": cv, "authorisation": ManagementMessage.encode(set: set),
                                            "pending": true])
            let list = shares.map { out.encode(share: $0) }
            out["shares"] = list
            return out
        case let .committed(cv, set, cid):
            var j: [String: Any] = ["dmkCheckValue": cv, "authorisation": ManagementMessage.encode(set: set)]
            if let cid { j["ceremonyID"] = cid }
            return .ok(j)
        case .aborted:
            return .ok()
        case let .failure(e):
            return .failure(e)
        }
    }

    /// Drops the secret bytes the answer holds (components, shares: SecureBytes, zeroed when
    /// their last holder lets go) now rather than when the answer goes.
    public mutating func wipe() {
        switch self {
        case .originalPrepared(let cid, let cv, let set, let session, var comps, var shares):
            for i in comps.indices { comps[i].wipe() }
            for i in shares.indices { shares[i].wipe() }
            self = .originalPrepared(ceremonyID: cid, dmkCheckValue: cv, authorisation: set, session: session,
                                     components: comps, shares: shares)
        case .newAuthorisationPrepared(let cv, let set, var shares):
            for i in shares.indices { shares[i].wipe() }
            self = .newAuthorisationPrepared(dmkCheckValue: cv, authorisation: set, shares: shares)
        default:
            break
        }
    }

    // MARK: decoding (the operator's side)

    /// What is wrong with an answer that does not decode.
    public enum Malformed: Error, Equatable {
        /// The answer's own fields (or the number of components or shares).
        case answer
        /// The component at this 0-based position (or its index is not position + 1).
        case component(Int)
        /// The share at this 0-based position (or its x is not position + 1).
        case share(Int)
    }

    /// Decodes the answer to `init-original` that must hold `components` components and
    /// `shares` shares, numbered 1... in order. Throws `Malformed`.
    public static func originalPrepared(_ m: ManagementMessage, components n: Int, shares count: Int) throws
        -> (ceremonyID: String, dmkCheckValue: String, authorisation: AuthorisationSet, components: [DMKComponent], shares: [AuthorisationShare]) {
        guard let cid = m.string("ceremonyID"), let cv = m.string("dmkCheckValue"),
              let set = ManagementMessage.decodeSet(m["authorisation"]),
              let compList = m["components"] as? [Any], let shareList = m["shares"] as? [Any],
              compList.count == n, shareList.count == count, m.bool("pending") else { throw Malformed.answer }
        var comps: [DMKComponent] = []
        var list: [AuthorisationShare] = []
        do {
            for (i, any) in compList.enumerated() {
                guard let c = m.decodeComponent(any), c.index == i + 1 else { throw Malformed.component(i) }
                comps.append(c)
            }
            for (i, any) in shareList.enumerated() {
                guard let sh = m.decodeShare(any), Int(sh.x) == i + 1 else { throw Malformed.share(i) }
                list.append(sh)
            }
        } catch {
            for i in comps.indices { comps[i].wipe() }
            for i in list.indices { list[i].wipe() }
            throw error
        }
        return (cid, cv, set, comps, list)
    }

    /// Decodes the answer to `recover-new-auth` that must hold `shares` shares numbered 1...
    /// in order. Throws `Malformed`.
    public static func newAuthorisationPrepared(_ m: ManagementMessage, shares count: Int) throws
        -> (dmkCheckValue: String, authorisation: AuthorisationSet, shares: [AuthorisationShare]) {
        guard let set = ManagementMessage.decodeSet(m["authorisation"]), let list = m["shares"] as? [Any],
              list.count == count, let cv = m.string("dmkCheckValue"), m.bool("pending") else { throw Malformed.answer }
        var shares: [AuthorisationShare] = []
        for (i, any) in list.enumerated() {
            guard let sh = m.decodeShare(any), Int(sh.x) == i + 1 else {
                for j in shares.indices { shares[j].wipe() }
                throw Malformed.share(i)
            }
            shares.append(sh)
        }
        return (cv, set, shares)
    }

    /// Decodes the answer to `status` (absent fields read as not initialised, not busy).
    public static func status(_ m: ManagementMessage)
        -> (initialised: Bool, busy: Bool, dmkCheckValue: String?, authorisation: AuthorisationSummary?, step: String?) {
        var auth: AuthorisationSummary?
        if let a = m["authorisation"] as? [String: Any] {
            auth = AuthorisationSummary(setID: a["setID"] as? String ?? "?", threshold: a["threshold"] as? Int ?? 0,
                                        count: a["count"] as? Int ?? 0)
        }
        return (m.bool("initialised"), m.bool("busy"), m.string("dmkCheckValue"), auth, m.string("step"))
    }
}
