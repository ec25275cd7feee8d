#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread detailed message behind `CACipher_LastError`.
///
/// Each thread owns one malloc'd buffer (a pthread key with a destructor frees it when the
/// thread ends). A failing call replaces it; succeeding calls leave it alone.
enum LastError {
    static let key: pthread_key_t = {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k) { p in free(p) }
        // Without a key (only when the process ran out of keys) messages are dropped and
        // `CACipher_LastError` returns "".
        return rc == 0 ? k : pthread_key_t.max
    }()

    static let empty: UnsafePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    static func set(_ message: String) {
        let k = key
        guard k != pthread_key_t.max else { return }
        let copy = message.withCString { strdup($0) }
        if let old = pthread_getspecific(k) { free(old) }
        pthread_setspecific(k, copy.map { UnsafeRawPointer($0) })
    }

    static func get() -> UnsafePointer<CChar> {
        let k = key
        guard k != pthread_key_t.max, let p = pthread_getspecific(k) else { return empty }
        return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
    }
}
