// An exclusive advisory lock on the directory that holds a file (flock(2) on the directory),
// held while a UKEY is read, checked and rewritten, so two processes (or threads) opening
// the same UKEY at once cannot both read the same try counter and each count one wrong PIN
// as if the other had not happened, and two writers cannot both create the same UKEY.
// The lock covers every UKEY in that directory; openings are rare and short.
import Foundation
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

enum DirectoryLock {
    /// Runs `body` holding an exclusive lock on the directory containing `path`.
    static func withLock<T>(around path: String, _ body: () throws -> T) throws -> T {
        let dir = (path as NSString).deletingLastPathComponent
        let target = dir.isEmpty ? "." : dir
        let fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CeremonyError(.ukeyIO, "cannot open directory \(target): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw CeremonyError(.ukeyIO, "cannot lock directory \(target): \(String(cString: strerror(errno)))")
            }
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}
