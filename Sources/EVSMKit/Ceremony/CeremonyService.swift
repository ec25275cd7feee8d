// The device side of the DMK ceremony: original initialisation (one step) and recovery
// initialisation (a session: begin with erase, import components, combine, then synchronise
// or make new authorisation). One ceremony session at a time per device.
//
// Every refusal leaves the device as it was; the only state change before the end of a
// recovery is the erase the operator confirmed when beginning it.
import Foundation
import HostProtocol

/// Result of an original initialisation: what the operator's tool writes into UKEYs.
public struct OriginalInitialisation: Sendable {
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

/// A recovery in progress. Held by the one connection that began it.
public final class RecoverySession: @unchecked Sendable {
    public let id: String
    public let componentCount: Int
    fileprivate var ceremonyID: String?
    fileprivate var components: [Int: DMKComponent] = [:]
    fileprivate var dmk: [UInt8]?
    fileprivate var lastActivity: Date
    fileprivate var closed = false

    fileprivate init(id: String, componentCount: Int) {
        self.id = id
        self.componentCount = componentCount
        self.lastActivity = Date()
    }

    fileprivate func wipe() {
        for k in Array(components.keys) { components[k]?.wipe() }
        components.removeAll()
        if dmk != nil { CeremonyCrypto.zero(&dmk!) }
        dmk = nil
        closed = true
    }

    var step: String {
        if dmk != nil { return "combined, waiting for the authorisation choice" }
        return "importing components (\(components.count) of \(componentCount))"
    }
}

public final class CeremonyService: @unchecked Sendable {
    public let device: CeremonyDevice
    /// A session idle for longer than this may be taken over by another operator.
    public var sessionTimeout: TimeInterval
    /// Audit lines (no secret values). Called with the service's lock held: keep it quick.
    public var audit: ((String) -> Void)?

