import HSMCrypto
import HostProtocol

/// `MS`/`MT` ANSI X9.9 / X9.19 MAC with a TAK (`003`) or ZAK (`008`).
/// Request (`ZAKTAKMACRequest`): block flag 1N (0 only, 1 first, 2 middle, 3 last), key type
/// 1N (0 TAK, 1 ZAK), key length 1N (0 single DES, 1 double DES / SM4 / AES, 2 triple DES:
/// must match the key), data type 1N (0 binary, 1 hex), key, IV (always), data length 4H, data.
/// Algorithm: single-DES keys ANSI X9.9 (ISO/IEC 9797-1 algorithm 1); double- and
/// triple-length DES keys ANSI X9.19 (algorithm 3 with K1|K2, as `M6`); SM4/AES keys
/// algorithm 1 with 16-byte blocks. Padding: zeros (ISO/IEC 9797-1 method 1) on the only or
/// last part. The IV is the starting chaining value (zeros for a new message; for flags 2/3
/// the value the previous part returned).
/// Response (`ZAKTAKMACResponse`): the MAC, one block in hex (16H DES, 32H SM4/AES), or for
/// flags 1/2 the chaining value (one block, hex).
/// Errors: `27` key type field not 0/1, `10` the key is not of that type (parity /
/// authenticator), `15` key length flag not matching the key, IV, hex, `80` data empty
/// (flags 0-2) or not whole blocks (flags 1/2); besides `13`, `15`, `80` from the layout.
enum RacalZAKTAKMACHandler {
    static let entry = (ZAKTAKMACRequest.command, CommandHandler(run: Handlers.typed(run)))

    static func run(_ ctx: HandlerContext, _ r: ZAKTAKMACRequest) throws -> ZAKTAKMACResponse {
        let type: KeyType
        switch r.keyKind {
        case 0: type = .tak
        case 1: type = .zak
        default: throw HostFailure(.keyTypeNotPermitted)
        }
        var key = try ctx.clearKey(r.key, type: type)
        defer { key.wipe() }
        let flag = key.bytes.count == 8 ? 0 : key.bytes.count == 24 ? 2 : 1
        guard r.keyLength == flag else { throw HostFailure(.invalidInput) }
        let bs = key.blockSize
        let chaining = try RacalDataHandlerSupport.iv(r.iv, blockSize: bs)
        var m = try RacalDataHandlerSupport.bytes(r.data, hex: r.dataType == 1)
        defer { SecureBytes.wipe(&m) }
        guard !m.isEmpty || r.blockFlag == 3 else { throw HostFailure(.lengthError) }
        let des = key.cipher == .des
        let alg: HSMCrypto.MACAlgorithm = des && key.bytes.count > 8 ? .alg3 : .alg1
        var macKey = alg == .alg3 ? Array(key.bytes.prefix(16)) : key.bytes
        defer { SecureBytes.wipe(&macKey) }
        let out = try RacalDataHandlerSupport.mapped { () throws -> [UInt8] in
            let mac = try ISO9797MAC(algorithm: alg, cipher: try Prim.algorithm(key.cipher, keyLength: macKey.count), key: macKey)
            if RacalDataHandlerSupport.isFinal(r.blockFlag) { return try mac.finish(m, padding: .method1, chaining: chaining) }
            return try mac.update(m, chaining: chaining)
        }
        return ZAKTAKMACResponse(mac: out)
    }
}
