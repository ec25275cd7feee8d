// A UKEY is a PIN-protected file standing in for the vendor's USB token.
//
// Format: versioned JSON. The public part (kind, ceremony/set id, index of count, check
// value, KDF parameters, lock state and failed-try counter) is readable without the PIN.
// The secret part is sealed with AES-256-GCM under a key from PBKDF2-HMAC-SHA256 of the PIN;
// the immutable public fields are bound as AAD, so editing any of them makes the tag fail.
// A wrong PIN is detected by the tag, counted in the file (atomic rewrite), and after
// `maxTries` wrong PINs in a row the UKEY is locked for good: even the right PIN is refused.
import Foundation
import HostProtocol
import HSMCrypto
import ManagementProtocol

public enum UKEYKind: String, Codable, Sendable {
    case dmkComponent = "dmk-component"
    case authorisation = "authorisation"
}

/// The public part of a UKEY, readable without its PIN.
public struct UKEYStatus: Sendable, CustomStringConvertible {
    public var path: String
    public var kind: UKEYKind
    /// Ceremony id (component) or authorisation set id.
    public var id: String
    public var index: Int
    public var count: Int
    public var threshold: Int?
    public var checkValue: String?
    public var failedTries: Int
    public var maxTries: Int
    public var locked: Bool
    public var iterations: Int

    public var triesLeft: Int { locked ? 0 : max(0, maxTries - failedTries) }

    public var description: String {
        var s: String
        switch kind {
        case .dmkComponent:
            s = "\(path): DMK component \(index) of \(count), ceremony \(id), check value \(checkValue ?? "-")"
        case .authorisation:
            s = "\(path): authorisation share \(index) of \(count) (quorum \(threshold ?? 0)-of-\(count)), set \(id)"
        }
        s += locked ? ", LOCKED after \(failedTries) wrong PINs" : ", \(triesLeft) of \(maxTries) PIN tries left"
        return s
    }
}

public enum UKEYFile {
    public static let formatName = "evsm-ukey"
    public static let version = 1
    /// PBKDF2 iterations for new UKEYs. Tests may pass a lower count explicitly.
    public static let defaultIterations = 200_000
    /// Wrong PINs in a row before the UKEY locks.
    public static let maxTries = 5
    static let maxIterations = 10_000_000

    struct KDF: Codable {
        var algorithm: String
        var iterations: Int
        var salt: String
    }
    struct Cipher: Codable {
        var algorithm: String
        var nonce: String
        var ciphertext: String
        var tag: String
    }
    struct Document: Codable {
        var format: String
        var version: Int
        var kind: UKEYKind
        var id: String
        var index: Int
        var count: Int
        var threshold: Int?
        var checkValue: String?
        var kdf: KDF
        var cipher: Cipher
        var maxTries: Int
        var failedTries: Int
        var locked: Bool

        /// The immutable public fields, bound to the secret part as AAD.
        var aad: [UInt8] {
            let parts: [String] = [format, String(version), kind.rawValue, id, String(index), String(count),
                                   threshold.map(String.init) ?? "-", checkValue ?? "-",
                                   kdf.algorithm, String(kdf.iterations), kdf.salt,
                                   cipher.algorithm, cipher.nonce, String(maxTries)]
            return Array(parts.joined(separator: "\u{0}").utf8)
        }
    }

    // MARK: writing

    /// Writes a new DMK component UKEY (mode 0600, atomically). Fails if `path` exists.
    public static func write(component: DMKComponent, pin: SecureBytes, to path: String,
                             iterations: Int = defaultIterations) throws {
        try component.bytes.withTemporaryArray { secret in
            try create(kind: .dmkComponent, id: component.ceremonyID, index: component.index, count: component.count,
                       threshold: nil, checkValue: component.checkValue, secret: secret, pin: pin,
                       path: path, iterations: iterations)
        }
    }

    /// Writes a new authorisation UKEY holding one share (mode 0600, atomically).
    public static func write(share: AuthorisationShare, pin: SecureBytes, to path: String,
                             iterations: Int = defaultIterations) throws {
        var secret: [UInt8] = [share.x, UInt8(truncatingIfNeeded: share.y.count)]
        share.y.withUnsafeBytes { secret.append(contentsOf: $0) }
        secret += [UInt8(truncatingIfNeeded: share.set.verifier.count)] + share.set.verifier
        secret += [UInt8(truncatingIfNeeded: share.set.salt.count)] + share.set.salt
        defer { SecureBytes.wipe(&secret) }
        try create(kind: .authorisation, id: share.set.setID, index: Int(share.x), count: share.set.count,
                   threshold: share.set.threshold, checkValue: nil, secret: secret, pin: pin,
                   path: path, iterations: iterations)
    }

