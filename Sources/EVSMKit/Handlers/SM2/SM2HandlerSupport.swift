import HostProtocol

/// Shared by the SM2 family `E1`..`E7`. Private keys under the LMK are SM4-ECB(SM2 storage
/// key, d). Resolving key fields answers `12` (no key at the `K` index), `27` (the index does
/// not hold an SM2 key pair) and `15` (not a valid SM2 key or point).
enum SM2HandlerSupport {
    static func wrap(_ ctx: HandlerContext, _ d: [UInt8]) throws -> [UInt8] {
        try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: d, encrypt: true)
    }

    /// The clear scalar from a private key field; `15` when it is not a valid SM2 key.
    static func privateKey(_ ctx: HandlerContext, _ f: SM2KeyField) throws -> [UInt8] {
        let wrapped: [UInt8]
        switch f {
        case let .value(v): wrapped = v
        case let .stored(i):
            guard let k = ctx.device.storedKey(i) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .sm2 else { throw HostFailure(.keyTypeNotPermitted) }
            wrapped = k.material
        }
        guard wrapped.count == 32 else { throw HostFailure(.invalidInput) }
        var d = try Prim.crypt(.sm4, key: try ctx.keys.sm2Storage, data: wrapped, encrypt: false)
        guard SM2Ops.isValidPrivate(d) else {
            Prim.cleanse(&d)
            throw HostFailure(.invalidInput)
        }
        return d
    }

    static func publicKey(_ ctx: HandlerContext, _ f: SM2KeyField) throws -> [UInt8] {
        switch f {
        case let .value(v):
            guard SM2Ops.isValidPublic(v) else { throw HostFailure(.invalidInput) }
            return v
        case let .stored(i):
            guard let k = ctx.device.storedKey(i) else { throw HostFailure(.noKeyAtIndex) }
            guard k.kind == .sm2, let q = k.publicKey else { throw HostFailure(.keyTypeNotPermitted) }
            return q
        }
    }

    static func store(_ ctx: HandlerContext, _ t: StoreTarget, wrapped: [UInt8], q: [UInt8]) throws {
        guard t.index >= 1, t.index <= 9999 else { throw HostFailure(.invalidInput) }
        try ctx.device.store(StoredKey(index: t.index, label: t.label, kind: .sm2, keyType: "", scheme: "",
                                       material: wrapped, publicKey: q))
    }

    static func uid(_ u: [UInt8]) -> [UInt8] { u.isEmpty ? SM2Ops.defaultUserID : u }
}
