import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scriptable HSM stand-in for transport tests (scripted replies, failure injection): POSIX sockets on 127.0.0.1 (or ::1),
/// an ephemeral port, one thread per connection. Every wait is bounded, and `close()`
/// stops everything.
///
/// Commands: `NC` -> `ND00` + DMK check value 16H + version 24A + serial 12A;
/// `B2` length 4H + data -> `B300` + data; `XE` fields -> `XF00` + the same fields (load
/// tests); `XR` + 2 digits -> `XS` + those digits (an HSM error code). Others -> `68`.
public final class FakeHSM: @unchecked Sendable {
    public enum Behaviour: Equatable, Sendable {
        case normal
        /// Reads requests, never answers.
        case silent
        /// Answers with bytes that are not a frame of this protocol.
        case garbage
        /// Closes the connection when a request arrives, without answering.
        case closeOnRequest
        /// Answers with a response code that does not answer the command.
        case wrongResponseCode
        /// Answers with a header that differs from the request's.
        case wrongHeader
        /// Announces a reply body of this many bytes (and sends them).
        case oversize(Int)
        /// Answers `NC` properly, every other command with bytes that are not a frame.
        case garbageExceptNC
    }

    public let headerLength: Int
    public let loopback: String
    public private(set) var port: UInt16 = 0

    private let lock = NSLock()
    private var _behaviour: Behaviour = .normal
    private var _dmk: String
    private var _ncError: String?
    private var _delayMs: Int = 0
    private var _firstNCDelayMs: Int = 0
    private var _script: (@Sendable (String) -> [UInt8])?
    private var listenFD: Int32 = -1
    private var clientFDs: Set<Int32> = []
    private var running = true
    private var _accepted = 0
    private var _requests: [String: Int] = [:]
    private let threads = DispatchGroup()

    public init(dmk: String = "0123456789ABCDEF", headerLength: Int = 0, loopback: String = "127.0.0.1") throws {
        self._dmk = dmk
        self.headerLength = headerLength
        self.loopback = loopback
        try listen()
    }

    deinit { close() }

    public var behaviour: Behaviour {
        get { lock.withLock { _behaviour } }
        set { lock.withLock { _behaviour = newValue } }
    }
    public var dmk: String {
        get { lock.withLock { _dmk } }
        set { lock.withLock { _dmk = newValue } }
    }
    /// When set, `NC` is answered with this error code (e.g. `"13"`).
    public var ncError: String? {
        get { lock.withLock { _ncError } }
        set { lock.withLock { _ncError = newValue } }
    }
    /// Delay before every answer (to keep requests in flight).
    public var delayMs: Int {
        get { lock.withLock { _delayMs } }
        set { lock.withLock { _delayMs = newValue } }
    }
    /// Delay before the first `NC` answer only (a slow answer to the quorum round's `NC`).
    public var firstNCDelayMs: Int {
        get { lock.withLock { _firstNCDelayMs } }
        set { lock.withLock { _firstNCDelayMs = newValue } }
    }
    /// When set (and the behaviour is `.normal`), every command but `NC` is answered with the
    /// request's header and the payload this returns for the command code (response code,
    /// error code, fields): replies well framed but malformed inside.
    public var script: (@Sendable (String) -> [UInt8])? {
        get { lock.withLock { _script } }
        set { lock.withLock { _script = newValue } }
    }
    public var accepted: Int { lock.withLock { _accepted } }
    public func requests(_ command: String) -> Int { lock.withLock { _requests[command] ?? 0 } }
    public var totalRequests: Int { lock.withLock { _requests.values.reduce(0, +) } }
    public var openConnections: Int { lock.withLock { clientFDs.count } }

    // MARK: lifecycle

