/// Where formatted log lines go (a dated file under `logPath`, memory in tests, or an
/// application's own sink).
///
/// The library calls `write` on any of its threads and never while it holds a lock the
/// fork handlers take (`ForkSafety`): a sink may take locks of its own, and make them fork
/// safe with its own `pthread_atfork` handler. It must not close the client that logs to it.
public protocol LogSink: AnyObject, Sendable {
    /// Writes one whole line (no trailing newline). Must be safe from many threads.
    func write(_ category: LogCategories, _ line: String)
}

/// The library's logger: category switches checked before any formatting work.
///
/// Messages are `@autoclosure`s: when a category is off, the message is never built.
/// Callers must never pass clear keys, PINs, PIN blocks or DMK material; `trace` frame
/// dumps go through a masking function (see `FrameMasking`).
public final class Log: @unchecked Sendable {
    public let categories: LogCategories
    private let sink: LogSink?
    private let limiter: LogRateLimiter
    private let stateLimiter: LogRateLimiter

    /// State-change lines per key (member) written at once before the rate limit of one
    /// per second applies.
    public static let stateChangeBurst = 6

    public init(categories: LogCategories, sink: LogSink?) {
        self.categories = categories
        self.sink = sink
        self.limiter = LogRateLimiter()
        self.stateLimiter = LogRateLimiter(burst: Log.stateChangeBurst)
    }

    /// A logger whose rate limits (`errorLimited`, `stateChange`) read `clock` (monotonic
    /// nanoseconds) instead of the system's monotonic clock (tests).
    init(categories: LogCategories, sink: LogSink?, clock: @escaping @Sendable () -> Int64) {
        self.categories = categories
        self.sink = sink
        self.limiter = LogRateLimiter(clock: clock)
        self.stateLimiter = LogRateLimiter(burst: Log.stateChangeBurst, clock: clock)
    }

    /// A logger that drops everything.
    public static let off = Log(categories: [], sink: nil)

    @inline(__always)
    public func isEnabled(_ c: LogCategories) -> Bool { categories.contains(c) }

    @inline(__always)
    public func log(_ c: LogCategories, _ message: @autoclosure () -> String) {
        guard categories.contains(c), let sink else { return }
        sink.write(c, message())
    }

    /// Writes a line in category `c` whether or not `c` is switched on (as long as logging
    /// is on at all). For the few lines an operator must see once, such as configuration
    /// warnings, which the default `logsw=error` would otherwise hide.
    public func always(_ c: LogCategories, _ message: @autoclosure () -> String) {
        guard !categories.isEmpty, let sink else { return }
        sink.write(c, message())
    }

    /// Whether `stateChange(c, ...)` writes anything.
    @inline(__always)
    public func isStateChangeEnabled(_ c: LogCategories) -> Bool {
        sink != nil && !categories.isDisjoint(with: c.union(.error))
    }

    /// A change of an HSM's state in its group (ejected, kept in as the last live member,
    /// rejoined, kept out by the DMK guard). Written in category `c` (its tag in the file)
    /// whenever `c` **or `error`** is on, so the default `logsw=error` records state
    /// changes. Rate-limited per `key` (the member's index): `stateChangeBurst` lines at
    /// once, then at most one per second; the next line written ends with
    /// `(N more since the last line)`. So a member that flaps costs a line a second, not
    /// megabytes. Nothing is built when the line is held back.
    public func stateChange(_ c: LogCategories, key: Int32 = 0, _ message: @autoclosure () -> String) {
        guard isStateChangeEnabled(c), let sink else { return }
        guard let held = stateLimiter.admit(key) else { return }
        sink.write(c, held > 0 ? message() + " (\(held) more since the last line)" : message())
    }

    /// An `error` line that may repeat at a high rate (a failed call while the group is
    /// down): at most one line per second per `key`; the next line written for `key` ends
    /// with `(N more since the last line)` when N were held back. Nothing is built when
    /// `error` is off or the line is held back.
    public func errorLimited(key: Int32, _ message: @autoclosure () -> String) {
        guard categories.contains(.error), let sink else { return }
        guard let held = limiter.admit(key) else { return }
        sink.write(.error, held > 0 ? message() + " (\(held) more since the last line)" : message())
    }

    public func error(_ m: @autoclosure () -> String) { log(.error, m()) }
    public func warn(_ m: @autoclosure () -> String) { log(.warn, m()) }
    public func info(_ m: @autoclosure () -> String) { log(.info, m()) }
    public func debug(_ m: @autoclosure () -> String) { log(.debug, m()) }
    public func trace(_ m: @autoclosure () -> String) { log(.trace, m()) }
}
