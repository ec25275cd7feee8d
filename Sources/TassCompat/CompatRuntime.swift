#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import CACipherCore
import HostProtocol
import HSMNet

/// A device opened with `SDF_OpenDevice`: the client (host group) its sessions send through.
final class CompatDevice: Sendable {
    let client: CACipherClient
    /// Whether the device made its own client (closed with the device) or uses the group
    /// configured by initialisation (which outlives it).
    let ownsClient: Bool
    let address: String
    init(client: CACipherClient, ownsClient: Bool, address: String) {
        self.client = client
        self.ownsClient = ownsClient
        self.address = address
    }
}

/// A session opened with `SDF_OpenSession` on a device.
final class CompatSession: Sendable {
    let device: CompatDevice
    let deviceHandle: UInt
    init(device: CompatDevice, deviceHandle: UInt) {
        self.device = device
        self.deviceHandle = deviceHandle
    }
}

/// The process-wide state of the vendor-compatible library: the initialisation settings
/// (the group session-less functions use), and every open device and session handle.
///
/// Handles are tokens, not pointers to memory: a counter starting at 0x7A55_0000 and going
/// up by 16, never reused, so a closed or forged handle is looked up, not dereferenced, and
/// fails with `HAR_DEVICEHANDLE_INVALID` / `HAR_SESSIONHANDLE_INVALID`. `state` is held only
/// to look up or change the tables, never across network I/O.
enum CompatRuntime {
    struct State {
        /// The initialisation's client (the group of `SDF_HsmApiInit`, or the one host of
        /// `Tass_HsmApiInitByContent`).
        var initClient: CACipherClient?
        /// Settings a device's own client copies (timeouts, header length, logging).
        var template = DeviceTemplate()
        /// Set by `SDF_HsmApiInit`: a second call changes nothing (the vendor's rule).
        var initialised = false
        var devices: [UInt: CompatDevice] = [:]
        var sessions: [UInt: CompatSession] = [:]
        var nextHandle: UInt = 0x7A55_0000
    }

    /// What a device opened outside the configured group gets.
    struct DeviceTemplate {
        var connTimeoutMs = 5000
        var readTimeoutMs = 30000
        var headerLength = 0
        var logger = LoggerConfig()
        var logSink: LogSink?
        var sinkMade = false
    }

    static let state = PThreadLocked<State>(State(), forkRank: .runtime)
    /// Serialises initialisation and device opening (which may create clients).
    static let lifecycle = PThreadLocked<Int>(0)

    // MARK: - Initialisation

    /// Installs `config` as the initialisation's group. `replace`: a later call overwrites
    /// (`Tass_HsmApiInitByContent`); otherwise the first configuration wins
    /// (`SDF_HsmApiInit`), and a second call returns 0 without reading anything.
    static func install(_ config: CACipherConfig, fromFile: Bool) throws {
        let sink = try makeSink(config.logger)
        var tmpl = DeviceTemplate()
        if let h = config.hosts.first {
            tmpl.connTimeoutMs = h.connTimeoutMs
            tmpl.readTimeoutMs = h.readTimeoutMs
            tmpl.headerLength = h.headerLength
        }
        tmpl.logger = config.logger
        tmpl.logSink = sink
        tmpl.sinkMade = true
        let client = CACipherClient(config: config, logSink: sink)
        let old: CACipherClient? = state.withLock { s in
            let o = s.initClient
            s.initClient = client
            s.template = tmpl
            s.initialised = true
            // The old group stays open while a device still sends through it.
            if let o, s.devices.values.contains(where: { $0.client === o }) { return nil }
            return o
        }
        old?.close()
    }

    /// The vendor library's error log name and the size at which it set the file aside.
    static let logFileName = "TassHsmApi.log"
    static let logRotateBytes = 32 << 20

    static var isInitialised: Bool { state.withLock { $0.initialised } }

    /// The log sink for `logger`: the vendor's `TassHsmApi.log` (renamed to
    /// `TassHsmApi.log<HH:MM:SS>` at 32 MiB, as the vendor's library did) in `TASSDBGENV` when
    /// that is set (the vendor's override), else in `logger.path`; nil when nothing is logged.
    static func makeSink(_ logger: LoggerConfig) throws -> LogSink? {
        if logger.categories.isEmpty { return nil }
        var dir = logger.path
        if let env = getenv("TASSDBGENV"), env.pointee != 0 { dir = String(cString: env) }
        do {
            return try FileLogSink(directory: dir, createMissing: true, naming: .fixed(logFileName, rotateBytes: logRotateBytes))
        } catch {
            throw CompatError(HAR.cfgFileValueInvalid, "log directory \(dir) is missing or not writable")
        }
    }

    // MARK: - Clients

