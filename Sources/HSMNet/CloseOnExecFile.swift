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

    enum Failure: Error {
        /// The `errno` of the failure (`EFBIG` over `maxBytes`, `EAGAIN` when it grew while read).
        case errno(Int32)
    }

    /// Reads the file into one buffer of its size (allocated once: no copy left behind) and
    /// runs `body` on the bytes; the buffer is zeroed (`OPENSSL_cleanse`) and freed after,
    /// so a key read this way leaves no copy in the library's memory.
    static func withContents<T>(_ path: String, _ body: (UnsafeRawBufferPointer) -> T) -> Result<T, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.errno(errno)) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.errno(errno)) }
        guard st.st_size <= maxBytes else { return .failure(.errno(EFBIG)) }
        let capacity = Int(st.st_size) + 1
        let buf = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer {
            OPENSSL_cleanse(buf, capacity)
            buf.deallocate()
        }
        var got = 0
        while got < capacity {
            let n = read(fd, buf + got, capacity - got)
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.errno(errno))
            }
            if n == 0 { return .success(body(UnsafeRawBufferPointer(start: buf, count: got))) }
            got += n
        }
        return .failure(.errno(EAGAIN))  // more than fstat said: changed while read
    }
}
