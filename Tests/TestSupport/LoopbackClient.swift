import Foundation
import HSMNet
import HostProtocol
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client for 127.0.0.1 with receive timeouts (tests only). It connects
/// through HSMNet's `TCPConnector` (the client's own connect), then reads and writes the
/// socket in blocking mode with kernel timeouts, byte by byte as a hostile peer would.
public final class LoopbackClient {
    public let fd: Int32

    public init?(port: Int, timeoutSeconds: Int = 5) {
        let connector = TCPConnector(host: "127.0.0.1", port: port)
        guard let fd = try? connector.connectDescriptor(deadline: .after(milliseconds: timeoutSeconds * 1000)) else { return nil }
        SocketMode.setNonBlocking(fd, false)
        SocketMode.setTimeouts(fd, seconds: timeoutSeconds)
        self.fd = fd
    }

    deinit { close(fd) }

    public func send(raw: [UInt8]) -> Bool {
        var off = 0
        while off < raw.count {
            let n = raw.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, raw.count - off, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// Sends one frame (header + payload).
    public func send(header: [UInt8] = [], payload: [UInt8]) -> Bool {
        var out: [UInt8] = []
        guard (try? FrameCodec.encode(header: header, payload: payload, into: &out)) != nil else { return false }
        return send(raw: out)
    }

    /// Reads exactly `n` bytes, or nil on timeout / close.
    public func read(_ n: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, n - got, 0) }
            if r <= 0 { return nil }
            got += r
        }
        return out
    }

    /// Reads one reply frame body.
    public func readFrame() -> [UInt8]? {
        guard let p = read(2) else { return nil }
        let n = FrameCodec.bodyLength(p[0], p[1])
        return n == 0 ? [] : read(n)
    }

    /// True when the peer closed the connection (read returns 0) within the timeout.
    public func isClosedByPeer() -> Bool {
        var b: UInt8 = 0
        return recv(fd, &b, 1, 0) == 0
    }
}
