import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a program started by this process inherits: `ls -l /proc/self/fd/` run in a child
/// started by `fork` + `execv` (`spawn` false) or `posix_spawn` (true), so a test can check
/// that no descriptor of the library (a socket, a log or configuration file) crosses `exec`.
/// Returns the program's output, or nil when it could not be started or did not finish
/// within 10 s (it is killed then). Call from one thread at a time (the pipe's own ends are
/// made close-on-exec after `pipe`).
public func listChildDescriptors(spawn: Bool) -> String? {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    let path = "/bin/ls"
    let args = [path, "-l", "/proc/self/fd/"]
    var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    if spawn {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, path, &actions, nil, &argv, environ) == 0 else {
            close(fds[0]); close(fds[1]); return nil
        }
    } else {
        pid = fork()
        if pid == 0 {
            // Only async-signal-safe calls until exec.
            _ = dup2(fds[1], 1)
            _ = execv(path, &argv)
            _exit(127)
        }
        guard pid > 0 else { close(fds[0]); close(fds[1]); return nil }
    }
    close(fds[1])
    var output: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    let end = Date().addingTimeInterval(10)
    var p = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
    while Date() < end {
        if poll(&p, 1, 100) <= 0 { continue }
        let n = read(fds[0], &buf, buf.count)
        if n <= 0 { break }
        output += buf[0..<n]
    }
    close(fds[0])
    var status: Int32 = 0
    var exited = false
    for _ in 0..<500 {
        if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
        usleep(10_000)
    }
    if !exited {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return nil
    }
    guard (status & 0x7F) == 0, (status >> 8) & 0xFF == 0 else { return nil }
    return String(decoding: output, as: UTF8.self)
}

/// The targets of a `ls -l /proc/self/fd/` listing, one per descriptor: "socket:[123]",
/// "/a/path", "pipe:[4]".
public func descriptorTargets(_ listing: String) -> [String] {
    listing.split(separator: "\n").compactMap { line in
        guard let r = line.range(of: " -> ") else { return nil }
        return String(line[r.upperBound...])
    }
}
