import Foundation
import HSMCrypto
import HostProtocol

/// The emulated HSM. Thread-safe: state changes take a lock; command handlers work on an
/// immutable snapshot of the derived keys, so commands run in parallel.
///
/// A factory-fresh device (no DMK) answers every host command except `NC` and `B2` with
/// error `13`. `install(dmk:authorisation:)` erases every stored key, loads the DMK,
/// derives the storage keys and persists everything atomically.
public final class Device: @unchecked Sendable {
    public let mode: DeviceMode
    /// metrics: commands, error replies and connections (`evsm --metrics-port`).
    public let metrics = DeviceMetrics()
    /// Firmware version string reported by `NC` (24A).
    public static let version = "EVSM-1.0 cacipher"

    /// Guards `state`, `keys` and `storedByIndex`; held only to read or swap them, never
    /// across the state file's save.
    fileprivate let lock = NSLock()
    /// Serialises changes of the persisted state (`commit`): held across the save (a write and
    /// fsync of the sealed file), so a command that only reads never waits for the disk.
    private let writeLock = NSLock()
    private let memory: SecureMemory?
    private var state: PersistedState
    fileprivate var keys: StorageKeys?
    /// `state.keys` by index and kind (rebuilt on every change): a stored-key lookup is O(1).
    private var storedByIndex: [StoredKeySlot: StoredKey] = [:]

    /// - Parameters:
    ///   - stateDirectory: where the sealed state lives; `nil` keeps everything in memory.
    ///   - mode: `.normal` (LMKs derived from the DMK) or `.testLMK` (public test LMKs;
    ///     a fresh test device starts initialised with the fixed test DMK).
    public init(stateDirectory: String?, mode: DeviceMode) throws {
        self.mode = mode
        memory = try stateDirectory.map { try SecureMemory(directory: $0) }
        if let loaded = try memory?.load() {
            state = loaded
            state.mode = mode
            storedByIndex = Self.index(loaded.keys)
            if let d = loaded.dmk { keys = try StorageKeys(dmk: d, mode: mode) }
        } else {
            state = PersistedState(mode: mode, serial: Device.makeSerial())
            if mode == .testLMK {
                state.dmk = SecureBytes(TestLMK.testDMK)
                keys = try StorageKeys(dmk: state.dmk!, mode: mode)
                try persist()
            }
        }
    }

    static func makeSerial() -> String {
        let r = (try? Prim.random(6)) ?? [0, 0, 0, 0, 0, 0]
        return Hex.string(r)
    }

    // MARK: - State

    public var isInitialised: Bool { lock.withLock { keys != nil } }

    /// 16H: the first 8 bytes of 3DES-ECB(DMK, 0^8), or nil when not initialised.
    public var dmkCheckValue: String? { lock.withLock { keys.map { Hex.string($0.dmkCheckValue) } } }

    public var authorisation: AuthorisationRecord? { lock.withLock { state.authorisation } }

    /// The 12-character serial number `NC` reports (random per state, kept across restarts).
    public var serial: String { lock.withLock { state.serial } }

    /// Erases every stored key, installs `dmk` (16 bytes), derives all storage keys, stores
    /// `authorisation` and persists atomically. On failure the device is left as it was.
    public func install(dmk: [UInt8], authorisation: AuthorisationRecord) throws {
        guard dmk.count == 16 else { throw DeviceError.invalidDMK }
        let held = SecureBytes(dmk)
        let newKeys = try StorageKeys(dmk: held, mode: mode)
        try commit { current, _ in
            var next = current
            next.dmk = held
            next.authorisation = authorisation
            next.keys = []
            return (next, newKeys)
        }
    }

    public func replaceAuthorisation(_ a: AuthorisationRecord) throws {
        try commit { current, keys in
            guard keys != nil else { throw DeviceError.notInitialised }
            var next = current
            next.authorisation = a
            return (next, keys)
        }
    }

    /// Back to factory-fresh: no DMK, no authorisation, no stored keys.
    public func erase() throws {
        try commit { current, _ in (PersistedState(mode: mode, serial: current.serial), nil) }
    }

    private func persist() throws { try memory?.save(state) }

    /// Changes the persisted state: `make` gets the current state and keys and returns the
    /// next; the next state is saved (outside `lock`), then swapped in. Changes are serialised
    /// by `writeLock`; a failed save leaves the device as it was.
    private func commit(_ make: (PersistedState, StorageKeys?) throws -> (PersistedState, StorageKeys?)) throws {
        try writeLock.withLock {
            let (current, currentKeys) = lock.withLock { (state, keys) }
            let (next, nextKeys) = try make(current, currentKeys)
            try memory?.save(next)
            let index = Self.index(next.keys)
            lock.withLock {
                state = next
                keys = nextKeys
                storedByIndex = index
            }
        }
    }

    private static func index(_ keys: [StoredKey]) -> [StoredKeySlot: StoredKey] {
        var d: [StoredKeySlot: StoredKey] = [:]
        d.reserveCapacity(keys.count)
        for k in keys { d[StoredKeySlot(index: k.index, kind: k.kind)] = k }
        return d
    }

    // MARK: - Stored keys (K indexes)

