import HostProtocol

/// `CA`/`CC` PIN translation, `JE`/`JG` between PIN blocks and PINs under LMK, `BA`/`NG`
/// clear PIN to and from the LMK.
enum PINHandlers {
    static let entries: [(CommandCode, CommandHandler)] = [
        (TranslatePINFromTPKRequest.command, CommandHandler(run: Handlers.typed { (ctx, r: TranslatePINFromTPKRequest) in try translate(ctx, r.fields, source: .tpk) })),
        (TranslatePINRequest.command, CommandHandler(run: Handlers.typed { (ctx, r: TranslatePINRequest) in try translate(ctx, r.fields, source: .zpk) })),
        (TranslatePINTASSRequest.command, CommandHandler(run: Handlers.typed(translateTASS))),
        (PINBlockToLMKRequest.command, CommandHandler(run: Handlers.typed(blockToLMK))),
        (PINFromLMKRequest.command, CommandHandler(run: Handlers.typed(lmkToBlock))),
        (EncryptPINRequest.command, CommandHandler(run: Handlers.typed(encryptPIN))),
        (DecryptPINRequest.command, CommandHandler(run: Handlers.typed(decryptPIN))),
    ]

    static func requireFormat(_ f: Int) throws {
        guard PINBlockFormat(rawValue: f) != nil else { throw HostFailure(.invalidPINBlockFormat) }
    }

    /// Decrypts and parses a PIN block under a key; the block size must match the key's.
    static func openBlock(_ block: [UInt8], key: ClearKey, format: Int, account: String) throws -> [UInt8] {
        guard block.count == key.blockSize else { throw HostFailure(.invalidInput) }
        var clear = try Prim.crypt(key.cipher, key: key.bytes, data: block, encrypt: false)
        defer { Prim.cleanse(&clear) }
        return try PINBlock.parse(clear, format: format, account: account)
    }

    static func sealBlock(_ pin: [UInt8], key: ClearKey, format: Int, account: String) throws -> [UInt8] {
        var clear = try PINBlock.make(pin: pin, format: format, account: account, blockSize: key.blockSize)
        defer { Prim.cleanse(&clear) }
        return try Prim.crypt(key.cipher, key: key.bytes, data: clear, encrypt: true)
    }

    static func translate(_ ctx: HandlerContext, _ r: PINTranslation, source: KeyType) throws -> TranslatePINResponse {
        try requireFormat(r.sourceFormat)
        try requireFormat(r.destinationFormat)
        var src = try ctx.clearKey(r.sourceKey, type: source, parity: .sourceKeyParity)
        defer { src.wipe() }
        var dst = try ctx.clearKey(r.destinationKey, type: .zpk, parity: .destinationKeyParity)
        defer { dst.wipe() }
        var pin = try openBlock(r.pinBlock, key: src, format: r.sourceFormat, account: r.account)
        defer { Prim.cleanse(&pin) }
        guard pin.count <= r.maxPINLength else { throw HostFailure(.pinLength) }
        let out = try sealBlock(pin, key: dst, format: r.destinationFormat, account: r.account)
        return TranslatePINResponse(pinLength: pin.count, pinBlock: out, destinationFormat: r.destinationFormat)
    }

    /// Key kind 1 = TPK (type 002), 2 = ZPK (type 001); anything else `27`.
    static func kind(_ k: Int) throws -> KeyType {
        switch k {
        case 1: return .tpk
        case 2: return .zpk
        default: throw HostFailure(.keyTypeNotPermitted)
        }
    }

    /// `TI`: like `CC`, with key kinds and an account per side.
    static func translateTASS(_ ctx: HandlerContext, _ r: TranslatePINTASSRequest) throws -> PINBlockResponse {
        try requireFormat(r.sourceFormat)
        try requireFormat(r.destinationFormat)
        var src = try ctx.clearKey(r.sourceKey, type: try kind(r.sourceKind), parity: .sourceKeyParity)
        defer { src.wipe() }
        var dst = try ctx.clearKey(r.destinationKey, type: try kind(r.destinationKind), parity: .destinationKeyParity)
        defer { dst.wipe() }
        var pin = try openBlock(r.pinBlock, key: src, format: r.sourceFormat, account: r.sourceAccount)
        defer { Prim.cleanse(&pin) }
        guard pin.count <= r.maxPINLength else { throw HostFailure(.pinLength) }
        return PINBlockResponse(pinBlock: try sealBlock(pin, key: dst, format: r.destinationFormat, account: r.destinationAccount))
    }

    static func blockToLMK(_ ctx: HandlerContext, _ r: PINBlockToLMKRequest) throws -> PINUnderLMKResponse {
        try requireFormat(r.format)
        var k = try ctx.clearKey(r.zpk, type: .zpk)
        defer { k.wipe() }
        var pin = try openBlock(r.pinBlock, key: k, format: r.format, account: r.account)
        defer { Prim.cleanse(&pin) }
        return PINUnderLMKResponse(pinUnderLMK: try PINBlock.encryptUnderLMK(try ctx.keys, pin: pin, account: r.account))
    }

    static func lmkToBlock(_ ctx: HandlerContext, _ r: PINFromLMKRequest) throws -> PINBlockResponse {
        try requireFormat(r.format)
        var k = try ctx.clearKey(r.zpk, type: .zpk)
        defer { k.wipe() }
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: r.account)
        defer { Prim.cleanse(&pin) }
        return PINBlockResponse(pinBlock: try sealBlock(pin, key: k, format: r.format, account: r.account))
    }

    static func encryptPIN(_ ctx: HandlerContext, _ r: EncryptPINRequest) throws -> PINUnderLMKResponse {
        var digits: [UInt8] = []
        defer { Prim.cleanse(&digits) }
        var padding = false
        for c in r.paddedPIN.utf8 {
            if c == UInt8(ascii: "F") || c == UInt8(ascii: "f") {
                padding = true
            } else {
                guard !padding, c >= 0x30, c <= 0x39 else { throw HostFailure(.invalidInput) }
                digits.append(c - 0x30)
            }
        }
        guard digits.count >= 4, digits.count <= 12 else { throw HostFailure(.pinLength) }
        return PINUnderLMKResponse(pinUnderLMK: try PINBlock.encryptUnderLMK(try ctx.keys, pin: digits, account: r.account))
    }

    static func decryptPIN(_ ctx: HandlerContext, _ r: DecryptPINRequest) throws -> DecryptPINResponse {
        var pin = try PINBlock.decryptUnderLMK(try ctx.keys, r.pinUnderLMK, account: r.account)
        defer { Prim.cleanse(&pin) }
        return DecryptPINResponse(pin: String(decoding: pin.map { $0 + 0x30 }, as: UTF8.self))
    }
}
