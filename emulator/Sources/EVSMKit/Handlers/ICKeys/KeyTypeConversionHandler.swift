import HostProtocol

/// `AN`/`AO` key type conversion: re-encrypts a key under the LMK of another type and/or scheme.
/// Request (`KeyTypeConversionRequest`): source key type 3H, source KEY, destination key
/// type 3H, destination scheme 1A.
/// Response (`ICKeyResponse`): key under the LMK of the destination type, KCV 16H.
/// Allowed pairs (`ICKeysHandlerSupport.conversionAllowed`): the same type (scheme change),
/// except `000` and `002`; `003` <-> `008`; `00A` <-> `00B`. Anything else is `27`.
/// Errors: `27` pair not allowed or unknown type, `10` source parity / authenticator, `26`
/// destination scheme of another family or length, SM1; besides `13`, `15`, `80` from the layout.
enum KeyTypeConversionHandler {
    static let entry = (KeyTypeConversionRequest.command, CommandHandler(run: Handlers.typed(convert)))

    static func convert(_ ctx: HandlerContext, _ r: KeyTypeConversionRequest) throws -> ICKeyResponse {
        try KeyHandlerSupport.requireKnownType(r.sourceType)
        try KeyHandlerSupport.requireKnownType(r.destinationType)
        guard ICKeysHandlerSupport.conversionAllowed(from: r.sourceType, to: r.destinationType) else {
            throw HostFailure(.keyTypeNotPermitted)
        }
        try KeyHandlerSupport.requireUsableScheme(r.destinationScheme)
        var clear = try ctx.clearKey(r.source, type: r.sourceType)
        defer { clear.wipe() }
        try KeyHandlerSupport.requireCompatible(clear.scheme, r.destinationScheme)
        clear.scheme = r.destinationScheme
        let underLMK = try LMKCipher.encrypt(try ctx.keys, clear: clear.bytes, type: r.destinationType, scheme: r.destinationScheme)
        return ICKeyResponse(key: .encrypted(scheme: r.destinationScheme, material: underLMK), checkValue: try HandlerContext.checkValue(clear))
    }
}
