#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

// Error texts, version, and what an instance was configured with.

@_cdecl("CACipher_ErrorString")
public func CACipher_ErrorString(_ code: Int32) -> UnsafePointer<CChar> {
    CStrings.errorText(code)
}

@_cdecl("CACipher_LastError")
public func CACipher_LastError() -> UnsafePointer<CChar> {
    LastError.get()
}

/// `CACIPHER_CONFIG_*`: which configuration rule the calling thread's last failure broke
/// (`ConfigErrorKind.rawValue`), 0 if that failure was not a configuration error.
@_cdecl("CACipher_LastErrorKind")
public func CACipher_LastErrorKind() -> Int32 {
    LastError.kind()
}

@_cdecl("CACipher_Version")
public func CACipher_Version() -> UnsafePointer<CChar> {
    CStrings.version
}

@_cdecl("CACipher_HostCount")
public func CACipher_HostCount(_ h: OpaquePointer?) -> Int32 {
    cCall {
        Int32(try Instances.resolve(h, "CACipher_HostCount").hosts.count)
    }
}

@_cdecl("CACipher_HostInfo")
public func CACipher_HostInfo(_ h: OpaquePointer?, _ index: Int32, _ out: UnsafeMutableRawPointer?) -> Int32 {
    cCall {
        guard let out else { throw CACipherError(.invalidArgument, "CACipher_HostInfo: out is NULL") }
        let hosts = try Instances.resolve(h, "CACipher_HostInfo").hosts
        guard index >= 0, Int(index) < hosts.count else {
            throw CACipherError(.invalidArgument, "CACipher_HostInfo: index \(index) is out of range (0 to \(hosts.count - 1))")
        }
        HostInfoLayout.write(hosts[Int(index)], to: out)
        return 0
    }
}

@_cdecl("CACipher_LogPath")
public func CACipher_LogPath(_ h: OpaquePointer?, _ buf: UnsafeMutableRawPointer?, _ len: UnsafeMutablePointer<Int>?) -> Int32 {
    cCall {
        let client = try Instances.resolve(h, "CACipher_LogPath")
        return try CBuffer.copyOut(Array(client.config.logger.path.utf8), text: true, buf, len, "CACipher_LogPath")
    }
}

/// Byte offsets of `cacipher_host_info` (include/cacipher.h checks them with
/// `_Static_assert`; change both together, only by using `reserved`).
enum HostInfoLayout {
    static let host = 0, hostSize = 256
    static let port = 256
    static let linkNum = 260
    static let connTimeoutMs = 264
    static let readTimeoutMs = 268
    static let headerLength = 272
    static let hsmModel = 276, hsmModelSize = 32
    static let socketProtocol = 308, socketProtocolSize = 16
    static let encodeType = 324
    static let tlsVerify = 328
    static let section = 332, sectionSize = 32
    static let size = 396

    static func write(_ h: HostConfig, to p: UnsafeMutableRawPointer) {
        memset(p, 0, size)
        text(h.host, p + host, hostSize)
        p.storeBytes(of: Int32(clamping: h.port), toByteOffset: port, as: Int32.self)
        p.storeBytes(of: Int32(clamping: h.linkNum), toByteOffset: linkNum, as: Int32.self)
        p.storeBytes(of: Int32(clamping: h.connTimeoutMs), toByteOffset: connTimeoutMs, as: Int32.self)
        p.storeBytes(of: Int32(clamping: h.readTimeoutMs), toByteOffset: readTimeoutMs, as: Int32.self)
        p.storeBytes(of: Int32(clamping: h.headerLength), toByteOffset: headerLength, as: Int32.self)
        text(h.hsmModel, p + hsmModel, hsmModelSize)
        text(h.socketProtocol.rawValue, p + socketProtocol, socketProtocolSize)
        p.storeBytes(of: Int32(clamping: h.encodeType), toByteOffset: encodeType, as: Int32.self)
        p.storeBytes(of: Int32(h.tls.verify ? 1 : 0), toByteOffset: tlsVerify, as: Int32.self)
        text(h.section, p + section, sectionSize)
    }

    /// Copies at most `size - 1` bytes and a NUL (the memory is already zeroed).
    static func text(_ s: String, _ p: UnsafeMutableRawPointer, _ size: Int) {
        let bytes = Array(s.utf8.prefix(size - 1))
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress, src.count > 0 { p.copyMemory(from: base, byteCount: src.count) }
        }
    }
}
