import HSMCrypto
import HostProtocol

/// `E1`/`E2` load an SM2 key pair into the HSM at an index (vendor layout).
/// Request (`SM2LoadRequest`): curve `07`, DER public key, 4N length, private key under the
/// LMK, index 4N (no `K`), label length 2N, label.
/// Response: no fields.
/// Errors: `15` the DER is not an SM2 public key or not the private key's, index 9999,
/// blob of another length; `10` a blob of another device or altered; besides `13`, `15`,
/// `80` from the request layout.
enum SM2LoadHandler {
    static let entry = (SM2LoadRequest.command, CommandHandler(writesState: true, run: Handlers.typed(load)))

    static func load(_ ctx: HandlerContext, _ r: SM2LoadRequest) throws -> SM2EmptyResponse {
        guard r.store.index < sm2CarriedIndex else { throw HostFailure(.invalidInput) }
        var pair = try SM2HandlerSupport.keyPair(ctx, .carried(der: r.publicKeyDER, privateKey: r.privateKeyUnderLMK))
        defer { SecureBytes.wipe(&pair.d) }
        try SM2HandlerSupport.store(ctx, index: r.store.index, label: r.store.label, blob: r.privateKeyUnderLMK, q: pair.q)
        return SM2EmptyResponse()
    }
}
