import Foundation
import HostProtocol
import HSMNet
#if canImport(Glibc)
import Glibc
#endif

/// A benchmark connection that busy-polls its socket for the reply (up to `spinMicroseconds`,
/// then blocks in `poll`), as a load generator does: the rate it measures is the server's per
/// connection, not the time the client's own (virtual) CPU takes to wake up from idle, which
/// on a VM can cost more than 100 us per reply when each reply takes longer than the
/// hypervisor's halt-polling window (RSA-2048 signatures do). Not a library technique: the
/// library's connections block in `poll` and leave the CPU to the application.
final class SpinningClient {
    let fd: Int32
    static let spinMicroseconds: UInt64 = 5_000

    init?(port: Int) {
        guard let fd = try? TCPConnector(host: "127.0.0.1", port: port)
            .connectDescriptor(deadline: .after(milliseconds: HostBenchmark.timeoutMilliseconds)) else { return nil }
        SocketMode.setNonBlocking(fd, true)
        self.fd = fd
    }

    deinit { close(fd) }

    func sendAll(_ b: [UInt8]) -> Bool {
        var off = 0
        while off < b.count {
            let n = b.withUnsafeBytes { send(fd, $0.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL)) }
            if n > 0 { off += n; continue }
            if n < 0, errno == EAGAIN || errno == EINTR { guard wait(POLLOUT) else { return false }; continue }
            return false
        }
        return true
    }

    /// Reads one reply frame; true when its error code is `00`.
    func readFrame(_ buf: inout [UInt8]) -> Bool {
        guard readExactly(&buf, 0, 2) else { return false }
        let n = FrameCodec.bodyLength(buf[0], buf[1])
        guard n >= 4, n + 2 <= buf.count, readExactly(&buf, 2, n) else { return false }
        return buf[4] == 0x30 && buf[5] == 0x30
    }

    private func readExactly(_ buf: inout [UInt8], _ from: Int, _ count: Int) -> Bool {
        var got = 0
        let spinUntil = DispatchTime.now().uptimeNanoseconds + Self.spinMicroseconds * 1000
        while got < count {
            let r = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + from + got, count - got, Int32(MSG_DONTWAIT)) }
            if r > 0 { got += r; continue }
            if r == 0 { return false }
            guard errno == EAGAIN || errno == EINTR else { return false }
            if DispatchTime.now().uptimeNanoseconds >= spinUntil, !wait(POLLIN) { return false }
        }
        return true
    }

    private func wait(_ events: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        return poll(&p, 1, Int32(HostBenchmark.timeoutMilliseconds)) == 1
    }
}