    public static func checkPINRules(_ pin: SecureBytes) throws {
        guard (4...64).contains(pin.count) else {
            throw CeremonyError(.badRequest, "a UKEY PIN must have 4 to 64 characters")
        }
    }

    private static func create(kind: UKEYKind, id: String, index: Int, count: Int, threshold: Int?,
                               checkValue: String?, secret: [UInt8], pin: SecureBytes, path: String,
                               iterations: Int) throws {
        try checkPINRules(pin)
        guard (1...maxIterations).contains(iterations) else {
            throw CeremonyError(.badRequest, "PBKDF2 iteration count out of range")
        }
        try DirectoryLock.withLock(around: path) {
            try createLocked(kind: kind, id: id, index: index, count: count, threshold: threshold, checkValue: checkValue,
                             secret: secret, pin: pin, path: path, iterations: iterations)
        }
    }

    /// `create` under the directory lock: the existence check and the rename cannot interleave
    /// with another writer's.
    private static func createLocked(kind: UKEYKind, id: String, index: Int, count: Int, threshold: Int?,
                                     checkValue: String?, secret: [UInt8], pin: SecureBytes, path: String,
                                     iterations: Int) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw CeremonyError(.ukeyIO, "\(path) already exists; a UKEY is never overwritten")
        }
        do {
            let salt = try Random.bytes(16)
            let nonce = try Random.bytes(12)
            var doc = Document(format: formatName, version: version, kind: kind, id: id, index: index, count: count,
                               threshold: threshold, checkValue: checkValue,
                               kdf: KDF(algorithm: "PBKDF2-HMAC-SHA256", iterations: iterations, salt: Hex.string(salt)),
                               cipher: Cipher(algorithm: "AES-256-GCM", nonce: Hex.string(nonce), ciphertext: "", tag: ""),
                               maxTries: maxTries, failedTries: 0, locked: false)
            var key = try pin.withTemporaryArray { try HSMCrypto.KDF.pbkdf2SHA256(password: $0, salt: salt, iterations: iterations, length: 32) }
            defer { SecureBytes.wipe(&key) }
            let sealed = try AEAD.sealAES256GCM(key: key, nonce: nonce, plaintext: secret, aad: doc.aad)
            doc.cipher.ciphertext = Hex.string(sealed.ciphertext)
            doc.cipher.tag = Hex.string(sealed.tag)
            try store(doc, path)
        } catch let e as CeremonyError {
            throw e
        } catch {
            throw CeremonyError(.deviceFailure, "cannot seal UKEY \(path): crypto failure")
        }
    }

    private static func store(_ doc: Document, _ path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? enc.encode(doc) else { throw CeremonyError(.ukeyFormat, "cannot encode UKEY") }
        try AtomicFile.write([UInt8](data) + [0x0A], to: path)
    }

    // MARK: reading

    static func load(_ path: String) throws -> Document {
        let bytes = try AtomicFile.read(path)
        guard let doc = try? JSONDecoder().decode(Document.self, from: Data(bytes)) else {
            throw CeremonyError(.ukeyFormat, "\(path) is not a UKEY file")
        }
        guard doc.format == formatName, doc.version == version else {
            throw CeremonyError(.ukeyFormat, "\(path): unsupported UKEY format or version")
        }
        guard doc.kdf.algorithm == "PBKDF2-HMAC-SHA256", (1...maxIterations).contains(doc.kdf.iterations),
              doc.cipher.algorithm == "AES-256-GCM", doc.index >= 1, doc.count >= 1, doc.index <= doc.count,
              doc.count <= 255, doc.failedTries >= 0, doc.maxTries == maxTries else {
            throw CeremonyError(.ukeyFormat, "\(path): UKEY parameters out of range")
        }
        return doc
    }

    /// The public part, without the PIN.
    public static func status(_ path: String) throws -> UKEYStatus {
        let d = try load(path)
        return UKEYStatus(path: path, kind: d.kind, id: d.id, index: d.index, count: d.count, threshold: d.threshold,
                          checkValue: d.checkValue, failedTries: d.failedTries, maxTries: d.maxTries,
                          locked: d.locked || d.failedTries >= d.maxTries, iterations: d.kdf.iterations)
    }

    /// Opens the secret part with the PIN; counts a wrong PIN in the file and locks after
    /// `maxTries`. Read, check and counter update run under the directory lock, so
    /// concurrent wrong PINs are each counted.
    static func unseal(_ path: String, pin: SecureBytes, expect kind: UKEYKind) throws -> (Document, [UInt8]) {
        try DirectoryLock.withLock(around: path) { try unsealLocked(path, pin: pin, expect: kind) }
    }

    private static func unsealLocked(_ path: String, pin: SecureBytes, expect kind: UKEYKind) throws -> (Document, [UInt8]) {
        var doc = try load(path)
        guard doc.kind == kind else {
            throw CeremonyError(.ukeyKind, "\(path) is a \(doc.kind.rawValue) UKEY, not a \(kind.rawValue) UKEY")
        }
        guard !(doc.locked || doc.failedTries >= doc.maxTries) else {
            throw CeremonyError(.ukeyLocked, "\(path) is locked after \(doc.failedTries) wrong PINs; it cannot be opened any more")
        }
        guard let salt = Hex.decode(doc.kdf.salt), let nonce = Hex.decode(doc.cipher.nonce),
              let ct = Hex.decode(doc.cipher.ciphertext), let tag = Hex.decode(doc.cipher.tag) else {
            throw CeremonyError(.ukeyFormat, "\(path): malformed secret part")
        }
        var key: [UInt8]
        do {
            key = try pin.withTemporaryArray { try HSMCrypto.KDF.pbkdf2SHA256(password: $0, salt: salt, iterations: doc.kdf.iterations, length: 32) }
        } catch {
            throw CeremonyError(.deviceFailure, "\(path): key derivation failed")
        }
        defer { SecureBytes.wipe(&key) }
        let opened = try? AEAD.openAES256GCM(key: key, nonce: nonce, ciphertext: ct, tag: tag, aad: doc.aad)
        guard let plain = opened ?? nil else {
            doc.failedTries += 1
            if doc.failedTries >= doc.maxTries { doc.locked = true }
            try store(doc, path)
            if doc.locked {
                throw CeremonyError(.ukeyLocked, "\(path): wrong PIN (or altered file); the UKEY is now locked")
            }
            throw CeremonyError(.wrongPIN, "\(path): wrong PIN (or altered file); \(doc.maxTries - doc.failedTries) \(doc.maxTries - doc.failedTries == 1 ? "try" : "tries") left before it locks")
        }
        if doc.failedTries != 0 {
            doc.failedTries = 0
            try store(doc, path)
        }
        return (doc, plain)
    }

    /// Opens a DMK component UKEY.
    public static func openComponent(_ path: String, pin: SecureBytes) throws -> DMKComponent {
        var (doc, plain) = try unseal(path, pin: pin, expect: .dmkComponent)
        guard plain.count == 16, let cv = doc.checkValue else {
            SecureBytes.wipe(&plain)
            throw CeremonyError(.ukeyFormat, "\(path): component has the wrong length")
        }
        let c = DMKComponent(ceremonyID: doc.id, index: doc.index, count: doc.count, checkValue: cv, bytes: plain)
        SecureBytes.wipe(&plain)
        doc.cipher.ciphertext = ""
        return c
    }

    /// Opens an authorisation UKEY.
    public static func openShare(_ path: String, pin: SecureBytes) throws -> AuthorisationShare {
        var (doc, plain) = try unseal(path, pin: pin, expect: .authorisation)
        defer { SecureBytes.wipe(&plain) }
        var r = ByteReader(plain)
        guard let x = r.byte(), var y = r.chunk(), let verifier = r.chunk(), let salt = r.chunk(), r.atEnd,
              let k = doc.threshold, k >= 1, k <= doc.count, Int(x) == doc.index, !y.isEmpty else {
            throw CeremonyError(.ukeyFormat, "\(path): malformed authorisation share")
        }
        defer { SecureBytes.wipe(&y) }
        doc.cipher.ciphertext = ""
        let set = AuthorisationSet(setID: doc.id, threshold: k, count: doc.count, verifier: verifier, salt: salt)
        return AuthorisationShare(set: set, x: x, y: y)
    }
}

/// Reads length-prefixed (1 byte) chunks from a secret buffer.
struct ByteReader {
    private let bytes: [UInt8]
    private var pos = 0
    init(_ b: [UInt8]) { bytes = b }
    var atEnd: Bool { pos == bytes.count }
    mutating func byte() -> UInt8? {
        guard pos < bytes.count else { return nil }
        defer { pos += 1 }
        return bytes[pos]
    }
    mutating func chunk() -> [UInt8]? {
        guard let n = byte(), pos + Int(n) <= bytes.count else { return nil }
        defer { pos += Int(n) }
        return Array(bytes[pos..<pos + Int(n)])
    }
}