    private let lock = NSLock()
    private var session: RecoverySession?

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
    /// `threshold`-of-`shares` authorisation set, erases the device and installs the DMK.
    /// An initialised device first needs its current authorisation quorum in `authorising`.
    public func originalInitialise(components n: Int, threshold k: Int, shares m: Int, confirmErase: Bool,
                                   authorising: [AuthorisationShare] = []) throws -> OriginalInitialisation {
        lock.lock(); defer { lock.unlock() }
        guard (2...9).contains(n) else {
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
        defer { CeremonyCrypto.zero(&dmk) }
        let ceremonyID = Hex.string((try? CeremonyCrypto.random(8)) ?? [])
        guard ceremonyID.count == 16 else { throw CeremonyError(.deviceFailure, "random generator failure") }
        var comps = try DMKComponents.split(dmk: dmk, count: n, ceremonyID: ceremonyID)
        var (set, shares) = try AuthorisationScheme.newSet(threshold: k, count: m)
        let cv = try DMKComponents.checkValue(dmk)
        do {
            try device.ceremonyInstall(dmk: dmk, authorisation: set)
        } catch {
            for i in comps.indices { comps[i].wipe() }
            for i in shares.indices { shares[i].wipe() }
            throw CeremonyError(.deviceFailure, "the device could not install the new DMK: \(error)")
        }
        audit?("original initialisation: ceremony \(ceremonyID), \(n) DMK components, authorisation \(k)-of-\(m) set \(set.setID), DMK check value \(cv)")
        return OriginalInitialisation(ceremonyID: ceremonyID, dmkCheckValue: cv, components: comps,
                                      authorisation: set, shares: shares)
    }

    // MARK: recovery initialisation

    /// Erases the device (confirmed) and opens a recovery session expecting `components` components.
    public func beginRecovery(components n: Int, confirmErase: Bool,
                              authorising: [AuthorisationShare] = []) throws -> RecoverySession {
        lock.lock(); defer { lock.unlock() }
        guard (2...9).contains(n) else {
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
        let s = RecoverySession(id: id, componentCount: n)
        session = s
        audit?("recovery initialisation: device erased, session \(id) expects \(n) DMK components")
        return s
    }

    /// Imports one component (any order). Refuses a duplicate, another ceremony's component,
    /// a component of a set of another size and a bad check value; the session is unchanged then.
    @discardableResult
    public func importComponent(_ component: DMKComponent, session s: RecoverySession) throws -> Int {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
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
              let cv = try? DMKComponents.checkValue(component.bytes),
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
    public func combine(session s: RecoverySession) throws -> String {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        if s.dmk == nil {
            let missing = (1...s.componentCount).filter { s.components[$0] == nil }
            guard missing.isEmpty else {
                throw CeremonyError(.missingComponent, "cannot combine: \(s.components.count) of \(s.componentCount) components imported, missing \(missing.map(String.init).joined(separator: ", "))")
            }
            s.dmk = DMKComponents.combine((1...s.componentCount).compactMap { s.components[$0] })
            for k in Array(s.components.keys) { s.components[k]?.wipe() }
        }
        s.lastActivity = Date()
        guard let dmk = s.dmk else { throw CeremonyError(.deviceFailure, "combine failed") }
        let cv = try DMKComponents.checkValue(dmk)
        audit?("recovery session \(s.id): DMK combined, check value \(cv)")
        return cv
    }

    /// Finishes a recovery by adopting the authorisation set of an existing authorisation UKEY.
    public func finishSynchronisingAuthorisation(_ share: AuthorisationShare, session s: RecoverySession) throws -> String {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        guard let dmk = s.dmk else { throw CeremonyError(.wrongStep, "combine the DMK before choosing the authorisation") }
        try AuthorisationScheme.checkSharesSet(share)
        let cv = try install(dmk, share.set, s)
        audit?("recovery session \(s.id): finished, authorisation synchronised from set \(share.set.setID) (\(share.set.threshold)-of-\(share.set.count)), DMK check value \(cv)")
        return cv
    }

    /// Finishes a recovery with a new authorisation set for this device.
    public func finishWithNewAuthorisation(threshold k: Int, shares m: Int, session s: RecoverySession) throws -> NewAuthorisation {
        lock.lock(); defer { lock.unlock() }
        try checkOwns(s)
        guard let dmk = s.dmk else { throw CeremonyError(.wrongStep, "combine the DMK before choosing the authorisation") }
        var (set, shares) = try AuthorisationScheme.newSet(threshold: k, count: m)
        let cv: String
        do { cv = try install(dmk, set, s) } catch {
            for i in shares.indices { shares[i].wipe() }
            throw error
        }
        audit?("recovery session \(s.id): finished, new authorisation \(k)-of-\(m) set \(set.setID), DMK check value \(cv)")
        return NewAuthorisation(dmkCheckValue: cv, authorisation: set, shares: shares)
    }

    /// Ends a session without installing anything (the device stays erased).
    public func abort(session s: RecoverySession) {
        lock.lock(); defer { lock.unlock() }
        guard session === s, !s.closed else { return }
        s.wipe()
        session = nil
        audit?("recovery session \(s.id): abandoned; the device stays erased")
    }

    // MARK: helpers (lock held)

    private func install(_ dmk: [UInt8], _ set: AuthorisationSet, _ s: RecoverySession) throws -> String {
        do { try device.ceremonyInstall(dmk: dmk, authorisation: set) } catch {
            throw CeremonyError(.deviceFailure, "the device could not install the combined DMK: \(error)")
        }
        let cv = try DMKComponents.checkValue(dmk)
        s.wipe()
        session = nil
        return cv
    }

    private func liveSession() -> RecoverySession? {
        guard let s = session, !s.closed else { return nil }
        if Date().timeIntervalSince(s.lastActivity) > sessionTimeout {
            s.wipe()
            session = nil
            audit?("recovery session \(s.id): expired")
            return nil
        }
        return s
    }

    private func checkNotBusy(_ mine: RecoverySession?) throws {
        if let live = liveSession(), live !== mine {
            throw CeremonyError(.busy, "the device is busy with another ceremony session (\(live.step)); try again when it ends")
        }
    }

    private func checkOwns(_ s: RecoverySession) throws {
        guard !s.closed, session === s else {
            throw CeremonyError(.noSession, "no recovery session in progress on this connection")
        }
        guard liveSession() === s else {
            throw CeremonyError(.noSession, "the recovery session expired")
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
