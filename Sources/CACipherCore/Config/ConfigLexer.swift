/// Turns configuration text into sections of `key=value` entries, remembering where each
/// came from. Knows the syntax (both forms), nothing about what keys mean.
struct ConfigLexer {
    /// Where a line came from, for messages: a file line, an INI text line, a `;` item of
    /// a string, or a `;` item of a file written in the string form (path, line and item).
    struct Location: Sendable, CustomStringConvertible {
        var origin: Origin
        /// The line (file and INI text) or the item (string form).
        var number: Int
        /// `.braceFile` only: the file line the item starts on (1-based).
        var line: Int = 0

        enum Origin: Sendable { case file(String), text, braces, braceFile(String) }

        var description: String {
            switch origin {
            case let .file(path): return "\(ConfigText.shown(path, limit: 200)) line \(number)"
            case .text: return "line \(number)"
            case .braces: return "item \(number)"
            case let .braceFile(path): return "\(ConfigText.shown(path, limit: 200)) line \(line) item \(number)"
            }
        }
    }

    struct Entry: Sendable {
        /// Lower-cased key, for matching.
        var key: String
        /// Key as written, for messages.
        var keyWritten: String
        var value: String
        var location: Location
    }

    struct Section: Sendable {
        /// Upper-cased, spaces and tabs removed: `[Host 1]` -> `HOST1`. Empty for the
        /// entries before any header (the flat, section-less form).
        var name: String
        /// As written between the brackets, trimmed.
        var written: String
        var location: Location?
        var entries: [Entry] = []
    }

    /// The sections in order; the first is the section-less part (often empty).
    private(set) var sections: [Section] = []

    /// Lexes INI text (file form): lines end with LF or CRLF.
    static func lexLines(_ bytes: ArraySlice<UInt8>, origin: Location.Origin) throws -> [Section] {
        var lexer = ConfigLexer()
        lexer.sections = [Section(name: "", written: "", location: nil)]
        let body = ConfigText.dropBOM(bytes)
        var number = 0
        for line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            try lexer.take(line, Location(origin: origin, number: number))
        }
        return lexer.sections
    }

    /// Lexes the string form `{...;...}`: `;` (and line ends) separate lines; the closing
    /// `}` and a trailing `;` are optional (also a `;` after the `}`).
    ///
    /// - Parameter file: the path when the text was read from a file: locations then read
    ///   `<path> line L item N`; `nil` (a string given directly): `item N`.
    static func lexBraces(_ bytes: ArraySlice<UInt8>, file: String? = nil) throws -> [Section] {
        var body = ConfigText.trim(ConfigText.dropBOM(bytes))
        if body.first == UInt8(ascii: "{") { body = body.dropFirst() }
        body = ConfigText.trim(body)
        // The closing `}`, also when code that assembles the string put `;` (and blanks)
        // after it (`...;port=8018;};`): those are empty items either way.
        var end = body.endIndex
        while end > body.startIndex, body[end - 1] == 0x3B || ConfigText.isBlank(body[end - 1]) { end -= 1 }
        if end > body.startIndex, body[end - 1] == UInt8(ascii: "}") { body = body[body.startIndex..<(end - 1)] }
        var lexer = ConfigLexer()
        lexer.sections = [Section(name: "", written: "", location: nil)]
        var number = 0
        // File line of the current item: line ends counted from the start of the text
        // (slices keep the indices of `bytes`, so the BOM, `{` and blanks are counted too).
        var line = 1
        var counted = bytes.startIndex
        for item in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == 0x3B || $0 == 0x0A }) {
            number += 1
            guard let path = file else {
                try lexer.take(item, Location(origin: .braces, number: number))
                continue
            }
            for b in bytes[counted..<item.startIndex] where b == 0x0A { line += 1 }
            counted = item.startIndex
            try lexer.take(item, Location(origin: .braceFile(path), number: number, line: line))
        }
        return lexer.sections
    }

    private mutating func take(_ raw: ArraySlice<UInt8>, _ at: Location) throws {
        let line = ConfigText.trim(raw)
        guard let first = line.first else { return }
        if first == UInt8(ascii: "#") { return }
        if first == UInt8(ascii: "{") {
            // The string form read as INI text: something (a comment line, text) came before
            // its `{`. Said so, instead of an unknown key `{[LOGGER];logsw` and "no host".
            // (The line is not shown: it may be a whole configuration, vendor secrets included.)
            throw CACipherError(config: .syntax, "\(at): a line starting with '{' (the {...} string form) inside INI text; the string form must be the whole configuration, with only blanks or a BOM before its '{' (no comment lines)")
        }
        if first == UInt8(ascii: "[") {
            guard line.last == UInt8(ascii: "]"), line.count >= 2 else {
                if line.dropFirst().contains(UInt8(ascii: "]")) {
                    throw CACipherError(config: .syntax, "\(at): section header '\(ConfigText.shown(String(decoding: line, as: UTF8.self)))' has text after its ']' (\(VendorDialect.inlineCommentHint))")
                }
                throw CACipherError(config: .syntax, "\(at): section header '\(ConfigText.shown(String(decoding: line, as: UTF8.self)))' has no closing ']'")
            }
            let inner = ConfigText.trim(line.dropFirst().dropLast())
            let written = String(decoding: inner, as: UTF8.self)
            let name = ConfigText.upper(String(decoding: inner.filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self))
            guard !name.isEmpty else { throw CACipherError(config: .syntax, "\(at): empty section name '[]'") }
            sections.append(Section(name: name, written: written, location: at))
            return
        }
        guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else {
            throw CACipherError(config: .syntax, "\(at): '\(ConfigText.shown(String(decoding: line, as: UTF8.self)))' is neither a [SECTION] header nor a key=value line")
        }
        let keyBytes = ConfigText.trim(line[line.startIndex..<eq])
        let value = String(decoding: ConfigText.trim(line[(eq + 1)...]), as: UTF8.self)
        guard !keyBytes.isEmpty else {
            throw CACipherError(config: .syntax, "\(at): '\(ConfigText.shown(String(decoding: line, as: UTF8.self)))' has no key before '='")
        }
        let written = String(decoding: keyBytes, as: UTF8.self)
        sections[sections.count - 1].entries.append(
            Entry(key: ConfigText.lower(written), keyWritten: written, value: value, location: at))
    }
}
