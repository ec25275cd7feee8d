import CACipherCore
import HostProtocol

/// Sending a request the typed calls do not cover exactly (a vendor value outside the typed
/// enums, such as hash algorithm 02 MD5), through the same codec (`HostProtocol`'s layouts)
/// and the same group: encode, `transmitChecked` (the connection checks the response code), pass an HSM error
/// through as its number, decode the reply.
enum CompatExchange {
    static func send<Req: HostCommandRequest, Rsp: HostCommandResponse>(
        _ client: CACipherClient, _ request: Req, _ response: Rsp.Type, idempotent: Bool = true
    ) throws -> Rsp {
        var w = FieldWriter(capacity: 256)
        w.append(Req.command)
        do {
            try request.encode(into: &w)
        } catch let e as FieldError {
            throw CompatError(HAR.paramValue, "\(Req.command): \(e)")
        }
        var reply = try client.transmitChecked(w.bytes, idempotent: idempotent)
        defer { SecureBytes.zero(&reply.bytes) }
        let code = reply.code  // checked by the connection: the reply answers Req.command
        guard code == .ok else { throw CompatError(Int32(code.rawValue), "\(Req.command): HSM error \(code.rawValue): \(code.message)") }
        do {
            return try Rsp.decodeAll(reply.fields)
        } catch {
            throw CompatError(HAR.msgRspCode, "\(Req.command): the reply does not decode")
        }
    }
}
