import Foundation

/// A bounded, thread-safe map kept by the emulator for values that are expensive to rebuild
/// (parsed RSA keys, checked SM2 key pairs). Approximately least recently used, in O(1) per
/// call: two generations, `current` and `previous`; a hit in `previous` moves the entry to
/// `current`; when `current` holds `capacity / 2` entries it becomes `previous` and the old
/// `previous` is dropped. At most `capacity` entries are held; an entry used at least once
/// every `capacity / 2` insertions is never dropped. The lock is held for the dictionary
/// operations only (no crypto, no I/O under it).
///
/// Callers key entries by authenticated values only (a blob whose authenticator verified
/// under the device's current keys, or public data), so a hit never skips a check a miss
/// would make. The cache lives in `StorageKeys`, so a new DMK starts with empty caches.
final class BoundedCache<Key: Hashable, Value>: @unchecked Sendable {
    let capacity: Int
    private var current: [Key: Value] = [:]
    private var previous: [Key: Value] = [:]
    private let lock = NSLock()

    init(capacity: Int) {
        self.capacity = max(2, capacity)
        current.reserveCapacity(self.capacity / 2)
    }

    /// The value for `key`, if held.
    func get(_ key: Key) -> Value? {
        var dropped: [Key: Value] = [:]
        lock.lock()
        defer { lock.unlock(); dropped.removeAll() }
        if let v = current[key] { return v }
        guard let v = previous.removeValue(forKey: key) else { return nil }
        dropped = insertLocked(key, v)
        return v
    }

    /// Keeps `value` for `key` (replacing an older one).
    func put(_ key: Key, _ value: Value) {
        var dropped: [Key: Value] = [:]
        lock.lock()
        defer { lock.unlock(); dropped.removeAll() }
        previous.removeValue(forKey: key)
        dropped = insertLocked(key, value)
    }

    /// How many entries are held (for tests).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return current.count + previous.count
    }

    /// Inserts; returns the generation dropped (released by the caller after unlocking).
    private func insertLocked(_ key: Key, _ value: Value) -> [Key: Value] {
        var dropped: [Key: Value] = [:]
        if current[key] == nil, current.count >= capacity / 2 {
            dropped = previous
            previous = current
            current = [:]
            current.reserveCapacity(capacity / 2)
        }
        current[key] = value
        return dropped
    }
}
