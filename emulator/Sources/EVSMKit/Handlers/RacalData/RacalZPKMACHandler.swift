import HSMCrypto
import HostProtocol

/// `UQ`/`UR` the UnionPay POS MAC with a ZPK (`001`).
/// Request (`ZPKMACRequest`): block flag 1N (0 only, 1 first, 2 middle, 3 last), ZPK, [IV for
/// flags 2/3], data length 3H, data (binary), MAC length 2H (hex characters, even, 8 up to
/// twice the block size).
/// Algorithm (China UnionPay POS terminal "ECB" MAC): the data, zero-padded to whole blocks,
/// is XORed block by block into one block R; then `RacalDataHandlerSupport.unionPayMAC`.
/// Parts: flags 1 and 2 need whole blocks and return the running XOR R (hex) as the chaining
/// value; flags 2 and 3 take it as the IV. No key is involved before the last step, so the
/// chaining value reveals nothing the caller does not already know (it is a function of the
/// data alone).
/// Response (`ZPKMACResponse`): the MAC (hex), or for flags 1/2 the chaining value (hex).
/// Errors: `10` the key is not a ZPK (parity / authenticator), `15` MAC length or IV, `80`
/// data empty (flags 0-2) or not whole blocks (flags 1/2); besides `13`, `15`, `80` from the
/// layout.
enum RacalZPKMACHandler {
    static let entry = (ZPKMACRequest.command, CommandHandler(run: Handlers.typed(run)))

    static func run(_ ctx: HandlerContext, _ r: ZPKMACRequest) throws -> ZPKMACResponse {
        var key = try ctx.clearKey(r.key, type: .zpk)
        defer { key.wipe() }
        let bs = key.blockSize
        let final = RacalDataHandlerSupport.isFinal(r.blockFlag)
        guard r.macLength >= 8, r.macLength <= 2 * bs, r.macLength % 2 == 0 else { throw HostFailure(.invalidInput) }
        var acc = [UInt8](repeating: 0, count: bs)
        defer { SecureBytes.wipe(&acc) }
        if let field = r.iv { acc = try RacalDataHandlerSupport.iv(field, blockSize: bs) }
        guard !r.data.isEmpty || r.blockFlag == 3 else { throw HostFailure(.lengthError) }
        if !final { guard r.data.count % bs == 0 else { throw HostFailure(.lengthError) } }
        RacalDataHandlerSupport.xorBlocks(r.data, into: &acc)
        guard final else { return ZPKMACResponse(mac: acc) }
        let mac = try RacalDataHandlerSupport.mapped {
            try RacalDataHandlerSupport.unionPayMAC(accumulator: acc, key: key, macHexLength: r.macLength)
        }
        return ZPKMACResponse(mac: mac)
    }
}
