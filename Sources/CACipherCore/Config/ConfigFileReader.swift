import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a configuration file with plain POSIX calls (the library path has no Foundation).
enum ConfigFileReader {
    /// Refuse anything bigger: a configuration is a few hundred bytes.
    static let maxBytes = 1 << 20
    /// How long a FIFO or pipe may take to deliver the configuration.
    static let waitSeconds = 5

    /// The whole file, or `CACipherError(.configFile)` naming the path and the reason.
    static func read(_ path: String) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO that no process writes to would otherwise block forever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw CACipherError(config: .fileUnreadable, "cannot open configuration file '\(ConfigText.shown(path, limit: 200))': \(ConfigText.errnoText(errno))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw CACipherError(config: .notAFile, "configuration path '\(ConfigText.shown(path, limit: 200))' is a directory, not a file")
        }
        // A FIFO or pipe: wait (bounded) for its data; a writer may open it after us.
        let deadline = Deadline.after(milliseconds: waitSeconds * 1000)
        var mustWait = (st.st_mode & S_IFMT) == S_IFIFO
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            if mustWait {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let r = poll(&pfd, 1, deadline.remainingPollMilliseconds)
                if r < 0, errno == EINTR { continue }
                guard r > 0 else {
                    throw CACipherError(config: .fileUnreadable, "configuration file '\(ConfigText.shown(path, limit: 200))' delivered nothing within \(waitSeconds) s (a FIFO nobody writes to?)")
                }
                mustWait = false
            }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { mustWait = true; continue }
                throw CACipherError(config: .fileUnreadable, "cannot read configuration file '\(ConfigText.shown(path, limit: 200))': \(ConfigText.errnoText(errno))")
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxBytes {
                throw CACipherError(config: .fileUnreadable, "configuration file '\(ConfigText.shown(path, limit: 200))' is larger than \(maxBytes) bytes")
            }
        }
        return out
    }
}
