#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small text helpers for the configuration parser and its messages.
enum ConfigText {
    /// A value as it may appear in a message: control characters replaced by `?`, cut to
    /// `limit` characters. (Configuration holds no secrets, but it may hold garbage.)
    static func shown(_ s: String, limit: Int = 80) -> String {
        var out = ""
        var n = 0
        for u in s.unicodeScalars {
            if n == limit { out += "..."; break }
            out.unicodeScalars.append(u.value < 0x20 || u.value == 0x7F ? "?" : u)
            n += 1
        }
        return out
    }

    static func errnoText(_ e: Int32) -> String {
        guard let p = strerror(e) else { return "errno \(e)" }
        return String(cString: p)
    }

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// Bytes without leading/trailing spaces, tabs, CR and LF.
    static func trim(_ b: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = b.startIndex, hi = b.endIndex
        while lo < hi, isBlank(b[lo]) { lo += 1 }
        while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
        return b[lo..<hi]
    }

    /// Drops a leading UTF-8 byte order mark.
    static func dropBOM(_ b: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if b.count >= 3, b[b.startIndex] == 0xEF, b[b.startIndex + 1] == 0xBB, b[b.startIndex + 2] == 0xBF {
            return b.dropFirst(3)
        }
        return b
    }

    /// Whether the first character that is not a BOM or blank is `{` (the string form).
    static func isBraceForm<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var it = bytes.makeIterator()
        var head: [UInt8] = []
        while head.count < 3, let b = it.next() { head.append(b) }
        let rest = head == [0xEF, 0xBB, 0xBF] ? [] : head
        for b in rest where !isBlank(b) { return b == UInt8(ascii: "{") }
        while let b = it.next() {
            if isBlank(b) { continue }
            return b == UInt8(ascii: "{")
        }
        return false
    }

    /// ASCII-only lower case (keys and section names are ASCII; anything else stays as is).
    static func lower(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    static func upper(_ s: String) -> String {
        String(decoding: s.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
