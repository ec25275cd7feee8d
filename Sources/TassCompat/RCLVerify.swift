import CACipherCore
import HostProtocol

// Card and PIN verification values: `CW`, `CY`, `DG`, `DE`, `EA`, `JA` (vendor spec §10.6,
// §11.1, §11.7-§11.11). All session-less: sent to the initialisation's group.

/// The CVK of `CW`/`CY` (vendor §5.2 key argument). Index 0 also takes a bare 32H
/// cryptogram as payShield's CVK A || CVK B (two single-length keys under the LMK); the
/// vendor library would have sent only its first 16 characters.
private func cvkArgument(index: Int32, cryptogram: CString?, name: String, maxIndex: Int32, allowed: Set<Int>? = nil) throws -> CVKField {
    // The `Tass_*` length rule (`allowed`) checks the pair first: index 0 without a
    // cryptogram is one of a wrong length (vendor §5.3).
    if index == 0, cryptogram == nil, allowed != nil {
        throw CompatError(HAR.paramKeyCipher, "\(name): index 0 and no key cryptogram")
    }
    if index == 0, let c = cryptogram {
        let t = try Arg.string(c, name, max: 64)
        if let allowed, !allowed.contains(t.count) {
            throw CompatError(HAR.paramKeyCipher, "\(name): a key cryptogram of \(t.count) characters (allowed: \(allowed.sorted().map(String.init).joined(separator: ", ")))")
        }
        if t.count == 32, Arg.isHex(t) {
            let a = try KeyArgument.parse(Array(t.prefix(16)), name, form: .underLMK)
            let b = try KeyArgument.parse(Array(t.suffix(16)), name, form: .underLMK)
            return .pair(a: a, b: b)
        }
    }
    return .key(try KeyArgument.read(index: index, cryptogram: cryptogram, rule: .field, name: name, maxIndex: maxIndex))
}

/// `n` decimal digits (NULL -> `HAR_PARAM_ISNULL`, another length -> `HAR_PARAM_LEN`, a
/// non-digit -> `error`, default `HAR_PARAM_VALUE`).
private func digitsArgument(_ p: CString?, _ name: String, lengths: ClosedRange<Int>, error: Int32 = HAR.paramValue) throws -> String {
    let t = try Arg.string(p, name, max: lengths.upperBound + 1)
    guard lengths.contains(t.count) else {
        let n = lengths.lowerBound == lengths.upperBound ? "\(lengths.lowerBound)" : "\(lengths.lowerBound) to \(lengths.upperBound)"
        throw CompatError(HAR.paramLen, "\(name) has \(t.count) characters (allowed: \(n))")
    }
    guard Arg.isDigits(t) else { throw CompatError(error, "\(name) is not all decimal digits") }
    return String(decoding: t, as: UTF8.self)
}

/// The full PAN of `CW`/`CY` (vendor §5.5 selector 88, "as given"): 8 to 19 digits.
private func fullPANArgument(_ p: CString?, _ name: String) throws -> String {
    try digitsArgument(p, name, lengths: 8...19, error: HAR.paramPAN)
}

/// The IBM 3624 arguments shared by `DE` and `EA`: check length (`%02d`: 4...12 here, the
/// range the HSM takes), decimalisation table 16N, PIN validation data 12A.
private func ibmArguments(_ minLength: Int32, _ table: CString?, _ data: CString?) throws -> (Int, String, String) {
    guard (4...12).contains(minLength) else { throw CompatError(HAR.paramValue, "iMinLength \(minLength) is out of range (4 to 12)") }
    let t = try digitsArgument(table, "pcDecimalTable", lengths: 16...16)
    let v = try Arg.string(data, "pcPinVerifyData", lengths: [12])
    guard v.allSatisfy({ Hex.nibble($0) != nil || $0 == UInt8(ascii: "N") }), v.filter({ $0 == UInt8(ascii: "N") }).count == 1 else {
        throw CompatError(HAR.paramValue, "pcPinVerifyData must be hex digits and one N")
    }
    return (Int(minLength), t, String(decoding: v.map { $0 >= 0x61 && $0 <= 0x66 ? $0 - 0x20 : $0 }, as: UTF8.self))
}

