// The deadlines of one TLS connection served by a blocking-style thread (the emulator's
// TLS host port and management port; the socket is non-blocking and waits are `poll` calls,
// see `DeadlineTLS`): while waiting for a frame, `idle` seconds for its first byte; from the
// first byte seen on the socket on, `frame` seconds for the whole frame (a slowloris
// client, a stalled partial frame, also one trickling a TLS record byte by byte). A write
// may wait `idle` seconds for the peer to read. 0 switches a limit off. Times are
// `Deadline`s (the monotonic clock).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct ReadDeadline {
    public enum Phase: Sendable { case waiting, inFrame, fixed }

    public let fd: Int32
    public let idle: Double
    public let frame: Double
    public private(set) var phase = Phase.waiting
    /// When the current phase ends (nil: never).
    private var until: Deadline?

    public init(fd: Int32, idle: Double, frame: Double) {
        self.fd = fd
        self.idle = idle
        self.frame = frame
    }

    /// `seconds` from now; nil (no limit) for 0 or less.
    private static func after(seconds: Double) -> Deadline? {
        seconds > 0 ? .after(milliseconds: Int(min(seconds * 1000, 365 * 86_400_000))) : nil
    }

    /// The next frame is awaited: the idle timeout runs.
    public mutating func awaitFrame() {
        phase = .waiting
        until = Self.after(seconds: idle)
    }

    /// One fixed deadline `seconds` from now that bytes do not move (the TLS handshake).
    public mutating func fixed(_ seconds: Double) {
        phase = .fixed
        until = Self.after(seconds: seconds)
    }

    /// Bytes of the frame arrived: from the first of them the frame deadline runs.
    public mutating func gotBytes() {
        guard phase == .waiting else { return }
        phase = .inFrame
        until = Self.after(seconds: frame)
    }

    /// Milliseconds left for poll (-1: no limit), nil when the deadline has passed.
    private static func millisecondsLeft(until: Deadline?) -> Int32? {
        guard let until else { return -1 }
        let ms = until.remainingPollMilliseconds
        return ms > 0 ? ms : nil
    }

    /// Waits until the socket is readable or the deadline passes; true when readable
    /// (bytes, EOF or an error to read). Readable while waiting for a frame starts the frame.
    public mutating func waitReadable() -> Bool {
        while true {
            guard let ms = Self.millisecondsLeft(until: until) else { return false }
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
    public func waitWritable() -> Bool {
        let limit = Self.after(seconds: idle)
        while true {
            guard let ms = Self.millisecondsLeft(until: limit) else { return false }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let r = poll(&p, 1, ms)
            if r > 0 { return true }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { return true }
        }
    }

    /// Why the connection ends when a wait said no.
    public var expiredReason: String {
        switch phase {
        case .waiting: return "idle for \(idle) s (--idle-timeout)"
        case .inFrame: return "a frame was still incomplete \(frame) s after its first byte (--frame-timeout)"
        case .fixed: return "the TLS handshake did not complete in time"
        }
    }
}
