// SHA-256 certificate fingerprints as operators pin them: `SHA256:` + 64 upper-case hex.
import COpenSSL

public enum CertificateFingerprint {
    /// The fingerprint of a certificate (an `X509 *`); nil if OpenSSL cannot digest it.
    public static func of(_ x509: OpaquePointer) -> String? {
        var md = [UInt8](repeating: 0, count: 64)
        var len: UInt32 = 0
        guard X509_digest(x509, EVP_sha256(), &md, &len) == 1, len == 32 else { return nil }
        return "SHA256:" + hex(md.prefix(32))
    }

    /// The fingerprint of the first certificate in PEM text; nil if there is none or OpenSSL
    /// cannot read it (the error queue is cleared).
    public static func of(pem: [UInt8]) -> String? {
        guard let b = pem.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32(pem.count)) }) else { return nil }
        defer { BIO_free(b) }
        guard let x = PEM_read_bio_X509(b, nil, nil, nil) else { ERR_clear_error(); return nil }
        defer { X509_free(x) }
        return of(x)
    }

    /// Normalises an operator-given pin (`SHA256:` prefix optional, colons, surrounding
    /// spaces and case ignored); nil unless 64 hex digits remain.
    public static func normalise(_ text: String) -> String? {
        var t = Substring(text)
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        if t.uppercased().hasPrefix("SHA256:") { t = t.dropFirst(7) }
        let hex = String(t.filter { $0 != ":" }).uppercased()
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return "SHA256:" + hex
    }

    private static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
