import HostProtocol

/// `TX`/`TY` export a symmetric key under an SM2 public key (vendor layout).
/// Request (`SM2ExportSymmetricKeyRequest`): curve `07`, key type 3H (`000`, `00A`, `109`),
/// key, DERIVE, SM2 index 4N (a stored pair) or 9999 + DER + authentication data + `;` +
/// the public key's `TQ` MAC.
/// Response (`SM2ExportSymmetricKeyResponse`): 4N length, SM2 encryption (C1 || C3 || C2) of
/// the clear key (after the DERIVE levels), its KCV 16H.
/// Errors: `27` key type, `10` key not of that type, `01` the public-key MAC does not
/// verify, `15` not an SM2 public key, `12`/`27` for an index; besides `13`, `15`, `80`.
enum SM2ExportSymmetricKeyHandler {
    static let entry = (SM2ExportSymmetricKeyRequest.command, CommandHandler(run: Handlers.typed(export)))
    static let permitted: Set<KeyType> = [.zmk, .zek, .mkAC]

    static func export(_ ctx: HandlerContext, _ r: SM2ExportSymmetricKeyRequest) throws -> SM2ExportSymmetricKeyResponse {
        guard permitted.contains(r.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        let q: [UInt8]
        switch r.publicKey {
        case let .stored(i): q = try SM2HandlerSupport.publicKey(ctx, .stored(index: i))
        case let .carried(der, a, mac):
            q = try SM2HandlerSupport.point(der)
            guard Prim.equal(try SM2HandlerSupport.publicKeyMAC(ctx, der: der, authData: a), mac) else {
                throw HostFailure(.verificationFailed)
            }
        }
        var k = try SM2HandlerSupport.derived(ctx, key: r.key, type: r.keyType, derive: r.derive)
        defer { k.wipe() }
        return SM2ExportSymmetricKeyResponse(keyUnderSM2: try SM2Ops.encrypt(publicKey: q, plain: k.bytes),
                                             checkValue: try HandlerContext.checkValue(k))
    }
}
