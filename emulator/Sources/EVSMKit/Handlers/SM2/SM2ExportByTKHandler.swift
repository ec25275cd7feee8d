import HSMCrypto
import HostProtocol

/// `TT`/`TU` export an SM2 private key under a transport key (vendor layout).
/// Request (`SM2ExportByTKRequest`): mode 2N (`00` ECB, `01` CBC, zero IV), TK type 3H (`000`
/// KEK/ZMK, `109` MDK), TK (key field), DERIVE (levels 2N + levels x 32H), curve `07`, SM2
/// index 4N (no `K`; 9999 + DER public key + 4N + blob under the LMK).
/// Response (`SM2ExportByTKResponse`): DER public key, 4N length (`0032`), d under the TK.
/// Errors: `27` TK type, `10` TK not of that type, `26` SM1 TK, `15` mode, a carried DER
/// that is not the private key's, a bad blob, `12`/`27` for an index; besides `13`, `15`,
/// `80` from the request layout.
enum SM2ExportByTKHandler {
    static let entry = (SM2ExportByTKRequest.command, CommandHandler(run: Handlers.typed(export)))

    static func export(_ ctx: HandlerContext, _ r: SM2ExportByTKRequest) throws -> SM2ExportByTKResponse {
        var tk = try SM2HandlerSupport.transportKey(ctx, r.transportKey)
        defer { tk.wipe() }
        var pair = try SM2HandlerSupport.keyPair(ctx, r.key)
        defer { SecureBytes.wipe(&pair.d) }
        let c = try SM2HandlerSupport.crypt(tk, mode: r.transportKey.mode, pair.d, encrypt: true)
        return SM2ExportByTKResponse(publicKeyDER: try SM2HandlerSupport.der(pair.q), privateKeyUnderTK: c)
    }
}
