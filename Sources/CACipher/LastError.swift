#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore

/// The per-thread detailed message behind `CACipher_LastError`, and the configuration kind
/// behind `CACipher_LastErrorKind`.
///
/// Each thread owns one malloc'd buffer (a pthread key with a destructor frees it when the
/// thread ends). A failing call replaces it and the kind (0 when the failure is not a
/// configuration error); succeeding calls leave both alone.
enum LastError {
    static let key: pthread_key_t = {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k) { p in free(p) }
        // Without a key (only when the process ran out of keys) messages are dropped and
        // `CACipher_LastError` returns "".
        return rc == 0 ? k : pthread_key_t.max
    }()

    /// The kind as the pointer's bit pattern (nil is 0): no allocation, nothing to free.
    static let kindKey: pthread_key_t = {
        var k = pthread_key_t()
        return pthread_key_create(&k, nil) == 0 ? k : pthread_key_t.max
    }()

    static let empty: UnsafePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    static func set(_ message: String, kind: ConfigErrorKind?) {
        let kk = kindKey
        if kk != pthread_key_t.max {
            pthread_setspecific(kk, UnsafeRawPointer(bitPattern: Int(kind?.rawValue ?? 0)))
        }
        let k = key
        guard k != pthread_key_t.max else { return }
        let copy = message.withCString { strdup($0) }
        if let old = pthread_getspecific(k) { free(old) }
        pthread_setspecific(k, copy.map { UnsafeRawPointer($0) })
    }

    /// `ConfigErrorKind.rawValue` of this thread's last failure, 0 if it was not a
    /// configuration error (or nothing failed yet).
    static func kind() -> Int32 {
        let k = kindKey
        guard k != pthread_key_t.max, let p = pthread_getspecific(k) else { return 0 }
        return Int32(truncatingIfNeeded: Int(bitPattern: p))
    }

    static func get() -> UnsafePointer<CChar> {
        let k = key
        guard k != pthread_key_t.max, let p = pthread_getspecific(k) else { return empty }
        return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
    }
}
