import HostProtocol

/// The keys of one host section as they are read, checked one by one; `build` applies the
/// defaults and fallbacks (`connTimeout`/`readTimeout` -> `timeout` -> 6 s) at the end, so
/// the order of keys inside a section does not matter.
struct HostDraft {
    typealias Entry = ConfigLexer.Entry

    /// Section name as written (`HOST 1`); empty for the section-less form.
    var section: String
    var location: ConfigLexer.Location?
    var hasEntries = false

    var hsmModel: String?
    /// `host=`; several only in the section-less form (`host=a;b;c`).
    var hosts: [String] = []
    var ports: [Int] = []
    var portEntry: Entry?
    var linkNum: Int?
    var timeoutMs: Int?
    var connTimeoutMs: Int?
    var readTimeoutMs: Int?
    var probeTimeoutMs: Int?
    var socketProtocol: SocketProtocol?
    var headerLength: Int?
    var encodeType: Int?
    var tls = TLSSettings()
    var tlsKeys: [String] = []
    private var seen: [String: ConfigLexer.Location] = [:]

    static let defaultTimeoutMs = 6000
    /// Probes of kept-out members answer fast or not at all: at most 2 s unless set.
    static let defaultProbeTimeoutMs = 2000
    static let maxTimeoutSeconds = 3600
    static let maxLinkNum = 1000
    static let maxHostLength = 255
    static let maxModelLength = 31

    init(section: String, location: ConfigLexer.Location?) {
        self.section = section
        self.location = location
    }

    private var label: String { section.isEmpty ? "(no section)" : "[\(section)]" }