    /// The client session-less functions use: the initialisation's.
    static func initClient(_ function: String) throws -> CACipherClient {
        guard let c = state.withLock({ $0.initClient }) else {
            throw CompatError(HAR.notInitialized, "\(function): no HSM configured (call SDF_HsmApiInit or Tass_HsmApiInitByContent first)")
        }
        return c
    }

    /// The client a session sends through.
    static func sessionClient(_ handle: UnsafeMutableRawPointer?, _ function: String) throws -> CACipherClient {
        guard let handle else { throw CompatError(HAR.sessionHandleInvalid, "\(function): session handle is NULL") }
        let key = UInt(bitPattern: handle)
        guard let s = state.withLock({ $0.sessions[key] }) else {
            throw CompatError(HAR.sessionHandleInvalid, "\(function): not an open session handle")
        }
        guard !s.device.client.isClosed else {
            throw CompatError(HAR.sessionHandleInvalid, "\(function): the session's device has been closed")
        }
        return s.device.client
    }

    /// The log failures are written to: the initialisation's, else one made from the
    /// defaults (errors only, in `TASSDBGENV` or `./`), else none.
    static var log: Log? {
        if let c = state.withLock({ $0.initClient }) { return c.log }
        return fallbackLog
    }
    static let fallbackLog: Log? = fallbackSink.map { Log(categories: .error, sink: $0) }

    // MARK: - Devices and sessions

    static func newHandle(_ s: inout State) -> UInt {
        s.nextHandle &+= 16
        return s.nextHandle
    }

    /// Opens a device for `host:port`. A member of the initialisation's group is served by
    /// the whole group (balancing, failover, DMK guard); any other address gets a client
    /// of its own with the initialisation's timeouts and logging. `headerLength` nil: the
    /// configured one (the 3-argument form).
    static func openDevice(host: String, port: Int, headerLength: Int?) throws -> (UInt, CompatDevice) {
        try lifecycle.withLock { _ in
            let (group, tmpl) = state.withLock { ($0.initClient, $0.template) }
            let device: CompatDevice
            if let group, isMember(group, host: host, port: port, headerLength: headerLength) {
                device = CompatDevice(client: group, ownsClient: false, address: "\(host):\(port)")
            } else {
                var c = CACipherConfig()
                c.logger = tmpl.logger
                var h = HostConfig(section: "HOST1", host: host, port: port)
                h.connTimeoutMs = tmpl.connTimeoutMs
                h.readTimeoutMs = tmpl.readTimeoutMs
                h.headerLength = headerLength ?? tmpl.headerLength
                c.hosts = [h]
                if !tmpl.sinkMade { c.logger.categories = .error }
                let sink = tmpl.sinkMade ? tmpl.logSink : fallbackSink
                device = CompatDevice(client: CACipherClient(config: c, logSink: sink), ownsClient: true,
                                      address: "\(host):\(port)")
            }
            let handle = state.withLock { s -> UInt in
                let h = newHandle(&s)
                s.devices[h] = device
                return h
            }
            return (handle, device)
        }
    }

    /// Before any initialisation: errors only, in `TASSDBGENV` or `./` (the vendor's
    /// defaults); nil when that directory cannot be written.
    static let fallbackSink: LogSink? = {
        var lc = LoggerConfig()
        lc.categories = .error
        return try? makeSink(lc)
    }()

    /// Whether host:port names a member of `group` (and the header length, when the
    /// 4-argument form gives one, is the member's).
    static func isMember(_ group: CACipherClient, host: String, port: Int, headerLength: Int?) -> Bool {
        group.hosts.contains { h in
            h.host == host && h.port == port && (headerLength == nil || headerLength == h.headerLength)
        }
    }

    /// Closes a device: its own client is shut down; sessions on it fail from now on.
    static func closeDevice(_ handle: UInt) {
        let d: CompatDevice? = state.withLock { s in
            guard let d = s.devices.removeValue(forKey: handle) else { return nil }
            for (k, v) in s.sessions where v.deviceHandle == handle { s.sessions.removeValue(forKey: k) }
            return d
        }
        if let d, d.ownsClient { d.client.close() }
    }

    static func device(_ handle: UInt) -> CompatDevice? { state.withLock { $0.devices[handle] } }

    static func openSession(deviceHandle: UInt) -> UInt? {
        state.withLock { s in
            guard let d = s.devices[deviceHandle] else { return nil }
            let h = newHandle(&s)
            s.sessions[h] = CompatSession(device: d, deviceHandle: deviceHandle)
            return h
        }
    }

    @discardableResult
    static func closeSession(_ handle: UInt) -> Bool {
        state.withLock { $0.sessions.removeValue(forKey: handle) != nil }
    }
}
