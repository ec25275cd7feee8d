#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

// Initialisation, devices and sessions (vendor spec §7, §9.1-§9.5).

/// `SDF_HsmApiInit`: the path of a configuration file, or a `{...}` string. The file may be
/// the vendor's `CfgTassHsmApi.ini` (one host) or a `cacipher.ini` (a group of `[HOSTn]`).
/// The first successful initialisation wins: a later call returns 0 and changes nothing.
@_cdecl("SDF_HsmApiInit")
public func SDF_HsmApiInit(_ path: UnsafeMutablePointer<CChar>?) -> Int32 {
    Compat.run("SDF_HsmApiInit") {
        guard let path else { throw CompatError(HAR.cfgFileNoExist, "no configuration file given (NULL)") }
        return try CompatRuntime.lifecycle.withLock { _ in try initialise(path) }
    }
}

/// The body of `SDF_HsmApiInit`, run under the lifecycle lock so that two racing calls
/// install one configuration.
func initialise(_ path: UnsafeMutablePointer<CChar>) throws -> Int32 {
        if CompatRuntime.isInitialised { return HAR.ok }
        let arg = try Arg.string(path, "configuration", max: 1 << 20)
        let config: CACipherConfig
        do {
            if VendorIni.isBraceForm(arg) {
                config = try ConfigParser.parse(content: String(decoding: arg, as: UTF8.self))
            } else {
                let file = String(decoding: arg, as: UTF8.self)
                // NULL is "no file" (HAR_CFGFILE_NOEXIST, above); an empty path is a file the
                // vendor's fopen cannot open (HAR_CFGFILE_OPEN).
                guard !file.isEmpty else { throw CompatError(HAR.cfgFileOpen, "cannot open configuration file (empty path)") }
                let text = try VendorIni.read(file)
                config = VendorIni.isVendorFormat(text) ? try VendorIni.config(text, path: file) : try ConfigParser.parse(file: file)
            }
        } catch let e as CACipherError {
            throw CompatError(e.code == CACipherError.Code.configFile.rawValue ? HAR.cfgFileOpen : HAR.cfgFileValueInvalid, e.message)
        }
        try CompatRuntime.install(config, fromFile: true)
        return HAR.ok
}

/// `Tass_HsmApiInit`: the older name of `SDF_HsmApiInit`.
@_cdecl("Tass_HsmApiInit")
public func Tass_HsmApiInit(_ path: UnsafeMutablePointer<CChar>?) -> Int32 { SDF_HsmApiInit(path) }

/// `Tass_HsmApiInitByContent`: one HSM given by address, port, timeout (seconds) and log
/// directory; errors only are logged. Unlike `SDF_HsmApiInit` a second call replaces the
/// settings.
@_cdecl("Tass_HsmApiInitByContent")
public func Tass_HsmApiInitByContent(_ ip: UnsafeMutablePointer<CChar>?, _ port: UInt32, _ timeout: UInt32,
                                     _ logPath: UnsafeMutablePointer<CChar>?) -> Int32 {
    Compat.run("Tass_HsmApiInitByContent") {
        let host = String(decoding: try Arg.string(ip, "pcIp", max: 64), as: UTF8.self)
        let dir = String(decoding: try Arg.string(logPath, "pcLogPath", max: 4096), as: UTF8.self)
        guard IPv4.isValid(host) else { throw CompatError(HAR.cfgFileValueInvalid, "pcIp is not a dotted IPv4 address") }
        guard (1...65535).contains(port) else { throw CompatError(HAR.paramValue, "uiPort \(port) is not a TCP port") }
        let seconds = timeout == 0 ? 30 : Int(min(timeout, 3600))
        var c = CACipherConfig()
        c.logger.path = dir.isEmpty ? "./" : dir
        c.logger.categories = .error
        var h = HostConfig(section: "HOST1", host: host, port: Int(port))
        h.connTimeoutMs = seconds * 1000
        h.readTimeoutMs = seconds * 1000
        h.headerLength = CompatRuntime.state.withLock { $0.template.headerLength }
        c.hosts = [h]
        try CompatRuntime.install(c, fromFile: false)
        return HAR.ok
    }
}

/// `IsIpv4Address`: 0 for a dotted IPv4 address, else `HAR_CFGFILE_VALUE_INVALID`.
@_cdecl("IsIpv4Address")
public func IsIpv4Address(_ ip: UnsafePointer<CChar>?) -> Int32 {
    guard let ip, strnlen(ip, 64) < 64 else { return HAR.cfgFileValueInvalid }
    return IPv4.isValid(String(cString: ip)) ? HAR.ok : HAR.cfgFileValueInvalid
}

/// `GetKeyValue`: one key of a vendor configuration file (at most 127 characters of the
/// value are written, then a NUL: the vendor's buffer is 128 bytes).
@_cdecl("GetKeyValue")
public func GetKeyValue(_ file: UnsafeMutablePointer<CChar>?, _ key: UnsafeMutablePointer<CChar>?,
                        _ value: UnsafeMutablePointer<CChar>?) -> Int32 {
    Compat.run("GetKeyValue") {
        guard let file else { throw CompatError(HAR.cfgFileOpen, "pcFileName is NULL") }
        let k = String(decoding: try Arg.string(key, "pcKeyName", max: 127), as: UTF8.self)
        try Out.require((Out.raw(value), "pcKeyValue"))
        let text = try VendorIni.read(String(cString: file))
        let v = Array(try VendorIni.value(text, k).utf8.prefix(127))
        Out.string(value, v)
        return HAR.ok
    }
}

