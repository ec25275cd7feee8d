import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that a reader sees either the old or the new content, never a torn one:
/// a temporary file in the same directory (`.<name>.tmp-<random>`, `O_EXCL`, the final
/// mode from its creation), write, fsync, rename over the target, fsync the directory.
/// On any failure the temporary file is removed and the target is left as it was.
///
/// The one atomic writer of the project (UKEY files, the emulator's sealed state, the
/// management identity).
public enum AtomicFile {
    /// The step that failed; `message` names the file and the system's reason.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Step: Sendable, Equatable { case create, write, sync, rename }
        public let step: Step
        /// The temporary file (create, write, sync) or the target (rename).
        public let path: String
        /// `strerror` of the failure.
        public let reason: String

        /// `cannot create|write|sync <tmp>: <reason>`, `cannot rename to <path>: <reason>`.
        public var message: String {
            switch step {
            case .create: return "cannot create \(path): \(reason)"
            case .write: return "cannot write \(path): \(reason)"
            case .sync: return "cannot sync \(path): \(reason)"
            case .rename: return "cannot rename to \(path): \(reason)"
            }
        }

        public var description: String { message }
    }

    /// Replaces `path` with `bytes` atomically; the file gets `mode` (0600 by default: the
    /// project's files hold secrets or sealed state).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let dir = directory(of: path)
        let tmp = dir + "/." + lastComponent(of: path) + ".tmp-" + uniqueSuffix()
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(step: .create, path: tmp, reason: errnoText()) }
        var renamed = false
        defer { if !renamed { unlink(tmp) } }
        _ = fchmod(fd, mode)  // the umask does not narrow the mode asked for
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p in writeSome(fd, p.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errnoText()
                close(fd)
                throw Failure(step: .write, path: tmp, reason: e)
            }
            off += n
        }
        guard fsync(fd) == 0 else {
            let e = errnoText()
            close(fd)
            throw Failure(step: .sync, path: tmp, reason: e)
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw Failure(step: .rename, path: path, reason: errnoText()) }
        renamed = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// 12 random hex digits (the process id if the random generator fails).
    private static func uniqueSuffix() -> String {
        var r = [UInt8](repeating: 0, count: 6)
        guard RAND_bytes(&r, Int32(r.count)) == 1 else { return String(getpid()) }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in r {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// `write(2)` (at file scope: inside `AtomicFile`, `write` names its own function).
private func writeSome(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
