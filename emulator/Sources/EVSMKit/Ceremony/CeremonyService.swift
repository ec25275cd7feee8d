// The device side of the DMK ceremony: original initialisation and recovery initialisation
// (a session: begin with erase, import components, combine, then synchronise or make new
// authorisation). One ceremony session at a time per device.
//
// Two-phase commit: whatever makes secrets the operator must store (original initialisation:
// components and shares; recovery with a new authorisation set: shares) is only PREPARED —
// kept as the session's pending state, nothing installed, nothing persisted — and installed
// by `commit(session:)` once the operator's tool has its UKEY files safely on disk. A session
// that ends before the commit (abort, its connection closing, expiry) zeroes and drops the
// pending state, so the device stays exactly as it was.
//
// Every refusal leaves the device as it was; the only state change before the end of a
// recovery is the erase the operator confirmed when beginning it.
import Foundation
import HostProtocol
import HSMCrypto
import ManagementProtocol

/// Result of an original initialisation: what the operator's tool writes into UKEYs.
/// From `prepareOriginalInitialisation` it is pending in `session` until committed.
public struct OriginalInitialisation: Sendable {
    /// The session holding the pending (not yet installed) DMK and set; commit or abort it.
    public var session: CeremonySession
    public var ceremonyID: String
    public var dmkCheckValue: String
    public var components: [DMKComponent]
    public var authorisation: AuthorisationSet
    public var shares: [AuthorisationShare]

    public mutating func wipe() {
        for i in components.indices { components[i].wipe() }
        for i in shares.indices { shares[i].wipe() }
    }
}

/// A new authorisation set made for a device, with its shares for the UKEYs.
/// From `prepareNewAuthorisation` it is pending in the recovery session until committed.
public struct NewAuthorisation: Sendable {
    public var dmkCheckValue: String
    public var authorisation: AuthorisationSet
    public var shares: [AuthorisationShare]

    public mutating func wipe() { for i in shares.indices { shares[i].wipe() } }
}

public struct CeremonyStatus: Sendable {
    public var initialised: Bool
    public var dmkCheckValue: String?
    public var authorisation: AuthorisationSet?
    public var busy: Bool
    public var step: String?
}

/// What a committed initialisation installed.
public struct CommittedInitialisation: Sendable {
    public var dmkCheckValue: String
    public var authorisation: AuthorisationSet
    /// The ceremony id of an original initialisation (nil for a recovery).
    public var ceremonyID: String?
}

/// A ceremony in progress (a recovery, or an original initialisation waiting for its
/// commit). Held by the one connection that began it.
public final class CeremonySession: @unchecked Sendable {
    public enum Kind: String, Sendable { case original, recovery }
    public let id: String
    public let kind: Kind
    public let componentCount: Int
    fileprivate var ceremonyID: String?
    fileprivate var components: [Int: DMKComponent] = [:]
    /// The combined or prepared DMK (secret; zeroed by `wipe`).
    fileprivate(set) var dmk: SecureBytes?
    /// The authorisation set to install with `dmk` at commit; non-nil means "prepared,
    /// waiting for commit". Public data (the secret and its shares are not kept).
    fileprivate var pendingAuthorisation: AuthorisationSet?
    fileprivate var lastActivity: Date
    fileprivate var closed = false

    fileprivate init(id: String, kind: Kind, componentCount: Int) {
        self.id = id
        self.kind = kind
        self.componentCount = componentCount
        self.lastActivity = Date()
    }

    /// True while a prepared initialisation waits for `commit`.
    public var isPending: Bool { pendingAuthorisation != nil && !closed }

    fileprivate func wipe() {
        for k in Array(components.keys) { components[k]?.wipe() }
        components.removeAll()
        dmk = nil  // SecureBytes: zeroed as the last holder lets go
        pendingAuthorisation = nil
        closed = true
    }

    var step: String {
        switch kind {
        case .original:
            return "original initialisation prepared, waiting for commit"
        case .recovery:
            if pendingAuthorisation != nil { return "new authorisation prepared, waiting for commit" }
            if dmk != nil { return "combined, waiting for the authorisation choice" }
            return "importing components (\(components.count) of \(componentCount))"
        }
    }
}

