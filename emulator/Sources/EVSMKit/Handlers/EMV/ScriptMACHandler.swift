import HSMCrypto
import HostProtocol

/// `K4`/`K5` issuer script MAC.
/// Request (`ScriptMACRequest`): as `K2`. Response (`ScriptMACResponse`): MAC 16H.
/// ISO 9797-1 algorithm 3 (SM4 MDK: algorithm 1), padding method 2, under the session key,
/// the leftmost 8 bytes.
/// Errors: `10`/`26`/`27` MDK, `80` empty data; besides `13`, `15`, `80` from the layout.
enum ScriptMACHandler {
    static let entry = (ScriptMACRequest.command, CommandHandler(run: Handlers.typed(mac)))

    static func mac(_ ctx: HandlerContext, _ r: ScriptMACRequest) throws -> ScriptMACResponse {
        let f = r.fields
        guard !f.data.isEmpty else { throw HostFailure(.lengthError) }
        var keys = try EMVHandlerSupport.sessionKeys(ctx, mdk: f.mdk, pan: f.pan, atc: f.atc)
        defer { keys.wipe() }
        return ScriptMACResponse(mac: try EMVHandlerSupport.crypto { try EMV.cryptogram(key: keys.session, algorithm: keys.algorithm, data: f.data) })
    }
}
