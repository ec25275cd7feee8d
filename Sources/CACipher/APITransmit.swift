#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

// Raw commands through the group, and per-member status.

@_cdecl("CACipher_Transmit")
public func CACipher_Transmit(_ h: OpaquePointer?, _ cmd: UnsafePointer<UInt8>?, _ cmdLen: Int,
                              _ rsp: UnsafeMutableRawPointer?, _ rspLen: UnsafeMutablePointer<Int>?) -> Int32 {
    cTyped("CACipher_Transmit") {
        guard let cmd else { throw CACipherError(.invalidArgument, "CACipher_Transmit: cmd is NULL") }
        guard rspLen != nil else { throw CACipherError(.invalidArgument, "CACipher_Transmit: rspLen is NULL") }
        guard cmdLen >= 2, cmdLen <= 65_535 else {
            throw CACipherError(.invalidArgument, "CACipher_Transmit: cmdLen \(cmdLen) is out of range (2 to 65535)")
        }
        let client = try Instances.resolve(h, "CACipher_Transmit")
        let reply = try client.transmit(Array(UnsafeBufferPointer(start: cmd, count: cmdLen)))
        return try CBuffer.copyOut(reply, text: false, rsp, rspLen, "CACipher_Transmit")
    }
}

@_cdecl("CACipher_HostStatus")
public func CACipher_HostStatus(_ h: OpaquePointer?, _ index: Int32, _ out: UnsafeMutableRawPointer?) -> Int32 {
    cCall {
        guard let out else { throw CACipherError(.invalidArgument, "CACipher_HostStatus: out is NULL") }
        let members = try Instances.resolve(h, "CACipher_HostStatus").memberStatus()
        guard index >= 0, Int(index) < members.count else {
            throw CACipherError(.invalidArgument, "CACipher_HostStatus: index \(index) is out of range (0 to \(members.count - 1))")
        }
        HostStatusLayout.write(members[Int(index)], to: out)
        return 0
    }
}

/// Byte offsets of `cacipher_host_status` (include/cacipher.h checks them with
/// `_Static_assert`; change both together, only by using `reserved`).
enum HostStatusLayout {
    static let state = 0
    static let inFlight = 4
    static let completed = 8
    static let failures = 16
    static let ejections = 24
    static let latencyMicros = 32
    static let dmkCheckValue = 40, dmkCheckValueSize = 24
    static let lastError = 64, lastErrorSize = 256
    static let size = 352

    /// `CACIPHER_MEMBER_*`.
    static func code(_ s: MemberState) -> Int32 {
        switch s {
        case .unknown: return 0
        case .up: return 1
        case .ejected: return 2
        case .dmkMismatch: return 3
        case .notInitialized: return 4
        }
    }

    static func write(_ m: MemberStatus, to p: UnsafeMutableRawPointer) {
        memset(p, 0, size)
        p.storeBytes(of: code(m.state), toByteOffset: state, as: Int32.self)
        p.storeBytes(of: Int32(clamping: m.inFlight), toByteOffset: inFlight, as: Int32.self)
        p.storeBytes(of: Int64(m.completed), toByteOffset: completed, as: Int64.self)
        p.storeBytes(of: Int64(m.failures), toByteOffset: failures, as: Int64.self)
        p.storeBytes(of: Int64(m.ejections), toByteOffset: ejections, as: Int64.self)
        p.storeBytes(of: m.latencyMicros, toByteOffset: latencyMicros, as: Double.self)
        HostInfoLayout.text(m.dmkCheckValue ?? "", p + dmkCheckValue, dmkCheckValueSize)
        HostInfoLayout.text(m.lastError ?? "", p + lastError, lastErrorSize)
    }
}
