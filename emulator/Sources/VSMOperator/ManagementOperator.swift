// The operator's side of the ceremony (what vsmctl runs): opens UKEYs with their PINs,
// drives the device over the management channel and writes the new UKEYs.
//
// PINs are asked for in this order, one per UKEY:
//   original:  authorising UKEYs (re-initialisation only), then the new component UKEYs
//              1...n, then the new authorisation UKEYs 1...m
//   recovery:  authorising UKEYs (re-initialisation only), the component UKEYs in the order
//              given, then the synchronising authorisation UKEY or the new authorisation
//              UKEYs 1...m
// All UKEYs are opened, all PINs for new UKEYs collected and (recovery) the components checked
// locally before the device is contacted at all (with `init(connect:)` the connection is only
// opened then) and before the operator is asked to confirm the erase (`confirm`), so a wrong
// PIN, a locked UKEY, a duplicate or foreign component or a bad UKEY directory leaves the
// device as it was and fails the same way whether or not the device is reachable.
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

    /// The management connection, opened the first time the device is asked something.
    public var client: ManagementClient { get throws { try link.get() } }
    /// True once the device has been connected to.
    public var isConnected: Bool { link.isConnected }
    public var pinSource: PINSource
    public var progress: (String) -> Void
    /// PBKDF2 iterations for new UKEYs.
    public var iterations = UKEYFile.defaultIterations
    private let link: ClientLink

    public init(client: ManagementClient, pinSource: @escaping PINSource, progress: @escaping (String) -> Void = { _ in }) {
        self.link = ClientLink(client)
        self.pinSource = pinSource
        self.progress = progress
    }

    /// An operator that connects only when the device is first asked something, so the
    /// local steps of an initialisation (UKEY directory probe, opening UKEYs, collecting PINs,
    /// the local component checks) run, and fail, before the device is contacted.
    public init(connect: @escaping () throws -> ManagementClient, pinSource: @escaping PINSource,
                progress: @escaping (String) -> Void = { _ in }) {
        self.link = ClientLink(connect)
        self.pinSource = pinSource
        self.progress = progress
    }

    /// The connection, made on first use (at most once; a failed connect is tried again on
    /// the next use).
    final class ClientLink {
        private var client: ManagementClient?
        private let connect: () throws -> ManagementClient
        init(_ c: ManagementClient) { client = c; connect = { c } }
        init(_ connect: @escaping () throws -> ManagementClient) { self.connect = connect }
        var isConnected: Bool { client != nil }
        func get() throws -> ManagementClient {
            if let c = client { return c }
            let c = try connect()
            client = c
            return c
        }
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
