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
import EVSMKit
import Foundation

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
            for i in compPINs.indices { wipe(&compPINs[i]) }
            for i in sharePINs.indices { wipe(&sharePINs[i]) }
        }
        progress("original initialisation: \(n) DMK components, authorisation \(k)-of-\(m); the device erases every key")
        var req = ManagementMessage(["op": "init-original", "components": n, "threshold": k, "shares": m,
                                     "confirmErase": confirmErase])
        req["authorising"] = auth.map { req.encode(share: $0) }
        defer { req.wipe() }
        var rsp = try client.call(req)
        defer { rsp.wipe() }
        guard let cid = rsp.string("ceremonyID"), let cv = rsp.string("dmkCheckValue"),
              let set = ManagementMessage.decodeSet(rsp["authorisation"]),
              let comps = rsp["components"] as? [Any], let shares = rsp["shares"] as? [Any],
              comps.count == n, shares.count == m else {
            throw CeremonyError(.channel, "the device's answer to init-original is malformed")
        }
        progress("device initialised: ceremony \(cid), DMK check value \(cv)")
        var written: [String] = []
        for (i, any) in comps.enumerated() {
            guard var c = rsp.decodeComponent(any), c.index == i + 1 else {
                throw CeremonyError(.channel, "component \(i + 1) in the device's answer is malformed")
            }
            defer { c.wipe() }
            try UKEYFile.write(component: c, pin: compPINs[i], to: compPaths[i], iterations: iterations)
            written.append(compPaths[i])
            progress("wrote \(compPaths[i]) (component \(c.index) of \(n), check value \(c.checkValue))")
        }
        for (i, any) in shares.enumerated() {
            guard var s = rsp.decodeShare(any), Int(s.x) == i + 1 else {
                throw CeremonyError(.channel, "share \(i + 1) in the device's answer is malformed")
            }
            defer { s.wipe() }
            try UKEYFile.write(share: s, pin: sharePINs[i], to: sharePaths[i], iterations: iterations)
            written.append(sharePaths[i])
            progress("wrote \(sharePaths[i]) (authorisation share \(s.x) of \(m), set \(set.setID))")
        }
        return Outcome(dmkCheckValue: cv, ceremonyID: cid, authorisationSetID: set.setID, written: written)
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
        defer { for i in newPINs.indices { wipe(&newPINs[i]) } }
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
                var r = try client.call(ManagementMessage(["op": "recover-new-auth", "threshold": k, "shares": m]))
                defer { r.wipe() }
                guard let set = ManagementMessage.decodeSet(r["authorisation"]), let shares = r["shares"] as? [Any],
                      shares.count == m, let cv = r.string("dmkCheckValue") else {
                    throw CeremonyError(.channel, "the device's answer to recover-new-auth is malformed")
                }
                var written: [String] = []
                for (i, any) in shares.enumerated() {
                    guard var s = r.decodeShare(any) else { throw CeremonyError(.channel, "malformed share in the answer") }
                    defer { s.wipe() }
                    try UKEYFile.write(share: s, pin: newPINs[i], to: newPaths[i], iterations: iterations)
                    written.append(newPaths[i])
                    progress("wrote \(newPaths[i]) (authorisation share \(s.x) of \(m), set \(set.setID))")
                }
                progress("new authorisation \(k)-of-\(m) set \(set.setID); DMK check value \(cv)")
                return Outcome(dmkCheckValue: cv, ceremonyID: comps.first?.ceremonyID, authorisationSetID: set.setID, written: written)
            }
        } catch {
            _ = try? client.send(ManagementMessage(["op": "recover-abort"]))
            throw error
        }
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
        defer { wipe(&p) }
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
            wipe(&p)
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
    }

    private func wipe(_ b: inout [UInt8]) { wipeBytes(&b) }
}
