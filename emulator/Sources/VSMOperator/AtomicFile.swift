// Writes a file so that a reader sees either the old or the new content, never a torn one:
// temporary file in the same directory (mode 0600, O_EXCL), write, fsync, rename, fsync dir.
import Foundation
import HostProtocol
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let suffix = (try? Random.bytes(6)).map { Hex.string($0) } ?? String(getpid())
        let tmp = (dir.isEmpty ? "." : dir) + "/." + base + ".tmp-" + suffix
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CeremonyError(.ukeyIO, "cannot create \(tmp): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        _ = fchmod(fd, mode)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p in Glibc.write(fd, p.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = String(cString: strerror(errno)); close(fd)
                throw CeremonyError(.ukeyIO, "cannot write \(tmp): \(e)")
            }
            off += n
        }
        guard fsync(fd) == 0 else {
            let e = String(cString: strerror(errno)); close(fd)
            throw CeremonyError(.ukeyIO, "cannot sync \(tmp): \(e)")
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            throw CeremonyError(.ukeyIO, "cannot rename to \(path): \(String(cString: strerror(errno)))")
        }
        ok = true
        let dfd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw CeremonyError(.ukeyIO, "cannot open \(path)")
        }
        defer { try? fh.close() }
        let data = (try? fh.read(upToCount: limit + 1)) ?? nil
        guard let data else { throw CeremonyError(.ukeyIO, "cannot read \(path)") }
        guard data.count <= limit else { throw CeremonyError(.ukeyFormat, "\(path) is too large to be a UKEY") }
        return [UInt8](data)
    }
}
