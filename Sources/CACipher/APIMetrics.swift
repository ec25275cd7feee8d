#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

// Live group state for operators: the metrics text, the state-change callback, and the
// raw transmit with a per-call deadline.

@_cdecl("CACipher_TransmitTimeout")
public func CACipher_TransmitTimeout(_ h: OpaquePointer?, _ cmd: UnsafePointer<UInt8>?, _ cmdLen: Int,
                                     _ rsp: UnsafeMutableRawPointer?, _ rspLen: UnsafeMutablePointer<Int>?,
                                     _ timeoutMs: Int32) -> Int32 {
    cTyped("CACipher_TransmitTimeout") {
        guard let cmd else { throw CACipherError(.invalidArgument, "CACipher_TransmitTimeout: cmd is NULL") }
        guard rspLen != nil else { throw CACipherError(.invalidArgument, "CACipher_TransmitTimeout: rspLen is NULL") }
        guard cmdLen >= 2, cmdLen <= 65_535 else {
            throw CACipherError(.invalidArgument, "CACipher_TransmitTimeout: cmdLen \(cmdLen) is out of range (2 to 65535)")
        }
        guard timeoutMs >= 1 else {
            throw CACipherError(.invalidArgument, "CACipher_TransmitTimeout: timeoutMs \(timeoutMs) must be at least 1")
        }
        let client = try Instances.resolve(h, "CACipher_TransmitTimeout")
        let payload = Array(UnsafeBufferPointer(start: cmd, count: cmdLen))
        let reply = try client.withDeadline(milliseconds: Int(timeoutMs)) { try client.transmit(payload) }
        return try CBuffer.copyOut(reply, text: false, rsp, rspLen, "CACipher_TransmitTimeout")
    }
}

@_cdecl("CACipher_MetricsText")
public func CACipher_MetricsText(_ h: OpaquePointer?, _ buf: UnsafeMutableRawPointer?, _ len: UnsafeMutablePointer<Int>?) -> Int32 {
    cCall {
        guard len != nil else { throw CACipherError(.invalidArgument, "CACipher_MetricsText: len is NULL") }
        let text = try Instances.resolve(h, "CACipher_MetricsText").metricsText()
        return try CBuffer.copyOut(Array(text.utf8), text: true, buf, len, "CACipher_MetricsText")
    }
}

/// `void (*)(void *user, int member, int oldState, int newState)`.
public typealias CACipherStateCallback = @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, Int32) -> Void

/// The caller's `user` pointer, handed back untouched on the notifier thread.
private struct UserPointer: @unchecked Sendable { let raw: UnsafeMutableRawPointer? }

@_cdecl("CACipher_SetStateCallback")
public func CACipher_SetStateCallback(_ h: OpaquePointer?, _ callback: CACipherStateCallback?,
                                      _ user: UnsafeMutableRawPointer?) -> Int32 {
    cCall {
        let client = try Instances.resolve(h, "CACipher_SetStateCallback")
        guard let callback else {
            client.group.stateObserver.setCallback(nil)
            return 0
        }
        let u = UserPointer(raw: user)
        client.group.stateObserver.setCallback { change in
            callback(u.raw, Int32(clamping: change.index), HostStatusLayout.code(change.from), HostStatusLayout.code(change.to))
        }
        return 0
    }
}
