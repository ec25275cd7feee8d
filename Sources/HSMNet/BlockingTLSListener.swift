// The listening half shared by the emulator's two blocking TLS servers, `HostTLSServer` (the
// TLS host port) and `ManagementServer` (the management channel): bind + listen on HOST:PORT, and an
// accept loop that polls until told to stop, asks the server whether to admit each new
// connection (its connection cap), closes refused ones and serves each admitted one on its
// own thread. The TLS context, the handshake, the protocol and stopping stay with each
// server.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum BlockingTLSListener {
    /// Why `bindAndListen` failed; `message` gives the servers' texts.
    public enum Failure: Error {
        case resolve
        case socket
        case listen(String)

        /// `address` names what could not be resolved ("the TLS host address", ...).
        public func message(address: String, host: String, port: Int) -> String {
            switch self {
            case .resolve: return "cannot resolve \(address) \(host)"
            case .socket: return "socket() failed"
            case .listen(let reason): return "cannot listen on \(host):\(port): \(reason)"
            }
        }
    }

    /// Resolves `host` (numeric port), opens a close-on-exec stream socket with SO_REUSEADDR,
    /// binds it to HOST:PORT and listens with `backlog`. Returns the socket and the bound
    /// port (an ephemeral one for `port` 0).
    public static func bindAndListen(host: String, port: Int, backlog: Int32) -> Result<(fd: Int32, port: Int), Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else { return .failure(.resolve) }
        defer { freeaddrinfo(res) }
        let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(.socket) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0, listen(fd, backlog) == 0 else {
            let e = errnoText()
            close(fd)
            return .failure(.listen(e))
        }
        var ss = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &ss) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let family = ss.ss_family
        let bound: UInt16 = withUnsafePointer(to: &ss) { p in
            if family == sa_family_t(AF_INET6) {
                return p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        return .success((fd: fd, port: Int(bound)))
    }

    /// Runs on the calling thread until `isStopping()` is true: waits (poll, at most
    /// `pollMilliseconds`) for a connection on `fd`, accepts it (marked close-on-exec when
    /// `closeOnExec`), and asks `admit(c)`. A refused connection is reported through
    /// `refused()` and closed; an admitted one is served by `serve(c)` on a new thread named
    /// `connectionThreadName` (`serve` owns `c` from then on).
    public static func acceptLoop(_ fd: Int32, pollMilliseconds: Int32, closeOnExec: Bool, connectionThreadName: String,
                           isStopping: () -> Bool, admit: (Int32) -> Bool, refused: () -> Void,
                           serve: @escaping @Sendable (Int32) -> Void) {
        while !isStopping() {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, pollMilliseconds) <= 0 { continue }
            let c = accept(fd, nil, nil)
            if c < 0 { continue }
            if closeOnExec { _ = fcntl(c, F_SETFD, FD_CLOEXEC) }
            guard admit(c) else {
                refused()
                close(c)
                continue
            }
            if let t = NativeThread.start(name: connectionThreadName, { serve(c) }) {
                t.detach()
            } else {
                serve(c)  // no thread to be had: served here (the loop waits meanwhile)
            }
        }
    }
}
