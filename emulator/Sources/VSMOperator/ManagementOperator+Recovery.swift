// The operator's recovery initialisation: the DMK from its component UKEYs, then the
// authorisation synchronised from a UKEY of the existing set or made anew (two-phase).
import Foundation
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

extension ManagementOperator {
    // MARK: recovery initialisation

    public enum AuthorisationChoice {
        /// Adopt the set of this authorisation UKEY.
        case synchronise(String)
        /// Make a new k-of-m set; its UKEYs go into the directory.
        case new(threshold: Int, shares: Int, directory: String)
    }

    public func recover(components paths: [String], authorisation choice: AuthorisationChoice,
                        authorising: [String], confirmErase: Bool,
                        confirm: (() throws -> Void)? = nil) throws -> Outcome {
        guard paths.count >= ManagementLimits.componentCount.lowerBound else {
            throw CeremonyError(.componentCount, "recovery needs at least 2 DMK component UKEYs, got \(paths.count)")
        }
        var newPaths: [String] = []
        if case let .new(_, m, dir) = choice {
            guard m >= ManagementLimits.shareCount.lowerBound else { throw CeremonyError(.badScheme, "the new authorisation needs at least one UKEY") }
            newPaths = (1...m).map { "\(dir)/auth-share-\($0)-of-\(m).ukey" }
            try checkWritable(dir, newPaths)
        }
        var auth = try openShares(authorising)
        defer { for i in auth.indices { auth[i].wipe() } }

        // Open every component UKEY first and check the set locally, before anything is erased.
        var comps: [DMKComponent] = []
        defer { for i in comps.indices { comps[i].wipe() } }
        for p in paths {
            let st = try UKEYFile.status(p)
            guard st.kind == .dmkComponent else {
                throw CeremonyError(.ukeyKind, "\(p) is not a DMK component UKEY")
            }
            let c = try withPIN(st) { try UKEYFile.openComponent(p, pin: $0) }
            if let dup = comps.first(where: { $0.ceremonyID == c.ceremonyID && $0.index == c.index }) {
                throw CeremonyError(.duplicateComponent, "\(p) holds component \(dup.index) of ceremony \(dup.ceremonyID) again; the same component UKEY must not be imported twice")
            }
            if let first = comps.first, first.ceremonyID != c.ceremonyID {
                throw CeremonyError(.foreignComponent, "\(p) belongs to ceremony \(c.ceremonyID), not to ceremony \(first.ceremonyID)")
            }
            comps.append(c)
            progress("opened \(p): component \(c.index) of \(c.count), check value \(c.checkValue)")
        }
        if let expected = comps.first?.count, expected != comps.count {
            throw CeremonyError(.missingComponent, "the components are \(comps.count) of a set of \(expected); all \(expected) are needed")
        }
        var syncShare: AuthorisationShare?
        defer { if syncShare != nil { syncShare!.wipe() } }
        var newPINs: [SecureBytes] = []
        switch choice {
        case let .synchronise(p):
            let st = try UKEYFile.status(p)
            guard st.kind == .authorisation else { throw CeremonyError(.ukeyKind, "\(p) is not an authorisation UKEY") }
            syncShare = try withPIN(st) { try UKEYFile.openShare(p, pin: $0) }
            progress("opened \(p): authorisation share \(st.index) of set \(st.id)")
        case let .new(k, m, _):
            guard (1...m).contains(k) else { throw CeremonyError(.badScheme, "authorisation scheme \(k)-of-\(m) is not allowed") }
            for i in 1...m { newPINs.append(try newPIN("new authorisation UKEY \(i) of \(m)")) }
        }

        // Everything local is done: only now is the device contacted (the confirmation shows its state).
        try confirm?()
        progress("recovery initialisation: the device erases every key")
        _ = try client.call(.recoverBegin(components: comps.count, confirmErase: confirmErase, authorising: auth))
        do {
            for c in comps {
                let r = try client.call(.recoverImport(c))
                progress("imported component \(c.index) (\(r.int("imported") ?? 0) of \(r.int("of") ?? 0))")
            }
            let combined = try client.call(.recoverCombine)
            progress("DMK combined, check value \(combined.string("dmkCheckValue") ?? "?")")
            switch choice {
            case .synchronise:
                guard let share = syncShare else { throw CeremonyError(.badRequest, "no authorisation share") }
                let r = try client.call(.recoverSyncAuth(share))
                let cv = r.string("dmkCheckValue") ?? "?"
                progress("authorisation synchronised (set \(share.set.setID), \(share.set.threshold)-of-\(share.set.count)); DMK check value \(cv)")
                return Outcome(dmkCheckValue: cv, ceremonyID: comps.first?.ceremonyID, authorisationSetID: share.set.setID, written: [])
            case let .new(k, m, _):
                var r = try client.call(.recoverNewAuth(threshold: k, shares: m))
                defer { r.wipe() }
                let prepared: (dmkCheckValue: String, authorisation: AuthorisationSet, shares: [AuthorisationShare])
                do {
                    prepared = try ManagementResponse.newAuthorisationPrepared(r, shares: m)
                } catch ManagementResponse.Malformed.share {
                    throw CeremonyError(.channel, "malformed share in the answer")
                } catch {
                    throw CeremonyError(.channel, "the device's answer to recover-new-auth is malformed")
                }
                let (cv, set) = (prepared.dmkCheckValue, prepared.authorisation)
                var shares = prepared.shares
                defer { for i in shares.indices { shares[i].wipe() } }
                progress("new authorisation \(k)-of-\(m) set \(set.setID) prepared; nothing is installed until every UKEY is written")
                let writes = shares.indices.map { i in
                    PendingWrite(path: newPaths[i], what: "authorisation share \(shares[i].x) of \(m), set \(set.setID)") {
                        try UKEYFile.write(share: shares[i], pin: newPINs[i], to: newPaths[i], iterations: iterations)
                    }
                }
                let unchanged = "nothing was installed (the device stays erased, as confirmed at the start of the recovery)"
                let written = try writeAll(writes, abortOp: .recoverAbort, unchanged: unchanged)
                let done = try commit(.recoverCommit, expected: cv, written: written, unchanged: unchanged)
                progress("new authorisation \(k)-of-\(m) set \(set.setID); DMK check value \(done)")
                return Outcome(dmkCheckValue: done, ceremonyID: comps.first?.ceremonyID, authorisationSetID: set.setID, written: written)
            }
        } catch {
            _ = try? client.send(.recoverAbort)
            throw error
        }
    }
}
