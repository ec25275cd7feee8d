import HSMCrypto
import HostProtocol

/// `TV`/`TW` export a symmetric key (optionally derived) under an RSA public key.
/// Request (`RSAExportSymmetricKeyRequest`): padding 2N (`01`), key type 3H, key, DERIVE,
/// RSA public key (`K` index, or `K9999` + DER + authentication data + `;` + `EO` MAC).
/// Response (`RSAExportSymmetricKeyResponse`): cryptogram 4N + bytes (PKCS#1 v1.5 of the
/// clear key bytes), KCV 16H of the (derived) key.
/// Errors: `10` key parity / authenticator for the type, `01` the public key's MAC does not
/// verify, `15` padding, DER, derivation, `12`/`27` for an index.
enum RSAExportSymmetricKeyHandler {
    static let entry = (RSAExportSymmetricKeyRequest.command, CommandHandler(run: Handlers.typed(export)))

    static func export(_ ctx: HandlerContext, _ r: RSAExportSymmetricKeyRequest) throws -> RSAExportSymmetricKeyResponse {
        guard r.padding == 1 else { throw HostFailure(.invalidInput) }
        try KeyHandlerSupport.requireKnownType(r.keyType)
        let pub: [UInt8]
        switch r.publicKey {
        case let .stored(i): pub = try RSAHandlerSupport.publicKey(ctx, .stored(index: i))
        case let .inline(der, auth, mac):
            guard HSMCrypto.RSA.isValidPublicKey(der) else { throw HostFailure(.invalidInput) }
            guard Prim.equal(try RSAHandlerSupport.publicKeyMAC(ctx, publicKey: der, authData: auth), mac) else {
                throw HostFailure(.verificationFailed)
            }
            pub = der
        }
        var k = try ctx.clearKey(r.key, type: r.keyType)
        defer { k.wipe() }
        try RSAHandlerSupport.derive(&k, r.derivation)
        let c = try RSAHandlerSupport.crypto { try HSMCrypto.RSA.encrypt(k.bytes, publicKey: pub, padding: .pkcs1) }
        return RSAExportSymmetricKeyResponse(cryptogram: c, checkValue: try HandlerContext.checkValue(k))
    }
}
