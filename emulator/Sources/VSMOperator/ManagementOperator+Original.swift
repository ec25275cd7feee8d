// The operator's original initialisation: fresh DMK, n component UKEYs, k-of-m authorisation
// UKEYs (two-phase: prepared, every UKEY written, then committed; see ManagementOperator).
import Foundation
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

extension ManagementOperator {
    // MARK: original initialisation

    public func originalInitialise(components n: Int, threshold k: Int, shares m: Int, ukeyDirectory dir: String,
                                   authorising: [String], confirmErase: Bool,
                                   confirm: (() throws -> Void)? = nil) throws -> Outcome {
        guard ManagementLimits.componentCount.contains(n) else {
            throw CeremonyError(.componentCount, "original initialisation needs 2 to 9 DMK components, not \(n)")
        }
        guard ManagementLimits.isAllowedScheme(threshold: k, count: m) else {
            throw CeremonyError(.badScheme, "authorisation scheme \(k)-of-\(m) is not allowed (1 <= k <= m <= 9)")
        }
        let compPaths = (1...max(n, 1)).map { "\(dir)/dmk-component-\($0)-of-\(n).ukey" }
        let sharePaths = (1...max(m, 1)).map { "\(dir)/auth-share-\($0)-of-\(m).ukey" }
        try checkWritable(dir, compPaths + sharePaths)
        var auth = try openShares(authorising)
        defer { for i in auth.indices { auth[i].wipe() } }
        let compPINs = try (1...max(n, 1)).map { try newPIN("DMK component UKEY \($0) of \(n)") }
        let sharePINs = try (1...max(m, 1)).map { try newPIN("authorisation UKEY \($0) of \(m)") }
        // Everything local is done: only now is the device contacted (the confirmation shows its state).
        try confirm?()
        progress("original initialisation: \(n) DMK components, authorisation \(k)-of-\(m); the device erases every key")
        var rsp = try client.call(.initOriginal(components: n, threshold: k, shares: m, confirmErase: confirmErase,
                                                authorising: auth))
        defer { rsp.wipe() }
        let prepared: (ceremonyID: String, dmkCheckValue: String, authorisation: AuthorisationSet,
                       components: [DMKComponent], shares: [AuthorisationShare])
        do {
            prepared = try ManagementResponse.originalPrepared(rsp, components: n, shares: m)
        } catch ManagementResponse.Malformed.component(let i) {
            abortPending(.initAbort)
            throw CeremonyError(.channel, "component \(i + 1) in the device's answer is malformed; nothing was installed, the device is unchanged")
        } catch ManagementResponse.Malformed.share(let i) {
            abortPending(.initAbort)
            throw CeremonyError(.channel, "share \(i + 1) in the device's answer is malformed; nothing was installed, the device is unchanged")
        } catch {
            abortPending(.initAbort)
            throw CeremonyError(.channel, "the device's answer to init-original is malformed; nothing was installed, the device is unchanged")
        }
        let (cid, cv, set) = (prepared.ceremonyID, prepared.dmkCheckValue, prepared.authorisation)
        var comps = prepared.components
        var shares = prepared.shares
        defer {
            for i in comps.indices { comps[i].wipe() }
            for i in shares.indices { shares[i].wipe() }
        }
        progress("device prepared ceremony \(cid) (DMK check value \(cv)); nothing is installed until every UKEY is written")
        // The closures read the arrays when they run (no captured copies of the secrets, so the
        // wipes in the defer above zero the only buffers).
        var writes: [PendingWrite] = []
        for i in comps.indices {
            writes.append(PendingWrite(path: compPaths[i], what: "component \(comps[i].index) of \(n), check value \(comps[i].checkValue)") {
                try UKEYFile.write(component: comps[i], pin: compPINs[i], to: compPaths[i], iterations: iterations)
            })
        }
        for i in shares.indices {
            writes.append(PendingWrite(path: sharePaths[i], what: "authorisation share \(shares[i].x) of \(m), set \(set.setID)") {
                try UKEYFile.write(share: shares[i], pin: sharePINs[i], to: sharePaths[i], iterations: iterations)
            })
        }
        let written = try writeAll(writes, abortOp: .initAbort, unchanged: "the device was left unchanged (nothing was installed)")
        let done = try commit(.initCommit, expected: cv, written: written,
                              unchanged: "the device was left unchanged (nothing was installed)")
        progress("device initialised: ceremony \(cid), DMK check value \(done)")
        return Outcome(dmkCheckValue: done, ceremonyID: cid, authorisationSetID: set.setID, written: written)
    }
}
