// One management connection's view of the device: answers requests (ManagementMessage) with
// the ceremony service. The ceremony session it begins (a recovery, or an original
// initialisation waiting for its commit) belongs to it and is abandoned when the connection
// closes: a prepared but uncommitted initialisation is then zeroed and dropped.
//
// Two-phase requests: `init-original` and `recover-new-auth` only PREPARE (they return the
// components / shares, marked "pending": true, and install nothing); `init-commit` /
// `recover-commit` install; `init-abort` / `recover-abort` drop. Both prepare requests must
// say "twoPhase": true, so a tool that would never commit is refused before anything is made.
import Foundation

public final class ManagementConnection {
    public let service: CeremonyService
    private var session: CeremonySession?

    public init(service: CeremonyService) { self.service = service }

    /// Makes `s` this connection's session (in-process callers and tests), so closing the
    /// connection abandons it.
    func adopt(_ s: CeremonySession) { session = s }

    /// Abandons this connection's ceremony session (and any pending initialisation), if any.
    public func close() {
        if let s = session { service.abort(session: s) }
        session = nil
    }

    /// Answers one request; never throws. Secret bytes in `request` are the caller's to wipe.
    public func handle(_ request: ManagementMessage) -> ManagementMessage {
        do {
            return try dispatch(request)
        } catch let e as CeremonyError {
            return .failure(e)
        } catch {
            return .failure(CeremonyError(.deviceFailure, "internal error"))
        }
    }

    private func authorising(_ r: ManagementMessage) throws -> [AuthorisationShare] {
        guard let a = r.decodeShares(r["authorising"]) else {
            throw CeremonyError(.badRequest, "malformed authorising shares")
        }
        return a
    }

    private func mySession() throws -> CeremonySession {
        guard let s = session else { throw CeremonyError(.noSession, "no ceremony session in progress on this connection") }
        return s
    }

    private func requireTwoPhase(_ r: ManagementMessage, _ op: String, _ commitOp: String) throws {
        guard r.bool("twoPhase") else {
            throw CeremonyError(.badRequest, "\(op) needs \"twoPhase\": true: the device installs nothing until \(commitOp) (a tool that does not send it is too old)")
        }
    }

    /// Commits this connection's pending initialisation of the expected kind.
    private func commit(_ kind: CeremonySession.Kind, _ op: String) throws -> ManagementMessage {
        let s = try mySession()
        guard s.kind == kind else {
            throw CeremonyError(.wrongStep, "\(op) does not apply: this connection's session is \(s.kind == .original ? "an original initialisation (use init-commit)" : "a recovery (use recover-commit)")")
        }
        let done = try service.commit(session: s)
        session = nil
        var j: [String: Any] = ["dmkCheckValue": done.dmkCheckValue,
                                "authorisation": ManagementMessage.encode(set: done.authorisation)]
        if let cid = done.ceremonyID { j["ceremonyID"] = cid }
        return .ok(j)
    }

    private func dispatch(_ r: ManagementMessage) throws -> ManagementMessage {
        guard let op = r.string("op") else { throw CeremonyError(.badRequest, "request without op") }
        switch op {
        case "status":
            let st = service.status()
            var j: [String: Any] = ["initialised": st.initialised, "busy": st.busy]
            if let cv = st.dmkCheckValue, st.initialised { j["dmkCheckValue"] = cv }
            if let a = st.authorisation {
                j["authorisation"] = ["setID": a.setID, "threshold": a.threshold, "count": a.count]
            }
            if let step = st.step { j["step"] = step }
            return .ok(j)

        case "dmk-check-value":
            return .ok(["dmkCheckValue": try service.dmkCheckValue()])

        case "init-original":
            guard let n = r.int("components"), let k = r.int("threshold"), let m = r.int("shares") else {
                throw CeremonyError(.badRequest, "init-original needs components, threshold and shares")
            }
            try requireTwoPhase(r, "init-original", "init-commit")
            var auth = try authorising(r)
            defer { for i in auth.indices { auth[i].wipe() } }
            if let old = session { service.abort(session: old); session = nil }
            var res = try service.prepareOriginalInitialisation(components: n, threshold: k, shares: m,
                                                                confirmErase: r.bool("confirmErase"), authorising: auth)
            defer { res.wipe() }
            session = res.session
            var out = ManagementMessage.ok(["ceremonyID": res.ceremonyID, "dmkCheckValue": res.dmkCheckValue,
                                            "authorisation": ManagementMessage.encode(set: res.authorisation),
                                            "pending": true, "session": res.session.id])
            let comps = res.components.map { out.encode(component: $0) }
            let shares = res.shares.map { out.encode(share: $0) }
            out["components"] = comps
            out["shares"] = shares
            return out

        case "recover-begin":
            guard let n = r.int("components") else { throw CeremonyError(.badRequest, "recover-begin needs components") }
            var auth = try authorising(r)
            defer { for i in auth.indices { auth[i].wipe() } }
            if let old = session { service.abort(session: old); session = nil }
            session = try service.beginRecovery(components: n, confirmErase: r.bool("confirmErase"), authorising: auth)
            return .ok(["session": session?.id ?? "", "components": n])

        case "recover-import":
            let s = try mySession()
            guard var c = r.decodeComponent(r["component"]) else { throw CeremonyError(.badRequest, "malformed component") }
            defer { c.wipe() }
            let count = try service.importComponent(c, session: s)
            return .ok(["imported": count, "of": s.componentCount])

        case "recover-combine":
            return .ok(["dmkCheckValue": try service.combine(session: try mySession())])

        case "recover-sync-auth":
            let s = try mySession()
            guard var share = r.decodeShare(r["share"]) else { throw CeremonyError(.badRequest, "malformed authorisation share") }
            defer { share.wipe() }
            let cv = try service.finishSynchronisingAuthorisation(share, session: s)
            session = nil
            return .ok(["dmkCheckValue": cv, "authorisation": ManagementMessage.encode(set: share.set)])

        case "recover-new-auth":
            let s = try mySession()
            guard let k = r.int("threshold"), let m = r.int("shares") else {
                throw CeremonyError(.badRequest, "recover-new-auth needs threshold and shares")
            }
            try requireTwoPhase(r, "recover-new-auth", "recover-commit")
            var res = try service.prepareNewAuthorisation(threshold: k, shares: m, session: s)
            defer { res.wipe() }
            var out = ManagementMessage.ok(["dmkCheckValue": res.dmkCheckValue,
                                            "authorisation": ManagementMessage.encode(set: res.authorisation),
                                            "pending": true])
            let shares = res.shares.map { out.encode(share: $0) }
            out["shares"] = shares
            return out

        case "init-commit":
            return try commit(.original, "init-commit")

        case "recover-commit":
            return try commit(.recovery, "recover-commit")

        case "init-abort", "recover-abort":
            close()
            return .ok()

        default:
            throw CeremonyError(.badRequest, "unknown management operation '\(op.prefix(40))'")
        }
    }
}
