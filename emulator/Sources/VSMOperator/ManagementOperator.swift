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
import Foundation
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

/// The operator's side of the ceremony (vsmctl): opens UKEYs, drives the device, writes new UKEYs.
public struct ManagementOperator {
    /// Returns the PIN for the UKEY described by the prompt (zeroed when the last copy goes).
    public typealias PINSource = (_ prompt: String, _ isNew: Bool) throws -> SecureBytes

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

    /// Test hook: called before each new UKEY is written (may throw to simulate a failure).
    var beforeUKEYWrite: ((String) throws -> Void)?

    // MARK: queries

    public func dmkCheckValue() throws -> String {
        guard let cv = try client.call(.dmkCheckValue).string("dmkCheckValue") else {
            throw CeremonyError(.channel, "the device sent no check value")
        }
        return cv
    }

    /// The device's status (`status`): initialised, busy, DMK check value, authorisation set, step.
    public func status() throws -> (initialised: Bool, busy: Bool, dmkCheckValue: String?, authorisation: AuthorisationSummary?, step: String?) {
        ManagementResponse.status(try client.call(.status))
    }

    // MARK: helpers

    func openShares(_ paths: [String]) throws -> [AuthorisationShare] {
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

    func withPIN<T>(_ st: UKEYStatus, _ body: (SecureBytes) throws -> T) throws -> T {
        try body(try existingPIN(st))
    }

    func existingPIN(_ st: UKEYStatus) throws -> SecureBytes {
        if st.locked {
            throw CeremonyError(.ukeyLocked, "\(st.path) is locked after \(st.failedTries) wrong PINs; it cannot be opened any more")
        }
        let what = st.kind == .dmkComponent ? "DMK component UKEY \(st.index) of \(st.count)" : "authorisation UKEY \(st.index) of \(st.count)"
        return try pinSource("PIN for \(what) (\(st.path))", false)
    }

    func newPIN(_ what: String) throws -> SecureBytes {
        let p = try pinSource("new PIN for \(what)", true)
        try UKEYFile.checkPINRules(p)
        return p
    }
}
