// A rate limit for the "connection refused" log line of a listener at its connection cap:
// a flood of refused connections gives at most one line a second, which counts the
// refusals since the previous line.
import Foundation

final class RefusalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var refusedSinceLine = 0
    private var lastLine: UInt64 = 0
    private var total = 0
    /// Nanoseconds between two lines.
    let interval: UInt64

    init(interval: UInt64 = 1_000_000_000) { self.interval = interval }

    /// Refusals since this listener started.
    var refusedTotal: Int { lock.withLock { total } }

    /// Counts one refusal; returns how many refusals the line to log now covers, or nil
    /// when no line is due yet.
    func refused() -> Int? {
        let now = DispatchTime.now().uptimeNanoseconds
        return lock.withLock {
            total += 1
            refusedSinceLine += 1
            guard lastLine == 0 || now &- lastLine >= interval else { return nil }
            lastLine = now
            let n = refusedSinceLine
            refusedSinceLine = 0
            return n
        }
    }
}
