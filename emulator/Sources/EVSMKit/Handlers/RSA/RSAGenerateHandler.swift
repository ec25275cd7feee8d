import HSMCrypto
import HostProtocol

/// `EI`/`EJ` generate an RSA key pair (OpenSSL keygen through HSMCrypto).
/// Request (`RSAGenerateRequest`): usage 1N (0 sign, 1 key management, 2 any), modulus bits
/// 4N (1024...4096, a multiple of 8), encoding 2N (`01` DER), [exponent length 4N + exponent:
/// 3 or 65537; default 65537], [`K` index 4N (1...9998), label length 2N, label].
/// Response (`RSAGenerateResponse`): DER public key, private key length 4N, private key blob.
/// Errors: `15` usage, bits, encoding, exponent or index out of range.
enum RSAGenerateHandler {
    static let entry = (RSAGenerateRequest.command, CommandHandler(runsLong: true, writesState: true, run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: RSAGenerateRequest) throws -> RSAGenerateResponse {
        guard let usage = RSAHandlerSupport.Usage(rawValue: UInt8(clamping: r.usage)), r.encoding == 1,
              r.modulusBits >= HSMCrypto.RSA.minBits, r.modulusBits <= HSMCrypto.RSA.maxBits, r.modulusBits % 8 == 0 else {
            throw HostFailure(.invalidInput)
        }
        let e = r.exponent ?? 65537
        guard e == 3 || e == 65537 else { throw HostFailure(.invalidInput) }
        if let t = r.store, t.index >= RSAKeyReference.inlineIndex { throw HostFailure(.invalidInput) }
        var der = try HSMCrypto.RSA.generatePrivateKey(bits: r.modulusBits, exponent: e)
        defer { SecureBytes.wipe(&der) }
        let pub = try HSMCrypto.RSA.publicKey(ofPrivateKey: der)
        let blob = try RSAHandlerSupport.wrap(ctx, der: der, usage: usage)
        if let t = r.store { try RSAHandlerSupport.store(ctx, t, blob: blob, publicKey: pub) }
        return RSAGenerateResponse(publicKey: pub, privateKeyUnderLMK: blob)
    }
}
