#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

/// The output convention of every call that returns bytes or text (include/cacipher.h,
/// "Output buffers"): `buf` is the caller's, `*len` is its capacity on entry and the size
/// of the output on return; a NULL `buf` (or a too-small one) stores the size needed and
/// returns `CACIPHER_E_BUFFER_TOO_SMALL` (for a NULL `buf`: `CACIPHER_OK`).
/// Text is NUL-terminated and the NUL is counted in `*len`.
enum CBuffer {
    /// The capacity rule both copies share: the caller's buffer when it holds `needed` bytes
    /// (with `*len` set to `needed`), nil for a NULL `buf` (size query, `*len` = `needed`);
    /// throws for a NULL `len` or a buffer too small (`*len` = `needed`).
    private static func room(_ needed: Int, _ buf: UnsafeMutableRawPointer?, _ len: UnsafeMutablePointer<Int>?,
                             _ function: String) throws -> UnsafeMutableRawPointer? {
        guard let len else { throw CACipherError(.invalidArgument, "\(function): len is NULL") }
        let had = len.pointee
        len.pointee = needed
        guard let buf else { return nil }
        guard had >= needed else {
            throw CACipherError(.bufferTooSmall, "\(function): buffer of \(had) bytes is too small, \(needed) needed")
        }
        return buf
    }

    static func copyOut(_ bytes: [UInt8], text: Bool, _ buf: UnsafeMutableRawPointer?,
                        _ len: UnsafeMutablePointer<Int>?, _ function: String) throws -> Int32 {
        guard let buf = try room(bytes.count + (text ? 1 : 0), buf, len, function) else { return CACipherError.Code.ok.rawValue }
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress, src.count > 0 { buf.copyMemory(from: base, byteCount: src.count) }
        }
        if text { buf.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self) }
        return CACipherError.Code.ok.rawValue
    }

    /// Like `copyOut(text: true)` for bytes the C API gives as upper-case hex text: the hex
    /// digits are written straight into the caller's buffer (no hex copy on the library's
    /// side to allocate or to leave behind: PIN blocks, PINs under the LMK).
    static func copyOutHex(_ bytes: [UInt8], _ buf: UnsafeMutableRawPointer?,
                           _ len: UnsafeMutablePointer<Int>?, _ function: String) throws -> Int32 {
        guard let buf = try room(bytes.count * 2 + 1, buf, len, function) else { return CACipherError.Code.ok.rawValue }
        let out = buf.assumingMemoryBound(to: UInt8.self)
        Hex.digits.withUnsafeBufferPointer { d in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = d[Int(b >> 4)]
                out[2 * i + 1] = d[Int(b & 0x0F)]
            }
        }
        out[bytes.count * 2] = 0
        return CACipherError.Code.ok.rawValue
    }
}