    mutating func apply(_ e: Entry, _ label: String, _ warnings: inout [String], _ notes: inout VendorNotes,
                        multiValue: Bool) throws {
        hasEntries = true
        // `msgheadlen` is the older name of `msgheadlength`: one setting.
        let canonical = e.key == "msgheadlen" ? "msgheadlength" : e.key
        if let before = seen[canonical] {
            warnings.append("\(e.location): \(label) sets \(e.keyWritten) again (also at \(before)); the last value is used")
        }
        seen[canonical] = e.location
        func bad(_ why: String) -> CACipherError { ConfigParser.valueError(.badValue, e, label, why) }

        switch e.key {
        case "hsmmodel":
            guard !e.value.isEmpty, e.value.utf8.count <= Self.maxModelLength,
                  e.value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
            else { throw bad("hsmModel must be 1 to \(Self.maxModelLength) printable characters without spaces") }
            let model = ConfigText.upper(e.value)
            if VendorDialect.otherFamilyModels.contains(model) {
                notes.note("hsmmodel=" + model, "\(e.location): \(label) hsmModel=\(ConfigText.shown(e.value)) is one of the vendor's other device families; this library has no driver for it and sends it the SJJ1310/EVSM host commands (docs/wire.md)")
            } else if !ConfigParser.knownModels.contains(model) {
                warnings.append("\(e.location): \(label) hsmModel=\(ConfigText.shown(e.value)) is not a model this library knows (\(ConfigParser.knownModels.sorted().joined(separator: ", "))); it is used as given")
            }
            hsmModel = e.value
        case "host":
            let parts = try Self.list(e, multiValue: multiValue, bad)
            for h in parts {
                guard h.utf8.count <= Self.maxHostLength,
                      h.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "[" && $0 != "]" })
                else { throw bad("host must be an IP address or DNS name of at most \(Self.maxHostLength) characters") }
            }
            hosts = parts
        case "port":
            let parts = try Self.list(e, multiValue: multiValue, bad)
            ports = try parts.map { p in
                guard let v = Int(p), v >= 1, v <= 65535 else { throw bad("port must be a number from 1 to 65535") }
                return v
            }
            portEntry = e
        case "linknum":
            guard let v = Int(e.value) else { throw bad("linkNum must be a whole number (negative: pool only; positive: pool, then short connections; 0: short connections only)") }
            guard abs(v) <= Self.maxLinkNum else { throw bad("linkNum must be between -\(Self.maxLinkNum) and \(Self.maxLinkNum)") }
            linkNum = v
        case "timeout":
            timeoutMs = try Self.seconds(e.value, bad)
        case "conntimeout":
            connTimeoutMs = try Self.seconds(e.value, bad)
        case "readtimeout":
            readTimeoutMs = try Self.seconds(e.value, bad)
        case "probetimeout":
            probeTimeoutMs = try Self.seconds(e.value, bad)
        case "socketprotocol":
            switch ConfigText.upper(e.value) {
            case "TCP": socketProtocol = .tcp
            case "TLSV1.2": socketProtocol = .tls12
            case "TLSV1.3": socketProtocol = .tls13
            // The vendor's other transport names (its BaseLib enum). `TLS` is TLS 1.2 or
            // later; the rest cannot be honoured as named: never plain TCP for a name that
            // asks for encryption.
            case "TLS": socketProtocol = .tls12
            case "SSL":
                socketProtocol = .tls12
                notes.note("socketprotocol=SSL", "\(e.location): \(label) socketProtocol=\(ConfigText.shown(e.value)): SSL and TLS below 1.2 are not offered; TLS 1.2 or later is used")
            case "HTTP":
                socketProtocol = .tcp
                notes.note("socketprotocol=HTTP", "\(e.location): \(label) socketProtocol=\(ConfigText.shown(e.value)): HTTP framing is not supported; the host commands are sent over plain TCP")
            case "HTTPS", "HTTPS-DOUBLE":
                socketProtocol = .tls12
                notes.note("socketprotocol=" + ConfigText.upper(e.value), "\(e.location): \(label) socketProtocol=\(ConfigText.shown(e.value)): HTTP framing is not supported; the host commands are sent over TLS 1.2 or later\(e.value.utf8.count > 5 ? " (mutual TLS needs tlsCertFile= in the section)" : "")")
            case "GMSSL", "GMSSL-DOUBLE":
                socketProtocol = .tls12
                notes.note("socketprotocol=" + ConfigText.upper(e.value), "\(e.location): \(label) socketProtocol=\(ConfigText.shown(e.value)): GM (SM2/SM4) TLS is not supported; standard TLS 1.2 or later is tried (an HSM port that speaks only GM TLS refuses it, and calls fail with CACIPHER_E_TLS)")
            default: throw bad("socketProtocol must be TCP, TLSv1.2 or TLSv1.3 (or one of the vendor's names TLS, SSL, HTTP, HTTPS, HTTPS-DOUBLE, GMSSL, GMSSL-DOUBLE)")
            }
        case "msgheadlength", "msgheadlen":
            guard let v = Int(e.value), v >= 0, v <= FrameCodec.maxHeaderLength else {
                throw bad("\(e.keyWritten) must be a number from 0 to \(FrameCodec.maxHeaderLength)")
            }
            headerLength = v
        case "encodetype":
            guard let v = Int(e.value), v >= 0, v <= 255 else { throw bad("encodetype must be a number from 0 to 255") }
            if v != 0 {
                notes.note("encodetype=\(v)", "\(e.location): \(label) \(ConfigText.shown(e.keyWritten))=\(v): only 0 (ASCII commands) is supported; the value is kept (CACipher_HostInfo) but commands are sent in ASCII")
            }
            encodeType = v
        case "protocol":
            // Seen as `protocol=0` in other products of the vendor; accepted and ignored.
            guard let v = Int(e.value), v >= 0, v <= 255 else { throw bad("protocol must be a number (only protocol=0 has been seen)") }
            if v != 0 {
                warnings.append("\(e.location): \(label) protocol=\(v) has no meaning in this library and is ignored (use socketProtocol=)")
            }
        case "tlscafile", "tlscertfile", "tlskeyfile", "tlsservername":
            guard !e.value.isEmpty, !e.value.utf8.contains(0), e.value.utf8.count < 4000 else {
                throw bad("\(e.keyWritten) must not be empty")
            }
            if VendorDialect.looksLikeInlineComment(e.value) {
                warnings.append("\(e.location): \(label) \(ConfigText.shown(e.keyWritten))=\(ConfigText.shown(e.value)) is taken as written: \(VendorDialect.inlineCommentHint)")
            }
            switch e.key {
            case "tlscafile": tls.caFile = e.value
            case "tlscertfile": tls.certFile = e.value
            case "tlskeyfile": tls.keyFile = e.value
            default: tls.serverName = e.value
            }
            tlsKeys.append(e.keyWritten)
        case "tlsverify":
            switch e.value {
            case "1": tls.verify = true
            case "0": tls.verify = false
            default: throw bad("tlsVerify must be 0 or 1")
            }
            tlsKeys.append(e.keyWritten)
        default:
            break
        }
    }

    /// A value split at `;` (section-less form only); empty pieces are dropped.
    private static func list(_ e: Entry, multiValue: Bool, _ bad: (String) -> CACipherError) throws -> [String] {
        if !multiValue {
            guard !e.value.isEmpty else { throw bad("\(e.keyWritten) must not be empty") }
            guard !e.value.contains(";") else {
                throw bad("several values separated by ';' are only accepted in a section-less configuration file")
            }
            return [e.value]
        }
        let parts = e.value.split(separator: ";").map { String(decoding: ConfigText.trim(Array($0.utf8)[...]), as: UTF8.self) }
            .filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw bad("\(e.keyWritten) must not be empty") }
        return parts
    }

    /// A time to milliseconds, greater than 0 and at most `maxTimeoutSeconds`: seconds
    /// (`5`, `0.5`, at most 3 decimals), or with the vendor's suffixes `s` (seconds, same
    /// numbers) and `ms` (whole milliseconds: `500ms`). Suffixes in any case, blanks allowed
    /// before them (`500 ms`).
    static func seconds(_ text: String, _ bad: (String) -> CACipherError) throws -> Int {
        let why = "must be a number of seconds greater than 0 and at most \(maxTimeoutSeconds) (up to 3 decimals, e.g. 0.5), or whole milliseconds with 'ms' (e.g. 500ms)"
        var bytes = Array(text.utf8)[...]
        func dropSuffix(_ suffix: String) -> Bool {
            let s = Array(suffix.utf8)
            guard bytes.count > s.count else { return false }
            let tail = bytes.suffix(s.count).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            guard tail == s else { return false }
            bytes = ConfigText.trim(bytes.dropLast(s.count))
            return true
        }
        if dropSuffix("ms") {
            guard !bytes.isEmpty, bytes.count <= 7, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let ms = Int(String(decoding: bytes, as: UTF8.self)), ms > 0, ms <= maxTimeoutSeconds * 1000
            else { throw bad(why) }
            return ms
        }
        _ = dropSuffix("s")
        let plain = String(decoding: bytes, as: UTF8.self)
        let parts = plain.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 6,
              whole.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let s = Int(whole)
        else { throw bad(why) }
        var ms = s * 1000
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 3, frac.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let f = Int(frac)
            else { throw bad(why) }
            ms += f * [1, 100, 10, 1][frac.count]
        }
        guard ms > 0, ms <= maxTimeoutSeconds * 1000 else { throw bad(why) }
        return ms
    }

    /// The finished host of a `[HOSTn]` section.
    func build(_ warnings: inout [String]) throws -> HostConfig {
        let at = location.map { "\($0): " } ?? ""
        guard let host = hosts.first else {
            throw CACipherError(config: .noHost, "\(at)\(label) has no host= (every host section needs host= and port=)")
        }
        guard let port = ports.first else {
            throw CACipherError(config: .noHost, "\(at)\(label) has no port= (every host section needs host= and port=)")
        }
        return finish(section: section, host: host, port: port, &warnings)
    }

    /// The hosts of the section-less form: `host=a;b;c` with one port for all or one each.
    func expand(_ warnings: inout [String]) throws -> [HostConfig] {
        guard !ports.isEmpty else {
            throw CACipherError(config: .noHost, "the section-less host= list has no port= (give one port, or one per host separated by ';')")
        }
        guard ports.count == 1 || ports.count == hosts.count else {
            let at = portEntry.map { "\($0.location): " } ?? ""
            throw CACipherError(config: .badValue, "\(at)port= lists \(ports.count) ports for \(hosts.count) hosts (give one port, or one per host)")
        }
        return hosts.enumerated().map { i, h in
            finish(section: "HOST\(i + 1)", host: h, port: ports.count == 1 ? ports[0] : ports[i], &warnings)
        }
    }

    private func finish(section: String, host: String, port: Int, _ warnings: inout [String]) -> HostConfig {
        var c = HostConfig(section: section, host: host, port: port)
        if let hsmModel { c.hsmModel = hsmModel }
        if let linkNum { c.linkNum = linkNum }
        c.connTimeoutMs = connTimeoutMs ?? timeoutMs ?? Self.defaultTimeoutMs
        c.readTimeoutMs = readTimeoutMs ?? timeoutMs ?? Self.defaultTimeoutMs
        c.probeTimeoutMs = probeTimeoutMs ?? min(c.readTimeoutMs, Self.defaultProbeTimeoutMs)
        if let socketProtocol { c.socketProtocol = socketProtocol }
        if let headerLength { c.headerLength = headerLength }
        if let encodeType { c.encodeType = encodeType }
        c.tls = tls
        if c.socketProtocol == .tcp, !tlsKeys.isEmpty {
            warnings.append("[\(section)] \(tlsKeys.joined(separator: ", ")) ignored: socketProtocol is TCP")
        } else if c.socketProtocol != .tcp, !tls.verify {
            warnings.append("[\(section)] tlsVerify=0: the HSM's certificate is NOT verified")
        }
        return c
    }
}