    /// Symmetric keys, RSA pairs and SM2 pairs have index spaces of their own, as in the
    /// vendor's HSM (its test program stores one of each at index 1 and uses all three): the
    /// key of `kind` at `index`; when there is none, another kind's key there (so the caller
    /// answers `27`, key type not permitted, as before), else nil (`12`). O(1).
    func storedKey(_ index: Int, kind: StoredKey.Kind) -> StoredKey? {
        lock.withLock {
            if let k = storedByIndex[StoredKeySlot(index: index, kind: kind)] { return k }
            for other in StoredKey.Kind.byOrder where other != kind {
                if let k = storedByIndex[StoredKeySlot(index: index, kind: other)] { return k }
            }
            return nil
        }
    }

    /// Puts a key at an index of its kind's space (replacing the key of that kind there) and persists.
    func store(_ key: StoredKey) throws {
        var key = key
        if key.storedAt == nil { key.storedAt = StoredKey.timestamp() }
        try commit { current, keys in
            var next = current
            next.keys.removeAll { $0.index == key.index && $0.kind == key.kind }
            next.keys.append(key)
            next.keys.sort { ($0.index, $0.kind.order) < ($1.index, $1.kind.order) }
            return (next, keys)
        }
    }

    /// Labels of the stored keys by index (no key material); where several kinds share an
    /// index, the symmetric key's label, else the RSA pair's (the order keys are kept in).
    public var storedKeyLabels: [Int: String] {
        lock.withLock { Dictionary(state.keys.map { ($0.index, $0.label) }, uniquingKeysWith: { first, _ in first }) }
    }

    /// Labels of the stored keys of one kind by index (no key material).
    func storedKeyLabels(kind: StoredKey.Kind) -> [Int: String] {
        lock.withLock { Dictionary(state.keys.filter { $0.kind == kind }.map { ($0.index, $0.label) }, uniquingKeysWith: { first, _ in first }) }
    }

    // MARK: - Host commands

    /// Answers one host command. Never throws and never traps: every failure is an error code.
    public func handle(_ request: HostRequest) -> HostResponse {
        let r = answer(request)
        metrics.record(command: request.command, error: r.error)  // metrics:
        return r
    }

    private func answer(_ request: HostRequest) -> HostResponse {
        let rsp = request.command.responseCode
        guard let handler = Handlers.table[request.command] else {
            return HostResponse(header: request.header, code: rsp, error: .commandNotSupported, fields: [])
        }
        let snapshot: StorageKeys? = lock.withLock { keys }
        let ctx = HandlerContext(device: self, keys: snapshot)
        if snapshot == nil && !handler.worksUninitialised {
            return HostResponse(header: request.header, code: rsp, error: .notInitialised, fields: [])
        }
        do {
            let out = try handler.run(ctx, request.fields)
            return HostResponse(header: request.header, code: rsp, error: out.code, fields: out.fields[...])
        } catch let f as HostFailure {
            return HostResponse(header: request.header, code: rsp, error: f.code, fields: [])
        } catch let f as FieldError {
            return HostResponse(header: request.header, code: rsp, error: f.hostError, fields: [])
        } catch {
            return HostResponse(header: request.header, code: rsp, error: .internalError, fields: [])
        }
    }

    /// Whether answering `body` (a request frame body) may block its thread for long: a
    /// command that takes a time with no useful bound (`EI` RSA key generation) or, on a
    /// device with a state directory, one that may store a key (a write and fsync of the state
    /// file). A server runs such a request where it does not hold up other connections. False
    /// for anything unreadable or unknown (answered at once with an error).
    public func mayBlock(body: [UInt8], headerLength: Int) -> Bool {
        guard body.count >= headerLength + 2,
              let c = CommandCode(wire: body[headerLength], body[headerLength + 1]),
              let h = Handlers.table[c] else { return false }
        return h.runsLong || (h.writesState && memory != nil)
    }

    /// Convenience for tests and tools: a frame body in, a frame body out (never throws).
    public func handle(body: [UInt8], headerLength: Int) -> [UInt8] {
        var out: [UInt8] = []
        do {
            let req = try HostRequest(body: body, headerLength: headerLength)
            handle(req).encodeBody(into: &out)
        } catch {
            Device.errorBody(for: body, headerLength: headerLength).encodeBody(into: &out)
        }
        return out
    }

    /// The reply to a body that does not parse as a request: header echoed where present, the
    /// command's response code where readable (else `ZZ`), error 15.
    public static func errorBody(for body: [UInt8], headerLength: Int) -> HostResponse {
        let h = Array(body.prefix(headerLength))
        var code = CommandCode("ZZ")
        if body.count >= headerLength + 2, let c = CommandCode(wire: body[headerLength], body[headerLength + 1]) {
            code = c.responseCode
        }
        return HostResponse(header: h, code: code, error: .invalidInput, fields: [])
    }
}

extension Device {
    /// The derived keys (tests and in-process tools inside EVSMKit only).
    func currentKeysForTests() throws -> StorageKeys {
        guard let k = lock.withLock({ keys }) else { throw DeviceError.notInitialised }
        return k
    }

    /// `clear` under this device's LMK as a key field of `type` and `scheme`: the one place
    /// the tests of both packages (EVSMKitTests, CACipherCoreTests) build keys under the LMK.
    /// Not reachable from any port; a test hook, as its name says.
    public func keyUnderLMKForTests(_ clear: [UInt8], type: KeyType, scheme: KeyScheme) throws -> KeyField {
        .encrypted(scheme: scheme, material: try LMKCipher.encrypt(try currentKeysForTests(), clear: clear, type: type, scheme: scheme))
    }

    /// The installed DMK (the wipe tests watch its storage; nothing else reads it).
    func currentDMKForTests() -> SecureBytes? { lock.withLock { state.dmk } }
}
