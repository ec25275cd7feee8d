/// Reads the cacipher configuration (file form or `{...}` string form) into a
/// `CACipherConfig`. The rules are in `docs/config.md`.
///
/// Every failure is a `CACipherError`: `.configFile` when a file cannot be read, `.config`
/// for malformed content, naming the section, key, value and (files) the line.
/// Things that do not stop the parse (unknown keys, a host section after a gap) end up in
/// `CACipherConfig.warnings`.
public enum ConfigParser {
    /// Decides by the first character that is not blank (or a BOM): `{` means the string
    /// form, anything else is a file path.
    public static func parse(fileOrContent: String) throws -> CACipherConfig {
        if ConfigText.isBraceForm(fileOrContent.utf8) { return try parse(content: fileOrContent) }
        return try parse(file: fileOrContent)
    }

    /// Reads and parses a file. A file whose text starts with `{` is read as the string form.
    public static func parse(file path: String) throws -> CACipherConfig {
        guard !path.isEmpty else {
            throw CACipherError(config: .noConfiguration, "no configuration given (empty file path)")
        }
        let bytes = try ConfigFileReader.read(path)
        if ConfigText.isBraceForm(bytes) {
            return try interpret(ConfigLexer.lexBraces(bytes[...], file: path), flatAllowed: false)
        }
        return try interpret(ConfigLexer.lexLines(bytes[...], origin: .file(path)), flatAllowed: true)
    }

    /// Parses configuration text: the `{...;...}` string form, or (when the text does not
    /// start with `{`) INI text with one entry per line, exactly like a file.
    public static func parse(content: String) throws -> CACipherConfig {
        let bytes = Array(content.utf8)
        guard bytes.count <= ConfigFileReader.maxBytes else {
            throw CACipherError(config: .syntax, "configuration text is larger than \(ConfigFileReader.maxBytes) bytes")
        }
        if ConfigText.isBraceForm(bytes) {
            return try interpret(ConfigLexer.lexBraces(bytes[...]), flatAllowed: false)
        }
        return try interpret(ConfigLexer.lexLines(bytes[...], origin: .text), flatAllowed: true)
    }

    // MARK: - Meaning

    typealias Entry = ConfigLexer.Entry
    typealias Section = ConfigLexer.Section

    static let loggerKeys: Set<String> = ["logsw", "logpath"]
    static let groupKeys: Set<String> = ["dmkcheckvalue", "standbycheckinterval", "hedgedelay"]
    static let hostKeys: Set<String> = [
        "hsmmodel", "host", "port", "linknum", "timeout", "conntimeout", "readtimeout", "probetimeout",
        "socketprotocol", "msgheadlength", "msgheadlen", "encodetype", "protocol",
        "tlscafile", "tlscertfile", "tlskeyfile", "tlsservername", "tlsverify",
    ]
    /// Models seen in the vendor's documentation; others are accepted with a warning.
    /// (`EVSM` and `GVSM`, the virtual forms of `EHSM` and `GHSM`, are the vendor's too.)
    public static let knownModels: Set<String> = ["SJJ1310", "SJJ1303", "EHSM", "EVSM", "GHSM", "GVSM", "KMS", "SJY42A_IC"]

    /// Sections that may appear once: a second is `CACIPHER_E_CONFIG` naming both places
    /// (docs/config.md). Host sections are one per number (`[HOST1]` twice is an error too).
    static let singletonSections: Set<String> = Set(["LOGGER", "GROUP"]).union(VendorDialect.sections)

