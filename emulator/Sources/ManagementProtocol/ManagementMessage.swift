// Management channel messages (inside TLS). One frame:
//
//   u32 BE  length of everything after it (at most `maxFrame`)
//   u32 BE  length J of the JSON part
//   J bytes JSON object (UTF-8): the request or response, with no secret values in it
//   rest    secret bytes (components, shares), referenced from the JSON as
//           "secret": [offset, length] into this part
//
// Secrets are kept out of the JSON so they stay in byte buffers that are zeroed after use.
import Foundation
import HostProtocol
import HSMCrypto

public struct ManagementMessage {
    public static let maxFrame = ManagementLimits.maxFrame
    public var json: [String: Any]
    public var secrets: [UInt8]

    public init(_ json: [String: Any] = [:], secrets: [UInt8] = []) {
        self.json = json
        self.secrets = secrets
    }

    public subscript(key: String) -> Any? {
        get { json[key] }
        set { json[key] = newValue }
    }

    public mutating func wipe() { SecureBytes.wipe(&secrets) }

    /// Appends secret bytes and returns the reference to put into the JSON.
    public mutating func addSecret(_ bytes: [UInt8]) -> [Int] {
        let ref = [secrets.count, bytes.count]
        secrets += bytes
        return ref
    }

    /// Appends a secret buffer's bytes and returns the reference to put into the JSON.
    public mutating func addSecret(_ bytes: SecureBytes) -> [Int] {
        let ref = [secrets.count, bytes.count]
        bytes.withUnsafeBytes { secrets.append(contentsOf: $0) }
        return ref
    }

    /// The secret bytes a `[offset, length]` reference names, or nil when it is malformed.
    public func secret(_ ref: Any?) -> SecureBytes? {
        guard let r = ref as? [Any], r.count == 2, let o = r[0] as? Int, let l = r[1] as? Int,
              o >= 0, l >= 0, l <= secrets.count, o <= secrets.count - l else { return nil }
        return SecureBytes(secrets[o..<o + l])
    }

    /// Frame bytes (length prefix included). The caller zeroes them after sending.
    public func encode() throws -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(json),
              let data = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) else {
            throw CeremonyError(.channel, "cannot encode a management message")
        }
        let total = 4 + data.count + secrets.count
        guard total <= Self.maxFrame else { throw CeremonyError(.channel, "management message too large") }
        var out: [UInt8] = []
        out.reserveCapacity(4 + total)
        out += Self.be32(total) + Self.be32(data.count) + [UInt8](data) + secrets
        return out
    }

    /// Parses a frame body (what follows the outer length).
    public static func decode(body: [UInt8]) throws -> ManagementMessage {
        guard body.count >= 4 else { throw CeremonyError(.badRequest, "management frame too short") }
        let j = Int(body[0]) << 24 | Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
        guard j <= body.count - 4 else { throw CeremonyError(.badRequest, "management frame JSON length out of range") }
        guard let obj = try? JSONSerialization.jsonObject(with: Data(body[4..<4 + j])),
              let dict = obj as? [String: Any] else {
            throw CeremonyError(.badRequest, "management frame is not a JSON object")
        }
        return ManagementMessage(dict, secrets: Array(body[(4 + j)...]))
    }

    static func be32(_ n: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
    }

    public static func frameLength(_ prefix: [UInt8]) -> Int? {
        guard prefix.count == 4 else { return nil }
        let n = Int(prefix[0]) << 24 | Int(prefix[1]) << 16 | Int(prefix[2]) << 8 | Int(prefix[3])
        return (4...maxFrame).contains(n) ? n : nil
    }

    // MARK: responses

    public static func ok(_ fields: [String: Any] = [:]) -> ManagementMessage {
        var j = fields
        j["ok"] = true
        return ManagementMessage(j)
    }

    public static func failure(_ e: CeremonyError) -> ManagementMessage {
        ManagementMessage(["ok": false, "code": e.code.rawValue, "message": e.message])
    }

    /// Throws the CeremonyError a failure response carries.
    public func throwIfFailure() throws {
        if json["ok"] as? Bool == true { return }
        let code = (json["code"] as? String).flatMap(CeremonyError.Code.init(rawValue:)) ?? .channel
        throw CeremonyError(code, json["message"] as? String ?? "the device refused the request")
    }

    // MARK: typed fields

    public func int(_ key: String) -> Int? { json[key] as? Int }
    public func string(_ key: String) -> String? { json[key] as? String }
    public func bool(_ key: String) -> Bool { json[key] as? Bool ?? false }

    // MARK: components and shares

    public mutating func encode(component c: DMKComponent) -> [String: Any] {
        ["ceremonyID": c.ceremonyID, "index": c.index, "count": c.count, "checkValue": c.checkValue,
         "secret": addSecret(c.bytes)]
    }

    public func decodeComponent(_ any: Any?) -> DMKComponent? {
        guard let d = any as? [String: Any], let id = d["ceremonyID"] as? String, let i = d["index"] as? Int,
              let n = d["count"] as? Int, let cv = d["checkValue"] as? String, let b = secret(d["secret"]) else { return nil }
        return DMKComponent(ceremonyID: id, index: i, count: n, checkValue: cv, bytes: b)
    }

    public static func encode(set s: AuthorisationSet) -> [String: Any] {
        ["setID": s.setID, "threshold": s.threshold, "count": s.count,
         "verifier": Hex.string(s.verifier), "salt": Hex.string(s.salt)]
    }

    public static func decodeSet(_ any: Any?) -> AuthorisationSet? {
        guard let d = any as? [String: Any], let id = d["setID"] as? String, let k = d["threshold"] as? Int,
              let n = d["count"] as? Int, let v = (d["verifier"] as? String).flatMap(Hex.decode),
              let s = (d["salt"] as? String).flatMap(Hex.decode) else { return nil }
        return AuthorisationSet(setID: id, threshold: k, count: n, verifier: v, salt: s)
    }

    public mutating func encode(share s: AuthorisationShare) -> [String: Any] {
        ["set": Self.encode(set: s.set), "x": Int(s.x), "secret": addSecret(s.y)]
    }

    public func decodeShare(_ any: Any?) -> AuthorisationShare? {
        guard let d = any as? [String: Any], let set = Self.decodeSet(d["set"]), let x = d["x"] as? Int,
              ManagementLimits.shareX.contains(x), let y = secret(d["secret"]) else { return nil }
        return AuthorisationShare(set: set, x: UInt8(x), y: y)
    }

    public func decodeShares(_ any: Any?) -> [AuthorisationShare]? {
        guard let list = any as? [Any] else { return any == nil ? [] : nil }
        var out: [AuthorisationShare] = []
        for item in list {
            guard let s = decodeShare(item) else { return nil }
            out.append(s)
        }
        return out
    }
}
