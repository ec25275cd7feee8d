import CACipherCore
import HostProtocol

// PIN functions: `JE`, `JG`, `NG`, `BA`, `TI` (vendor spec §10.2, §11.2-§11.6).

/// The vendor's PAN field for a PIN command (vendor §5.5): digits only (`HAR_PARAM_PAN`);
/// the 12-digit account field is the first 12 digits of a longer PAN, a shorter one is
/// left-padded with `0`. (Selector 4, the 18-character field of format 04, is refused
/// earlier: the PIN block format 04 is not one this library sends.)
func accountField(_ pan: [UInt8], _ name: String) throws -> String {
    guard Arg.isDigits(pan) else { throw CompatError(HAR.paramPAN, "\(name) is not all decimal digits") }
    let a = pan.count >= 12 ? Array(pan.prefix(12)) : [UInt8](repeating: 0x30, count: 12 - pan.count) + pan
    return String(decoding: a, as: UTF8.self)
}

/// A PIN block argument: 16H or 32H.
func pinBlockArgument(_ p: CString?, _ name: String) throws -> [UInt8] {
    let t = try Arg.string(p, name, lengths: [16, 32], error: HAR.paramLen)
    return try Arg.hexBytes(t, name)
}

/// A PIN under the LMK as the HSM returned it (hex).
func pinUnderLMKArgument(_ p: CString?, _ name: String) throws -> [UInt8] {
    let t = try Arg.string(p, name, max: 128)
    guard !t.isEmpty else { throw CompatError(HAR.paramLen, "\(name) is empty") }
    return try Arg.hexBytes(t, name)
}

/// The longest whole-payload output written (vendor spec §5.11: the caller's buffer for a
/// clear PIN or a PIN under the LMK is at least 128 bytes, the NUL included).
let wholePayloadMax = 127

/// The longest whole payload written where the output is a PIN block (`JG`, `TI`; vendor
/// spec §5.11: a PIN block buffer is 33 bytes, the NUL included).
let pinBlockPayloadMax = 32

/// The longest whole payload written where the output is an 8-byte MAC or an ARPC (`K4`,
/// `K6`, `Tass_GenZPKMac`'s `UQ`; vendor spec §5.11: MAC and ARPC buffers are 17 bytes).
let macPayloadMax = 16

/// Writes the fields of a reply whole, as the vendor's library copies them (vendor spec
/// §5.1: `JE`, `NG`, `JA`, `BA`, `JG`, `TI`, `K2`, `K4`, `K6`'s ARPC, `UQ`), and a NUL.
/// Checked before anything is written: an empty payload or one with a byte outside
/// printable ASCII (a NUL would cut the string short) is `HAR_MSG_RSPCODE`, one longer than
/// `max` (the output's buffer of §5.11 less its NUL) `HAR_MEM_LENLESS`; the caller's buffer
/// is then left as it was. Messages give lengths, never the bytes.
func writeWholePayload(_ out: CString?, _ payload: [UInt8], _ command: String, max: Int = wholePayloadMax) throws {
    guard !payload.isEmpty else { throw CompatError(HAR.msgRspCode, "\(command): the reply has no payload") }
    guard payload.count <= max else {
        throw CompatError(HAR.memLenLess, "\(command): the reply payload of \(payload.count) bytes does not fit the output (at most \(max))")
    }
    guard payload.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
        throw CompatError(HAR.msgRspCode, "\(command): the reply payload holds a byte that is not printable ASCII")
    }
    Out.string(out, payload)
}

/// A clear PIN: 4...12 digits (the vendor's `Tass_EncryptPIN` took exactly 6; the HSM
/// takes 4 to 12, and so does this library).
func clearPINArgument(_ p: CString?, _ name: String) throws -> String {
    var t = try Arg.string(p, name, max: 16)
    defer { SecureBytes.zero(&t) }
    guard (4...12).contains(t.count), Arg.isDigits(t) else { throw CompatError(HAR.paramValue, "\(name) must be 4 to 12 decimal digits") }
    return String(decoding: t, as: UTF8.self)
}

