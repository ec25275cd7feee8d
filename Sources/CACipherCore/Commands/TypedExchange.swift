import COpenSSL
import HostProtocol

/// The one path every typed command takes: encode the shared request layout, send it
/// through the host group (whose connection checks the reply answers the command and parses
/// its error code, `CheckedReply`), map an HSM error to `CACipherError(hsm:)`
/// and decode the shared response layout (`.badFrame` when it does not decode).
///
/// Messages name the command and the HSM's error text, never request or reply data.
extension CACipherClient {
    /// Sends `request` and returns the decoded reply fields of a `00` answer.
    ///
    /// - Parameters:
    ///   - name: the command's readable name for messages ("generate key").
    ///   - idempotent: `false` for commands that store into the HSM (see docs/failover.md).
    ///   - secret: the request or reply holds a clear secret (clear PIN): both byte buffers
    ///     are zeroed before returning.
    func command<Req: HostCommandRequest, Rsp: HostCommandResponse>(
        _ request: Req, _ name: String, _ response: Rsp.Type, idempotent: Bool = true, secret: Bool = false
    ) throws -> Rsp {
        try exchange(request, name, idempotent: idempotent, secret: secret) { code, fields in
            guard code == .ok else { throw TypedCommand.hsmError(code, Req.command, name) }
            do {
                return try Rsp.decodeAll(fields)
            } catch let e as FieldError {
                throw CACipherError(.badFrame, "\(name) (\(Req.command)): reply does not decode: \(e)")
            }
        }
    }

    /// Sends a verify command (`M8`, `E6`): `true` for `00`, `false` for `01`, any other code
    /// is thrown.
    func verification<Req: HostCommandRequest>(_ request: Req, _ name: String) throws -> Bool {
        try exchange(request, name, idempotent: true, secret: false) { code, fields in
            if code == .ok || code == .verificationFailed {
                // M9/E7 carry no fields: a reply with any is malformed, never a "match".
                guard fields.isEmpty else {
                    throw CACipherError(.badFrame, "\(name) (\(Req.command)): reply has \(fields.count) unexpected bytes after the error code")
                }
                return code == .ok
            }
            throw TypedCommand.hsmError(code, Req.command, name)
        }
    }

    /// Encodes, sends and hands the checked reply's `ERR` and fields to `body`.
    func exchange<Req: HostCommandRequest, T>(
        _ request: Req, _ name: String, idempotent: Bool, secret: Bool,
        _ body: (HostErrorCode, ArraySlice<UInt8>) throws -> T
    ) throws -> T {
        // Room for most requests (M6/M8 with 64 bytes of data need 175): no regrowth.
        var w = FieldWriter(capacity: 256)
        w.append(Req.command)
        do {
            try request.encode(into: &w)
        } catch let e as FieldError {
            if secret { SecureBytes.wipe(&w.bytes) }
            throw CACipherError(.invalidArgument, "\(name) (\(Req.command)): \(e)")
        }
        var reply: CheckedReply
        do {
            reply = try transmitChecked(w.bytes, idempotent: idempotent)
        } catch {
            if secret { SecureBytes.wipe(&w.bytes) }
            throw error
        }
        if secret { SecureBytes.wipe(&w.bytes) }
        defer {
            if secret {
                SecureBytes.wipe(&reply.bytes)
                if let hook = TypedCommand.secretReplyWiped { hook(reply.bytes) }
            }
        }
        // The connection checked the reply answers `Req.command` and parsed its error code.
        return try body(reply.code, reply.fields)
    }
}

/// Helpers shared by the typed commands: argument checks (before anything goes on the
/// wire) and error mapping.
enum TypedCommand {
    /// Test hook: sees the reply buffer of a `secret` exchange after it is zeroed (nil
    /// outside tests; one load on the path).
    nonisolated(unsafe) static var secretReplyWiped: (([UInt8]) -> Void)?

    static func hsmError(_ code: HostErrorCode, _ command: CommandCode, _ name: String) -> CACipherError {
        let d = code.wire
        let two = String(decoding: [d.0, d.1], as: UTF8.self)
        return CACipherError(hsm: code.rawValue, "\(name) (\(command)): HSM error \(two): \(code.message)")
    }

    static func invalid(_ name: String, _ what: String) -> CACipherError {
        CACipherError(.invalidArgument, "\(name): \(what)")
    }

    /// An argument refused by its value rule: the message names it, and so does
    /// `CACipherError.argument` (the C layer maps it to its own argument's name).
    static func invalid(_ name: String, argument: String, _ what: String) -> CACipherError {
        var e = CACipherError(.invalidArgument, "\(name): \(argument) \(what)")
        e.argument = argument
        return e
    }

    /// An argument refused in words that do not start with its name ("CBC needs an IV ..."):
    /// the message is `what`, `CACipherError.argument` names the argument all the same.
    static func invalid(_ name: String, _ what: String, naming argument: String) -> CACipherError {
        var e = invalid(name, what)
        e.argument = argument
        return e
    }

