import HSMCrypto
import HostProtocol

/// `TS`/`TT` import an RSA private key from under a transport key (the inverse of `TR`).
/// Request (`RSAImportRequest`): mode 2N, TK type 3H, TK, DERIVE, `K` index 4N (`K9999`:
/// not stored; else label length 2N, label), DER public key, d, p, q, dP, dQ, qInv (each 4N
/// + bytes under the TK; CBC with a zero IV).
/// Response (`RSAPrivateKeyResponse`): length 4N, private key blob (usage any).
/// Errors: `27` TK type, `10` TK refused, `15` bad DER, components not whole blocks, or a key
/// that does not check (primes, exponents, n = p q, the public key's n and e).
enum RSAImportHandler {
    static let entry = (RSAImportRequest.command, CommandHandler(writesState: true, run: Handlers.typed(importKey)))

    static func importKey(_ ctx: HandlerContext, _ r: RSAImportRequest) throws -> RSAPrivateKeyResponse {
        guard HSMCrypto.RSA.isValidPublicKey(r.publicKey) else { throw HostFailure(.invalidInput) }
        var tk = try RSAHandlerSupport.transportKey(ctx, r.transportKey)
        defer { tk.wipe() }
        let iv: [UInt8]? = r.transportKey.mode == 1 ? [UInt8](repeating: 0, count: tk.blockSize) : nil
        let (n, e) = try RSAHandlerSupport.crypto { try HSMCrypto.RSA.publicComponents(r.publicKey) }
        let w = r.components
        var c = HSMCrypto.RSA.Components(n: n, e: e, d: try RSAHandlerSupport.unwrapComponent(w.d, tk, cbcIV: iv),
                                         p: try RSAHandlerSupport.unwrapComponent(w.p, tk, cbcIV: iv),
                                         q: try RSAHandlerSupport.unwrapComponent(w.q, tk, cbcIV: iv),
                                         dP: try RSAHandlerSupport.unwrapComponent(w.dP, tk, cbcIV: iv),
                                         dQ: try RSAHandlerSupport.unwrapComponent(w.dQ, tk, cbcIV: iv),
                                         qInv: try RSAHandlerSupport.unwrapComponent(w.qInv, tk, cbcIV: iv))
        defer { c.wipe() }
        var der = try RSAHandlerSupport.crypto { try HSMCrypto.RSA.privateKey(from: c) }
        defer { SecureBytes.wipe(&der) }
        let blob = try RSAHandlerSupport.wrap(ctx, der: der, usage: .any)
        if let t = r.store { try RSAHandlerSupport.store(ctx, t, blob: blob, publicKey: r.publicKey) }
        return RSAPrivateKeyResponse(privateKeyUnderLMK: blob)
    }
}
