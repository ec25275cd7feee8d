import HSMCrypto
import HostProtocol

/// The cipher shared by `M0` (encrypt data) and `M2` (decrypt data): ECB or CBC under a
/// ZEK/DEK (`00A`) or TEK (`00B`), DES/3DES/SM4/AES keys, no padding. The CBC reply carries
/// the IV for the next part. Errors: `27` key type, `10` parity, `15` hex or IV, `80` data
/// empty, not whole blocks or too long.
enum DataHandlerSupport {
    static let permitted: Set<KeyType> = [.zek, .tek]

    static func crypt(_ ctx: HandlerContext, _ f: DataCipherFields, encrypt: Bool) throws -> DataCipherResponse {
        guard permitted.contains(f.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        var key = try ctx.clearKey(f.key, type: f.keyType)
        defer { key.wipe() }
        var input = f.data
        if f.inputFormat == 1 {
            guard let d = Hex.decode(f.data) else { throw HostFailure(.invalidInput) }
            input = d
        }
        defer { SecureBytes.wipe(&input) }
        guard !input.isEmpty, input.count % key.blockSize == 0 else { throw HostFailure(.lengthError) }
        var iv: [UInt8]?
        if f.mode == 1 {
            guard let v = f.iv, v.count == key.blockSize else { throw HostFailure(.invalidInput) }
            iv = v
        }
        var out = try Prim.crypt(key.cipher, key: key.bytes, iv: iv, data: input, encrypt: encrypt)
        defer { SecureBytes.wipe(&out) }
        let ivOut: [UInt8]? = f.mode == 1 ? Array((encrypt ? out : input).suffix(key.blockSize)) : nil
        var data: [UInt8] = []
        if f.outputFormat == 1 { Hex.encode(out, into: &data) } else { data = out }
        guard data.count <= 0xFFFF else { throw HostFailure(.lengthError) }
        return DataCipherResponse(ivOut: ivOut, data: data)
    }
}
