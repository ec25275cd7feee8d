import Foundation
import HSMCrypto
import HSMNet

/// The device's persistent state in a `--state DIR`, emulating battery-backed tamper memory.
///
/// - `device.key`: 32 random bytes, mode 0600, made once: the device-local key. On a real
///   HSM this key never leaves the tamper boundary; here it is a file (this is an emulator).
/// - `secure-memory.bin`: `EVSM1` magic, 12-byte nonce, AES-256-GCM(device key, state JSON)
///   with the magic as AAD. The whole state (DMK, authorisation record, stored keys) is one
///   sealed blob, so one atomic replace updates everything.
///
/// Writes are atomic: temp file in the same directory, `fsync`, `rename`, `fsync` of the
/// directory. A crash mid-write leaves the previous file intact.
///
/// The device key is a `SecureBytes`: its storage is zeroed when the memory goes away.
final class SecureMemory {
    static let magic = Array("EVSM1".utf8)
    let directory: URL
    /// The device-local key (internal for the wipe tests; never leaves this type otherwise).
    let deviceKey: SecureBytes

    static let memoryFile = "secure-memory.bin"
    var memoryPath: String { directory.appendingPathComponent(Self.memoryFile).path }
    var keyPath: String { directory.appendingPathComponent("device.key").path }

    init(directory path: String) throws {
        directory = URL(fileURLWithPath: path, isDirectory: true)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeviceError.storage("cannot create \(path)")
        }
        let kp = directory.appendingPathComponent("device.key").path
        if fm.fileExists(atPath: kp) {
            guard let d = fm.contents(atPath: kp), d.count == 32 else { throw DeviceError.storage("device.key is unreadable") }
            deviceKey = SecureBytes(d)
        } else {
            if fm.fileExists(atPath: directory.appendingPathComponent(Self.memoryFile).path) { throw DeviceError.secureMemoryUnreadable }
            var k = try Prim.random(32)
            defer { SecureBytes.wipe(&k) }
            try Self.atomicWrite(k, to: kp)
            deviceKey = SecureBytes(k)
        }
    }

    /// The stored state, or nil when the device has never written one (factory-fresh).
    func load() throws -> PersistedState? {
        guard let d = FileManager.default.contents(atPath: memoryPath) else { return nil }
        let b = [UInt8](d)
        let m = Self.magic.count
        guard b.count > m + 12 + 16, Array(b[0..<m]) == Self.magic else { throw DeviceError.secureMemoryUnreadable }
        var plain: [UInt8]
        do {
            plain = try deviceKey.withTemporaryArray {
                try Prim.gcmOpen(key: $0, nonce: Array(b[m..<(m + 12)]), sealed: Array(b[(m + 12)...]), aad: Self.magic)
            }
        } catch {
            throw DeviceError.secureMemoryUnreadable
        }
        defer { SecureBytes.wipe(&plain) }
        do {
            return try JSONDecoder().decode(PersistedState.self, from: Data(plain))
        } catch {
            throw DeviceError.secureMemoryUnreadable
        }
    }

    func save(_ state: PersistedState) throws {
        var plain: [UInt8]
        do { plain = [UInt8](try JSONEncoder().encode(state)) } catch { throw DeviceError.storage("cannot encode state") }
        defer { SecureBytes.wipe(&plain) }
        let nonce = try Prim.random(12)
        let sealed = try deviceKey.withTemporaryArray { try Prim.gcmSeal(key: $0, nonce: nonce, plain: plain, aad: Self.magic) }
        try Self.atomicWrite(Self.magic + nonce + sealed, to: memoryPath)
    }

    /// `HSMNet.AtomicFile` (temp + fsync + rename + directory fsync; mode 0600).
    static func atomicWrite(_ bytes: [UInt8], to path: String) throws {
        do {
            try HSMNet.AtomicFile.write(bytes, to: path, mode: 0o600)
        } catch let f as HSMNet.AtomicFile.Failure {
            switch f.step {
            case .create: throw DeviceError.storage("cannot create a temporary file")
            case .write: throw DeviceError.storage("write failed")
            case .sync: throw DeviceError.storage("fsync failed")
            case .rename: throw DeviceError.storage("rename failed")
            }
        }
    }
}