    /// A key field: encrypted material of the scheme's length in `form` (SM4/AES keys under
    /// the LMK carry an 8-byte authenticator, keys under a ZMK do not), or an index 1...9999.
    static func checkKey(_ key: KeyField, _ argument: String, _ name: String, form: KeyFieldForm = .underLMK) throws {
        switch key {
        case let .encrypted(scheme, material):
            let need = scheme.materialLength(form)
            guard material.count == need else {
                let under = form == .underLMK ? "under the LMK" : "under a ZMK"
                throw invalid(name, "\(argument): scheme \(String(decoding: [scheme.tag], as: UTF8.self)) \(under) needs \(need) bytes of key material, got \(material.count)")
            }
        case let .stored(index):
            guard (1...9999).contains(index) else { throw invalid(name, "\(argument): key index \(index) is out of range (1 to 9999)") }
        }
    }

    /// A key a command returns in a scheme the request named (`A0`, `A4`, `A6`, `A8`, `AM`,
    /// `AN`, `KD`, `KR`, `SI`, `TW`, `TY`) must have that scheme's length and family (`U`
    /// for `X` is fine): with a KCV of 6H, 8H or 16H accepted, a reply split another way (a
    /// bare single-DES key and an 8H KCV where a double-length key was asked) is refused,
    /// never handed out as a weaker key.
    static func checkReturnedKey(_ key: KeyField, _ scheme: KeyScheme, _ what: String, _ command: CommandCode, _ name: String) throws {
        guard case let .encrypted(got, _) = key else {
            throw CACipherError(.badFrame, "\(name) (\(command)): reply gives an index for the \(what)")
        }
        guard got.keyLength == scheme.keyLength, got.algorithm == scheme.algorithm else {
            throw CACipherError(.badFrame, "\(name) (\(command)): reply's \(what) is a key of scheme \(String(decoding: [got.tag], as: UTF8.self)), not of the scheme asked for (\(String(decoding: [scheme.tag], as: UTF8.self)))")
        }
    }

    static func checkStore(_ store: StoreTarget?, _ name: String) throws {
        guard let s = store else { return }
        guard (1...9999).contains(s.index) else { throw invalid(name, argument: "store index", "\(s.index) is out of range (1 to 9999)") }
        let l = Array(s.label.utf8)
        guard l.count <= 99 else { throw invalid(name, argument: "label", "of \(l.count) bytes is longer than 99") }
        guard l.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw invalid(name, argument: "label", "must be printable ASCII") }
    }

    /// Exactly 12 decimal digits (the account number field).
    static func checkAccount(_ account: String, _ argument: String, _ name: String) throws {
        let u = Array(account.utf8)
        guard u.count == 12, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw invalid(name, argument: argument, "must be 12 decimal digits (the rightmost 12 of the PAN without its check digit)")
        }
    }

    static func checkPINBlock(_ block: [UInt8], _ argument: String, _ name: String) throws {
        guard block.count == 8 || block.count == 16 else {
            throw invalid(name, argument: argument, "must be 8 bytes (DES keys) or 16 bytes (SM4/AES keys), got \(block.count)")
        }
    }

    static func checkPINUnderLMK(_ v: [UInt8], _ name: String) throws {
        guard v.count == 8 else { throw invalid(name, argument: "PIN under LMK", "must be 8 bytes, got \(v.count)") }
    }

    /// Exactly 16 decimal digits (the PAN/PSN field of the EMV commands: PAN and PAN
    /// sequence number, rightmost 16).
    static func checkPAN(_ pan: String, _ name: String) throws {
        let u = Array(pan.utf8)
        guard u.count == 16, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw invalid(name, argument: "PAN", "must be 16 decimal digits (PAN and PAN sequence number, rightmost 16)")
        }
    }

    static func checkMaxPINLength(_ n: Int, _ name: String) throws {
        guard (4...12).contains(n) else { throw invalid(name, argument: "maximum PIN length", "\(n) is out of range (4 to 12)") }
    }

    /// The block size an IV must have for `key`: 8 (DES), 16 (SM4/AES); either for a stored key.
    static func checkIV(_ iv: [UInt8], key: KeyField, _ name: String, argument: String = "IV") throws {
        if case let .encrypted(s, _) = key {
            guard iv.count == s.algorithm.blockSize else {
                throw invalid(name, argument: argument, "must be \(s.algorithm.blockSize) bytes for this key, got \(iv.count)")
            }
        } else {
            guard iv.count == 8 || iv.count == 16 else { throw invalid(name, argument: argument, "must be 8 or 16 bytes, got \(iv.count)") }
        }
    }

    static func checkSM2(_ key: SM2KeyField, bytes: Int, _ argument: String, _ name: String) throws {
        switch key {
        case let .stored(i):
            guard (1...9999).contains(i) else { throw invalid(name, "\(argument): key index \(i) is out of range (1 to 9999)") }
        case let .value(v):
            guard v.count == bytes else { throw invalid(name, "\(argument) must be \(bytes) bytes, got \(v.count)") }
        }
    }

    /// A length that goes into a 4N field.
    static func check4N(_ count: Int, _ argument: String, _ name: String, min: Int = 0) throws {
        guard count >= min, count <= 9999 else { throw invalid(name, argument: argument, "of \(count) bytes is out of range (\(min) to 9999)") }
    }
}