/// `Tass_Decrypt_PIN`: `JE` (PIN block -> PIN under LMK) then `NG`, whose whole payload is
/// written to `pcPinText` as the vendor's library copies it (the PIN digits from a TASS
/// device; a payShield-style device's `F` padding and reference number too). The PAN is 12
/// characters (or 18; its first 12 digits are the account).
@_cdecl("Tass_Decrypt_PIN")
public func Tass_Decrypt_PIN(_ session: Handle?, _ keyIndex: Int32, _ zpk: CString?, _ pinBlock: CString?, _ format: Int32,
                             _ pan: CString?, _ outPIN: CString?) -> Int32 {
    Compat.run("Tass_Decrypt_PIN") {
        try Out.require((Out.raw(outPIN), "pcPinText"))
        let client = try CompatRuntime.sessionClient(session, "Tass_Decrypt_PIN")
        let k = try KeyArgument.read(index: keyIndex, cryptogram: zpk, rule: .one, name: "ZPK")
        var block = try pinBlockArgument(pinBlock, "pcPinBlkCipher")
        defer { SecureBytes.zero(&block) }
        let f = try Arg.pinFormat(format)
        let account = try accountField(try Arg.string(pan, "pcPan", lengths: [12, 18]), "pcPan")
        let underLMK = try client.pinBlockToLMK(zpk: k, pinBlock: block, format: f, account: account)
        var payload = try CompatExchange.payload(client, DecryptPINRequest(account: account, pinUnderLMK: underLMK), secret: true)
        defer { SecureBytes.zero(&payload) }
        try writeWholePayload(outPIN, payload, "NG")
        return HAR.ok
    }
}

@_cdecl("Tass_DecryptPIN")
public func Tass_DecryptPIN(_ s: Handle?, _ i: Int32, _ zpk: CString?, _ b: CString?, _ f: Int32, _ pan: CString?, _ out: CString?) -> Int32 {
    Tass_Decrypt_PIN(s, i, zpk, b, f, pan, out)
}

/// `Tass_EncryptPIN`: `BA` (clear PIN -> PIN under LMK) then `JG` (-> PIN block under the
/// ZPK), both through the session (the vendor sent `BA` to the initialisation's host). The
/// whole `JG` payload goes to `pcPinBlkCipher` (vendor spec §5.1; at most 32 characters).
@_cdecl("Tass_EncryptPIN")
public func Tass_EncryptPIN(_ session: Handle?, _ keyIndex: Int32, _ zpk: CString?, _ pin: CString?, _ format: Int32,
                            _ pan: CString?, _ outBlock: CString?) -> Int32 {
    Compat.run("Tass_EncryptPIN") {
        try Out.require((Out.raw(outBlock), "pcPinBlkCipher"))
        let client = try CompatRuntime.sessionClient(session, "Tass_EncryptPIN")
        let k = try KeyArgument.read(index: keyIndex, cryptogram: zpk, rule: .one, name: "ZPK")
        let clear = try clearPINArgument(pin, "pcPinText")
        let f = try Arg.pinFormat(format)
        let account = try accountField(try Arg.string(pan, "pcPan", lengths: [0, 12, 18]), "pcPan")
        let underLMK = try client.encryptPIN(clear, account: account)
        var payload = try CompatExchange.payload(client, PINFromLMKRequest(zpk: k, format: f.rawValue, account: account, pinUnderLMK: underLMK))
        defer { SecureBytes.zero(&payload) }
        try writeWholePayload(outBlock, payload, "JG", max: pinBlockPayloadMax)
        return HAR.ok
    }
}

/// `TI` from one ZPK to another (key class 2 both sides, maximum PIN length 12), the whole
/// payload (the destination PIN block from a TASS device) to `out`.
private func translateWhole(_ client: CACipherClient, _ s: KeyField, _ d: KeyField, _ block: [UInt8], _ sf: PINBlockFormat, _ sa: String,
                            _ df: PINBlockFormat, _ da: String, _ out: CString?) throws {
    let req = TranslatePINTASSRequest(sourceKind: 2, sourceKey: s, destinationKind: 2, destinationKey: d, maxPINLength: 12,
                                      pinBlock: block, sourceFormat: sf.rawValue, sourceAccount: sa,
                                      destinationFormat: df.rawValue, destinationAccount: da)
    var payload = try CompatExchange.payload(client, req, secret: true)
    defer { SecureBytes.zero(&payload) }
    try writeWholePayload(out, payload, "TI", max: pinBlockPayloadMax)
}

