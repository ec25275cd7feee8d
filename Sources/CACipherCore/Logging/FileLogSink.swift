#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HSMNet
import Synchronization

/// Writes log lines to `<directory>/cacipher-YYYYMMDD.log` (local date), starting a new
/// file when the date changes, or (`Naming.fixed`, the vendor C API's `TassHsmApi.log`) to
/// one file of a fixed name, renamed aside when it reaches a size. Each line is
/// `YYYY-MM-DD HH:MM:SS.mmm [category] [tid] message` and goes out in one `write(2)` on a
/// file opened with `O_APPEND`, so lines from many threads (and processes) never mix.
public final class FileLogSink: LogSink, @unchecked Sendable {
    public let directory: String
    public let naming: Naming

    /// How the log file is named.
    public enum Naming: Sendable, Equatable {
        /// `cacipher-YYYYMMDD.log`, a new file each day.
        case daily
        /// One file `name` (the vendor C library's `TassHsmApi.log`). Before a line is
        /// written to it at or past `rotateBytes`, it is renamed to `<name><HH:MM:SS>` (the
        /// vendor's rule) and a new one started; a file renamed or removed by another
        /// process is reopened by name.
        case fixed(String, rotateBytes: Int)
    }

    private struct State {
        var fd: Int32
        var day: Int32
    }
    private let state: PThreadLocked<State>

    /// Opens (creates or appends to) today's file.
    ///
    /// - Parameter createMissing: create a directory that does not exist yet (mode 0750,
    ///   less the umask; its missing parents too). Off for `cacipher.ini`, whose `logPath`
    ///   must exist (a missing one is a clear init error); on for the vendor's C API, whose
    ///   library initialised whatever its `logpath` was.
    /// - Throws: `CACipherError(.logSetup)` when the directory does not exist (or, with
    ///   `createMissing`, cannot be created), is not a directory, or the file cannot be
    ///   created there.
    ///   - naming: `.daily` (`cacipher-YYYYMMDD.log`) or `.fixed` (one file of that name).
    public init(directory: String, createMissing: Bool = false, naming: Naming = .daily) throws {
        guard !directory.isEmpty else { throw CACipherError(config: .logPathUnusable, "log directory (logPath) is empty") }
        var st = stat()
        if createMissing, stat(directory, &st) != 0, errno == ENOENT, let failed = FileLogSink.createDirectories(directory) {
            throw CACipherError(config: .logPathUnusable, "log directory '\(ConfigText.shown(directory, limit: 200))' (logPath) cannot be used: cannot create '\(ConfigText.shown(failed.path, limit: 200))': \(ConfigText.errnoText(failed.errno))")
        }
        guard stat(directory, &st) == 0 else {
            let e = errno
            if e == ENOENT {
                throw CACipherError(config: .logPathUnusable, "log directory '\(ConfigText.shown(directory, limit: 200))' (logPath) does not exist: create it (writable by this process) or set logPath to an existing directory")
            }
            throw CACipherError(config: .logPathUnusable, "log directory '\(ConfigText.shown(directory, limit: 200))' (logPath) cannot be used: \(ConfigText.errnoText(e))")
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw CACipherError(config: .logPathUnusable, "log directory '\(ConfigText.shown(directory, limit: 200))' (logPath) is not a directory")
        }
        self.directory = directory
        self.naming = naming
        let now = LogClock.now()
        let fd = try FileLogSink.openFile(FileLogSink.path(directory, now, naming))
        state = PThreadLocked(State(fd: fd, day: now.dayKey), forkRank: .logSink)
    }

    /// Permissions of the directories `init` creates (before the umask).
    static let directoryMode: mode_t = 0o750

    /// `mkdir -p`: creates `directory` and the parents it lacks. Returns nil on success,
    /// else the path that could not be created and the `errno`.
    static func createDirectories(_ directory: String) -> (path: String, errno: Int32)? {
        let bytes = Array(directory.utf8)
        // Every prefix that ends before a '/' (the root and repeated slashes skipped), then
        // the whole path.
        var prefixes: [String] = []
        for i in bytes.indices where bytes[i] == UInt8(ascii: "/") && i > 0 && bytes[i - 1] != UInt8(ascii: "/") {
            prefixes.append(String(decoding: bytes[0..<i], as: UTF8.self))
        }
        if bytes.last != UInt8(ascii: "/") { prefixes.append(directory) }
        for p in prefixes {
            if mkdir(p, directoryMode) == 0 { continue }
            let e = errno
            if e == EEXIST { continue }   // there already (whether it is a directory is checked by the next step)
            return (p, e)
        }
        return nil
    }

    deinit {
        state.withLock { s in
            if s.fd >= 0 { Glibc.close(s.fd); s.fd = -1 }
        }
    }

    /// The file name for a day: `cacipher-YYYYMMDD.log`.
    public static func fileName(year: Int32, month: Int32, day: Int32) -> String {
        "cacipher-" + LogClock.pad(year, 4) + LogClock.pad(month, 2) + LogClock.pad(day, 2) + ".log"
    }