/// The name recovery code has always used.
public typealias RecoverySession = CeremonySession

public final class CeremonyService: @unchecked Sendable {
    public let device: CeremonyDevice
    /// A session idle for longer than this may be taken over by another operator.
    public var sessionTimeout: TimeInterval
    /// Audit lines (no secret values). Called with the service's lock held: keep it quick.
    public var audit: ((String) -> Void)?

    private let lock = NSLock()
    private var session: CeremonySession?

    public init(device: CeremonyDevice, sessionTimeout: TimeInterval = 600) {
        self.device = device
        self.sessionTimeout = sessionTimeout
    }

    // MARK: queries

    public func status() -> CeremonyStatus {
        lock.lock(); defer { lock.unlock() }
        let live = liveSession()
        return CeremonyStatus(initialised: device.ceremonyIsInitialised, dmkCheckValue: device.ceremonyDMKCheckValue,
                              authorisation: device.ceremonyAuthorisation, busy: live != nil, step: live?.step)
    }

    public func dmkCheckValue() throws -> String {
        lock.lock(); defer { lock.unlock() }
        guard device.ceremonyIsInitialised, let cv = device.ceremonyDMKCheckValue else {
            throw CeremonyError(.notInitialised, "the device has no DMK (not initialised)")
        }
        return cv
    }

    // MARK: original initialisation

    /// Makes a fresh DMK, splits it into `components` XOR components and a fresh
    /// `threshold`-of-`shares` authorisation set, and keeps the DMK and the set PENDING in a
    /// new session: nothing is erased, installed or persisted. `commit(session:)` erases the
    /// device and installs them (`ceremonyInstall`); `abort(session:)`, the connection closing
    /// or the session expiring drops them and zeroes the DMK.
    /// An initialised device first needs its current authorisation quorum in `authorising`.
    public func prepareOriginalInitialisation(components n: Int, threshold k: Int, shares m: Int, confirmErase: Bool,
                                              authorising: [AuthorisationShare] = []) throws -> OriginalInitialisation {
        lock.lock(); defer { lock.unlock() }
        guard ManagementLimits.componentCount.contains(n) else {
            throw CeremonyError(.componentCount, "original initialisation needs 2 to 9 DMK components, not \(n)")
        }
        try AuthorisationScheme.checkScheme(threshold: k, count: m)
        try checkNotBusy(nil)
        try checkMayReinitialise(authorising)
        guard confirmErase else {
            throw CeremonyError(.eraseNotConfirmed, "original initialisation erases every key in the device; it was not confirmed")
        }
        var dmk: [UInt8]
        do { dmk = try CeremonyCrypto.random(DMKComponents.keyLength) } catch {
            throw CeremonyError(.deviceFailure, "random generator failure")
        }
        defer { SecureBytes.wipe(&dmk) }
        let ceremonyID = Hex.string((try? CeremonyCrypto.random(8)) ?? [])
        let sessionID = Hex.string((try? CeremonyCrypto.random(8)) ?? [])
        guard ceremonyID.count == 16, sessionID.count == 16 else { throw CeremonyError(.deviceFailure, "random generator failure") }
        let comps = try DMKComponents.split(dmk: dmk, count: n, ceremonyID: ceremonyID)
        let (set, shares) = try AuthorisationScheme.newSet(threshold: k, count: m)
        let cv = try DMKComponents.checkValue(dmk)
        let s = CeremonySession(id: sessionID, kind: .original, componentCount: n)
        s.ceremonyID = ceremonyID
        s.dmk = SecureBytes(dmk) // a copy; the local buffer is zeroed by the defer
        s.pendingAuthorisation = set
        session = s
        audit?("original initialisation prepared (not installed yet): session \(sessionID), ceremony \(ceremonyID), \(n) DMK components, authorisation \(k)-of-\(m) set \(set.setID), DMK check value \(cv); waiting for commit")
        return OriginalInitialisation(session: s, ceremonyID: ceremonyID, dmkCheckValue: cv, components: comps,
                                      authorisation: set, shares: shares)
    }

