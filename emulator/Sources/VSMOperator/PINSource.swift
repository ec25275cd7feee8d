// Where vsmctl gets UKEY PINs: a terminal prompt without echo, a file descriptor
// (`--pin-fd N`) or an environment variable (`--pin-env VAR`), newline-separated, one PIN
// per UKEY in the order the command asks for them. Never from the command line.
import Foundation
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

/// Where the operator's UKEY PINs come from (see the top of this file).
public final class PINSource {
    enum Origin {
        case terminal
        case list(String)
    }

    private var origin: Origin
    /// PINs not handed out yet; each is moved out when handed out (a SecureBytes: zeroed
    /// when its last holder lets go).
    private var pins: [SecureBytes] = []
    private var next = 0

    /// PINs from file descriptor `fd`, environment variable `env`, or (neither) the terminal.
    public init(fd: Int32?, env: String?) throws {
        if fd != nil && env != nil {
            throw CeremonyError(.badRequest, "give --pin-fd or --pin-env, not both")
        }
        if let fd {
            var all = SecureBytes()
            var buf = [UInt8](repeating: 0, count: 4096)
            var rounds = 0
            while rounds < 1024 {
                rounds += 1
                let n = read(fd, &buf, buf.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                all.append(contentsOf: buf[0..<n])
            }
            SecureBytes.wipe(&buf)
            guard rounds > 0, !all.isEmpty else { throw CeremonyError(.badRequest, "no PINs could be read from file descriptor \(fd)") }
            pins = Self.split(all)
            origin = .list("file descriptor \(fd)")
        } else if let env {
            guard let v = getenv(env) else { throw CeremonyError(.badRequest, "environment variable \(env) is not set") }
            let all = SecureBytes(UnsafeBufferPointer(start: UnsafeRawPointer(v).assumingMemoryBound(to: UInt8.self), count: strlen(v)))
            pins = Self.split(all)
            origin = .list("environment variable \(env)")
        } else {
            origin = .terminal
        }
    }

    /// One PIN per line (LF or CRLF); a last line without a newline counts.
    static func split(_ all: SecureBytes) -> [SecureBytes] {
        var out: [SecureBytes] = []
        var cur = SecureBytes()
        for i in 0..<all.count {
            let b = all[i]
            if b == 0x0A {
                if !cur.isEmpty, cur[cur.count - 1] == 0x0D { cur.removeLast() }
                out.append(cur)
                cur = SecureBytes()
            } else {
                cur.append(b)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// The next PIN. `isNew`: a PIN for a UKEY being written (asked twice on a terminal).
    public func pin(_ prompt: String, _ isNew: Bool) throws -> SecureBytes {
        switch origin {
        case let .list(name):
            guard next < pins.count else {
                throw CeremonyError(.badRequest, "\(name) holds \(pins.count) PINs, but more are needed (\(prompt))")
            }
            let p = pins[next]
            pins[next] = SecureBytes()
            next += 1
            return p
        case .terminal:
            var first = try Terminal.readSecret(prompt + ": ")
            defer { SecureBytes.wipe(&first) }
            if isNew {
                var again = try Terminal.readSecret("repeat the " + prompt + ": ")
                defer { SecureBytes.wipe(&again) }
                guard first == again else {
                    throw CeremonyError(.badRequest, "the two PINs differ")
                }
            }
            return SecureBytes(first)
        }
    }
}

/// The controlling terminal: secrets read without echo, yes/no questions.
public enum Terminal {
    /// Reads a line from /dev/tty with echo off.
    public static func readSecret(_ prompt: String) throws -> [UInt8] {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else {
            throw CeremonyError(.badRequest, "no terminal to ask for PINs; use --pin-fd N or --pin-env VAR")
        }
        defer { close(fd) }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var old = termios()
        let haveTermios = tcgetattr(fd, &old) == 0
        if haveTermios {
            var raw = old
            raw.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(fd, TCSAFLUSH, &raw)
        }
        defer {
            if haveTermios { _ = tcsetattr(fd, TCSAFLUSH, &old) }
            _ = write(fd, "\n", 1)
        }
        var out: [UInt8] = []
        var c: UInt8 = 0
        var count = 0
        while count < 256 {
            count += 1
            let n = read(fd, &c, 1)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 || c == 0x0A { break }
            if c != 0x0D { out.append(c) }
        }
        c = 0
        return out
    }

    /// Asks a yes/no question on the terminal.
    public static func confirm(_ question: String) -> Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let q = question + " Type 'yes' to go on: "
        _ = q.withCString { write(fd, $0, strlen($0)) }
        var line: [UInt8] = []
        var c: UInt8 = 0
        while line.count < 64, read(fd, &c, 1) == 1, c != 0x0A { line.append(c) }
        return String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() == "yes"
    }
}
