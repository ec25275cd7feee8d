/// The `logsw` categories. Each is switched on by its own keyword; they are independent
/// switches, not levels.
public struct LogCategories: OptionSet, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let error = LogCategories(rawValue: 1 << 0)
    public static let warn = LogCategories(rawValue: 1 << 1)
    public static let info = LogCategories(rawValue: 1 << 2)
    public static let debug = LogCategories(rawValue: 1 << 3)
    /// Frame dumps, with secret fields masked.
    public static let trace = LogCategories(rawValue: 1 << 4)

    /// Keyword -> category, as written in `logsw`.
    public static let keywords: [(String, LogCategories)] = [
        ("error", .error), ("warn", .warn), ("info", .info), ("debug", .debug), ("trace", .trace),
    ]

    public var keyword: String {
        LogCategories.keywords.first { $0.1 == self }?.0 ?? "log"
    }
}
