import HSMCrypto
import HostProtocol

/// `KX`/`KY` EMV offline PIN (scheme 9): the enciphered PIN data of a PIN change / unblock
/// issuer script.
/// Request (`OfflinePINRequest`): scheme 1N (`9`), key type 3H (`109`), MDK, PAN 16N, ATC 4H,
/// PIN block format 2N (`41` new PIN, `42` new and old PIN), PIN input mode 1N (1 clear,
/// 2 PIN blocks under a ZPK, 3 under a TPK), the PIN(s), [source key], account 12N.
/// Response (`OfflinePINResponse`): byte count 4H, cryptogram.
/// The 8-byte PIN data is `EMV.pinChangeBlock` (A = 00000000 || rightmost 4 bytes of the
/// card master key's left half, B = `0` N PIN `F`..., C = old PIN `0`...); the cryptogram is
/// 3DES-ECB under the session key of `08` || PIN data || `80 00 00 00 00 00 00` (16 bytes).
/// Errors: `15` scheme other than 9 or bad input mode, `27` key type other than `109`,
/// `23` format other than 41/42 or a source format the PIN commands do not know, `24` PIN
/// length, `20` source PIN block, `10` the MDK (mode 1) or the source key (modes 2/3), `11`
/// the MDK with PIN blocks, `26` an SM4 MDK.
enum OfflinePINHandler {
    static let entry = (OfflinePINRequest.command, CommandHandler(run: Handlers.typed(offlinePIN)))

    static func digits(_ s: String) throws -> [UInt8] {
        let d = s.utf8.map { $0 &- 0x30 }
        guard (4...12).contains(d.count), d.allSatisfy({ $0 <= 9 }) else { throw HostFailure(.pinLength) }
        return d
    }

    static func offlinePIN(_ ctx: HandlerContext, _ r: OfflinePINRequest) throws -> OfflinePINResponse {
        guard r.scheme == 9 else { throw HostFailure(.invalidInput) }
        guard r.keyType == .mkAC else { throw HostFailure(.keyTypeNotPermitted) }
        guard r.format == 41 || r.format == 42 else { throw HostFailure(.invalidPINBlockFormat) }
        var newPIN: [UInt8], oldPIN: [UInt8]?
        switch r.input {
        case let .clear(n, o):
            newPIN = try digits(n)
            oldPIN = try o.map(digits)
        case let .encrypted(mode, sf, nb, ob, key):
            try PINHandlerSupport.requireFormat(sf)
            var src = try ctx.clearKey(key, type: mode == 2 ? .zpk : .tpk, parity: .sourceKeyParity)
            defer { src.wipe() }
            newPIN = try PINHandlerSupport.openBlock(nb, key: src, format: sf, account: r.account)
            oldPIN = try ob.map { try PINHandlerSupport.openBlock($0, key: src, format: sf, account: r.account) }
        }
        defer {
            SecureBytes.wipe(&newPIN)
            if oldPIN != nil { SecureBytes.wipe(&oldPIN!) }
        }
        guard (r.format == 42) == (oldPIN != nil) else { throw HostFailure(.invalidInput) }
        var clearInput = false
        if case .clear = r.input { clearInput = true }
        // With PIN blocks the MDK is the destination key (`11`), the PIN key the source (`10`).
        var keys = try EMVHandlerSupport.sessionKeys(ctx, mdk: r.mdk, pan: r.pan, atc: r.atc,
                                                     parity: clearInput ? .sourceKeyParity : .destinationKeyParity)
        defer { keys.wipe() }
        guard keys.algorithm == .des else { throw HostFailure(.invalidKeyScheme) }
        var block = try EMVHandlerSupport.crypto { try EMV.pinChangeBlock(newPIN: newPIN, oldPIN: oldPIN, cardKeyLeft: Array(keys.card.prefix(8))) }
        var plain = [0x08] + block + [0x80, 0, 0, 0, 0, 0, 0]
        defer {
            SecureBytes.wipe(&block)
            SecureBytes.wipe(&plain)
        }
        return OfflinePINResponse(cryptogram: try Prim.crypt(.des, key: keys.session, data: plain, encrypt: true))
    }
}
