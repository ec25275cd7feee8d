import CACipherCore
import HostProtocol

/// Sending a request the typed calls do not cover exactly (a vendor value outside the typed
/// enums, such as hash algorithm 02 MD5), through the same codec (`HostProtocol`'s layouts)
/// and the same group: encode, `transmitChecked` (the connection checks the response code), pass an HSM error
/// through as its number, decode the reply.
enum CompatExchange {
    /// Test hook: sees the request buffer of a `secret` exchange after it is zeroed (nil
    /// outside tests).
    nonisolated(unsafe) static var secretRequestWiped: (([UInt8]) -> Void)?

    static func send<Req: HostCommandRequest, Rsp: HostCommandResponse>(
        _ client: CACipherClient, _ request: Req, _ response: Rsp.Type, idempotent: Bool = true, secret: Bool = false
    ) throws -> Rsp {
        try exchange(client, request, idempotent: idempotent, secret: secret) { _, fields in
            do {
                return try Rsp.decodeAll(fields)
            } catch {
                throw CompatError(HAR.msgRspCode, "\(Req.command): the reply does not decode")
            }
        }
    }

    /// The reply's fields (after the error code of a `00` answer) as received: for the
    /// vendor outputs that are "the whole payload" (vendor spec §5.1). The caller zeroes the
    /// array when it holds a secret.
    static func payload<Req: HostCommandRequest>(
        _ client: CACipherClient, _ request: Req, idempotent: Bool = true, secret: Bool = false
    ) throws -> [UInt8] {
        try exchange(client, request, idempotent: idempotent, secret: secret) { _, f in Array(f) }
    }

    /// As `payload`, for a command whose `01` answer carries fields too (`K6` mode 1: the ARQC
    /// does not verify, the diagnostic follows): whether the answer was `00`, and the fields.
    static func payloadOrMismatch<Req: HostCommandRequest>(_ client: CACipherClient, _ request: Req) throws -> (verified: Bool, payload: [UInt8]) {
        try exchange(client, request, idempotent: true, secret: false, alsoAccept: .verificationFailed) { code, f in (code == .ok, Array(f)) }
    }

    /// Encodes `request`, sends it, passes an HSM error through as its number and hands the
    /// fields of a `00` reply to `body`. The reply buffer is zeroed afterwards; with `secret`
    /// the request buffer too (`BA`'s clear PIN, the clear data of `S3` and `E0`).
    private static func exchange<Req: HostCommandRequest, T>(
        _ client: CACipherClient, _ request: Req, idempotent: Bool, secret: Bool, alsoAccept: HostErrorCode? = nil,
        _ body: (HostErrorCode, ArraySlice<UInt8>) throws -> T
    ) throws -> T {
        var w = FieldWriter(capacity: 256)
        defer {
            if secret {
                SecureBytes.wipe(&w.bytes)
                if let hook = secretRequestWiped { hook(w.bytes) }
            }
        }
        w.append(Req.command)
        do {
            try request.encode(into: &w)
        } catch let e as FieldError {
            throw CompatError(HAR.paramValue, "\(Req.command): \(e)")
        }
        var reply = try client.transmitChecked(w.bytes, idempotent: idempotent)
        defer { SecureBytes.zero(&reply.bytes) }
        let code = reply.code  // checked by the connection: the reply answers Req.command
        guard code == .ok || code == alsoAccept else {
            throw CompatError(Int32(code.rawValue), "\(Req.command): HSM error \(code.rawValue): \(code.message)")
        }
        return try body(code, reply.fields)
    }
}