    static func path(_ directory: String, _ t: LogClock.Stamp, _ naming: Naming = .daily) -> String {
        let sep = directory.hasSuffix("/") ? "" : "/"
        switch naming {
        case .daily: return directory + sep + fileName(year: t.year, month: t.month, day: t.day)
        case .fixed(let name, _): return directory + sep + name
        }
    }

    static func openFile(_ p: String) throws -> Int32 {
        let fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CACipherError(config: .logPathUnusable, "cannot open log file '\(ConfigText.shown(p, limit: 240))': \(ConfigText.errnoText(errno))")
        }
        return fd
    }

    public func write(_ category: LogCategories, _ message: String) {
        write(category, message, at: LogClock.now())
    }

    /// `write` at a given time (tests use it to cross midnight).
    func write(_ category: LogCategories, _ message: String, at t: LogClock.Stamp) {
        var line: [UInt8] = []
        line.reserveCapacity(48 + message.utf8.count)
        line.append(contentsOf: t.text.utf8)
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: category.keyword.utf8)
        line.append(contentsOf: "] [".utf8)
        line.append(contentsOf: String(LogClock.threadID()).utf8)
        line.append(contentsOf: "] ".utf8)
        // One record per line: control characters in a message become spaces.
        for b in message.utf8 { line.append(b < 0x20 && b != 0x09 ? 0x20 : b) }
        line.append(0x0A)

        state.withLock { s in
            switch naming {
            case .daily:
                if s.day != t.dayKey || s.fd < 0 {
                    if let fd = try? FileLogSink.openFile(FileLogSink.path(directory, t)) {
                        if s.fd >= 0 { Glibc.close(s.fd) }
                        s.fd = fd
                        s.day = t.dayKey
                    }
                }
            case .fixed(_, let rotateBytes):
                reopenOrRotate(&s.fd, FileLogSink.path(directory, t, naming), rotateBytes: rotateBytes, t)
            }
            guard s.fd >= 0 else { return }
            line.withUnsafeBytes { buf in
                guard let base = buf.baseAddress else { return }
                var off = 0
                while off < buf.count {
                    let n = Glibc.write(s.fd, base + off, buf.count - off)
                    if n < 0 { if errno == EINTR { continue }; return }
                    if n == 0 { return }
                    off += n
                }
            }
        }
    }
}

extension FileLogSink {
    /// For `.fixed`: reopens the file by name when the open one is no longer there under it
    /// (renamed or removed, by another process's rotation for instance), and renames it to
    /// `<path><HH:MM:SS>` first when it has `rotateBytes` or more. Called under the lock.
    func reopenOrRotate(_ fd: inout Int32, _ path: String, rotateBytes: Int, _ t: LogClock.Stamp) {
        var byName = stat()
        var open = stat()
        let named = stat(path, &byName) == 0
        if fd >= 0, named, fstat(fd, &open) == 0, open.st_ino == byName.st_ino, open.st_dev == byName.st_dev {
            guard Int(byName.st_size) >= rotateBytes else { return }
            _ = rename(path, path + LogClock.pad(t.hour, 2) + ":" + LogClock.pad(t.minute, 2) + ":" + LogClock.pad(t.second, 2))
        } else if fd < 0, named, Int(byName.st_size) >= rotateBytes {
            _ = rename(path, path + LogClock.pad(t.hour, 2) + ":" + LogClock.pad(t.minute, 2) + ":" + LogClock.pad(t.second, 2))
        }
        guard let new = try? FileLogSink.openFile(path) else { return }
        if fd >= 0 { Glibc.close(fd) }
        fd = new
    }
}

/// Wall-clock time for log lines (local time), without Foundation.
enum LogClock {
    struct Stamp {
        var year, month, day, hour, minute, second, millisecond: Int32
        var dayKey: Int32 { year * 10000 + month * 100 + day }
        /// `YYYY-MM-DD HH:MM:SS.mmm`
        var text: String {
            pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(hour, 2) + ":" + pad(minute, 2)
                + ":" + pad(second, 2) + "." + pad(millisecond, 3)
        }
    }

    static func now() -> Stamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var secs = ts.tv_sec
        var tmv = tm()
        localtime_r(&secs, &tmv)
        return Stamp(year: tmv.tm_year + 1900, month: tmv.tm_mon + 1, day: tmv.tm_mday, hour: tmv.tm_hour,
                     minute: tmv.tm_min, second: tmv.tm_sec, millisecond: Int32(ts.tv_nsec / 1_000_000))
    }

    static func pad(_ v: Int32, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// The kernel thread id (what `top -H` and `gdb` show).
    static func threadID() -> Int32 { cacipher_gettid() }
}

/// glibc's `gettid` (2.30+) is declared only under `_GNU_SOURCE`, which Glibc's module map
/// does not set; bind the symbol directly.
@_silgen_name("gettid")
private func cacipher_gettid() -> Int32