/// `Tass_TranslatePin` (session-less): `TI` from one ZPK to another, an account per side;
/// the whole payload to `pcDstPinBlkCipher` (vendor spec §10.2.3, at most 32 characters).
@_cdecl("Tass_TranslatePin")
public func Tass_TranslatePin(_ srcIndex: Int32, _ src: CString?, _ dstIndex: Int32, _ dst: CString?, _ srcPAN: CString?,
                              _ dstPAN: CString?, _ srcFormat: Int32, _ dstFormat: Int32, _ pinBlock: CString?,
                              _ outBlock: CString?) -> Int32 {
    Compat.run("Tass_TranslatePin") {
        try Out.require((Out.raw(outBlock), "pcDstPinBlkCipher"))
        let s = try KeyArgument.read(index: srcIndex, cryptogram: src, rule: .one, name: "source ZPK")
        let d = try KeyArgument.read(index: dstIndex, cryptogram: dst, rule: .one, name: "destination ZPK")
        let sa = try accountField(try Arg.string(srcPAN, "pcSrcPan", lengths: [12, 18]), "pcSrcPan")
        let da = try accountField(try Arg.string(dstPAN, "pcDstPan", lengths: [12, 18]), "pcDstPan")
        let sf = try Arg.pinFormat(srcFormat)
        let df = try Arg.pinFormat(dstFormat)
        var block = try pinBlockArgument(pinBlock, "pcSrcPinBlkCipher")
        defer { SecureBytes.zero(&block) }
        try translateWhole(CompatRuntime.initClient("Tass_TranslatePin"), s, d, block, sf, sa, df, da, outBlock)
        return HAR.ok
    }
}

/// `HSM_RCL_EncryptPin_LMK` (session-less): `BA`; the whole payload (the PIN under the LMK,
/// 16H from a TASS device) to `pcPinCipherByLmk`.
@_cdecl("HSM_RCL_EncryptPin_LMK")
public func HSM_RCL_EncryptPin_LMK(_ pin: CString?, _ pan: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_EncryptPin_LMK") {
        try Out.require((Out.raw(out), "pcPinCipherByLmk"))
        let clear = try clearPINArgument(pin, "pcPlainPin")
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        let client = try CompatRuntime.initClient("HSM_RCL_EncryptPin_LMK")
        let payload = try CompatExchange.payload(client, EncryptPINRequest(pin: clear, account: account), secret: true)
        try writeWholePayload(out, payload, "BA")
        return HAR.ok
    }
}

