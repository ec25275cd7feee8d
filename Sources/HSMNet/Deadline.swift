#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time on the monotonic clock (immune to wall-clock changes), in nanoseconds.
/// Its members are `@inlinable`: the call path of the library reads the clock several times
/// per command, and a call into this module for each read showed in `make perf`.
public struct Deadline: Comparable, Sendable {
    public let nanoseconds: Int64

    /// The point `nanoseconds` on the monotonic clock.
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Now on `CLOCK_MONOTONIC`.
    @inlinable public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    @inlinable public static var now: Deadline { Deadline(nanoseconds: nowNanoseconds()) }

    /// `ms` milliseconds from now (negative values count as 0, absurd ones as a year).
    @inlinable public static func after(milliseconds ms: Int) -> Deadline {
        let clamped = Int64(min(max(0, ms), 365 * 86_400_000))
        return Deadline(nanoseconds: nowNanoseconds() + clamped * 1_000_000)
    }

    @inlinable public var hasPassed: Bool { Deadline.nowNanoseconds() >= nanoseconds }

    /// Milliseconds left, rounded up, clamped to 0...Int32.max (the `poll` timeout).
    @inlinable public var remainingPollMilliseconds: Int32 {
        let left = nanoseconds - Deadline.nowNanoseconds()
        if left <= 0 { return 0 }
        let ms = (left + 999_999) / 1_000_000
        return ms > Int64(Int32.max) ? Int32.max : Int32(ms)
    }

    @inlinable public static func < (a: Deadline, b: Deadline) -> Bool { a.nanoseconds < b.nanoseconds }
}