/// Opens a device; `headerLength` nil for the 3-argument form. A device that cannot be
/// reached now is refused (`HAR_SOCK_CONNECT`), as the vendor's open connects at once; for
/// a device served by the group that means no member answered.
func openDevice(_ function: StaticString, _ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
                _ ip: UnsafeMutablePointer<CChar>?, _ port: Int32, headerLength: Int?) -> Int32 {
    Compat.run(function) {
        guard let ph, Ptr.usable(ph) else { throw CompatError(HAR.paramIsNull, "device handle pointer is NULL") }
        let given = String(decoding: try Arg.string(ip, "ipaddr", max: 255), as: UTF8.self)
        guard !given.isEmpty else { throw CompatError(HAR.paramValue, "ipaddr is empty") }
        // As the vendor's connect read it (a trailing newline or blank ends the address).
        let host = IPv4.vendorConnectAddress(given) ?? given
        guard port > 0, port <= 65535 else { throw CompatError(HAR.paramValue, "port \(port) is not a TCP port") }
        let (handle, device) = try CompatRuntime.openDevice(host: host, port: Int(port), headerLength: headerLength)
        do {
            _ = try device.client.deviceInfo()
        } catch let e as CACipherError where !e.isHSMError {
            CompatRuntime.closeDevice(handle)
            throw CompatError(HAR.sockConnect, "cannot reach \(host):\(port): \(e.message)")
        } catch let e as CACipherError {
            // The HSM answered (with an error of its own): it is reachable.
            _ = e
        }
        ph.pointee = UnsafeMutableRawPointer(bitPattern: handle)
        return HAR.ok
    }
}

/// `SDF_OpenDevice` (3 arguments: the vendor's current form, no message header beyond the
/// configured one). include/tass/hsmapi.h maps a 4-argument call to `SDF_OpenDeviceEx`.
@_cdecl("SDF_OpenDevice")
public func SDF_OpenDevice(_ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ ip: UnsafeMutablePointer<CChar>?,
                           _ port: Int32) -> Int32 {
    openDevice("SDF_OpenDevice", ph, ip, port, headerLength: nil)
}

/// The vendor's previous `SDF_OpenDevice` with a message header length (taken modulo 127).
@_cdecl("SDF_OpenDeviceEx")
public func SDF_OpenDeviceEx(_ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ ip: UnsafeMutablePointer<CChar>?,
                             _ port: Int32, _ headerLength: Int32) -> Int32 {
    guard headerLength >= 0 else { return Compat.run("SDF_OpenDevice") { throw CompatError(HAR.paramValue, "iMsgHeadLen \(headerLength) is negative") } }
    return openDevice("SDF_OpenDevice", ph, ip, port, headerLength: Int(headerLength % 127))
}

/// `Tass_OpenDevice`: the first public name of the 4-argument form.
@_cdecl("Tass_OpenDevice")
public func Tass_OpenDevice(_ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ ip: UnsafeMutablePointer<CChar>?,
                            _ port: Int32, _ headerLength: Int32) -> Int32 {
    SDF_OpenDeviceEx(ph, ip, port, headerLength)
}

/// `SDF_CloseDevice`: closes the device; its sessions fail with
/// `HAR_SESSIONHANDLE_INVALID` afterwards. Always 0.
@_cdecl("SDF_CloseDevice")
public func SDF_CloseDevice(_ h: UnsafeMutableRawPointer?) -> Int32 {
    if let h { CompatRuntime.closeDevice(UInt(bitPattern: h)) }
    return HAR.ok
}

@_cdecl("Tass_CloseDevice")
public func Tass_CloseDevice(_ h: UnsafeMutableRawPointer?) -> Int32 { SDF_CloseDevice(h) }

/// `SDF_OpenSession`: a session on an open device (opens nothing: the device's client
/// pools the connections).
@_cdecl("SDF_OpenSession")
public func SDF_OpenSession(_ device: UnsafeMutableRawPointer?, _ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    Compat.run("SDF_OpenSession") {
        guard let device, let h = CompatRuntime.openSession(deviceHandle: UInt(bitPattern: device)) else {
            throw CompatError(HAR.deviceHandleInvalid, "not an open device handle")
        }
        guard let ph, Ptr.usable(ph) else {
            CompatRuntime.closeSession(h)
            throw CompatError(HAR.paramIsNull, "session handle pointer is NULL")
        }
        ph.pointee = UnsafeMutableRawPointer(bitPattern: h)
        return HAR.ok
    }
}

@_cdecl("Tass_OpenSession")
public func Tass_OpenSession(_ device: UnsafeMutableRawPointer?, _ ph: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32 {
    SDF_OpenSession(device, ph)
}

/// `SDF_CloseSession`. Always 0.
@_cdecl("SDF_CloseSession")
public func SDF_CloseSession(_ h: UnsafeMutableRawPointer?) -> Int32 {
    if let h { CompatRuntime.closeSession(UInt(bitPattern: h)) }
    return HAR.ok
}

@_cdecl("Tass_CloseSession")
public func Tass_CloseSession(_ h: UnsafeMutableRawPointer?) -> Int32 { SDF_CloseSession(h) }
