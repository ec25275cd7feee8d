// The operator's side of the ceremony (what vsmctl runs): opens UKEYs with their PINs,
// drives the device over the management channel and writes the new UKEYs.
//
// PINs are asked for in this order, one per UKEY:
//   original:  authorising UKEYs (re-initialisation only), then the new component UKEYs
//              1...n, then the new authorisation UKEYs 1...m
//   recovery:  authorising UKEYs (re-initialisation only), the component UKEYs in the order
//              given, then the synchronising authorisation UKEY or the new authorisation
//              UKEYs 1...m
// All UKEYs are opened, and all PINs for new UKEYs collected, before the device is asked to
// erase anything, so a wrong PIN or a locked UKEY leaves the device as it was.
//
// New UKEYs use the device's two-phase commit: the UKEY directory is probed (a temporary file
// created, synced and removed) before the device is contacted; `init-original` /
// `recover-new-auth` only prepare; every new UKEY is written (atomically, fsync) and only then
// is `init-commit` / `recover-commit` sent. If a write fails, the UKEYs this run wrote are
// removed and the pending state is aborted, so nothing is installed.
import EVSMKit
import Foundation
import HSMCrypto
#if canImport(Glibc)
import Glibc
#endif

public struct ManagementOperator {
    /// Returns the PIN for the UKEY described by the prompt. Secret: the caller zeroes it.
    public typealias PINSource = (_ prompt: String, _ isNew: Bool) throws -> [UInt8]

    public let client: ManagementClient
    public var pinSource: PINSource
    public var progress: (String) -> Void
    /// PBKDF2 iterations for new UKEYs.
    public var iterations = UKEYFile.defaultIterations

    public init(client: ManagementClient, pinSource: @escaping PINSource, progress: @escaping (String) -> Void = { _ in }) {
        self.client = client
        self.pinSource = pinSource
        self.progress = progress
    }

    public struct Outcome {
        public var dmkCheckValue: String
        public var ceremonyID: String?
        public var authorisationSetID: String
        public var written: [String]
    }

    // MARK: queries

    public func dmkCheckValue() throws -> String {
        guard let cv = try client.call(ManagementMessage(["op": "dmk-check-value"])).string("dmkCheckValue") else {
            throw CeremonyError(.channel, "the device sent no check value")
        }
        return cv
    }

    public func status() throws -> ManagementMessage { try client.call(ManagementMessage(["op": "status"])) }

    // MARK: original initialisation

