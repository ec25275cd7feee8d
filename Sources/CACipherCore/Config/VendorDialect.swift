/// The parts of the vendor's configuration dialect (its SDK's `cacipher.ini` keys, sections
/// and values) that this library accepts without acting on them. Each is reported once per
/// configuration, naming the key, so nothing the vendor documents is silently misread
/// (docs/config.md, "Vendor forms").
enum VendorDialect {
    /// Settings of the vendor's SDK that this library does not use (lower-cased name ->
    /// what the library does instead). Accepted in any section, ignored with a warning.
    /// Values are never shown: some of these (`sk`, `*Pwd`) hold secrets.
    static let unusedKeys: [String: String] = [
        "maxfilelength": "log files are one file per day, without size rotation",
        "backupnum": "log files are one file per day, without size rotation",
        "msghead": "the message header sent is msgheadlength ASCII '0' bytes; set msgheadlength= to match the HSM",
        "msgtail": "no message trailer is sent",
        "msgtaillength": "no message trailer is sent",
        "ifheart": "ejected members are always probed in the background (NC) and idle connections are checked before use",
        "ifstaticlinknum": "linkNum= alone sets the pool",
        "maxparallel": "linkNum= sets the connections per host",
        "retrytime": "a failed call is re-sent to another member by the group's own rules (docs/failover.md)",
        "worktype": "it has no equivalent here",
        "ciphersuites": "OpenSSL's default TLS 1.2/1.3 cipher suites are offered",
        "urlpath": "host commands go over TCP or TLS, never HTTP",
        "gmtlscacertpath": "GM (SM2) TLS is not supported",
        "gmtlssignpfxpath": "GM (SM2) TLS is not supported",
        "gmtlssignpfxpwd": "GM (SM2) TLS is not supported",
        "gmtlsencpfxpath": "GM (SM2) TLS is not supported",
        "gmtlsencpfxpwd": "GM (SM2) TLS is not supported",
        "appid": "KMS access is not supported",
        "ak": "KMS access is not supported",
        "sk": "KMS access is not supported",
        "hmacalgorithm": "KMS access is not supported",
        "validatetype": "KMS access is not supported",
        "signalgorithm": "KMS access is not supported",
    ]

    /// Models the vendor lists for its other device families (BaseLib's driver list):
    /// accepted with a warning, since this library speaks only the SJJ1310 / EVSM host
    /// commands (the models of `ConfigParser.knownModels` take no warning).
    static let otherFamilyModels: Set<String> = ["SJJ19151", "SJJ1507", "SRJ1933", "SHSM", "SVSM", "TASKMS"]

    /// Section names of the vendor's SDK besides `[LOGGER]` and `[HOST n]`.
    static let sections: Set<String> = ["TLS", "GLOBAL"]

    /// Handles `e` if it is one of the vendor's keys this library does not use; returns
    /// whether it was.
    static func take(_ e: ConfigLexer.Entry, _ label: String, _ notes: inout VendorNotes) -> Bool {
        if e.key == "keystorefile" {
            // One-way TLS: the vendor requires the key with an empty value; that is what
            // this library does anyway (no client certificate unless tlsCertFile= is set).
            if !e.value.isEmpty {
                notes.note("keystorefile", "\(e.location): \(label) keystorefile is set, but this library does not read the vendor's keystore (PKCS#12) files: no client certificate is sent from it; for mutual TLS set tlsCertFile= and tlsKeyFile= (PEM) in each [HOSTn] section")
            }
            return true
        }
        guard let instead = unusedKeys[e.key] else { return false }
        notes.note(e.key, "\(e.location): \(label) \(ConfigText.shown(e.keyWritten)) is a setting of the vendor's SDK that this library does not use; ignored (\(instead))")
        return true
    }

    /// Whether a value looks as if it carried an inline comment (`x # note`), which the
    /// vendor's format does not have: the value is then taken as written, with a warning.
    static func looksLikeInlineComment(_ value: String) -> Bool {
        var blank = false
        for b in value.utf8 {
            if b == UInt8(ascii: "#"), blank { return true }
            blank = b == 0x20 || b == 0x09
        }
        return false
    }

    static let inlineCommentHint = "inline comments are not supported ('#' starts a comment only at the start of a line)"
}

/// Warnings about vendor forms, one per key (or key and value) however often it appears:
/// the first place is named, the others counted.
struct VendorNotes {
    private var order: [String] = []
    private var first: [String: (text: String, count: Int)] = [:]

    mutating func note(_ id: String, _ text: String) {
        if let f = first[id] {
            first[id] = (f.text, f.count + 1)
        } else {
            order.append(id)
            first[id] = (text, 1)
        }
    }

    var warnings: [String] {
        order.compactMap { id in
            first[id].map { $0.count > 1 ? "\($0.text) (also in \($0.count - 1) more place\($0.count > 2 ? "s" : ""))" : $0.text }
        }
    }
}
