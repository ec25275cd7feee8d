#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keep-alive settings for pooled connections: first probe after 30 s idle, then every
/// 10 s, dead after 3 unanswered probes (so a vanished HSM is noticed in about a minute,
/// not after the kernel's default two hours).
public enum TCPKeepAlive {
    public static let idleSeconds: Int32 = 30
    public static let intervalSeconds: Int32 = 10
    public static let count: Int32 = 3
}

/// Resolves and connects TCP (IPv4 or IPv6, numeric address or DNS name).
///
/// The whole connect, name resolution included, is bounded by the deadline (`connTimeout`):
/// `HostResolver` converts a numeric address on the caller's thread and looks a name up on
/// a background thread (one lookup per name in flight, answers cached for 30 s, the last
/// known addresses used while the resolver fails or hangs). Each address is then tried in
/// turn with a non-blocking `connect` and `poll` until the deadline.
public struct TCPConnector: StreamConnector {
    public let host: String
    public let port: Int
    public var resolver: HostResolver = .shared

    public init(host: String, port: Int, resolver: HostResolver = .shared) {
        self.host = host
        self.port = port
        self.resolver = resolver
    }

    public func connect(deadline: Deadline) throws -> ByteStream {
        TCPStream(fd: try connectDescriptor(deadline: deadline))
    }

    /// Connects and returns the connected non-blocking socket (TLS runs its handshake on it).
    public func connectDescriptor(deadline: Deadline) throws -> Int32 {
        let addresses = try resolver.resolve(host: host, port: port, deadline: deadline)
        var lastError = "no usable address"
        for address in addresses {
            if deadline.hasPassed { break }
            do {
                return try TCPConnector.open(address, deadline: deadline)
            } catch let f as TransportFailure {
                lastError = f.message
            }
        }
        if deadline.hasPassed && !lastError.contains("timed out") {
            lastError += " (connect timeout reached)"
        }
        throw TransportFailure(.connect, "cannot connect to \(host):\(port): \(lastError)", notSent: true)
    }

    private static func open(_ address: ResolvedAddress, deadline: Deadline) throws -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(address.family, type, address.socketProtocol)
        guard fd >= 0 else { throw TransportFailure(.connect, "socket: \(errnoText())", notSent: true) }
        var ok = false
        defer { if !ok { Glibc.close(fd) } }

        if address.withSockaddr({ Glibc.connect(fd, $0, $1) }) != 0 {
            guard errno == EINPROGRESS || errno == EINTR else {
                throw TransportFailure(.connect, errnoText(), notSent: true)
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            while true {
                let n = poll(&pfd, 1, deadline.remainingPollMilliseconds)
                if n > 0 { break }
                if n == 0 { throw TransportFailure(.connect, "connect timed out", notSent: true) }
                if errno != EINTR { throw TransportFailure(.connect, "poll: \(errnoText())", notSent: true) }
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len) == 0 else {
                throw TransportFailure(.connect, "getsockopt: \(errnoText())", notSent: true)
            }
            guard soError == 0 else { throw TransportFailure(.connect, errnoText(soError), notSent: true) }
        }
        setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        setOption(fd, SOL_SOCKET, SO_KEEPALIVE, 1)
        setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, TCPKeepAlive.idleSeconds)
        setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, TCPKeepAlive.intervalSeconds)
        setOption(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, TCPKeepAlive.count)
        ok = true
        return fd
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }
}

/// The text of an errno value (`strerror`), for messages.
public func errnoText(_ code: Int32 = errno) -> String {
    guard let p = strerror(code) else { return "errno \(code)" }
    return String(cString: p)
}

/// A connected non-blocking TCP socket; every wait goes through `poll` with the deadline.
/// Writes use `MSG_NOSIGNAL`, so a dead peer yields `EPIPE` instead of killing the process.
public final class TCPStream: NonBlockingByteStream {
    private var fd: Int32
    /// A request was just sent and nothing read since: its reply cannot be there yet in
    /// practice, so the first read waits with `poll` before `recv` instead of after an
    /// `EAGAIN` (one system call less per exchange; same deadline, same errors).
    private var replyPending = false

