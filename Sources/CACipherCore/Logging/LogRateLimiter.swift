#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HSMNet
import Synchronization

/// At most `burst` lines at once and then one per interval (1 s) per key, counting the
/// lines it held back (a token bucket; with the default `burst` of 1: one line per interval).
///
/// Used for lines that a failing group could otherwise write thousands of times a second
/// (every failed call when all HSMs are down; the state changes of a flapping member). The
/// decision takes a short lock; nothing is formatted or written while it is held.
final class LogRateLimiter: @unchecked Sendable {
    /// Monotonic nanoseconds. Injectable so tests do not depend on how fast they run.
    typealias Clock = @Sendable () -> Int64

    static let monotonic: Clock = {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private struct Slot {
        var key: Int32
        /// When `credit` was last brought up to date.
        var lastNs: Int64
        var suppressed: Int
        /// Time earned towards lines, in nanoseconds (a line costs one interval), at most
        /// `burst` intervals. Integer: exact at interval boundaries.
        var credit: Int64
    }

    /// Keys beyond this many share one slot (error codes are a small, fixed set).
    static let maxKeys = 32

    private let intervalNs: Int64
    private let maxCredit: Int64
    private let clock: Clock
    private let slots: PThreadLocked<[Slot]>

    init(intervalNs: Int64 = 1_000_000_000, burst: Int = 1, clock: @escaping Clock = LogRateLimiter.monotonic) {
        self.intervalNs = max(0, intervalNs)
        self.maxCredit = self.intervalNs.multipliedReportingOverflow(by: Int64(min(max(1, burst), 1_000_000))).partialValue
        self.clock = clock
        var s: [Slot] = []
        s.reserveCapacity(LogRateLimiter.maxKeys + 1)
        slots = PThreadLocked(s, forkRank: .logLimiter)
    }

    /// Whether a line for `key` may be written now; when it may, also how many lines for
    /// `key` were held back since the last one written. `nil`: hold this one back.
    func admit(_ key: Int32) -> Int? {
        let now = clock()
        return slots.withLock { s -> Int? in
            let i: Int
            if let found = s.firstIndex(where: { $0.key == key }) {
                i = found
            } else if s.count < LogRateLimiter.maxKeys {
                s.append(Slot(key: key, lastNs: now, suppressed: 0, credit: maxCredit))
                return take(&s[s.count - 1], now, first: true)
            } else if let shared = s.firstIndex(where: { $0.key == Int32.min }) {
                i = shared
            } else {
                s.append(Slot(key: Int32.min, lastNs: now, suppressed: 0, credit: maxCredit))
                return take(&s[s.count - 1], now, first: true)
            }
            return take(&s[i], now, first: false)
        }
    }

    private func take(_ slot: inout Slot, _ now: Int64, first: Bool) -> Int? {
        let elapsed = max(0, now - slot.lastNs)
        slot.credit = elapsed >= maxCredit - slot.credit ? maxCredit : slot.credit + elapsed
        slot.lastNs = max(slot.lastNs, now)
        guard first || slot.credit >= intervalNs else {
            slot.suppressed += 1
            return nil
        }
        let held = slot.suppressed
        slot.credit -= intervalNs
        slot.suppressed = 0
        return held
    }
}
