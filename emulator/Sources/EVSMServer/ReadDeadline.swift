// The deadlines of one TLS connection served by a blocking-style thread (`HostTLSServer`,
// `ManagementServer`; the socket is non-blocking and waits are `poll` calls, see
// `DeadlineTLS`): while waiting for a frame, `idle` seconds for its first byte; from the
// first byte seen on the socket on, `frame` seconds for the whole frame (a slowloris
// client, a stalled partial frame, also one trickling a TLS record byte by byte). A write
// may wait `idle` seconds for the peer to read. 0 switches a limit off.
#if canImport(Glibc)
import Glibc
#endif

struct ReadDeadline {
    enum Phase { case waiting, inFrame, fixed }

    let fd: Int32
    let idle: Double
    let frame: Double
    private(set) var phase = Phase.waiting
    /// Monotonic seconds when the current phase ends (.infinity: never).
    private var until = Double.infinity

    init(fd: Int32, idle: Double, frame: Double) {
        self.fd = fd
        self.idle = idle
        self.frame = frame
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The next frame is awaited: the idle timeout runs.
    mutating func awaitFrame() {
        phase = .waiting
        until = idle > 0 ? Self.now() + idle : .infinity
    }

    /// One fixed deadline `seconds` from now that bytes do not move (the TLS handshake).
    mutating func fixed(_ seconds: Double) {
        phase = .fixed
        until = seconds > 0 ? Self.now() + seconds : .infinity
    }

    /// Bytes of the frame arrived: from the first of them the frame deadline runs.
    mutating func gotBytes() {
        guard phase == .waiting else { return }
        phase = .inFrame
        until = frame > 0 ? Self.now() + frame : .infinity
    }

    /// Milliseconds left for poll (-1: no limit), nil when the deadline has passed.
    private func millisecondsLeft(until: Double) -> Int32? {
        if until == .infinity { return -1 }
        let left = until - Self.now()
        guard left > 0 else { return nil }
        return Int32(min(left * 1000 + 1, Double(Int32.max)))
    }

    /// Waits until the socket is readable or the deadline passes; true when readable
    /// (bytes, EOF or an error to read). Readable while waiting for a frame starts the frame.
    mutating func waitReadable() -> Bool {
        while true {
            guard let ms = millisecondsLeft(until: until) else { return false }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, ms)
            if r > 0 {
                gotBytes()
                return true
            }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return true }  // let the read report the error
        }
    }

    /// Waits until the socket takes bytes, at most `idle` seconds (a peer that does not read).
    func waitWritable() -> Bool {
        let limit = idle > 0 ? Self.now() + idle : Double.infinity
        while true {
            guard let ms = millisecondsLeft(until: limit) else { return false }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let r = poll(&p, 1, ms)
            if r > 0 { return true }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return true }
        }
    }

    /// Why the connection ends when a wait said no.
    var expiredReason: String {
        switch phase {
        case .waiting: return "idle for \(idle) s (--idle-timeout)"
        case .inFrame: return "a frame was still incomplete \(frame) s after its first byte (--frame-timeout)"
        case .fixed: return "the TLS handshake did not complete in time"
        }
    }
}
