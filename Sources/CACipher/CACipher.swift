/// CACipher: the C ABI of libcacipher (see include/cacipher.h, which documents every call).
///
/// This module only converts C arguments, calls CACipherCore and maps errors to codes:
/// - `LastError.swift`   per-thread detailed message and configuration kind
///                       (`CACipher_LastError`, `CACipher_LastErrorKind`)
/// - `CStrings.swift`    static C texts (`CACipher_ErrorString`, `CACipher_Version`)
/// - `Instances.swift`   the global instance and the registry of open handles
/// - `CBuffer.swift`     the caller-buffer + `size_t *len` convention
/// - `API*.swift`        the exported functions, one file per group
import CACipherCore

/// Runs the body of an exported call: a thrown `CACipherError` becomes its code and this
/// thread's last error; anything else is `CACIPHER_E_INTERNAL`.
@inline(__always)
func cCall(_ body: () throws -> Int32) -> Int32 {
    do {
        return try body()
    } catch let e as CACipherError {
        LastError.set(e.message, kind: e.configKind)
        return e.code
    } catch {
        LastError.set("internal error: \(error)", kind: nil)
        return CACipherError.Code.internal.rawValue
    }
}

/// A C string argument, or `CACIPHER_E_INVALID_ARG` naming it when it is NULL.
func cString(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String) throws -> String {
    guard let p else { throw CACipherError(.invalidArgument, "\(function): \(name) is NULL") }
    return String(cString: p)
}