    /// `prepareOriginalInitialisation` and `commit` in one call, for in-process callers that
    /// keep the result in memory (tests). A tool that must store the components and shares
    /// first uses prepare, stores them, then commits.
    public func originalInitialise(components n: Int, threshold k: Int, shares m: Int, confirmErase: Bool,
                                   authorising: [AuthorisationShare] = []) throws -> OriginalInitialisation {
        var res = try prepareOriginalInitialisation(components: n, threshold: k, shares: m, confirmErase: confirmErase,
                                                    authorising: authorising)
        do { _ = try commit(session: res.session) } catch {
            abort(session: res.session)
            res.wipe()
            throw error
        }
        return res
    }

    /// Installs the initialisation pending in `s` (`ceremonyInstall`: every key erased, the
    /// DMK installed and its storage keys derived, the authorisation set kept, atomically) and
    /// ends the session. Refused when `s` is not this device's live session (another session,
    /// already committed, aborted or expired: `no-session`) or has nothing pending
    /// (`wrong-step`). If the install itself fails, the pending state is kept (commit again or abort).
    @discardableResult
    public func commit(session s: CeremonySession) throws -> CommittedInitialisation {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        guard let set = s.pendingAuthorisation, let dmk = s.dmk else {
            throw CeremonyError(.wrongStep, "nothing is prepared in this session; there is nothing to commit")
        }
        do { try dmk.withTemporaryArray { try device.ceremonyInstall(dmk: $0, authorisation: set) } } catch {
            s.lastActivity = Date()
            throw CeremonyError(.deviceFailure, "the device could not install the new DMK (nothing changed; commit again or abort): \(error)")
        }
        let cv = try DMKComponents.checkValue(dmk)
        let cid = s.kind == .original ? s.ceremonyID : nil
        s.wipe()
        session = nil
        switch s.kind {
        case .original:
            audit?("original initialisation committed: session \(s.id), ceremony \(cid ?? "-"), device erased and DMK installed, authorisation set \(set.setID), DMK check value \(cv)")
        case .recovery:
            audit?("recovery session \(s.id): committed, new authorisation \(set.threshold)-of-\(set.count) set \(set.setID) installed, DMK check value \(cv)")
        }
        return CommittedInitialisation(dmkCheckValue: cv, authorisation: set, ceremonyID: cid)
    }

    // MARK: recovery initialisation

    /// Erases the device (confirmed) and opens a recovery session expecting `components` components.
    public func beginRecovery(components n: Int, confirmErase: Bool,
                              authorising: [AuthorisationShare] = []) throws -> CeremonySession {
        lock.lock(); defer { lock.unlock() }
        guard ManagementLimits.componentCount.contains(n) else {
            throw CeremonyError(.componentCount, "recovery needs 2 to 9 DMK components, not \(n)")
        }
        try checkNotBusy(nil)
        try checkMayReinitialise(authorising)
        guard confirmErase else {
            throw CeremonyError(.eraseNotConfirmed, "recovery initialisation erases every key in the device; it was not confirmed")
        }
        do { try device.ceremonyErase() } catch {
            throw CeremonyError(.deviceFailure, "the device could not erase its keys: \(error)")
        }
        let id = Hex.string((try? CeremonyCrypto.random(8)) ?? [0])
        let s = CeremonySession(id: id, kind: .recovery, componentCount: n)
        session = s
        audit?("recovery initialisation: device erased, session \(id) expects \(n) DMK components")
        return s
    }