    public func originalInitialise(components n: Int, threshold k: Int, shares m: Int, ukeyDirectory dir: String,
                                   authorising: [String], confirmErase: Bool) throws -> Outcome {
        guard (2...9).contains(n) else {
            throw CeremonyError(.componentCount, "original initialisation needs 2 to 9 DMK components, not \(n)")
        }
        guard (1...9).contains(m), (1...m).contains(k) else {
            throw CeremonyError(.badScheme, "authorisation scheme \(k)-of-\(m) is not allowed (1 <= k <= m <= 9)")
        }
        let compPaths = (1...max(n, 1)).map { "\(dir)/dmk-component-\($0)-of-\(n).ukey" }
        let sharePaths = (1...max(m, 1)).map { "\(dir)/auth-share-\($0)-of-\(m).ukey" }
        try checkWritable(dir, compPaths + sharePaths)
        var auth = try openShares(authorising)
        defer { for i in auth.indices { auth[i].wipe() } }
        var compPINs = try (1...max(n, 1)).map { try newPIN("DMK component UKEY \($0) of \(n)") }
        var sharePINs = try (1...max(m, 1)).map { try newPIN("authorisation UKEY \($0) of \(m)") }
        defer {
            for i in compPINs.indices { SecureBytes.wipe(&compPINs[i]) }
            for i in sharePINs.indices { SecureBytes.wipe(&sharePINs[i]) }
        }
        progress("original initialisation: \(n) DMK components, authorisation \(k)-of-\(m); the device erases every key")
        var req = ManagementMessage(["op": "init-original", "components": n, "threshold": k, "shares": m,
                                     "confirmErase": confirmErase, "twoPhase": true])
        req["authorising"] = auth.map { req.encode(share: $0) }
        defer { req.wipe() }
        var rsp = try client.call(req)
        defer { rsp.wipe() }
        var comps: [DMKComponent] = []
        var shares: [AuthorisationShare] = []
        defer {
            for i in comps.indices { comps[i].wipe() }
            for i in shares.indices { shares[i].wipe() }
        }
        guard let cid = rsp.string("ceremonyID"), let cv = rsp.string("dmkCheckValue"),
              let set = ManagementMessage.decodeSet(rsp["authorisation"]),
              let compList = rsp["components"] as? [Any], let shareList = rsp["shares"] as? [Any],
              compList.count == n, shareList.count == m, rsp.bool("pending") else {
            abortPending("init-abort")
            throw CeremonyError(.channel, "the device's answer to init-original is malformed; nothing was installed, the device is unchanged")
        }
        for (i, any) in compList.enumerated() {
            guard let c = rsp.decodeComponent(any), c.index == i + 1 else {
                abortPending("init-abort")
                throw CeremonyError(.channel, "component \(i + 1) in the device's answer is malformed; nothing was installed, the device is unchanged")
            }
            comps.append(c)
        }
        for (i, any) in shareList.enumerated() {
            guard let sh = rsp.decodeShare(any), Int(sh.x) == i + 1 else {
                abortPending("init-abort")
                throw CeremonyError(.channel, "share \(i + 1) in the device's answer is malformed; nothing was installed, the device is unchanged")
            }
            shares.append(sh)
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
        let written = try writeAll(writes, abortOp: "init-abort", unchanged: "the device was left unchanged (nothing was installed)")
        let done = try commit("init-commit", expected: cv, written: written,
                              unchanged: "the device was left unchanged (nothing was installed)")
        progress("device initialised: ceremony \(cid), DMK check value \(done)")
        return Outcome(dmkCheckValue: done, ceremonyID: cid, authorisationSetID: set.setID, written: written)
    }

    // MARK: recovery initialisation

    public enum AuthorisationChoice {
        /// Adopt the set of this authorisation UKEY.
        case synchronise(String)
        /// Make a new k-of-m set; its UKEYs go into the directory.
        case new(threshold: Int, shares: Int, directory: String)
    }

    public func recover(components paths: [String], authorisation choice: AuthorisationChoice,
                        authorising: [String], confirmErase: Bool) throws -> Outcome {
        guard paths.count >= 2 else {
            throw CeremonyError(.componentCount, "recovery needs at least 2 DMK component UKEYs, got \(paths.count)")
        }
        var newPaths: [String] = []
        if case let .new(_, m, dir) = choice {
            guard m >= 1 else { throw CeremonyError(.badScheme, "the new authorisation needs at least one UKEY") }
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
        var newPINs: [[UInt8]] = []
        defer { for i in newPINs.indices { SecureBytes.wipe(&newPINs[i]) } }
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

        progress("recovery initialisation: the device erases every key")
        var begin = ManagementMessage(["op": "recover-begin", "components": comps.count, "confirmErase": confirmErase])
        begin["authorising"] = auth.map { begin.encode(share: $0) }
        defer { begin.wipe() }
        _ = try client.call(begin)
        do {
            for c in comps {
                var req = ManagementMessage(["op": "recover-import"])
                req["component"] = req.encode(component: c)
                defer { req.wipe() }
                let r = try client.call(req)
                progress("imported component \(c.index) (\(r.int("imported") ?? 0) of \(r.int("of") ?? 0))")
            }
            let combined = try client.call(ManagementMessage(["op": "recover-combine"]))
            progress("DMK combined, check value \(combined.string("dmkCheckValue") ?? "?")")
            switch choice {
            case .synchronise:
                guard let share = syncShare else { throw CeremonyError(.badRequest, "no authorisation share") }
                var req = ManagementMessage(["op": "recover-sync-auth"])
                req["share"] = req.encode(share: share)
                defer { req.wipe() }
                let r = try client.call(req)
                let cv = r.string("dmkCheckValue") ?? "?"
                progress("authorisation synchronised (set \(share.set.setID), \(share.set.threshold)-of-\(share.set.count)); DMK check value \(cv)")
                return Outcome(dmkCheckValue: cv, ceremonyID: comps.first?.ceremonyID, authorisationSetID: share.set.setID, written: [])
            case let .new(k, m, _):
                var r = try client.call(ManagementMessage(["op": "recover-new-auth", "threshold": k, "shares": m,
                                                           "twoPhase": true]))
                defer { r.wipe() }
                var shares: [AuthorisationShare] = []
                defer { for i in shares.indices { shares[i].wipe() } }
                guard let set = ManagementMessage.decodeSet(r["authorisation"]), let list = r["shares"] as? [Any],
                      list.count == m, let cv = r.string("dmkCheckValue"), r.bool("pending") else {
                    throw CeremonyError(.channel, "the device's answer to recover-new-auth is malformed")
                }
                for any in list {
                    guard let sh = r.decodeShare(any), Int(sh.x) == shares.count + 1 else {
                        throw CeremonyError(.channel, "malformed share in the answer")
                    }
                    shares.append(sh)
                }
                progress("new authorisation \(k)-of-\(m) set \(set.setID) prepared; nothing is installed until every UKEY is written")
                let writes = shares.indices.map { i in
                    PendingWrite(path: newPaths[i], what: "authorisation share \(shares[i].x) of \(m), set \(set.setID)") {
                        try UKEYFile.write(share: shares[i], pin: newPINs[i], to: newPaths[i], iterations: iterations)
                    }
                }
                let unchanged = "nothing was installed (the device stays erased, as confirmed at the start of the recovery)"
                let written = try writeAll(writes, abortOp: "recover-abort", unchanged: unchanged)
                let done = try commit("recover-commit", expected: cv, written: written, unchanged: unchanged)
                progress("new authorisation \(k)-of-\(m) set \(set.setID); DMK check value \(done)")
                return Outcome(dmkCheckValue: done, ceremonyID: comps.first?.ceremonyID, authorisationSetID: set.setID, written: written)
            }
        } catch {
            _ = try? client.send(ManagementMessage(["op": "recover-abort"]))
            throw error
        }
    }

    // MARK: two-phase helpers

    /// One new UKEY to write: its path, a public description, and the write itself.
    struct PendingWrite {
        var path: String
        var what: String
        var write: () throws -> Void
    }

    /// Test hook: called before each new UKEY is written (may throw to simulate a failure).
    var beforeUKEYWrite: ((String) throws -> Void)?

    /// Writes every new UKEY (each atomically, fsync). On the first failure removes the files
    /// written so far by this run, aborts the device's pending state and throws.
    private func writeAll(_ writes: [PendingWrite], abortOp: String, unchanged: String) throws -> [String] {
        var written: [String] = []
        for w in writes {
            do {
                try beforeUKEYWrite?(w.path)
                try w.write()
            } catch {
                let removed = removeUKEYs(written)
                abortPending(abortOp)
                let why = (error as? CeremonyError)?.message ?? "\(error)"
                throw CeremonyError(.ukeyIO, "cannot write the UKEY \(w.path): \(why); \(unchanged); removed the \(removed) UKEY file(s) this run had written")
            }
            written.append(w.path)
            progress("wrote \(w.path) (\(w.what))")
        }
        return written
    }

    /// Sends the commit once every UKEY is on disk; returns the installed DMK check value.
    /// A refusal (the pending state is gone: session expired, ...) removes the UKEYs just
    /// written (their DMK or set is installed nowhere). A lost answer keeps them: the device
    /// may have installed, and then they are needed.
    private func commit(_ op: String, expected cv: String, written: [String], unchanged: String) throws -> String {
        let rsp: ManagementMessage
        do {
            rsp = try client.send(ManagementMessage(["op": op]))
        } catch {
            let why = (error as? CeremonyError)?.message ?? "\(error)"
            throw CeremonyError(.channel, "every UKEY is written, but the answer to \(op) was lost (\(why)): the device may or may not have installed the DMK with check value \(cv). The UKEY files were kept; run `vsmctl dmk check`: if it shows \(cv) the ceremony is complete, otherwise delete \(written.joined(separator: ", ")) and run it again")
        }
        do { try rsp.throwIfFailure() } catch let e as CeremonyError {
            let removed = removeUKEYs(written)
            abortPending(op == "init-commit" ? "init-abort" : "recover-abort")
            throw CeremonyError(e.code, "the device refused \(op): \(e.message); \(unchanged); removed the \(removed) UKEY file(s) this run had written")
        }
        guard let done = rsp.string("dmkCheckValue") else {
            throw CeremonyError(.channel, "the device's answer to \(op) has no check value; run `vsmctl dmk check` (expected \(cv))")
        }
        if done != cv { progress("warning: the device reports DMK check value \(done) after \(op), but prepared \(cv)") }
        return done
    }

    /// Best effort: tells the device to drop its pending state (closing the connection does
    /// the same).
    private func abortPending(_ op: String) {
        _ = try? client.send(ManagementMessage(["op": op]))
    }

    /// Removes UKEY files this run created; returns how many were removed.
    private func removeUKEYs(_ paths: [String]) -> Int {
        var n = 0
        for p in paths where unlink(p) == 0 { n += 1 }
        if let dir = paths.first.map({ ($0 as NSString).deletingLastPathComponent }) {
            let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
        return n
    }

    // MARK: helpers

    private func openShares(_ paths: [String]) throws -> [AuthorisationShare] {
        var out: [AuthorisationShare] = []
        do {
            for p in paths {
                let st = try UKEYFile.status(p)
                guard st.kind == .authorisation else { throw CeremonyError(.ukeyKind, "\(p) is not an authorisation UKEY") }
                out.append(try withPIN(st) { try UKEYFile.openShare(p, pin: $0) })
                progress("opened \(p): authorisation share \(st.index) of set \(st.id)")
            }
        } catch {
            for i in out.indices { out[i].wipe() }
            throw error
        }
        return out
    }

    private func withPIN<T>(_ st: UKEYStatus, _ body: ([UInt8]) throws -> T) throws -> T {
        var p = try existingPIN(st)
        defer { SecureBytes.wipe(&p) }
        return try body(p)
    }

    private func existingPIN(_ st: UKEYStatus) throws -> [UInt8] {
        if st.locked {
            throw CeremonyError(.ukeyLocked, "\(st.path) is locked after \(st.failedTries) wrong PINs; it cannot be opened any more")
        }
        let what = st.kind == .dmkComponent ? "DMK component UKEY \(st.index) of \(st.count)" : "authorisation UKEY \(st.index) of \(st.count)"
        return try pinSource("PIN for \(what) (\(st.path))", false)
    }

    private func newPIN(_ what: String) throws -> [UInt8] {
        var p = try pinSource("new PIN for \(what)", true)
        do { try UKEYFile.checkPINRules(p) } catch {
            SecureBytes.wipe(&p)
            throw error
        }
        return p
    }

    private func checkWritable(_ dir: String, _ paths: [String]) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) does not exist")
        }
        for p in paths where FileManager.default.fileExists(atPath: p) {
            throw CeremonyError(.ukeyIO, "\(p) already exists; a UKEY is never overwritten")
        }
        try probeWritable(dir)
    }

    /// Creates, syncs and removes a temporary file in `dir`, so a read-only or full directory
    /// is found before the device is contacted.
    private func probeWritable(_ dir: String) throws {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let tmp = dir + "/.vsmctl-probe-" + suffix
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) is not writable: \(String(cString: strerror(errno))); the device was not contacted")
        }
        defer { unlink(tmp) }
        let probe = [UInt8](repeating: 0, count: 512)
        let n = probe.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let e = errno
        let synced = n == probe.count && fsync(fd) == 0
        let e2 = errno
        close(fd)
        guard synced else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) is not writable: \(String(cString: strerror(n < 0 ? e : e2))); the device was not contacted")
        }
    }
}