/// Generate (mode 0) or verify (mode 1) a CVV, the body of `Tass_GenVerifyCvn` and the two
/// `HSM_RCL_*` CVV functions. Verify: 0 match, the HSM's 1 on a mismatch.
private func cvvCall(_ function: String, cvk: CVKField, verify: Bool, pan: CString?, expiry: CString?, serviceCode: CString?,
                     cvv: CString?, names: (pan: String, expiry: String, cvv: String) = ("pcPAN", "pcExpirationDate", "pcCVV")) throws -> Int32 {
    let p = try fullPANArgument(pan, names.pan)
    let e = try digitsArgument(expiry, names.expiry, lengths: 4...4)
    let s = try digitsArgument(serviceCode, "pcServiceCode", lengths: 3...3)
    let client = try CompatRuntime.initClient(function)
    if verify {
        let c = try digitsArgument(cvv, names.cvv, lengths: 3...3)
        return try client.verifyCVV(cvk: cvk, cvv: c, pan: p, expiry: e, serviceCode: s) ? HAR.ok : Int32(HostErrorCode.verificationFailed.rawValue)
    }
    Out.string(cvv, Array(try client.generateCVV(cvk: cvk, pan: p, expiry: e, serviceCode: s).utf8))
    return HAR.ok
}

/// `HSM_RCL_GenerateCVV` (session-less): `CW`. pcCVV: 3 digits and a NUL.
@_cdecl("HSM_RCL_GenerateCVV")
public func HSM_RCL_GenerateCVV(_ cvkIndex: Int32, _ cvk: CString?, _ pan: CString?, _ expiry: CString?, _ serviceCode: CString?,
                                _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenerateCVV") {
        try Out.require((Out.raw(out), "pcCVV"))
        let k = try cvkArgument(index: cvkIndex, cryptogram: cvk, name: "CVK", maxIndex: 9999)
        return try cvvCall("HSM_RCL_GenerateCVV", cvk: k, verify: false, pan: pan, expiry: expiry, serviceCode: serviceCode, cvv: out)
    }
}

/// `HSM_RCL_VerifyCVV` (session-less): `CY`; 0 verified, 1 (the HSM's code) not.
@_cdecl("HSM_RCL_VerifyCVV")
public func HSM_RCL_VerifyCVV(_ cvkIndex: Int32, _ cvk: CString?, _ pan: CString?, _ expiry: CString?, _ serviceCode: CString?,
                              _ cvv: CString?) -> Int32 {
    Compat.run("HSM_RCL_VerifyCVV") {
        let k = try cvkArgument(index: cvkIndex, cryptogram: cvk, name: "CVK", maxIndex: 9999)
        return try cvvCall("HSM_RCL_VerifyCVV", cvk: k, verify: true, pan: pan, expiry: expiry, serviceCode: serviceCode, cvv: cvv)
    }
}

/// `Tass_GenVerifyCvn` (session-less): mode 0 `CW` (pcCvn out), mode 1 `CY` (pcCvn in). The
/// CVK index is 0...2048; with index 0 the cryptogram is 33 characters (49 for this
/// project's SM4/AES form, which the HSM refuses as a CVK: 26).
@_cdecl("Tass_GenVerifyCvn")
public func Tass_GenVerifyCvn(_ keyIndex: Int32, _ key: CString?, _ mode: Int32, _ pan: CString?, _ validity: CString?,
                              _ serviceCode: CString?, _ cvn: CString?) -> Int32 {
    Compat.run("Tass_GenVerifyCvn") {
        guard mode == 0 || mode == 1 else { throw CompatError(HAR.paramValue, "iMode \(mode) is not 0 (generate) or 1 (verify)") }
        try Out.require((Out.raw(cvn), "pcCvn"))
        let k = try cvkArgument(index: keyIndex, cryptogram: key, name: "CVK", maxIndex: KeyArgument.tassMaxIndex, allowed: [32, 33, 49])
        return try cvvCall("Tass_GenVerifyCvn", cvk: k, verify: mode == 1, pan: pan, expiry: validity, serviceCode: serviceCode, cvv: cvn,
                           names: ("pcPan", "pcValidity", "pcCvn"))
    }
}

/// `HSM_RCL_GeneratePVV` (session-less): `DG`. iPvkID 0...15 (10...15 sent as `A`...`F`;
/// else `HAR_PARAM_KEY_ID`). pcPVV: 4 digits and a NUL.
@_cdecl("HSM_RCL_GeneratePVV")
public func HSM_RCL_GeneratePVV(_ pvkIndex: Int32, _ pvk: CString?, _ pvki: Int32, _ pinUnderLMK: CString?, _ pan: CString?,
                                _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_GeneratePVV") {
        try Out.require((Out.raw(out), "pcPVV"))
        let k = try KeyArgument.read(index: pvkIndex, cryptogram: pvk, rule: .field, name: "PVK", maxIndex: 9999)
        guard (0...15).contains(pvki) else { throw CompatError(HAR.paramKeyID, "iPvkID \(pvki) is out of range (0 to 15)") }
        let p = try pinUnderLMKArgument(pinUnderLMK, "pcPinCipherByLmk")
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        let pvv = try CompatRuntime.initClient("HSM_RCL_GeneratePVV").generatePVV(pvk: k, pinUnderLMK: p, account: account, pvki: Int(pvki))
        Out.string(out, Array(pvv.utf8))
        return HAR.ok
    }
}

