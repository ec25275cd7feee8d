import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback peer (127.0.0.1, ephemeral port) that runs a script on every connection it
/// accepts: for the re-send proofs (ha.md #6), which need a member that fails at one exact
/// point of an exchange (on `NC`, half-way through a request frame, after a whole frame).
///
/// Every wait is bounded; `close()` stops the accept loop and every script (scripts poll a
/// stop flag) and waits, bounded, for their threads.
public final class ScriptedPeer: @unchecked Sendable {
    public let port: UInt16
    public let headerLength: Int
    private let listenFD: Int32
    private let script: @Sendable (PeerConnection) -> Void
    private let lock = NSLock()
    private var stopping = false
    private var released = false
    private var _accepted = 0
    private var _commands: [String] = []
    private var _bytes = 0
    private var _shrunk = 0
    /// Scripts that have returned.
    private var finished = 0
    private let threads = DispatchGroup()

    /// - Parameter receiveBuffer: `SO_RCVBUF` set on the listener before `listen`, so every
    ///   accepted connection advertises a small window (a peer that stops reading then
    ///   stalls the sender after a few kilobytes).
    public init(headerLength: Int = 0, receiveBuffer: Int32? = nil, script: @escaping @Sendable (PeerConnection) -> Void) throws {
        self.headerLength = headerLength
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr)
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0, Glibc.listen(fd, 16) == 0, let p = LoopbackAddress.local(fd)?.port else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listenFD = fd
        port = p
        spawn { [self] in acceptLoop() }
    }

    deinit { close() }

    /// Connections accepted so far.
    public var accepted: Int { lock.withLock { _accepted } }
    /// Command codes of the complete request frames received, in order, over all connections.
    public var commands: [String] { lock.withLock { _commands } }
    /// Bytes received over all connections (frames, partial frames and all).
    public var bytesReceived: Int { lock.withLock { _bytes } }
    /// Connections whose client socket had its send buffer shrunk (`shrinkClientSendBuffer`).
    public var shrunk: Int { lock.withLock { _shrunk } }

    /// Lets scripts waiting in `waitForRelease` go on.
    public func release() { lock.withLock { released = true } }

    /// Stops everything and waits (bounded) for the threads.
    public func close() {
        let first: Bool = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        // The accept loop sees the flag within one 20 ms poll and closes the listener itself.
        _ = threads.wait(timeout: .now() + 10)
    }

    /// Waits (bounded) until every script has returned; true when they all did.
    public func waitForScripts(_ seconds: Double = 10) -> Bool {
        waitUntil(seconds) { lock.withLock { finished == _accepted } }
    }

    fileprivate var isStopping: Bool { lock.withLock { stopping } }
    fileprivate var isReleased: Bool { lock.withLock { released || stopping } }
    fileprivate func record(bytes n: Int) { lock.withLock { _bytes += n } }
    fileprivate func record(command: String) { lock.withLock { _commands.append(command) } }
    fileprivate func recordShrunk() { lock.withLock { _shrunk += 1 } }

    private func spawn(_ body: @escaping () -> Void) {
        threads.enter()
        let t = Thread { body(); self.threads.leave() }
        t.stackSize = 1 << 20
        t.start()
    }

    private func acceptLoop() {
        defer { Glibc.close(listenFD) }
        while !isStopping {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 20) > 0 else { continue }
            let c = accept(listenFD, nil, nil)
            guard c >= 0 else { continue }
            lock.withLock { _accepted += 1 }
            let connection = PeerConnection(fd: c, peer: self)
            spawn { [self] in
                script(connection)
                connection.close()
                lock.withLock { finished += 1 }
            }
        }
    }
}

/// One accepted connection, as a script sees it. Every call is bounded in time.
public final class PeerConnection: @unchecked Sendable {
    private var fd: Int32
    private let peer: ScriptedPeer
    private var buffer: [UInt8] = []

    fileprivate init(fd: Int32, peer: ScriptedPeer) {
        self.fd = fd
        self.peer = peer
    }

    /// The accepted socket (blocking), for scripts that speak TLS on it; -1 once closed.
    public var descriptor: Int32 { fd }

    /// Reads one request frame and returns its body without the header (command code and
    /// fields), recording its command code; nil on EOF, error, stop or timeout.
    public func readFrame(timeoutMs: Int = 5000) -> [UInt8]? {
        let end = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < end {
            if buffer.count >= 2 {
                let length = Int(buffer[0]) << 8 | Int(buffer[1])
                if buffer.count >= 2 + length {
                    let body = Array(buffer[2..<(2 + length)])
                    buffer.removeFirst(2 + length)
                    guard body.count >= peer.headerLength + 2 else { return nil }
                    let payload = Array(body[peer.headerLength...])
                    peer.record(command: String(decoding: payload[0..<2], as: UTF8.self))
                    return payload
                }
            }
            guard readSome(until: end) > 0 else { return nil }
        }
        return nil
    }

