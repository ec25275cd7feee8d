import HSMCrypto
import HostProtocol

/// `TR`/`TS` export an RSA private key under a transport key (KEK `000` or MDK `109`).
/// Request (`RSAExportRequest`): mode 2N (`00` ECB, `01` CBC), TK type 3H, TK, DERIVE,
/// private key (`K` index or `K9999` + 4N length + blob), [`P`, padding 2N (`00` only),
/// public-key flag 1N, IV (one block, hex; CBC only)].
/// Response: `RSAExportResponse` (DER public key; flag 0 or no extension) or
/// `RSAExportComponentsResponse` (modulus, exponent; flag 1), then d, p, q, dP, dQ, qInv
/// each 4N + bytes under the TK (left zero padding to whole blocks; CBC restarts from the
/// IV, zeros without one, for each component).
/// Errors: `27` TK type, `10` TK or blob refused, `15` mode, padding, IV length, derivation.
enum RSAExportHandler {
    static let entry = (RSAExportRequest.command, CommandHandler(run: export))

    static func export(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try RSAExportRequest.decodeAll(fields)
        if let e = r.ext, e.padding != 0 { throw HostFailure(.invalidInput) }
        var tk = try RSAHandlerSupport.transportKey(ctx, r.transportKey)
        defer { tk.wipe() }
        var iv: [UInt8]?
        if r.transportKey.mode == 1 {
            let given = r.ext?.iv ?? []
            guard given.isEmpty || given.count == tk.blockSize else { throw HostFailure(.invalidInput) }
            iv = given.isEmpty ? [UInt8](repeating: 0, count: tk.blockSize) : given
        } else if let e = r.ext, !e.iv.isEmpty, e.iv.count != tk.blockSize {
            throw HostFailure(.invalidInput)
        }
        var der = try RSAHandlerSupport.privateKey(ctx, r.privateKey, for: .any)
        defer { SecureBytes.wipe(&der) }
        var c = try HSMCrypto.RSA.components(ofPrivateKey: der)
        defer { c.wipe() }
        let w = RSAWrappedComponents(d: try RSAHandlerSupport.wrapComponent(c.d, tk, cbcIV: iv),
                                     p: try RSAHandlerSupport.wrapComponent(c.p, tk, cbcIV: iv),
                                     q: try RSAHandlerSupport.wrapComponent(c.q, tk, cbcIV: iv),
                                     dP: try RSAHandlerSupport.wrapComponent(c.dP, tk, cbcIV: iv),
                                     dQ: try RSAHandlerSupport.wrapComponent(c.dQ, tk, cbcIV: iv),
                                     qInv: try RSAHandlerSupport.wrapComponent(c.qInv, tk, cbcIV: iv))
        if r.ext?.publicKeyAsComponents == true {
            return HandlerOutput(fields: try RSAExportComponentsResponse(modulus: c.n, exponent: c.e, components: w).fields())
        }
        let pub = try HSMCrypto.RSA.publicKey(ofPrivateKey: der)
        return HandlerOutput(fields: try RSAExportResponse(publicKey: pub, components: w).fields())
    }
}