/// `HSM_RCL_GenerateIBMPinOffset` (session-less): `DE`. pcPinOffset: the 12H offset (the PIN
/// length's digits, then `F`s) and a NUL.
@_cdecl("HSM_RCL_GenerateIBMPinOffset")
public func HSM_RCL_GenerateIBMPinOffset(_ pvkIndex: Int32, _ pvk: CString?, _ pinUnderLMK: CString?, _ minLength: Int32,
                                         _ pan: CString?, _ table: CString?, _ data: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenerateIBMPinOffset") {
        try Out.require((Out.raw(out), "pcPinOffset"))
        let k = try KeyArgument.read(index: pvkIndex, cryptogram: pvk, rule: .field, name: "PVK", maxIndex: 9999)
        let p = try pinUnderLMKArgument(pinUnderLMK, "pcPinCipherByLmk")
        let (c, t, v) = try ibmArguments(minLength, table, data)
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        let offset = try CompatRuntime.initClient("HSM_RCL_GenerateIBMPinOffset").generateIBMPINOffset(
            pvk: k, pinUnderLMK: p, checkLength: c, account: account, decimalisationTable: t, validationData: v)
        Out.string(out, try IBMOffset.padded(offset))
        return HAR.ok
    }
}

/// `HSM_RCL_VerifyZonePinBlock_PinOffset` (session-less): `EA` with maximum PIN length 12.
/// pcPinOffset: the 12H offset (digits then `F`s), or just its digits. 0 verified, 1 (the
/// HSM's code) not.
@_cdecl("HSM_RCL_VerifyZonePinBlock_PinOffset")
public func HSM_RCL_VerifyZonePinBlock_PinOffset(_ zpkIndex: Int32, _ zpk: CString?, _ pvkIndex: Int32, _ pvk: CString?,
                                                 _ pinBlock: CString?, _ format: Int32, _ minLength: Int32, _ pan: CString?,
                                                 _ table: CString?, _ data: CString?, _ offset: CString?) -> Int32 {
    Compat.run("HSM_RCL_VerifyZonePinBlock_PinOffset") {
        let z = try KeyArgument.read(index: zpkIndex, cryptogram: zpk, rule: .field, name: "ZPK", maxIndex: 9999)
        let k = try KeyArgument.read(index: pvkIndex, cryptogram: pvk, rule: .field, name: "PVK", maxIndex: 9999)
        var block = try pinBlockArgument(pinBlock, "pcPinBlock_Zpk")
        defer { SecureBytes.zero(&block) }
        let f = try Arg.pinFormat(format)
        let (c, t, v) = try ibmArguments(minLength, table, data)
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        let o = try Arg.string(offset, "pcPinOffset", max: 12)
        let digits = Array(o.prefix(while: { $0 >= 0x30 && $0 <= 0x39 }))
        guard digits.count >= c, o[digits.count...].allSatisfy({ $0 == UInt8(ascii: "F") || $0 == UInt8(ascii: "f") }) else {
            throw CompatError(HAR.paramValue, "pcPinOffset must be at least iMinLength digits, then F padding")
        }
        let ok = try CompatRuntime.initClient("HSM_RCL_VerifyZonePinBlock_PinOffset").verifyPINByIBMOffset(
            zpk: z, pvk: k, pinBlock: block, format: f, checkLength: c, account: account, decimalisationTable: t, validationData: v,
            offset: String(decoding: digits, as: UTF8.self))
        return ok ? HAR.ok : Int32(HostErrorCode.verificationFailed.rawValue)
    }
}

/// `HSM_RCL_GenerateRandomPin` (session-less): `JA`. pcPinCipherByLmk: the whole payload (the
/// PIN under the LMK, 16H from a TASS device) and a NUL.
@_cdecl("HSM_RCL_GenerateRandomPin")
public func HSM_RCL_GenerateRandomPin(_ pan: CString?, _ length: Int32, _ out: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenerateRandomPin") {
        try Out.require((Out.raw(out), "pcPinCipherByLmk"))
        let account = try accountField(try Arg.string(pan, "pcPAN", max: 19), "pcPAN")
        guard (4...12).contains(length) else { throw CompatError(HAR.paramValue, "iPinLength \(length) is out of range (4 to 12)") }
        let client = try CompatRuntime.initClient("HSM_RCL_GenerateRandomPin")
        try writeWholePayload(out, try CompatExchange.payload(client, GenerateRandomPINRequest(account: account, pinLength: Int(length))), "JA")
        return HAR.ok
    }
}