    /// Reads until at least `count` bytes arrived (kept for `readFrame`); false on EOF,
    /// error, stop or timeout.
    public func readBytes(atLeast count: Int, timeoutMs: Int = 5000) -> Bool {
        let end = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while buffer.count < count {
            guard readSome(until: end) > 0 else { return false }
        }
        return true
    }

    /// Reads and discards until EOF, `idleMs` without data, or `timeoutMs`.
    public func drain(idleMs: Int = 300, timeoutMs: Int = 5000) {
        let end = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < end {
            let idleEnd = min(end, Date().addingTimeInterval(Double(idleMs) / 1000))
            guard readSome(until: idleEnd) > 0 else { return }
            buffer.removeAll()
        }
    }

    /// Answers `NC` with `dmk` (16 hex), a version and a serial, as `FakeHSM` does.
    public func answerNC(dmk: String) {
        write(Array("ND00".utf8) + Array(dmk.utf8) + Array("SCRIPTED-PEER".utf8).padded(to: 24) + Array("SN0000000002".utf8))
    }

    /// Writes one reply frame: length, the header (`0`s), `payload`.
    public func write(_ payload: [UInt8]) {
        let body = [UInt8](repeating: UInt8(ascii: "0"), count: peer.headerLength) + payload
        writeRaw([UInt8(body.count >> 8 & 0xFF), UInt8(body.count & 0xFF)] + body)
    }

    /// Writes bytes as they are (garbage, broken frames).
    public func writeRaw(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count, fd >= 0 {
            let w = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if w <= 0 { return }
            off += w
        }
    }

    /// Aborts the connection: `SO_LINGER` 0 then `close`, so the client gets a reset.
    public func reset() {
        guard fd >= 0 else { return }
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
        fd = -1
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    /// Waits (bounded) until the test calls `ScriptedPeer.release()` or closes the peer,
    /// reading nothing meanwhile.
    public func waitForRelease(timeoutMs: Int = 10_000) {
        waitUntil(Double(timeoutMs) / 1000) { peer.isReleased }
    }

    /// Shrinks the *client's* socket send buffer to the kernel minimum. The client is in this
    /// same test process: its socket is the descriptor whose local address is this
    /// connection's peer address and whose peer address is this connection's local address.
    /// With that and the small window of `receiveBuffer`, a request of tens of kilobytes
    /// cannot leave the client while this side reads nothing: the sender stalls
    /// mid-frame. (Loopback send buffers otherwise grow to megabytes, more than any frame.)
    @discardableResult
    public func shrinkClientSendBuffer() -> Bool {
        guard let clientSide = LoopbackAddress.peer(fd), let serverSide = LoopbackAddress.local(fd),
              let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return false }
        for name in names {
            guard let other = Int32(name), other != fd,
                  LoopbackAddress.local(other) == clientSide, LoopbackAddress.peer(other) == serverSide else { continue }
            var size: Int32 = 1  // the kernel rounds it up to its minimum (about 4.5 KB)
            guard setsockopt(other, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                return false
            }
            peer.recordShrunk()
            return true
        }
        return false
    }

    /// One `poll` + `recv` round, bounded by `end` and the stop flag; bytes read (0: none).
    private func readSome(until end: Date) -> Int {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while fd >= 0, Date() < end, !peer.isStopping {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 20)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            if ready < 0 { return 0 }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return 0 }
            buffer.append(contentsOf: chunk[0..<n])
            peer.record(bytes: n)
            return n
        }
        return 0
    }
}

/// An IPv4 socket address (the peers here are 127.0.0.1 only).
public struct LoopbackAddress: Equatable, Sendable {
    public var address: UInt32
    public var port: UInt16

    public static func local(_ fd: Int32) -> LoopbackAddress? { query(fd, getsockname) }
    public static func peer(_ fd: Int32) -> LoopbackAddress? { query(fd, getpeername) }

    private static func query(_ fd: Int32,
                              _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32)
        -> LoopbackAddress? {
        var a = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, &len) } }
        guard rc == 0, a.sin_family == sa_family_t(AF_INET) else { return nil }
        return LoopbackAddress(address: a.sin_addr.s_addr, port: UInt16(bigEndian: a.sin_port))
    }
}