    /// Closes the listener: new connections are refused. Existing ones stay.
    public func stopListening() {
        lock.lock()
        let fd = listenFD
        listenFD = -1
        lock.unlock()
        // shutdown(2) stops a listening socket at once (refusing new connections) and wakes
        // the accept loop, which closes it. A bare close(2) would leave the socket listening
        // while the loop's poll still holds it.
        if fd >= 0 { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    /// Ends every open connection (the HSM "died" under its clients).
    public func dropConnections() {
        lock.withLock { for fd in clientFDs { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    /// A stopped process: refuses new connections and drops the open ones.
    public func stop() {
        stopListening()
        dropConnections()
    }

    /// Listens again on the same port.
    public func resume() throws {
        for _ in 0..<100 {
            if (try? listen()) != nil { return }
            usleep(10_000)
        }
        try listen()
    }

    /// Stops everything and waits (bounded) for the threads.
    public func close() {
        lock.withLock { running = false }
        stop()
        _ = threads.wait(timeout: .now() + 5)
    }

    private func listen() throws {
        let v6 = loopback.contains(":")
        let fd = socket(v6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        if v6 {
            var a = sockaddr_in6()
            a.sin6_family = sa_family_t(AF_INET6)
            a.sin6_port = port.bigEndian
            inet_pton(AF_INET6, loopback, &a.sin6_addr)
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        } else {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            inet_pton(AF_INET, loopback, &a.sin_addr)
            rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        guard rc == 0, Glibc.listen(fd, 64) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        if port == 0 {
            var ss = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = withUnsafeMutablePointer(to: &ss) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &len) } }
            port = withUnsafePointer(to: &ss) { p -> UInt16 in
                v6 ? p.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
                   : p.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
        }
        lock.withLock { listenFD = fd }
        spawn { [self] in acceptLoop(fd) }
    }

    private func spawn(_ body: @escaping () -> Void) {
        threads.enter()
        let t = Thread { body(); self.threads.leave() }
        t.stackSize = 1 << 20
        t.start()
    }

    private func acceptLoop(_ fd: Int32) {
        defer { Glibc.close(fd) }
        while true {
            let current = lock.withLock { running ? listenFD : -1 }
            guard current == fd else { return }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let c = accept(fd, nil, nil)
            guard c >= 0 else { continue }
            if lock.withLock({ listenFD != fd }) {
                Glibc.close(c)  // accepted in the instant the listener was stopped
                return
            }
            var one: Int32 = 1
            setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            lock.withLock {
                _accepted += 1
                clientFDs.insert(c)
            }
            spawn { [self] in serve(c) }
        }
    }

    // MARK: serving

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { _ = clientFDs.remove(fd) }
            Glibc.close(fd)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while lock.withLock({ running }) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 20)
            if ready == 0 { continue }
            if ready < 0 { return }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[0..<n])
            while buffer.count >= 2 {
                let length = Int(buffer[0]) << 8 | Int(buffer[1])
                guard buffer.count >= 2 + length else { break }
                let body = Array(buffer[2..<(2 + length)])
                buffer.removeFirst(2 + length)
                guard let reply = answer(body) else {
                    if behaviour == .closeOnRequest { return }
                    continue  // silent
                }
                var delay = delayMs
                if body.count >= headerLength + 2, body[headerLength] == 0x4E, body[headerLength + 1] == 0x43 {  // NC
                    delay += lock.withLock { () -> Int in
                        defer { _firstNCDelayMs = 0 }
                        return _firstNCDelayMs
                    }
                }
                if delay > 0 { usleep(useconds_t(delay * 1000)) }
                var off = 0
                while off < reply.count {
                    let w = reply.withUnsafeBytes { send(fd, $0.baseAddress! + off, reply.count - off, Int32(MSG_NOSIGNAL)) }
                    if w <= 0 { return }
                    off += w
                }
            }
        }
    }

    /// The whole reply frame for one request body, or nil for no answer.
    private func answer(_ body: [UInt8]) -> [UInt8]? {
        guard body.count >= headerLength + 2 else { return frame(Array("ZZ15".utf8)) }
        let header = Array(body[0..<headerLength])
        let cmd = String(decoding: body[headerLength..<(headerLength + 2)], as: UTF8.self)
        let fields = Array(body[(headerLength + 2)...])
        let (b, dmk, ncError, script) = lock.withLock { () -> (Behaviour, String, String?, (@Sendable (String) -> [UInt8])?) in
            _requests[cmd, default: 0] += 1
            return (_behaviour, _dmk, _ncError, _script)
        }
        if b == .normal, cmd != "NC", let script { return frame(header + script(cmd)) }
        switch b {
        case .silent, .closeOnRequest: return nil
        case .garbage: return [0x00, 0x06] + Array("GARBAGE, not a reply\r\n".utf8)
        case .garbageExceptNC where cmd != "NC": return [0x00, 0x06] + Array("GARBAGE, not a reply\r\n".utf8)
        case .oversize(let n): return [UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + [UInt8](repeating: 0x41, count: n)
        case .wrongHeader where headerLength > 0:
            return frame([UInt8](repeating: UInt8(ascii: "9"), count: headerLength) + respond(cmd, fields, dmk, ncError))
        case .wrongResponseCode:
            return frame(header + Array("ZZ00".utf8))
        default:
            return frame(header + respond(cmd, fields, dmk, ncError))
        }
    }

    private func respond(_ cmd: String, _ fields: [UInt8], _ dmk: String, _ ncError: String?) -> [UInt8] {
        let bytes = Array(cmd.utf8)
        let rsp = [bytes[0], bytes[1] &+ 1]
        switch cmd {
        case "NC":
            if let e = ncError { return rsp + Array(e.utf8) }
            return rsp + Array("00".utf8) + Array(dmk.utf8) + Array("FAKEHSM-0001".utf8).padded(to: 24)
                + Array("SN0000000001".utf8)
        case "B2":
            guard fields.count >= 4, let n = Int(String(decoding: fields[0..<4], as: UTF8.self), radix: 16),
                  fields.count == 4 + n else { return rsp + Array("15".utf8) }
            return rsp + Array("00".utf8) + fields[4...]
        case "XE":
            return rsp + Array("00".utf8) + fields
        case "XR":
            return rsp + (fields.count >= 2 ? Array(fields[0..<2]) : Array("15".utf8))
        default:
            return rsp + Array("68".utf8)
        }
    }

    private func frame(_ body: [UInt8]) -> [UInt8] {
        [UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }
}

extension Array where Element == UInt8 {
    public func padded(to n: Int) -> [UInt8] { self + [UInt8](repeating: 0x20, count: Swift.max(0, n - count)) }
}
