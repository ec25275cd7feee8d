import HostProtocol

/// `S3`/`S4` encrypt data (IC form).
/// Request (`ICEncryptRequest`): mode 2N (`00` ECB, `01` CBC, `02` CFB (whole-block
/// feedback: CFB64 DES, CFB128 SM4/AES), `03` OFB), key type 3H (`00A` ZEK/DEK, `00B` TEK,
/// `109` MK-AC/MDK, `309` MK-SMC), key, DERIVE (0-8 levels), SESSION (modes 0-2), padding
/// 2N (0-5), data length 4H, data (binary), [IV 16H/32H for `01`, `02`, `03`; `02`/`03`
/// without one (as the vendor's C library sends them) are answered `15`].
/// Response (`ICCipherResponse`): length 4H, the padded data encrypted (binary; CFB / OFB
/// with padding `05`: as long as the data, any length).
/// Errors: `27` key type, `10` key of another type, `15` mode, padding, session mode, IV;
/// `80` empty data, padding `05` on data that is not whole blocks in ECB / CBC, padding `00` on more
/// than 255 bytes; besides `13`, `15`, `80` from the request layout.
/// The work is `ICHandlerSupport`, shared with `S4` and `S5`.
enum ICEncryptHandler {
    static let entry = (ICEncryptRequest.command, CommandHandler(run: Handlers.typed(encrypt)))

    static func encrypt(_ ctx: HandlerContext, _ r: ICEncryptRequest) throws -> ICCipherResponse {
        let f = r.fields
        var key = try ICHandlerSupport.workingKey(ctx, f.key, permitted: ICHandlerSupport.dataTypes,
                                                  maxLevels: ICHandlerSupport.maxDerivationLevels)
        defer { key.wipe() }
        return try ICHandlerSupport.response(try ICHandlerSupport.encrypt(f.data, key: key, mode: f.mode, padding: f.padding, iv: f.iv))
    }
}
