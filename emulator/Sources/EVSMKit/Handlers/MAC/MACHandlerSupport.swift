import HSMCrypto
import HostProtocol

/// The MAC computation shared by `M6` (generate) and `M8` (verify): ISO 9797-1 algorithm 1
/// (CBC-MAC, X9.9 for single DES) and algorithm 3 (X9.19 retail MAC, DES keys), padding
/// methods none / 1 / 2, and multi-part messages (modes 1 first, 2 middle, 3 last) chained
/// through the IV. Errors: `27` key type, `10` parity, `15` algorithm / padding / hex / IV,
/// `80` data not whole blocks.
enum MACHandlerSupport {
    static let permitted: Set<KeyType> = [.tak, .zak]

    /// The message bytes from the data field by input format (hex must be valid hex).
    static func message(_ data: [UInt8], format: Int) throws -> [UInt8] {
        if format == 1 {
            guard let d = Hex.decode(data) else { throw HostFailure(.invalidInput) }
            return d
        }
        return data
    }

    /// The MAC (full last block) or, for modes 1/2, the chaining value (HSMCrypto ISO9797MAC).
    static func compute(_ ctx: HandlerContext, _ f: MACFields) throws -> [UInt8] {
        guard permitted.contains(f.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        let alg: MACAlgorithm
        switch f.algorithm {
        case 1: alg = .alg1
        case 3: alg = .alg3
        default: throw HostFailure(.invalidInput)
        }
        let padding: MACPadding
        switch f.padding {
        case 0: padding = .none
        case 1: padding = .method1
        case 2: padding = .method2
        default: throw HostFailure(.invalidInput)
        }
        var key = try ctx.clearKey(f.key, type: f.keyType)
        defer { key.wipe() }
        // Algorithm 3 (X9.19) is for double-length DES keys; a triple-length key uses K1|K2.
        guard alg == .alg1 || (key.cipher == .des && key.bytes.count >= 16) else { throw HostFailure(.invalidInput) }
        var macKey = alg == .alg3 ? Array(key.bytes.prefix(16)) : key.bytes
        defer { SecureBytes.wipe(&macKey) }
        var m = try message(f.data, format: f.inputFormat)
        defer { SecureBytes.wipe(&m) }
        let chaining: [UInt8]? = (f.mode == 2 || f.mode == 3) ? f.iv : nil
        if let c = chaining { guard c.count == key.blockSize else { throw HostFailure(.invalidInput) } }
        do {
            let mac = try ISO9797MAC(algorithm: alg, cipher: try Prim.algorithm(key.cipher, keyLength: macKey.count), key: macKey)
            if f.mode == 0 || f.mode == 3 { return try mac.finish(m, padding: padding, chaining: chaining) }
            guard !m.isEmpty else { throw HostFailure(.lengthError) }
            return try mac.update(m, chaining: chaining)
        } catch let e as CryptoError {
            if case .unalignedData = e { throw HostFailure(.lengthError) }
            throw HostFailure(.invalidInput)
        }
    }
}
