import HSMCrypto
import HostProtocol

/// `E7`/`E8` generate an SM2 key pair (vendor layout).
/// Request (`SM2GenerateRequest`): curve `07`, [`K` index 4N, label length 2N, label;
/// `K9999` = not stored].
/// Response (`SM2GenerateResponse`): DER public key (91 bytes), 4N length, private key under
/// the LMK (40 bytes).
/// Errors: `15` curve other than `07`, index `0000`; besides `13`, `15`, `80` from the
/// request layout.
enum SM2GenerateHandler {
    static let entry = (SM2GenerateRequest.command, CommandHandler(writesState: true, run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: SM2GenerateRequest) throws -> SM2GenerateResponse {
        var d = try SM2Ops.generatePrivate()
        defer { SecureBytes.wipe(&d) }
        let q = try SM2Ops.publicKey(ofPrivate: d)
        let blob = try SM2HandlerSupport.wrap(ctx, d)
        if let t = r.store, r.stores { try SM2HandlerSupport.store(ctx, index: t.index, label: t.label, blob: blob, q: q) }
        return SM2GenerateResponse(publicKeyDER: try SM2HandlerSupport.der(q), privateKeyUnderLMK: blob)
    }
}
