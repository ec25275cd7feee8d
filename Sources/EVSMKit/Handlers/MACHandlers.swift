import HostProtocol

/// `M6` generate MAC, `M8` verify MAC: ISO 9797-1 algorithm 1 (CBC-MAC, X9.9 for single
/// DES) and algorithm 3 (X9.19 retail MAC, DES keys), padding methods none / 1 / 2, and
/// multi-part messages (modes 1 first, 2 middle, 3 last) chained through the IV.
enum MACHandlers {
    static let entries: [(CommandCode, CommandHandler)] = [
        (GenerateMACRequest.command, CommandHandler(run: Handlers.typed(generate))),
        (VerifyMACRequest.command, CommandHandler(run: verify)),
    ]

    static let permitted: Set<KeyType> = [.tak, .zak]

    /// The message bytes from the data field by input format (hex must be valid hex).
    static func message(_ data: [UInt8], format: Int) throws -> [UInt8] {
        if format == 1 {
            guard let d = Hex.decode(data) else { throw HostFailure(.invalidInput) }
            return d
        }
        return data
    }

    static func pad(_ m: [UInt8], method: Int, block: Int) throws -> [UInt8] {
        switch method {
        case 0:
            guard !m.isEmpty, m.count % block == 0 else { throw HostFailure(.lengthError) }
            return m
        case 1:
            if m.isEmpty { return [UInt8](repeating: 0, count: block) }
            let r = m.count % block
            return r == 0 ? m : m + [UInt8](repeating: 0, count: block - r)
        case 2:
            var p = m + [0x80]
            while p.count % block != 0 { p.append(0) }
            return p
        default:
            throw HostFailure(.invalidInput)
        }
    }

    /// The MAC (full last block) or, for modes 1/2, the chaining value.
    static func compute(_ ctx: HandlerContext, _ f: MACFields) throws -> [UInt8] {
        guard permitted.contains(f.keyType) else { throw HostFailure(.keyTypeNotPermitted) }
        guard f.algorithm == 1 || f.algorithm == 3 else { throw HostFailure(.invalidInput) }
        var key = try ctx.clearKey(f.key, type: f.keyType)
        defer { key.wipe() }
        let bs = key.blockSize
        if f.algorithm == 3, key.cipher != .des { throw HostFailure(.invalidInput) }
        var m = try message(f.data, format: f.inputFormat)
        defer { Prim.cleanse(&m) }
        let last = f.mode == 0 || f.mode == 3
        if last {
            m = try pad(m, method: f.padding, block: bs)
        } else {
            guard !m.isEmpty, m.count % bs == 0 else { throw HostFailure(.lengthError) }
        }
        let iv = (f.mode == 2 || f.mode == 3) ? (f.iv ?? []) : [UInt8](repeating: 0, count: bs)
        guard iv.count == bs else { throw HostFailure(.invalidInput) }
        // Algorithm 3 runs the chain under the left key half (single DES), then D(KR), E(KL).
        var chainKey = f.algorithm == 3 ? Array(key.bytes.prefix(8)) : key.bytes
        defer { Prim.cleanse(&chainKey) }
        let cbc = try Prim.crypt(key.cipher, key: chainKey, iv: iv, data: m, encrypt: true)
        var out = Array(cbc.suffix(bs))
        if last, f.algorithm == 3 {
            var kr = key.bytes.count >= 16 ? Array(key.bytes[8..<16]) : chainKey
            defer { Prim.cleanse(&kr) }
            out = try Prim.crypt(.des, key: kr, data: out, encrypt: false)
            out = try Prim.crypt(.des, key: chainKey, data: out, encrypt: true)
        }
        return out
    }

    static func generate(_ ctx: HandlerContext, _ r: GenerateMACRequest) throws -> GenerateMACResponse {
        let full = try compute(ctx, r.fields)
        let last = r.fields.mode == 0 || r.fields.mode == 3
        return GenerateMACResponse(mac: last ? Array(full.prefix(r.fields.macSize == 0 ? 4 : 8)) : full)
    }

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try VerifyMACRequest.decodeAll(fields)
        guard r.fields.mode == 0 || r.fields.mode == 3 else { throw HostFailure(.invalidInput) }
        let full = try compute(ctx, r.fields)
        let mac = Array(full.prefix(r.fields.macSize == 0 ? 4 : 8))
        return HandlerOutput(code: mac == r.mac ? .ok : .verificationFailed, fields: [])
    }
}