    /// Imports one component (any order). Refuses a duplicate, another ceremony's component,
    /// a component of a set of another size and a bad check value; the session is unchanged then.
    @discardableResult
    public func importComponent(_ component: DMKComponent, session s: CeremonySession) throws -> Int {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        try checkRecovery(s)
        guard s.dmk == nil else { throw CeremonyError(.wrongStep, "the DMK is already combined; choose the authorisation now") }
        guard component.count == s.componentCount else {
            throw CeremonyError(.componentCount, "component \(component.index) is one of \(component.count), but this recovery expects \(s.componentCount) components")
        }
        guard (1...s.componentCount).contains(component.index) else {
            throw CeremonyError(.badRequest, "component index \(component.index) is out of range")
        }
        if let cid = s.ceremonyID, cid != component.ceremonyID {
            throw CeremonyError(.foreignComponent, "component \(component.index) belongs to ceremony \(component.ceremonyID), not to ceremony \(cid) of the components already imported")
        }
        guard s.components[component.index] == nil else {
            throw CeremonyError(.duplicateComponent, "component \(component.index) of ceremony \(component.ceremonyID) is already imported; the same component UKEY must not be imported twice")
        }
        guard component.bytes.count == DMKComponents.keyLength,
              let cv = try? component.bytes.withTemporaryArray({ try DMKComponents.checkValue($0) }),
              CeremonyCrypto.equal(Array(cv.utf8), Array(component.checkValue.uppercased().utf8)) else {
            throw CeremonyError(.componentCheckValue, "component \(component.index) does not match its check value \(component.checkValue)")
        }
        s.ceremonyID = component.ceremonyID
        s.components[component.index] = component
        s.lastActivity = Date()
        audit?("recovery session \(s.id): imported component \(component.index) of \(s.componentCount), ceremony \(component.ceremonyID), check value \(cv)")
        return s.components.count
    }

    /// Combines the DMK from all components; returns its check value (not installed yet).
    public func combine(session s: CeremonySession) throws -> String {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        try checkRecovery(s)
        if s.dmk == nil {
            let missing = (1...s.componentCount).filter { s.components[$0] == nil }
            guard missing.isEmpty else {
                throw CeremonyError(.missingComponent, "cannot combine: \(s.components.count) of \(s.componentCount) components imported, missing \(missing.map(String.init).joined(separator: ", "))")
            }
            var combined = DMKComponents.combine((1...s.componentCount).compactMap { s.components[$0] })
            s.dmk = SecureBytes(combined)
            SecureBytes.wipe(&combined)
            for k in Array(s.components.keys) { s.components[k]?.wipe() }
        }
        s.lastActivity = Date()
        guard let dmk = s.dmk else { throw CeremonyError(.deviceFailure, "combine failed") }
        let cv = try DMKComponents.checkValue(dmk)
        audit?("recovery session \(s.id): DMK combined, check value \(cv)")
        return cv
    }

    /// Finishes a recovery by adopting the authorisation set of an existing authorisation UKEY.
    public func finishSynchronisingAuthorisation(_ share: AuthorisationShare, session s: CeremonySession) throws -> String {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        try checkRecovery(s)
        try checkNothingPending(s)
        guard s.dmk != nil else { throw CeremonyError(.wrongStep, "combine the DMK before choosing the authorisation") }
        try AuthorisationScheme.checkSharesSet(share)
        let cv = try install(share.set, s)
        audit?("recovery session \(s.id): finished, authorisation synchronised from set \(share.set.setID) (\(share.set.threshold)-of-\(share.set.count)), DMK check value \(cv)")
        return cv
    }

    /// Makes a new authorisation set for this device and keeps it PENDING with the combined
    /// DMK: nothing is installed until `commit(session:)`, after the operator's tool has
    /// written the shares into UKEYs. An abort, the connection closing or expiry drops it
    /// (the device stays erased, as confirmed at `beginRecovery`).
    public func prepareNewAuthorisation(threshold k: Int, shares m: Int, session s: CeremonySession) throws -> NewAuthorisation {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        try checkRecovery(s)
        try checkNothingPending(s)
        guard let dmk = s.dmk else { throw CeremonyError(.wrongStep, "combine the DMK before choosing the authorisation") }
        let (set, shares) = try AuthorisationScheme.newSet(threshold: k, count: m)
        let cv = try DMKComponents.checkValue(dmk)
        s.pendingAuthorisation = set
        s.lastActivity = Date()
        audit?("recovery session \(s.id): new authorisation \(k)-of-\(m) set \(set.setID) prepared (not installed yet), DMK check value \(cv); waiting for commit")
        return NewAuthorisation(dmkCheckValue: cv, authorisation: set, shares: shares)
    }

