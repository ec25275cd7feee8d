/// Where formatted log lines go (a dated file under `logPath`, memory in tests).
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

    public init(categories: LogCategories, sink: LogSink?) {
        self.categories = categories
        self.sink = sink
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

    public func error(_ m: @autoclosure () -> String) { log(.error, m()) }
    public func warn(_ m: @autoclosure () -> String) { log(.warn, m()) }
    public func info(_ m: @autoclosure () -> String) { log(.info, m()) }
    public func debug(_ m: @autoclosure () -> String) { log(.debug, m()) }
    public func trace(_ m: @autoclosure () -> String) { log(.trace, m()) }
}
