import HostProtocol

/// Rules shared by the key commands `A0`, `A6`, `A8`, `A4` and `BU`: which key types and
/// schemes they accept (`27`, `26`) and storing a result at a `K` index.
enum KeyHandlerSupport {
    /// Types these commands accept: every type with an LMK pair (see KeyType).
    static func requireKnownType(_ t: KeyType) throws {
        guard t.lmkPairIndex != nil else { throw HostFailure(.keyTypeNotPermitted) }
    }

    /// Key schemes usable under the LMK: P (SM1) is refused with 26.
    static func requireUsableScheme(_ s: KeyScheme) throws {
        if s == .sm1 { throw HostFailure(.invalidKeyScheme) }
    }

    /// Two schemes describe the same kind of clear key (family and length).
    static func requireCompatible(_ a: KeyScheme, _ b: KeyScheme) throws {
        guard a.keyLength == b.keyLength, (a.algorithm == .des) == (b.algorithm == .des),
              a.algorithm == .des || a.algorithm == b.algorithm else { throw HostFailure(.invalidKeyScheme) }
    }

    static func storeIfAsked(_ ctx: HandlerContext, _ target: StoreTarget?, type: KeyType, scheme: KeyScheme, material: [UInt8]) throws {
        guard let t = target else { return }
        guard t.index >= 1, t.index <= 9999 else { throw HostFailure(.invalidInput) }
        let tag = String(decoding: [scheme.tag], as: UTF8.self)
        try ctx.device.store(StoredKey(index: t.index, label: t.label, kind: .symmetric, keyType: type.description,
                                       scheme: tag, material: material, publicKey: nil))
    }
}
