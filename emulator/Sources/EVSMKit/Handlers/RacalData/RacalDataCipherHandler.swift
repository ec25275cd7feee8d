import HSMCrypto
import HostProtocol

/// `E0`/`E1` encrypt or decrypt data with a ZEK/DEK (`00A`), Racal form.
/// Request (`RacalDataRequest`): block flag 1N (0 only, 1 first, 2 middle, 3 last), direction
/// 1N (0 encrypt, 1 decrypt), algorithm 1N (0 ECB, 1 CBC), key type 1N (`0` ZEK), ZEK, input
/// format 1N (0 binary, 1 hex), output format 1N, padding `180000` (or `000000`), [IV when
/// the algorithm is not 0], data length 3H, data.
/// Padding `180000` is ISO/IEC 9797-1 method 2, added when encrypting and removed when
/// decrypting the only or last block; first and middle blocks must be whole blocks.
/// Response (`RacalDataResponse`): output format 1N, length 3H, data, [CBC with block flag 1
/// or 2: the IV for the next part, in the form of the request's IV].
/// Errors: `27` key type field not `0`, `10` the key is not a ZEK (parity / authenticator),
/// `15` algorithm, padding field, IV, hex, or padding not found on decryption, `80` data
/// empty, not whole blocks or longer than 3H; besides `13`, `15`, `80` from the layout.
enum RacalDataCipherHandler {
    static let entry = (RacalDataRequest.command, CommandHandler(run: Handlers.typed(run)))

    static func run(_ ctx: HandlerContext, _ r: RacalDataRequest) throws -> RacalDataResponse {
        guard r.keyType == 0 else { throw HostFailure(.keyTypeNotPermitted) }
        guard r.algorithm <= 1 else { throw HostFailure(.invalidInput) }
        guard r.padding == .method2 || r.padding == .none else { throw HostFailure(.invalidInput) }
        let encrypt = r.direction == 0
        let final = RacalDataHandlerSupport.isFinal(r.blockFlag)
        let padded = r.padding == .method2 && final
        var key = try ctx.clearKey(r.key, type: .zek)
        defer { key.wipe() }
        let bs = key.blockSize
        var iv: [UInt8]?
        if r.algorithm == 1 { iv = try RacalDataHandlerSupport.iv(r.iv ?? [], blockSize: bs) }
        var input = try RacalDataHandlerSupport.bytes(r.data, hex: r.inputFormat == 1)
        defer { SecureBytes.wipe(&input) }
        // Only the last part of a padded message may be empty (it then becomes one pad block).
        guard !input.isEmpty || (padded && encrypt && r.blockFlag == 3) else { throw HostFailure(.lengthError) }
        var blocks = padded && encrypt ? RacalDataHandlerSupport.padMethod2(input, blockSize: bs) : input
        defer { SecureBytes.wipe(&blocks) }
        guard blocks.count % bs == 0 else { throw HostFailure(.lengthError) }
        var out = try RacalDataHandlerSupport.mapped {
            try Prim.crypt(key.cipher, key: key.bytes, iv: iv, data: blocks, encrypt: encrypt)
        }
        defer { SecureBytes.wipe(&out) }
        var nextIV: [UInt8]?
        if r.algorithm == 1, !final, let field = r.iv {
            nextIV = RacalDataHandlerSupport.sameForm(Array((encrypt ? out : blocks).suffix(bs)), as: field)
        }
        var result = padded && !encrypt ? try RacalDataHandlerSupport.unpadMethod2(out, blockSize: bs) : out
        defer { SecureBytes.wipe(&result) }
        var data: [UInt8] = []
        if r.outputFormat == 1 { Hex.encode(result, into: &data) } else { data = result }
        guard data.count <= 0xFFF else {
            SecureBytes.wipe(&data)
            throw HostFailure(.lengthError)
        }
        return RacalDataResponse(outputFormat: r.outputFormat, data: data, iv: nextIV)
    }
}
