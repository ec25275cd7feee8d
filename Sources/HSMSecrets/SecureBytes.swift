// HSMSecrets: the secret buffer, on its own so that the C libraries (through CACipherCore)
// link it without the rest of HSMCrypto; HSMCrypto re-exports it.
import COpenSSL

/// A buffer for a secret (a PIN, a DMK component, a Shamir share, a clear key) that zeroes
/// its whole storage when the storage goes away.
///
/// A value type over one manually allocated region (the model is swift-crypto's
/// `SecureBytes`): copies share the region until one of them is mutated, and the mutation
/// first copies into a region of its own, so every region has exactly the holders that can
/// see it and is zeroed (`OPENSSL_cleanse`, all of its capacity) by its own deinit when the
/// last of them lets go. Growing past the capacity moves the bytes to a larger region; the
/// old one is zeroed the same way. Nothing hands out a Swift `Array` of the contents that
/// could be copied silently: `withUnsafeBytes` lends them, ``withTemporaryArray(_:)`` makes
/// an array copy for an API that needs one and zeroes it after the call.
///
/// `description` never shows the contents (`SecureBytes(16 bytes)`); `==` compares in
/// constant time (`CRYPTO_memcmp`; the length is not secret).
public struct SecureBytes: @unchecked Sendable {
    @usableFromInline var storage: Storage

    /// An empty buffer.
    public init() { storage = Storage(capacity: 0) }

    /// `count` zero bytes.
    public init(count: Int) {
        precondition(count >= 0, "SecureBytes(count:) needs a count >= 0")
        storage = Storage(capacity: count)
        storage.count = count
    }

