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
import ManagementProtocol

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

    private func mySession() throws -> CeremonySession {
        guard let s = session else { throw CeremonyError(.noSession, "no ceremony session in progress on this connection") }
        return s
    }

    /// Commits this connection's pending initialisation of the expected kind.
    private func commit(_ kind: CeremonySession.Kind, _ op: ManagementOp) throws -> ManagementResponse {
        let s = try mySession()
        guard s.kind == kind else {
            throw CeremonyError(.wrongStep, "\(op.rawValue) does not apply: this connection's session is \(s.kind == .original ? "an original initialisation (use init-commit)" : "a recovery (use recover-commit)")")
        }
        let done = try service.commit(session: s)
        session = nil
        return .committed(dmkCheckValue: done.dmkCheckValue, authorisation: done.authorisation, ceremonyID: done.ceremonyID)
    }

    /// Decodes the request (after checking for a session, for the operations that work on
    /// one) and answers it; the answer's secrets are wiped once it is encoded.
    private func dispatch(_ r: ManagementMessage) throws -> ManagementMessage {
        let op = try ManagementOp.of(r)
        if op.needsSession { _ = try mySession() }
        var request = try ManagementRequest(decoding: r)
        defer { request.wipe() }
        var answer = try answer(request)
        defer { answer.wipe() }
        return answer.message()
    }

    private func answer(_ request: ManagementRequest) throws -> ManagementResponse {
        switch request {
        case .status:
            let st = service.status()
            return .status(initialised: st.initialised, busy: st.busy, dmkCheckValue: st.dmkCheckValue,
                           authorisation: st.authorisation.map { AuthorisationSummary(setID: $0.setID, threshold: $0.threshold, count: $0.count) },
                           step: st.step)

        case .dmkCheckValue:
            return .dmkCheckValue(try service.dmkCheckValue())

        case let .initOriginal(n, k, m, confirmErase, auth):
            if let old = session { service.abort(session: old); session = nil }
            var res = try service.prepareOriginalInitialisation(components: n, threshold: k, shares: m,
                                                                confirmErase: confirmErase, authorising: auth)
            defer { res.wipe() }
            session = res.session
            return .originalPrepared(ceremonyID: res.ceremonyID, dmkCheckValue: res.dmkCheckValue, authorisation: res.authorisation,
                                     session: res.session.id, components: res.components, shares: res.shares)

        case let .recoverBegin(n, confirmErase, auth):
            if let old = session { service.abort(session: old); session = nil }
            session = try service.beginRecovery(components: n, confirmErase: confirmErase, authorising: auth)
            return .recoveryBegun(session: session?.id ?? "", components: n)

        case let .recoverImport(c):
            let s = try mySession()
            let count = try service.importComponent(c, session: s)
            return .componentImported(imported: count, of: s.componentCount)

        case .recoverCombine:
            return .combined(dmkCheckValue: try service.combine(session: try mySession()))

        case let .recoverSyncAuth(share):
            let s = try mySession()
            let cv = try service.finishSynchronisingAuthorisation(share, session: s)
            session = nil
            return .authorisationSynchronised(dmkCheckValue: cv, authorisation: share.set)

        case let .recoverNewAuth(k, m):
            let s = try mySession()
            var res = try service.prepareNewAuthorisation(threshold: k, shares: m, session: s)
            defer { res.wipe() }
            return .newAuthorisationPrepared(dmkCheckValue: res.dmkCheckValue, authorisation: res.authorisation, shares: res.shares)

        case .initCommit:
            return try commit(.original, .initCommit)

        case .recoverCommit:
            return try commit(.recovery, .recoverCommit)

        case .initAbort, .recoverAbort:
            close()
            return .aborted
        }
    }
}