    /// `prepareNewAuthorisation` and `commit` in one call, for in-process callers that keep
    /// the shares in memory (tests).
    public func finishWithNewAuthorisation(threshold k: Int, shares m: Int, session s: CeremonySession) throws -> NewAuthorisation {
        var res = try prepareNewAuthorisation(threshold: k, shares: m, session: s)
        do { res.dmkCheckValue = try commit(session: s).dmkCheckValue } catch {
            res.wipe()
            throw error
        }
        return res
    }

    /// Ends a session without installing anything and zeroes what it held (a pending DMK
    /// included). An original initialisation leaves the device exactly as it was; a recovery
    /// leaves it erased, as confirmed at its beginning.
    public func abort(session s: CeremonySession) {
        lock.lock(); defer { lock.unlock() }
        guard session === s, !s.closed else { return }
        let wasPending = s.pendingAuthorisation != nil
        s.wipe()
        session = nil
        switch s.kind {
        case .original:
            audit?("original initialisation session \(s.id): abandoned before commit; nothing installed, the device is unchanged")
        case .recovery:
            audit?("recovery session \(s.id): abandoned\(wasPending ? " before commit" : ""); nothing installed, the device stays erased")
        }
    }

    // MARK: helpers (lock held)

    private func install(_ set: AuthorisationSet, _ s: CeremonySession) throws -> String {
        guard let dmk = s.dmk else { throw CeremonyError(.wrongStep, "combine the DMK before choosing the authorisation") }
        do { try dmk.withTemporaryArray { try device.ceremonyInstall(dmk: $0, authorisation: set) } } catch {
            throw CeremonyError(.deviceFailure, "the device could not install the combined DMK: \(error)")
        }
        let cv = try DMKComponents.checkValue(dmk)
        s.wipe()
        session = nil
        return cv
    }

    private func liveSession() -> CeremonySession? {
        guard let s = session, !s.closed else { return nil }
        if Date().timeIntervalSince(s.lastActivity) > sessionTimeout {
            let wasPending = s.pendingAuthorisation != nil
            s.wipe()
            session = nil
            audit?("\(s.kind == .original ? "original initialisation" : "recovery") session \(s.id): expired\(wasPending ? " before commit; nothing installed" : "")")
            return nil
        }
        return s
    }

    private func checkNotBusy(_ mine: CeremonySession?) throws {
        if let live = liveSession(), live !== mine {
            throw CeremonyError(.busy, "the device is busy with another ceremony session (\(live.step)); try again when it ends")
        }
    }

    private func checkOwns(_ s: CeremonySession) throws {
        guard !s.closed, session === s else {
            throw CeremonyError(.noSession, "no ceremony session in progress on this connection (it ended, was committed, or belongs to another connection)")
        }
        guard liveSession() === s else {
            throw CeremonyError(.noSession, "the ceremony session expired")
        }
    }

    private func checkRecovery(_ s: CeremonySession) throws {
        guard s.kind == .recovery else {
            throw CeremonyError(.wrongStep, "this session is an original initialisation waiting for commit, not a recovery")
        }
    }

    private func checkNothingPending(_ s: CeremonySession) throws {
        guard s.pendingAuthorisation == nil else {
            throw CeremonyError(.wrongStep, "a new authorisation is already prepared in this session; commit or abort it")
        }
    }

    private func checkMayReinitialise(_ authorising: [AuthorisationShare]) throws {
        guard device.ceremonyIsInitialised else { return }
        guard let set = device.ceremonyAuthorisation else {
            // Only a test-LMK device (public test DMK) is initialised without a set.
            audit?("re-initialising a device that has no authorisation set (test DMK)")
            return
        }
        try AuthorisationScheme.verifyQuorum(authorising, for: set)
    }
}
