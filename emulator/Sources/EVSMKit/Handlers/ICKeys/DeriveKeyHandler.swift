import HostProtocol

/// `KD`/`KE` derive a key from a parent key (PBOC 3.0 / EMV option A).
/// Request (`ICDeriveKeyRequest`): source key type 3H, source KEY, destination key type 3H,
/// destination scheme 1A, mode 1N, DERIVE (count 2N, count x 16H in mode 0 / 32H in mode 1),
/// [SAVED-KEY].
/// Response (`ICKeyResponse`): the derived key under the LMK of the destination type, KCV 16H.
///
/// Each level: mode 0, 8-byte factor F -> data F || ~F; mode 1, 16-byte factor as is; the
/// child is the ECB encryption of the data under the parent (3DES: two blocks; SM4/AES:
/// one block), DES parity adjusted; the child is the parent of the next level.
/// Errors: `27` source type not a derivation parent (`000`, `x09` variant 1...9) or unknown
/// destination type, `10` source parity / authenticator, `26` destination scheme not a
/// 16-byte key of the parent's family (`U`/`X` for DES parents, `R` for SM4, `L` for AES) or
/// SM1, `15` level count not 1...8, mode not 0/1; besides `13`, `15`, `80` from the layout.
enum DeriveKeyHandler {
    static let entry = (ICDeriveKeyRequest.command, CommandHandler(writesState: true, run: Handlers.typed(derive)))

    static func derive(_ ctx: HandlerContext, _ r: ICDeriveKeyRequest) throws -> ICKeyResponse {
        try ICKeysHandlerSupport.requireDerivationParent(r.sourceType)
        try KeyHandlerSupport.requireKnownType(r.destinationType)
        try KeyHandlerSupport.requireUsableScheme(r.destinationScheme)
        // Zero levels would copy the parent to another type: a type conversion, not a derivation.
        guard (1...ICKeysHandlerSupport.maxLevels).contains(r.derivation.factors.count) else { throw HostFailure(.invalidInput) }
        var child = try ctx.clearKey(r.source, type: r.sourceType)
        defer { child.wipe() }
        try ICKeysHandlerSupport.derive(&child, r.derivation)
        let d = r.destinationScheme
        guard d.keyLength == 16, (d.algorithm == .des) == (child.cipher == .des),
              d.algorithm == .des || d.algorithm == child.scheme.algorithm else { throw HostFailure(.invalidKeyScheme) }
        child.scheme = d
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: child.bytes, type: r.destinationType, scheme: d)
        let kcv = try HandlerContext.checkValue(child)
        try ICKeysHandlerSupport.store(ctx, r.store, type: r.destinationType, scheme: d, material: underLMK)
        return ICKeyResponse(key: .encrypted(scheme: d, material: underLMK), checkValue: kcv)
    }
}