    public init(fd: Int32) { self.fd = fd }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    public func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws {
        guard let base = bytes.baseAddress, fd >= 0 else {
            throw TransportFailure(.io, "connection already closed", notSent: true)
        }
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try waitFor(Int16(POLLOUT), deadline: deadline, timeoutCode: .timeout, notSent: true,
                            what: "sending the request")
                continue
            }
            // The frame never left completely: the HSM cannot have acted on it.
            throw TransportFailure(.io, "send failed: \(errnoText())", notSent: true)
        }
        replyPending = true
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, fd >= 0 else {
            throw TransportFailure(.io, "connection already closed", notSent: false)
        }
        if replyPending {
            replyPending = false
            try waitFor(Int16(POLLIN), deadline: deadline, timeoutCode: .timeout, notSent: false,
                        what: "waiting for the reply")
        }
        while true {
            let n = recv(fd, base, buffer.count, 0)
            if n > 0 { return n }
            if n == 0 { throw TransportFailure(.io, "connection closed by the HSM", notSent: false) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                try waitFor(Int16(POLLIN), deadline: deadline, timeoutCode: .timeout, notSent: false,
                            what: "waiting for the reply")
                continue
            }
            throw TransportFailure(.io, "receive failed: \(errnoText())", notSent: false)
        }
    }

    public var descriptor: Int32 { fd }

    public func sendNow(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard let base = bytes.baseAddress, fd >= 0 else {
            throw TransportFailure(.io, "connection already closed", notSent: true)
        }
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            throw TransportFailure(.io, "send failed: \(errnoText())", notSent: true)
        }
        return offset
    }

    public func receiveNow(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, fd >= 0 else {
            throw TransportFailure(.io, "connection already closed", notSent: false)
        }
        while true {
            let n = recv(fd, base, buffer.count, Int32(MSG_DONTWAIT))
            if n > 0 { return n }
            if n == 0 { throw TransportFailure(.io, "connection closed by the HSM", notSent: false) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
            throw TransportFailure(.io, "receive failed: \(errnoText())", notSent: false)
        }
    }

    private func waitFor(_ events: Int16, deadline: Deadline, timeoutCode: TransportFailure.Code,
                         notSent: Bool, what: String) throws {
        var pfd = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = poll(&pfd, 1, deadline.remainingPollMilliseconds)
            if n > 0 { return }  // readable/writable or error: the next send/recv reports it
            if n == 0 { throw TransportFailure(timeoutCode, "timed out \(what)", notSent: notSent) }
            if errno != EINTR { throw TransportFailure(.io, "poll: \(errnoText())", notSent: notSent) }
        }
    }

    /// An integer socket option (tests check the options set at connect).
    public func intOption(level: Int32, name: Int32) -> Int32? {
        var v: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, level, name, &v, &len) == 0 ? v : nil
    }

    /// The descriptor flags (`FD_CLOEXEC`).
    public var descriptorFlags: Int32 { fcntl(fd, F_GETFD) }

    public func isStale() -> Bool {
        guard fd >= 0 else { return true }
        // An idle connection has no reply pending: anything readable (EOF, reset, stray
        // bytes) means it must not carry another request.
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let n = poll(&pfd, 1, 0)
        return n != 0
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    public func awaitReadable(until deadline: Deadline) -> Bool {
        guard fd >= 0 else { return true }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let n = poll(&pfd, 1, deadline.remainingPollMilliseconds)
            if n > 0 {
                replyPending = false  // it is there: `receive` need not poll again
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return n != 0
        }
    }

    public func interrupt() {
        let d = fd  // read once: the owner may be closing it
        if d >= 0 { _ = Glibc.shutdown(d, Int32(SHUT_RDWR)) }
    }

    public func abandon() {
        // Plain close(2) on TCP sends nothing while the parent still holds the socket open
        // (the kernel connection lives until the last descriptor is closed); no shutdown(2).
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
