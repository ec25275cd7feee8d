import HSMCrypto
import HostProtocol

/// `K2`/`K3` issuer script encryption.
/// Request (`EncryptScriptRequest`): MDK (`109`), PAN 16N, ATC 4H, data length 3H (bytes),
/// data as hex. Response (`EncryptScriptResponse`): the cryptogram, hex.
/// ECB under the session key (3DES, or SM4 for an `R` MDK) of the data, padded with `80`
/// then zeros to whole blocks only when it is not block-aligned (the caller formats the
/// script plaintext, e.g. its length byte).
/// Errors: `10`/`26`/`27` MDK, `80` empty data; besides `13`, `15`, `80` from the layout.
enum EncryptScriptHandler {
    static let entry = (EncryptScriptRequest.command, CommandHandler(run: Handlers.typed(encrypt)))

    static func encrypt(_ ctx: HandlerContext, _ r: EncryptScriptRequest) throws -> EncryptScriptResponse {
        let f = r.fields
        guard !f.data.isEmpty else { throw HostFailure(.lengthError) }
        var keys = try EMVHandlerSupport.sessionKeys(ctx, mdk: f.mdk, pan: f.pan, atc: f.atc)
        defer { keys.wipe() }
        let cipher: Prim.Cipher = keys.algorithm == .sm4 ? .sm4 : .des
        let out = try Prim.crypt(cipher, key: keys.session, data: EMV.padIfNeeded(f.data, blockSize: keys.blockSize), encrypt: true)
        return EncryptScriptResponse(cryptogram: out)
    }
}