    /// A copy of `bytes`. The caller still owns (and zeroes) its own buffer.
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        storage = Storage(capacity: bytes.underestimatedCount)
        append(contentsOf: bytes)
    }

    /// Decodes hex (either case, no separators); nil on odd length or a non-hex character.
    /// The decoded bytes go straight into the buffer (no intermediate array).
    public init?(hex: String) {
        var u = Array(hex.utf8)
        defer { SecureBytes.wipe(&u) }
        guard u.count % 2 == 0 else { return nil }
        let n = u.count / 2
        self.init(count: n)
        var ok = true
        let out = storage.base.assumingMemoryBound(to: UInt8.self)
        for i in 0..<n {
            guard let h = SecureBytes.nibble(u[2 * i]), let l = SecureBytes.nibble(u[2 * i + 1]) else { ok = false; break }
            out[i] = h << 4 | l
        }
        if !ok { return nil }
    }

    /// Number of bytes held.
    public var count: Int { storage.count }

    /// Whether the buffer holds no bytes.
    public var isEmpty: Bool { storage.count == 0 }

    /// Lends the bytes; the pointer must not escape `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.count > 0 ? storage.base : nil, count: storage.count))
    }

    /// Lends the bytes for writing, after copying them into a region of this value's own when
    /// another copy shares the current one (so the other copy is unchanged).
    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        makeUnique(capacity: storage.capacity)
        return try body(UnsafeMutableRawBufferPointer(start: storage.count > 0 ? storage.base : nil, count: storage.count))
    }

    /// Hands a temporary `[UInt8]` copy to `body` (for an API that takes an array) and zeroes
    /// the copy when `body` returns or throws. `body` must not keep the array.
    public func withTemporaryArray<R>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        var copy = withUnsafeBytes { [UInt8]($0) }
        defer { SecureBytes.wipe(&copy) }
        return try body(copy)
    }

    /// Appends one byte.
    public mutating func append(_ byte: UInt8) {
        reserve(storage.count + 1)
        storage.base.storeBytes(of: byte, toByteOffset: storage.count, as: UInt8.self)
        storage.count += 1
    }

    /// Appends bytes.
    public mutating func append<S: Sequence>(contentsOf bytes: S) where S.Element == UInt8 {
        for b in bytes { append(b) }
    }

    /// Appends another secret buffer's bytes.
    public mutating func append(_ other: SecureBytes) {
        let n = other.count
        guard n > 0 else { return }
        reserve(storage.count + n)
        let at = storage.count
        other.withUnsafeBytes { src in (storage.base + at).copyMemory(from: src.baseAddress!, byteCount: n) }
        storage.count += n
    }

    /// Removes the last byte (zeroing it). The buffer must not be empty.
    public mutating func removeLast() {
        precondition(storage.count > 0, "SecureBytes.removeLast() on an empty buffer")
        makeUnique(capacity: storage.capacity)
        storage.count -= 1
        storage.base.storeBytes(of: 0, toByteOffset: storage.count, as: UInt8.self)
    }

    /// Zeroes the bytes and empties the buffer (the storage is kept for reuse). Another copy
    /// sharing the storage keeps its bytes: this value moves to a region of its own first.
    public mutating func removeAll() {
        if isKnownUniquelyReferenced(&storage) {
            storage.cleanse()
            storage.count = 0
        } else {
            storage = Storage(capacity: 0)
        }
    }

    /// The byte at `i` (0..<count).
    public subscript(i: Int) -> UInt8 {
        get {
            precondition(i >= 0 && i < storage.count, "SecureBytes index out of range")
            return storage.base.load(fromByteOffset: i, as: UInt8.self)
        }
        set {
            precondition(i >= 0 && i < storage.count, "SecureBytes index out of range")
            makeUnique(capacity: storage.capacity)
            storage.base.storeBytes(of: newValue, toByteOffset: i, as: UInt8.self)
        }
    }

    /// Uppercase hex of the contents, for the few places a secret must travel as text (a
    /// component shown to an operator). The string cannot be zeroed: prefer the bytes.
    public func hexString() -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        withUnsafeBytes { for x in $0 { out.append(digits[Int(x >> 4)]); out.append(digits[Int(x & 15)]) } }
        defer { SecureBytes.wipe(&out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// Zeroes an array that held a secret in place (`OPENSSL_cleanse`, not optimised away);
    /// the array keeps its length. For buffers still passed around as `[UInt8]` (wire
    /// frames, OpenSSL outputs); a secret kept for longer belongs in a `SecureBytes`.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let p = raw.baseAddress, raw.count > 0 { OPENSSL_cleanse(p, raw.count) }
        }
    }

    /// The same as ``wipe(_:)`` (the name the typed API has used since 1.0).
    public static func zero(_ bytes: inout [UInt8]) { wipe(&bytes) }

    /// Zeroes the first `count` bytes of an array (clamped to its length).
    public static func wipe(_ bytes: inout [UInt8], prefix count: Int) {
        bytes.withUnsafeMutableBytes { raw in
            if let p = raw.baseAddress, count > 0 { OPENSSL_cleanse(p, min(count, raw.count)) }
        }
    }

    // MARK: storage

    /// Gives this value a region of its own of at least `capacity` bytes (same contents).
    @usableFromInline mutating func makeUnique(capacity: Int) {
        if !isKnownUniquelyReferenced(&storage) || capacity > storage.capacity {
            storage = storage.copy(capacity: max(capacity, storage.count))
        }
    }

    /// Makes room for `needed` bytes: doubles the capacity when it is short (the old region
    /// is zeroed by its deinit once nothing holds it).
    mutating func reserve(_ needed: Int) {
        if needed > storage.capacity {
            makeUnique(capacity: max(needed, storage.capacity * 2, 16))
        } else {
            makeUnique(capacity: storage.capacity)
        }
    }

    /// One manually allocated region; zeroed in full (capacity, not count) before it is freed.
    @usableFromInline final class Storage {
        let base: UnsafeMutableRawPointer
        let capacity: Int
        var count = 0

        /// Test hook: sees each region after it is zeroed and before it is freed.
        nonisolated(unsafe) static var beforeFree: ((UnsafeRawBufferPointer) -> Void)?

        init(capacity: Int) {
            self.capacity = capacity
            base = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1), alignment: 16)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: max(capacity, 1))
        }

        func copy(capacity newCapacity: Int) -> Storage {
            let s = Storage(capacity: newCapacity)
            if count > 0 { s.base.copyMemory(from: base, byteCount: count) }
            s.count = count
            return s
        }

        func cleanse() { OPENSSL_cleanse(base, max(capacity, 1)) }

        deinit {
            cleanse()
            if let hook = Storage.beforeFree { hook(UnsafeRawBufferPointer(start: base, count: max(capacity, 1))) }
            base.deallocate()
        }
    }
}

extension SecureBytes: Equatable {
    /// Constant-time comparison (`CRYPTO_memcmp`); different lengths compare unequal.
    public static func == (a: SecureBytes, b: SecureBytes) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }
}

extension SecureBytes: CustomStringConvertible, CustomDebugStringConvertible {
    /// `SecureBytes(N bytes)`: never the contents.
    public var description: String { "SecureBytes(\(count) bytes)" }
    /// The same as `description`.
    public var debugDescription: String { description }
}

extension SecureBytes: CustomReflectable {
    /// No children: `dump` and the debugger's summary show the length only.
    public var customMirror: Mirror { Mirror(self, children: ["count": count], displayStyle: .struct) }
}

extension SecureBytes: ExpressibleByArrayLiteral {
    /// A buffer holding the literal's bytes (tests and fixed values; a literal is not secret).
    public init(arrayLiteral elements: UInt8...) { self.init(elements) }
}