    /// Host sections are `HOST` followed by 1 to 6 digits (`HOST 1` counts as `HOST1`).
    static func hostNumber(_ name: String) -> Int? {
        guard name.hasPrefix("HOST") else { return nil }
        let digits = name.dropFirst(4)
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    static func interpret(_ sections: [Section], flatAllowed: Bool) throws -> CACipherConfig {
        var config = CACipherConfig()
        var hostDrafts: [Int: HostDraft] = [:]
        // Where each section that may appear once ([LOGGER], [GROUP], [TLS], [GLOBAL]) was
        // first seen: a second one is an error (a typo'd copy would otherwise be merged, or
        // override the first, without a word).
        var seenSingletons: [String: ConfigLexer.Location?] = [:]
        // Where each [LOGGER] key (also written before any section) and each [GROUP] key was
        // last set: a key given twice warns, and the last value is used (as in host sections).
        var loggerKeysSeen: [String: ConfigLexer.Location] = [:]
        var groupKeysSeen: [String: ConfigLexer.Location] = [:]
        var flat = HostDraft(section: "", location: nil)
        // `host1=` / `port1=` before any section: the vendor C library's CfgTassHsmApi.ini.
        var sawVendorCIni = false
        var notes = VendorNotes()

        for section in sections {
            let label = section.name.isEmpty ? "(no section)" : "[\(section.written)]"
            if singletonSections.contains(section.name) {
                if let first = seenSingletons[section.name] {
                    throw CACipherError(config: .syntax, "\(section.location.map { "\($0)" } ?? "?"): section [\(section.name)] appears twice (first at \(first.map { "\($0)" } ?? "?"))")
                }
                seenSingletons[section.name] = section.location
            }
            if section.name.isEmpty {
                // Entries before any header: logger keys, or the flat `host=a;b;c` form.
                for e in section.entries {
                    if loggerKeys.contains(e.key) {
                        noteRepeat(e, label, &loggerKeysSeen, &config.warnings)
                        try applyLogger(e, label, &config)
                    } else if hostKeys.contains(e.key) {
                        try flat.apply(e, label, &config.warnings, &notes, multiValue: flatAllowed)
                    } else if VendorDialect.take(e, label, &notes) {
                        continue
                    } else {
                        if vendorCIniKey(e.key) { sawVendorCIni = true }
                        config.warnings.append("\(e.location): unknown key '\(ConfigText.shown(e.keyWritten))' outside any section, ignored")
                    }
                }
            } else if section.name == "LOGGER" {
                for e in section.entries {
                    if loggerKeys.contains(e.key) {
                        noteRepeat(e, label, &loggerKeysSeen, &config.warnings)
                        try applyLogger(e, label, &config)
                    } else if VendorDialect.take(e, label, &notes) {
                        continue
                    } else {
                        config.warnings.append("\(e.location): unknown key '\(ConfigText.shown(e.keyWritten))' in \(label), ignored")
                    }
                }
            } else if section.name == "GROUP" {
                for e in section.entries {
                    if groupKeys.contains(e.key) { noteRepeat(e, label, &groupKeysSeen, &config.warnings) }
                    switch e.key {
                    case "dmkcheckvalue":
                        let v = e.value.uppercased()
                        guard v.utf8.count == 16, v.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) }) else {
                            throw valueError(.badValue, e, label, "dmkCheckValue must be 16 hexadecimal characters")
                        }
                        config.expectedDMKCheckValue = v
                    case "standbycheckinterval":  // metrics: background checks of idle members
                        guard let ms = Int(e.value), (0...3_600_000).contains(ms) else {
                            throw valueError(.badValue, e, label, "standbyCheckInterval must be milliseconds from 0 (off) to 3600000")
                        }
                        config.standbyProbeIntervalMs = ms
                    case "hedgedelay":
                        guard let h = Self.hedgeDelay(e.value) else {
                            throw valueError(.badValue, e, label, "hedgeDelay must be auto, off or a whole number of milliseconds from 1 to 60000 (e.g. 20 or 20ms)")
                        }
                        config.hedgeDelay = h
                    default:
                        if VendorDialect.take(e, label, &notes) { continue }
                        config.warnings.append("\(e.location): unknown key '\(ConfigText.shown(e.keyWritten))' in \(label), ignored")
                    }
                }
            } else if let n = hostNumber(section.name), n >= 1 {
                if let other = hostDrafts[n] {
                    throw CACipherError(config: .syntax, "\(section.location.map { "\($0)" } ?? "?"): section \(label) repeats [\(other.section)] (both are host \(n))")
                }
                var draft = HostDraft(section: section.written, location: section.location)
                for e in section.entries {
                    if hostKeys.contains(e.key) {
                        try draft.apply(e, label, &config.warnings, &notes, multiValue: false)
                    } else if VendorDialect.take(e, label, &notes) {
                        continue
                    } else {
                        config.warnings.append("\(e.location): unknown key '\(ConfigText.shown(e.keyWritten))' in \(label), ignored")
                    }
                }
                hostDrafts[n] = draft
            } else if VendorDialect.sections.contains(section.name) {
                // The vendor's [TLS] (keystorefile=) and [GLOBAL]: their known keys are
                // taken or noted; anything else is an unknown key.
                for e in section.entries {
                    if VendorDialect.take(e, label, &notes) { continue }
                    config.warnings.append("\(e.location): unknown key '\(ConfigText.shown(e.keyWritten))' in \(label), ignored")
                }
            } else {
                config.warnings.append("\(section.location.map { "\($0)" } ?? "?"): unknown section \(label) ignored (with its \(section.entries.count) entries)")
            }
        }

        // Hosts HOST1, HOST2, ... until the first gap.
        var n = 1
        while let draft = hostDrafts[n] {
            config.hosts.append(try draft.build(&config.warnings))
            hostDrafts[n] = nil
            n += 1
        }
        for (k, d) in hostDrafts.sorted(by: { $0.key < $1.key }) {
            config.warnings.append("\(d.location.map { "\($0)" } ?? "?"): section [\(d.section)] ignored: host numbering stops at a gap (no [HOST\(n)] before host \(k))")
        }

        if flat.hosts.isEmpty {
            if flat.hasEntries {
                config.warnings.append("host keys outside any section are ignored (they only apply together with a section-less host=)")
            }
        } else {
            guard config.hosts.isEmpty else {
                throw CACipherError(config: .syntax, "both a section-less host= list and [HOSTn] sections are given; use one form")
            }
            config.hosts = try flat.expand(&config.warnings)
        }

        guard !config.hosts.isEmpty else {
            let hint = sawVendorCIni
                ? " (host1=/port1= are keys of the vendor C library's CfgTassHsmApi.ini, which SDF_HsmApiInit of libcacipher-tass reads; this configuration needs [HOST1] with host= and port=)"
                : ""
            throw CACipherError(config: .noHost, "no host configured: add a [HOST1] section with host= and port=\(hint)")
        }
        config.warnings += notes.warnings
        return config
    }

    /// `host1`, `port2`, ...: a key of the vendor C library's flat `CfgTassHsmApi.ini`.
    static func vendorCIniKey(_ key: String) -> Bool {
        for prefix in ["host", "port"] where key.hasPrefix(prefix) {
            let digits = key.utf8.dropFirst(prefix.utf8.count)
            if !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
        }
        return false
    }

    /// A known key set again in its section (for `[LOGGER]`: also before any section): a
    /// warning naming both places; the caller then applies the new value (the last wins).
    static func noteRepeat(_ e: Entry, _ label: String, _ seen: inout [String: ConfigLexer.Location],
                           _ warnings: inout [String]) {
        if let before = seen[e.key] {
            warnings.append("\(e.location): \(label) sets \(ConfigText.shown(e.keyWritten)) again (also at \(before)); the last value is used")
        }
        seen[e.key] = e.location
    }

    static func applyLogger(_ e: Entry, _ label: String, _ config: inout CACipherConfig) throws {
        switch e.key {
        case "logsw":
            switch LogCategories.parse(e.value) {
            case let .success(c): config.logger.categories = c
            case let .failure(word):
                throw valueError(.unknownLogCategory, e, label, "unknown log category '\(ConfigText.shown(word.word))' (known: error, warn, info, debug, trace, separated by ',')")
            }
        case "logpath":
            guard !e.value.isEmpty else { throw valueError(.badValue, e, label, "logPath must not be empty (default ./)") }
            guard e.value.utf8.count < 4000, !e.value.utf8.contains(0) else { throw valueError(.badValue, e, label, "logPath is too long or contains a NUL") }
            if VendorDialect.looksLikeInlineComment(e.value) {
                config.warnings.append("\(e.location): \(label) \(ConfigText.shown(e.keyWritten))=\(ConfigText.shown(e.value)) is taken as written: \(VendorDialect.inlineCommentHint)")
            }
            config.logger.path = e.value
        default:
            break
        }
    }

    /// `auto`, `off`, or whole milliseconds 1...60000, with an optional `ms` suffix (blanks
    /// allowed before it), any case.
    static func hedgeDelay(_ text: String) -> HedgeDelay? {
        let v = text.lowercased()
        if v == "auto" { return .auto }
        if v == "off" { return .off }
        var digits = Substring(v)
        if digits.hasSuffix("ms") { digits = digits.dropLast(2) }
        while digits.last == " " || digits.last == "\t" { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 5, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let n = Int(digits), n >= 1, n <= 60_000 else { return nil }
        return .fixed(milliseconds: n)
    }

    static func valueError(_ kind: ConfigErrorKind, _ e: Entry, _ label: String, _ why: String) -> CACipherError {
        let hint = VendorDialect.looksLikeInlineComment(e.value) ? " (\(VendorDialect.inlineCommentHint))" : ""
        return CACipherError(config: kind, "\(e.location): \(label) \(ConfigText.shown(e.keyWritten))=\(ConfigText.shown(e.value)): \(why)\(hint)")
    }
}
