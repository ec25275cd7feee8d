#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

/// The vendor's own configuration file, `CfgTassHsmApi.ini` (vendor spec §6): flat
/// `key=value` lines, no sections, no comments. A line matches a key when it starts with the
/// key's name; the first matching line wins; the value is everything after the first `=`
/// with CR and LF removed, nothing trimmed.
enum VendorIni {
    /// The vendor reads lines of up to 127 characters; this reads whole lines, and refuses a
    /// file over 64 KiB (no real configuration is that large).
    static let maxBytes = 65_536

    /// Reads the file (`HAR_CFGFILE_OPEN` when it cannot be read). A UTF-8 byte order mark at
    /// its start (a file saved by a Windows editor) is dropped, as the `cacipher.ini` reader
    /// drops it; the vendor's reader took it as part of the first key's name.
    static func read(_ path: String) throws -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw CompatError(HAR.cfgFileOpen, "cannot open configuration file \(path)") }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if out.count > maxBytes { throw CompatError(HAR.cfgFileOpen, "configuration file \(path) is larger than \(maxBytes) bytes") }
            if n < buf.count { break }
        }
        if out.starts(with: [0xEF, 0xBB, 0xBF]) { out.removeFirst(3) }
        return out
    }

    /// `GetKeyValue`: the value of `key` (`HAR_CFGFILE_KEY_NOEXIST` when no line starts with
    /// it, `HAR_CFGFILE_VALUE_NOEXIST` when that line has no `=`).
    static func value(_ text: [UInt8], _ key: String) throws -> String {
        let k = Array(key.utf8)
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            guard line.starts(with: k) else { continue }
            guard let eq = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw CompatError(HAR.cfgFileValueNoExist, "configuration key \(key) has no value (no '=')")
            }
            let v = line[line.index(after: eq)...].filter { $0 != 0x0D && $0 != 0x0A }
            return String(decoding: v, as: UTF8.self)
        }
        throw CompatError(HAR.cfgFileKeyNoExist, "configuration key \(key) is not defined")
    }

    /// The `{...}` string form: the first non-blank character is `{`.
    static func isBraceForm(_ text: [UInt8]) -> Bool {
        text.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A } == UInt8(ascii: "{")
    }

    /// Whether a file is in the vendor's flat format rather than a `cacipher.ini`: a line
    /// starts with one of the vendor's own keys (`host1`, `port1`, `msgheadlen`, `logpath`,
    /// lower case as the vendor writes them) and no line is a section header of a
    /// `cacipher.ini` (`[HOSTn]`, `[LOGGER]`, `[GROUP]`, `[TLS]`, `[GLOBAL]`, in any case,
    /// blanks ignored). Other section headers do not count: the vendor's reader looks only at
    /// lines starting with its keys, so a program may keep them in its own sectioned file
    /// (`[APP]` ... `[HSM]` host1=...), and that file works with the vendor's library.
    static func isVendorFormat(_ text: [UInt8]) -> Bool {
        var vendorKey = false
        let keys = ["host1", "port1", "msgheadlen", "logpath"].map { Array($0.utf8) }
        for line in text.split(separator: UInt8(ascii: "\n")) {
            let l = line.drop { $0 == 0x20 || $0 == 0x09 }
            if l.first == UInt8(ascii: "["), isCACipherSection(l) { return false }
            if keys.contains(where: { line.starts(with: $0) }) { vendorKey = true }
        }
        return vendorKey
    }

    /// Whether a line starting with `[` names a section of a `cacipher.ini` (docs/config.md):
    /// `LOGGER`, `GROUP`, `TLS`, `GLOBAL` or `HOST` + digits, in any case, blanks ignored. A
    /// header without its `]` counts too (the `cacipher.ini` reader reports it).
    static func isCACipherSection(_ line: ArraySlice<UInt8>) -> Bool {
        let inside = line.dropFirst().prefix { $0 != UInt8(ascii: "]") }
        guard inside.count < line.count - 1 else { return true }
        let name = String(decoding: inside.filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self).uppercased()
        if ["LOGGER", "GROUP", "TLS", "GLOBAL"].contains(name) { return true }
        let digits = name.dropFirst(4)
        return name.hasPrefix("HOST") && !digits.isEmpty && digits.allSatisfy { $0 >= "0" && $0 <= "9" }
    }

    /// The configuration a vendor file describes: one host (`host1`/`port1`), timeout in
    /// seconds (connect and read), header length `msgheadlen` (taken modulo 127, as the
    /// vendor does), errors logged in `logpath` (`logsw=trace` adds the frame trace, whose
    /// secrets are masked). `host2`/`port2` are checked as the vendor checks them but serve
    /// only the vendor's printing transport, so they do not join the group.
    static func config(_ text: [UInt8], path: String) throws -> CACipherConfig {
        let logpath = try value(text, "logpath")
        let logsw = try value(text, "logsw")
        let timeout = try value(text, "timeout")
        let headlen = try value(text, "msgheadlen")
        let host1 = try value(text, "host1")
        guard IPv4.isValid(host1) else { throw CompatError(HAR.cfgFileValueInvalid, "host1 is not a dotted IPv4 address") }
        let port1 = try value(text, "port1")
        if let host2 = try? value(text, "host2") {
            guard IPv4.isValid(host2) else { throw CompatError(HAR.cfgFileValueInvalid, "host2 is not a dotted IPv4 address") }
            _ = try value(text, "port2")
        }
        let port = atoiLike(port1)
        guard (1...65535).contains(port) else { throw CompatError(HAR.cfgFileValueInvalid, "port1 is not a TCP port (1 to 65535)") }
        var seconds = atoiLike(timeout)
        if seconds <= 0 { seconds = 30 }
        var c = CACipherConfig()
        c.logger.path = logpath.isEmpty ? "./" : logpath
        c.logger.categories = logsw == "trace" ? [.error, .trace] : .error
        var h = HostConfig(section: "HOST1", host: host1, port: port)
        h.connTimeoutMs = min(seconds, 3600) * 1000
        h.readTimeoutMs = min(seconds, 3600) * 1000
        h.headerLength = max(0, atoiLike(headlen)) % 127
        c.hosts = [h]
        return c
    }

    /// `atoi`: leading blanks, an optional sign, digits; anything else ends the number.
    static func atoiLike(_ s: String) -> Int {
        var it = s.utf8.drop { $0 == 0x20 || $0 == 0x09 }[...]
        var sign = 1
        if let f = it.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            if f == UInt8(ascii: "-") { sign = -1 }
            it = it.dropFirst()
        }
        var v = 0
        for c in it {
            guard c >= 0x30, c <= 0x39, v < 100_000_000 else { break }
            v = v * 10 + Int(c - 0x30)
        }
        return sign * v
    }
}

/// The vendor's `IsIpv4Address` rule: a dotted-quad IPv4 address (`inet_pton`).
enum IPv4 {
    static func isValid(_ s: String) -> Bool {
        var a = in_addr()
        return inet_pton(AF_INET, s, &a) == 1
    }

    /// The address the vendor's `SDF_OpenDevice` connected to: `inet_addr(ipaddr)`, the C
    /// library's reading, which ends the address at a blank or newline (a line read with
    /// `fgets` keeps its `\n`) and takes the short forms (`127.1`). The dotted quad, or nil
    /// when the text is no such address (a host name, which this library resolves).
    static func vendorConnectAddress(_ s: String) -> String? {
        var a = in_addr()
        guard inet_aton(s, &a) != 0 else { return nil }
        var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &a, &buf, socklen_t(buf.count)) != nil else { return nil }
        return String(cString: buf)
    }
}
