import HSMCrypto
import HostProtocol

/// `EA`/`EB` verify a PIN block under a ZPK by IBM 3624 offset.
/// Request (`VerifyPINIBMOffsetRequest`): ZPK, PVK, maximum PIN length 2N, PIN block
/// 16H/32H, format 2N, check length 2N, account 12N, decimalisation table 16N, PIN
/// validation data 12A, offset 12H.
/// Response: no fields; `00` the leftmost check-length PIN digits equal natural PIN +
/// offset (digit-wise mod 10), `01` they do not (also for a PIN shorter than the check
/// length).
/// Errors: `10` ZPK parity, `11` PVK parity, `27`, `26` (PVK not DES), `23` format, `20` bad
/// block, `24` PIN longer than the maximum, `15` block size not the ZPK's, check length out
/// of range or longer than the offset, validation data without one `N`; besides `13`, `15`,
/// `80` from the request layout.
enum VerifyPINIBMOffsetHandler {
    static let entry = (VerifyPINIBMOffsetRequest.command, CommandHandler(run: verify))

    static func verify(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try VerifyPINIBMOffsetRequest.decodeAll(fields)
        let p = r.parameters
        try PINHandlerSupport.requireFormat(r.format)
        guard PINVerifyHandlerSupport.checkLengths.contains(p.checkLength), r.offset.utf8.count >= p.checkLength else {
            throw HostFailure(.invalidInput)
        }
        var zpk = try ctx.clearKey(r.zpk, type: .zpk, parity: .sourceKeyParity)
        defer { zpk.wipe() }
        var pvk = try PINVerifyHandlerSupport.pvk(ctx, r.pvk, parity: .destinationKeyParity)
        defer { pvk.wipe() }
        var pin = try PINHandlerSupport.openBlock(r.pinBlock, key: zpk, format: r.format, account: p.account)
        defer { SecureBytes.wipe(&pin) }
        guard pin.count <= r.maxPINLength else { throw HostFailure(.pinLength) }
        var natural = try PINVerifyHandlerSupport.naturalPIN(key: pvk, p)
        defer { SecureBytes.wipe(&natural) }
        let ok = PINVerifyHandlerSupport.matches(pin: pin, natural: natural, offset: PINVerifyHandlerSupport.digitValues(r.offset),
                                                 checkLength: p.checkLength)
        return HandlerOutput(code: ok ? .ok : .verificationFailed, fields: [])
    }
}
