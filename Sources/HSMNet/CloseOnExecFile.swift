#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL

/// A whole file read through a descriptor opened close-on-exec (`O_CLOEXEC`), for files a
/// library would otherwise hand to OpenSSL by name (`SSL_CTX_use_PrivateKey_file` and the
/// like open them with `fopen` and no close-on-exec, so a program another thread starts at
/// that moment inherits the file: a TLS private key among them).
enum CloseOnExecFile {
    /// Larger files are refused (no PEM file of a TLS configuration is that large).
    static let maxBytes = 1 << 20

    /// The file's bytes, or the `errno` of the failure (`EFBIG` over `maxBytes`, `EAGAIN`
    /// when it grew while read). The buffer is sized once (no copy left behind by growing);
    /// the caller wipes it when it held a key (`wipe`).
    enum Read {
        case bytes([UInt8])
        case failed(errno: Int32)
    }

    static func read(_ path: String) -> Read {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failed(errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed(errno: errno) }
        guard st.st_size <= maxBytes else { return .failed(errno: EFBIG) }
        let size = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var got = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { b -> Int32? in
            guard let base = b.baseAddress else { return EIO }
            while got < b.count {
                let n = Glibc.read(fd, base + got, b.count - got)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { return nil }
                got += n
            }
            return EAGAIN  // more than fstat said: changed while read
        }
        if let failure {
            wipe(&bytes)
            return .failed(errno: failure)
        }
        bytes.removeLast(bytes.count - got)  // shrinks in place: no copy
        return .bytes(bytes)
    }

    /// Zeroes `bytes` (`OPENSSL_cleanse`).
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { b in
            if let p = b.baseAddress, b.count > 0 { OPENSSL_cleanse(p, b.count) }
        }
    }
}
