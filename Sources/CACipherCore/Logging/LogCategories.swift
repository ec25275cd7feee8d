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

extension LogCategories {
    /// A `logsw` word that names no category.
    public struct UnknownWord: Error, Equatable, Sendable {
        public var word: String
    }

    /// Parses a `logsw` value: keywords separated by `,`, case-insensitive, spaces and tabs
    /// around them allowed, empty items skipped (so `logsw=` switches every category off).
    public static func parse(_ text: String) -> Result<LogCategories, UnknownWord> {
        var result: LogCategories = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let word = ConfigText.lower(String(decoding: ConfigText.trim(Array(raw.utf8)[...]), as: UTF8.self))
            if word.isEmpty { continue }
            guard let c = keywords.first(where: { $0.0 == word })?.1 else {
                return .failure(UnknownWord(word: String(raw).trimmingBlanks))
            }
            result.insert(c)
        }
        return .success(result)
    }

    /// The `logsw` text for these categories (`error,warn`), empty when none.
    public var logsw: String {
        LogCategories.keywords.filter { contains($0.1) }.map(\.0).joined(separator: ",")
    }
}

extension String {
    fileprivate var trimmingBlanks: String {
        String(decoding: ConfigText.trim(Array(utf8)[...]), as: UTF8.self)
    }
}
