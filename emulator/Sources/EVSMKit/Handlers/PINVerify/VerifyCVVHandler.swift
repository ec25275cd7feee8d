import HostProtocol

/// `CY`/`CZ` verify a Visa CVV.
/// Request (`VerifyCVVRequest`): CVK, CVV 3N, full PAN 8..19N, `;`, expiry 4N, service code 3N.
/// Response: no fields; `00` the CVV matches, `01` it does not.
/// Errors: as `CW` (`10`, `26`, `27`); besides `13`, `15`, `80` from the request layout.
enum VerifyCVVHandler {
    static let entry = (VerifyCVVRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try VerifyCVVRequest.decodeAll(fields)
        var k = try PINVerifyHandlerSupport.cvk(ctx, r.cvk)
        defer { k.wipe() }
        let cvv = try PINVerifyHandlerSupport.cvv(key: k, pan: r.pan, expiry: r.expiry, serviceCode: r.serviceCode)
        return HandlerOutput(code: Prim.equal(Array(cvv.utf8), Array(r.cvv.utf8)) ? .ok : .verificationFailed, fields: [])
    }
}