/// `HSM_RCL_DecryptPin_LMK`: `NG`; the whole payload to `pcPlainPin` (as `Tass_Decrypt_PIN`).
@_cdecl("HSM_RCL_DecryptPin_LMK")
public func HSM_RCL_DecryptPin_LMK(_ session: Handle?, _ pinUnderLMK: CString?, _ pan: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_DecryptPin_LMK") {
        try Out.require((Out.raw(out), "pcPlainPin"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RCL_DecryptPin_LMK")
        let p = try pinUnderLMKArgument(pinUnderLMK, "pcPinCipherByLmk")
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        var payload = try CompatExchange.payload(client, DecryptPINRequest(account: account, pinUnderLMK: p), secret: true)
        defer { SecureBytes.zero(&payload) }
        try writeWholePayload(out, payload, "NG")
        return HAR.ok
    }
}

/// `HSM_RCL_TransferCipherPin_Lmk2Zpk`: `JG`; the whole payload (the PIN block under the
/// ZPK) to `pcPinCipherByZpk` (vendor spec §11.4, at most 32 characters).
@_cdecl("HSM_RCL_TransferCipherPin_Lmk2Zpk")
public func HSM_RCL_TransferCipherPin_Lmk2Zpk(_ session: Handle?, _ zpkIndex: Int32, _ zpk: CString?, _ format: Int32, _ pan: CString?,
                                              _ pinUnderLMK: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_TransferCipherPin_Lmk2Zpk") {
        try Out.require((Out.raw(out), "pcPinCipherByZpk"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RCL_TransferCipherPin_Lmk2Zpk")
        let k = try KeyArgument.read(index: zpkIndex, cryptogram: zpk, rule: .field, name: "ZPK", maxIndex: 9999)
        let f = try Arg.pinFormat(format)
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        let p = try pinUnderLMKArgument(pinUnderLMK, "pcPinCipherByLmk")
        // The typed JG's rule, kept: the PIN under the LMK is 8 bytes (16H), nothing sent otherwise.
        guard p.count == 8 else { throw CompatError(HAR.paramValue, "pcPinCipherByLmk must be 16 hex characters (8 bytes), got \(p.count) bytes") }
        var payload = try CompatExchange.payload(client, PINFromLMKRequest(zpk: k, format: f.rawValue, account: account, pinUnderLMK: p))
        defer { SecureBytes.zero(&payload) }
        try writeWholePayload(out, payload, "JG", max: pinBlockPayloadMax)
        return HAR.ok
    }
}

/// `HSM_RCL_TransferCipherPin_Zpk2Lmk`: `JE`; the whole payload (the PIN under the LMK) to
/// `pcPinCipherByLmk` (vendor spec §11.5, at most 127 characters).
@_cdecl("HSM_RCL_TransferCipherPin_Zpk2Lmk")
public func HSM_RCL_TransferCipherPin_Zpk2Lmk(_ session: Handle?, _ zpkIndex: Int32, _ zpk: CString?, _ format: Int32, _ pan: CString?,
                                              _ pinBlock: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_TransferCipherPin_Zpk2Lmk") {
        try Out.require((Out.raw(out), "pcPinCipherByLmk"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RCL_TransferCipherPin_Zpk2Lmk")
        let k = try KeyArgument.read(index: zpkIndex, cryptogram: zpk, rule: .field, name: "ZPK", maxIndex: 9999)
        let f = try Arg.pinFormat(format)
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        var block = try pinBlockArgument(pinBlock, "pcPinCipherByZpk")
        defer { SecureBytes.zero(&block) }
        var payload = try CompatExchange.payload(client, PINBlockToLMKRequest(zpk: k, pinBlock: block, format: f.rawValue, account: account),
                                                 secret: true)
        defer { SecureBytes.zero(&payload) }
        try writeWholePayload(out, payload, "JE")
        return HAR.ok
    }
}

/// `HSM_RCL_TransferCipherPin_Zpk2Zpk` (session-less): `TI`; the whole payload to
/// `pcDstPinCipherByZpk` (vendor spec §11.6, at most 32 characters).
@_cdecl("HSM_RCL_TransferCipherPin_Zpk2Zpk")
public func HSM_RCL_TransferCipherPin_Zpk2Zpk(_ srcIndex: Int32, _ src: CString?, _ dstIndex: Int32, _ dst: CString?,
                                              _ srcFormat: Int32, _ dstFormat: Int32, _ srcPAN: CString?, _ dstPAN: CString?,
                                              _ pinBlock: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_TransferCipherPin_Zpk2Zpk") {
        try Out.require((Out.raw(out), "pcDstPinCipherByZpk"))
        let s = try KeyArgument.read(index: srcIndex, cryptogram: src, rule: .field, name: "source ZPK", maxIndex: 9999)
        let d = try KeyArgument.read(index: dstIndex, cryptogram: dst, rule: .field, name: "destination ZPK", maxIndex: 9999)
        let sf = try Arg.pinFormat(srcFormat)
        let df = try Arg.pinFormat(dstFormat)
        let sa = try accountField(try Arg.string(srcPAN, "pcSrcPAN", max: 19), "pcSrcPAN")
        let da = try accountField(try Arg.string(dstPAN, "pcDstPAN", max: 19), "pcDstPAN")
        var block = try pinBlockArgument(pinBlock, "pcSrcPinCipherByZpk")
        defer { SecureBytes.zero(&block) }
        try translateWhole(CompatRuntime.initClient("HSM_RCL_TransferCipherPin_Zpk2Zpk"), s, d, block, sf, sa, df, da, out)
        return HAR.ok
    }
}
