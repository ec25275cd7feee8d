import HSMCrypto
import HostProtocol

/// Shared by the PIN commands `CA`, `CC`, `TI`, `JE`, `JG`, `BA`, `NG`: the format check
/// (`23`), opening and sealing PIN blocks under a key (`15` block size, `20` bad block, `24`
/// PIN length), and the `CA`/`CC` translation itself (the two differ only in the source
/// key's type).
enum PINHandlerSupport {
    static func requireFormat(_ f: Int) throws {
        guard PINBlockFormat(rawValue: f) != nil else { throw HostFailure(.invalidPINBlockFormat) }
    }

    /// Decrypts and parses a PIN block under a key; the block size must match the key's.
    static func openBlock(_ block: [UInt8], key: ClearKey, format: Int, account: String) throws -> [UInt8] {
        guard block.count == key.blockSize else { throw HostFailure(.invalidInput) }
        var clear = try Prim.crypt(key.cipher, key: key.bytes, data: block, encrypt: false)
        defer { SecureBytes.wipe(&clear) }
        return try PINBlock.parse(clear, format: format, account: account)
    }

    static func sealBlock(_ pin: [UInt8], key: ClearKey, format: Int, account: String) throws -> [UInt8] {
        var clear = try PINBlock.make(pin: pin, format: format, account: account, blockSize: key.blockSize)
        defer { SecureBytes.wipe(&clear) }
        return try Prim.crypt(key.cipher, key: key.bytes, data: clear, encrypt: true)
    }

    /// `CA` (source TPK) and `CC` (source ZPK): PIN block from the source key to a destination ZPK.
    static func translate(_ ctx: HandlerContext, _ r: PINTranslation, source: KeyType) throws -> TranslatePINResponse {
        try requireFormat(r.sourceFormat)
        try requireFormat(r.destinationFormat)
        var src = try ctx.clearKey(r.sourceKey, type: source, parity: .sourceKeyParity)
        defer { src.wipe() }
        var dst = try ctx.clearKey(r.destinationKey, type: .zpk, parity: .destinationKeyParity)
        defer { dst.wipe() }
        var pin = try openBlock(r.pinBlock, key: src, format: r.sourceFormat, account: r.account)
        defer { SecureBytes.wipe(&pin) }
        guard pin.count <= r.maxPINLength else { throw HostFailure(.pinLength) }
        let out = try sealBlock(pin, key: dst, format: r.destinationFormat, account: r.account)
        return TranslatePINResponse(pinLength: pin.count, pinBlock: out, destinationFormat: r.destinationFormat)
    }
}
