import HSMCrypto
import HostProtocol

/// `S0`/`S1` general MAC (IC form).
/// Request (`ICGenerateMACRequest`): MAC mode 2N (`01` ISO 9797-1 algorithm 1, `03`
/// algorithm 3), MAC type 2N (the MAC is (type mod 10) bytes, 0: the whole block), key
/// type 3H (`003` TAK, `008` ZAK, `109` MK-AC/MDK, `209` MK-SMI), key, DERIVE (0-3 levels),
/// SESSION (modes 0-2), padding 2N (0-5), data length 4H, data (binary), IV 16H/32H.
/// Response (`ICGenerateMACResponse`): the MAC, the leftmost bytes of the last block.
/// Errors: `27` key type, `10` key of another type, `15` MAC mode, MAC type longer than the
/// block, padding, session mode, IV length, algorithm 3 with a non-DES or single-length
/// key; `80` empty data or padding `05` on data that is not whole blocks; besides `13`,
/// `15`, `80` from the request layout.
enum ICGenerateMACHandler {
    static let entry = (ICGenerateMACRequest.command, CommandHandler(run: Handlers.typed(generate)))

    static func generate(_ ctx: HandlerContext, _ r: ICGenerateMACRequest) throws -> ICGenerateMACResponse {
        let alg: MACAlgorithm
        switch r.macMode {
        case 1: alg = .alg1
        case 3: alg = .alg3
        default: throw HostFailure(.invalidInput)
        }
        var key = try ICHandlerSupport.workingKey(ctx, r.key, permitted: ICHandlerSupport.macTypes,
                                                  maxLevels: ICHandlerSupport.maxMACDerivationLevels)
        defer { key.wipe() }
        let macBytes = ICGenerateMACRequest.macLength(type: r.macType, blockSize: key.blockSize)
        guard macBytes <= key.blockSize, r.iv.count == key.blockSize else { throw HostFailure(.invalidInput) }
        // Algorithm 3 (X9.19) is for DES keys of at least double length; a triple-length key uses K1|K2.
        guard alg == .alg1 || (key.cipher == .des && key.bytes.count >= 16) else { throw HostFailure(.invalidInput) }
        guard !r.data.isEmpty else { throw HostFailure(.lengthError) }
        var padded = try ICHandlerSupport.pad(r.data, mode: r.padding, blockSize: key.blockSize)
        defer { SecureBytes.wipe(&padded) }
        var macKey = alg == .alg3 ? Array(key.bytes.prefix(16)) : key.bytes
        defer { SecureBytes.wipe(&macKey) }
        do {
            let mac = try ISO9797MAC(algorithm: alg, cipher: try Prim.algorithm(key.cipher, keyLength: macKey.count), key: macKey)
            let full = try mac.finish(padded, padding: .none, chaining: r.iv)
            return ICGenerateMACResponse(mac: Array(full.prefix(macBytes)))
        } catch let e as CryptoError {
            if case .unalignedData = e { throw HostFailure(.lengthError) }
            throw HostFailure(.invalidInput)
        }
    }
}
