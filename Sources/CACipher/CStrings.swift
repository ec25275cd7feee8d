#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

/// C strings that live for the whole process: made once, never freed.
enum CStrings {
    static func make(_ s: String) -> UnsafePointer<CChar> {
        let n = s.utf8.count
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: n + 1)
        s.withCString { p.initialize(from: $0, count: n + 1) }
        return UnsafePointer(p)
    }

    static let version = make(CACipherVersion.string)
    static let unknown = make("unknown error code")

    /// Library codes (0 and the negatives) and HSM codes 1...99.
    static let table: [Int32: UnsafePointer<CChar>] = {
        var t: [Int32: UnsafePointer<CChar>] = [:]
        for c in CACipherError.Code.allCases { t[c.rawValue] = make(CACipherError.text(forCode: c.rawValue)) }
        for v: Int32 in 1...99 { t[v] = make(CACipherError.text(forCode: v)) }
        return t
    }()

    static func errorText(_ code: Int32) -> UnsafePointer<CChar> { table[code] ?? unknown }
}
