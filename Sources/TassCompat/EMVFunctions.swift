import CACipherCore
import HostProtocol

// EMV / PBOC functions: `K6`, `K2`, `K4`, `KX` (vendor spec §10.2.4, §10.5, §14.7-§14.10,
// §14.16, §14.18, §14.19). All session-less (the initialisation's client).

/// The PAN/PSN argument as the 16N field. `exact` (the `Tass_*` rule): exactly 16
/// characters (`HAR_PARAM_LEN`); otherwise the vendor's derivation PAN form (§5.5 selector
/// 0): the rightmost 16 digits, left-padded with `0`. Digits only (`HAR_PARAM_PAN`).
private func emvPAN(_ p: CString?, _ name: String, exact: Bool) throws -> String {
    let t = exact ? try Arg.string(p, name, lengths: [16]) : try Arg.string(p, name, max: 32)
    guard !t.isEmpty, Arg.isDigits(t) else { throw CompatError(HAR.paramPAN, "\(name) is not all decimal digits") }
    let f = t.count >= 16 ? Array(t.suffix(16)) : [UInt8](repeating: 0x30, count: 16 - t.count) + t
    return String(decoding: f, as: UTF8.self)
}

/// Exactly `chars` hex characters (`HAR_PARAM_LEN`, then `HAR_HEX_TO_BYTE`).
private func fixedHex(_ p: CString?, _ name: String, chars: Int) throws -> [UInt8] {
    try Arg.hexBytes(try Arg.string(p, name, lengths: [chars]), name)
}

/// Hex data of `2...maxChars` characters, even (`HAR_PARAM_LEN`, `HAR_HEX_TO_BYTE`).
private func hexData(_ p: CString?, _ name: String, maxChars: Int) throws -> [UInt8] {
    let t = try Arg.string(p, name, max: maxChars)
    guard t.count >= 2 else { throw CompatError(HAR.paramLen, "\(name) has \(t.count) characters (2 to \(maxChars))") }
    return try Arg.hexBytes(t, name)
}

/// The MDK: `Tass_*` rule A (a bare 16H gets `Z`), index 0...2048; `HSM_*` any key field.
private func mdkArgument(_ index: Int32, _ key: CString?, tass: Bool, rule: KeyArgument.Rule = .a) throws -> KeyField {
    tass ? try KeyArgument.read(index: index, cryptogram: key, rule: rule, name: "MDK")
         : try KeyArgument.read(index: index, cryptogram: key, rule: .field, name: "MDK", maxIndex: 9999)
}

/// 12 decimal digits (`HAR_PARAM_LEN`, `HAR_PARAM_PAN`).
private func emvAccount(_ p: CString?, _ name: String) throws -> String {
    let t = try Arg.string(p, name, lengths: [12])
    guard Arg.isDigits(t) else { throw CompatError(HAR.paramPAN, "\(name) is not all decimal digits") }
    return String(decoding: t, as: UTF8.self)
}

/// `K6` modes 0/1 for the four verify functions: rv 0 (and the ARPC into `out` for mode 1),
/// or rv 1 with the 16H diagnostic into `out` (vendor §4.5).
private func verifyARQC(_ function: StaticString, tass: Bool, _ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?,
                        _ data: CString?, _ arqc: CString?, _ arc: CString?, withARPC: Bool, out: CString?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(out), withARPC ? "pcARPC" : "pcARQC"))
        let client = try CompatRuntime.initClient("\(function)")
        let k = try mdkArgument(keyIndex, key, tass: tass)
        let p = try emvPAN(pan, "pcPan", exact: tass)
        let a = try fixedHex(atc, "pcATC", chars: 4)
        let d = try hexData(data, "pcTransData", maxChars: 2 * ARQCRequest.maxDataBytes)
        let q = try fixedHex(arqc, "pcARQC", chars: 16)
        let result: ARQCResult
        if withARPC {
            // Mode 1: the whole payload, the ARPC (rv 0) or the diagnostic (rv 1), to `out`
            // (vendor spec §5.1 "K6 ARPC", §10.5.3; at most 16 characters).
            let c = try fixedHex(arc, "pcARC", chars: 4)
            let r = try CompatExchange.payloadOrMismatch(client, ARQCRequest(mode: .verifyAndGenerateARPC, mdk: k, pan: p, atc: a,
                                                                             data: d, arqc: q, arc: c))
            try writeWholePayload(out, r.payload, "K6", max: macPayloadMax)
            return r.verified ? HAR.ok : 1
        } else {
            result = try client.verifyARQC(mdk: k, pan: p, atc: a, data: d, arqc: q)
        }
        switch result {
        case let .verified(arpc):
            if let v = arpc { Out.hex(out, v) }
            return HAR.ok
        case let .mismatch(diagnostic):
            Out.hex(out, diagnostic)
            return 1
        }
    }
}

private func generateARPC(_ function: StaticString, tass: Bool, _ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?,
                          _ arqc: CString?, _ arc: CString?, _ out: CString?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(out), "pcARPC"))
        let client = try CompatRuntime.initClient("\(function)")
        let k = try mdkArgument(keyIndex, key, tass: tass)
        let p = try emvPAN(pan, "pcPan", exact: tass)
        let a = try fixedHex(atc, "pcATC", chars: 4)
        let q = try fixedHex(arqc, "pcARQC", chars: 16)
        let c = try fixedHex(arc, "pcARC", chars: 4)
        let payload = try CompatExchange.payload(client, ARQCRequest(mode: .generateARPC, mdk: k, pan: p, atc: a, arqc: q, arc: c))
        try writeWholePayload(out, payload, "K6", max: macPayloadMax)
        return HAR.ok
    }
}

/// The longest `K2` payload written: the hex of the script data rounded up to the MDK's block
/// (8 bytes DES, 16 SM4/AES; 16 for a key at an index, whose algorithm is not known here),
/// the caller's buffer of the headers (vendor spec §5.11: hex outputs 2 x bytes + 1).
private func scriptCryptogramMax(_ mdk: KeyField, _ dataBytes: Int) -> Int {
    var block = 16
    if case let .encrypted(s, _) = mdk { block = s.algorithm.blockSize }
    return 2 * ((dataBytes + block - 1) / block) * block
}

/// `K6` mode 2 for `Tass_GenARPC` / `HSM_IC_GenerateArpc`: the whole payload (the ARPC, 16H
/// from a TASS device) to `pcARPC` (vendor spec §5.1, §10.5.2; at most 16 characters).
/// `K2` (`mac` false) / `K4` (`mac` true) below likewise: the whole payload, the cryptogram
/// (at most `scriptCryptogramMax`) or the MAC (at most 16 characters). Script data: 2...1968 hex characters for `Tass_*`, up to the 3H field's
/// 4095 bytes for `HSM_IC_*`.
private func script(_ function: StaticString, tass: Bool, mac: Bool, _ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?,
                    _ data: CString?, _ out: CString?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(out), mac ? "pcMAC" : "pcDataCipher"))
        let client = try CompatRuntime.initClient("\(function)")
        let k = try mdkArgument(keyIndex, key, tass: tass)
        let p = try emvPAN(pan, "pcPan", exact: tass)
        let a = try fixedHex(atc, "pcATC", chars: 4)
        let d = try hexData(data, "pcTransData", maxChars: tass ? 1968 : 2 * IssuerScriptFields.maxDataBytes)
        let f = IssuerScriptFields(mdk: k, pan: p, atc: a, data: d)
        if mac {
            try writeWholePayload(out, try CompatExchange.payload(client, ScriptMACRequest(f)), "K4", max: macPayloadMax)
        } else {
            try writeWholePayload(out, try CompatExchange.payload(client, EncryptScriptRequest(f)), "K2", max: scriptCryptogramMax(k, d.count))
        }
        return HAR.ok
    }
}

/// `HSM_IC_VerifyArqc`: `K6` mode 0. rv 1 on a mismatch, with the diagnostic in `pcArqc`.
@_cdecl("HSM_IC_VerifyArqc")
public func HSM_IC_VerifyArqc(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                              _ arqc: CString?) -> Int32 {
    verifyARQC("HSM_IC_VerifyArqc", tass: false, keyIndex, key, pan, atc, data, arqc, nil, withARPC: false, out: arqc)
}

/// `HSM_IC_GenerateArpc`: `K6` mode 2, the ARPC (16H) into `pcArpc`.
@_cdecl("HSM_IC_GenerateArpc")
public func HSM_IC_GenerateArpc(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ arqc: CString?,
                                _ arc: CString?, _ arpc: CString?) -> Int32 {
    generateARPC("HSM_IC_GenerateArpc", tass: false, keyIndex, key, pan, atc, arqc, arc, arpc)
}

/// `HSM_IC_VerifyArqc_GenARPC`: `K6` mode 1. rv 0 with the ARPC, rv 1 with the diagnostic,
/// in `pcOutput`.
@_cdecl("HSM_IC_VerifyArqc_GenARPC")
public func HSM_IC_VerifyArqc_GenARPC(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                                      _ arqc: CString?, _ arc: CString?, _ output: CString?) -> Int32 {
    verifyARQC("HSM_IC_VerifyArqc_GenARPC", tass: false, keyIndex, key, pan, atc, data, arqc, arc, withARPC: true, out: output)
}

/// `HSM_IC_EncryptPbocScript`: `K2`, the cryptogram (hex) into `pcCipher`.
@_cdecl("HSM_IC_EncryptPbocScript")
public func HSM_IC_EncryptPbocScript(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                                     _ cipher: CString?) -> Int32 {
    script("HSM_IC_EncryptPbocScript", tass: false, mac: false, keyIndex, key, pan, atc, data, cipher)
}

/// `HSM_IC_GeneratePbocScriptMac`: `K4`, the MAC (16H) into `pcMac`.
@_cdecl("HSM_IC_GeneratePbocScriptMac")
public func HSM_IC_GeneratePbocScriptMac(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                                         _ mac: CString?) -> Int32 {
    script("HSM_IC_GeneratePbocScriptMac", tass: false, mac: true, keyIndex, key, pan, atc, data, mac)
}

/// The `KX` PIN block format argument: `"41"` or `"42"` (`HAR_PARAM_VALUE`).
private func offlineFormat(_ p: CString?, _ name: String) throws -> Int {
    let t = try Arg.string(p, name, lengths: [2])
    guard t == Array("41".utf8) || t == Array("42".utf8) else { throw CompatError(HAR.paramValue, "\(name) must be 41 or 42") }
    return t == Array("41".utf8) ? 41 : 42
}

/// `HSM_IC_OfflinePin_PlaintextPin`: `KX` input mode 1. PINs 4...12 digits (the old PIN is
/// read only for format 42); the cryptogram (hex) into `pcPinCipher`.
@_cdecl("HSM_IC_OfflinePin_PlaintextPin")
public func HSM_IC_OfflinePin_PlaintextPin(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ format: CString?,
                                           _ newPIN: CString?, _ oldPIN: CString?, _ account: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_IC_OfflinePin_PlaintextPin") {
        try Out.require((Out.raw(out), "pcPinCipher"))
        let client = try CompatRuntime.initClient("HSM_IC_OfflinePin_PlaintextPin")
        let k = try mdkArgument(keyIndex, key, tass: false)
        let p = try emvPAN(pan, "pcPan", exact: false)
        let a = try fixedHex(atc, "pcAtc", chars: 4)
        let f = try offlineFormat(format, "pcPinBlkFmt1")
        let n = try clearPINArgument(newPIN, "pcPlaintextPin_New")
        let o = f == 42 ? try clearPINArgument(oldPIN, "pcPlaintextPin_Old") : nil
        let acct = try emvAccount(account, "pcAccountNum")
        Out.hex(out, try client.offlinePIN(mdk: k, pan: p, atc: a, newPIN: n, oldPIN: o, account: acct))
        return HAR.ok
    }
}

/// `HSM_IC_OfflinePin_CipherPin`: `KX` input mode 2 (PIN blocks under a ZPK) or 3 (a TPK).
/// The source key is the PIN key, the destination key the MDK.
@_cdecl("HSM_IC_OfflinePin_CipherPin")
public func HSM_IC_OfflinePin_CipherPin(_ srcIndex: Int32, _ srcKey: CString?, _ dstIndex: Int32, _ dstKey: CString?, _ pan: CString?,
                                        _ atc: CString?, _ inputMode: CString?, _ srcFormat: CString?, _ dstFormat: CString?,
                                        _ newBlock: CString?, _ oldBlock: CString?, _ account: CString?, _ out: CString?) -> Int32 {
    Compat.run("HSM_IC_OfflinePin_CipherPin") {
        try Out.require((Out.raw(out), "pcPinCipher"))
        let client = try CompatRuntime.initClient("HSM_IC_OfflinePin_CipherPin")
        let pinKey = try KeyArgument.read(index: srcIndex, cryptogram: srcKey, rule: .field, name: "PIN key", maxIndex: 9999)
        let mdk = try mdkArgument(dstIndex, dstKey, tass: false)
        let p = try emvPAN(pan, "pcPan", exact: false)
        let a = try fixedHex(atc, "pcAtc", chars: 4)
        let m = try Arg.string(inputMode, "pcPinInputMode", lengths: [1])
        guard let kind = OfflinePINKeyKind(rawValue: Int(m[0]) - 0x30) else {
            throw CompatError(HAR.paramValue, "pcPinInputMode must be 2 (ZPK) or 3 (TPK)")
        }
        let sf = try Arg.string(srcFormat, "pcSrcPinBlkFmt", lengths: [2])
        guard Arg.isDigits(sf) else { throw CompatError(HAR.paramValue, "pcSrcPinBlkFmt is not a 2-digit format code") }
        let sourceFormat = try Arg.pinFormat(Int32(sf[0] - 0x30) * 10 + Int32(sf[1] - 0x30))
        let f = try offlineFormat(dstFormat, "pcDstPinBlkFmt")
        var nb = try pinBlockArgument(newBlock, "pcCipherPin_New")
        defer { SecureBytes.zero(&nb) }
        var ob = f == 42 ? try pinBlockArgument(oldBlock, "pcCipherPin_Old") : nil
        defer { if ob != nil { SecureBytes.zero(&ob!) } }
        let acct = try emvAccount(account, "pcAccountNum")
        Out.hex(out, try client.offlinePIN(mdk: mdk, pan: p, atc: a, pinKey: pinKey, pinKeyKind: kind, sourceFormat: sourceFormat,
                                           newPINBlock: nb, oldPINBlock: ob, account: acct))
        return HAR.ok
    }
}

/// `Tass_VerifyARQC`: `K6` mode 0 (vendor §10.5.1): MDK rule A, PAN exactly 16, ATC 4H,
/// data 2...510 hex characters, ARQC 16H. rv 1 on a mismatch, the diagnostic in `pcARQC`.
@_cdecl("Tass_VerifyARQC")
public func Tass_VerifyARQC(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                            _ arqc: CString?) -> Int32 {
    verifyARQC("Tass_VerifyARQC", tass: true, keyIndex, key, pan, atc, data, arqc, nil, withARPC: false, out: arqc)
}

/// `Tass_GenARPC`: `K6` mode 2 (vendor §10.5.2), the ARPC (16H) into `pcARPC`.
@_cdecl("Tass_GenARPC")
public func Tass_GenARPC(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ arqc: CString?, _ arc: CString?,
                         _ arpc: CString?) -> Int32 {
    generateARPC("Tass_GenARPC", tass: true, keyIndex, key, pan, atc, arqc, arc, arpc)
}

/// `Tass_VerifyARQC_GenARPC`: `K6` mode 1 (vendor §10.5.3): rv 0 with the ARPC, rv 1 with
/// the diagnostic, in `pcARPC`.
@_cdecl("Tass_VerifyARQC_GenARPC")
public func Tass_VerifyARQC_GenARPC(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                                    _ arqc: CString?, _ arc: CString?, _ arpc: CString?) -> Int32 {
    verifyARQC("Tass_VerifyARQC_GenARPC", tass: true, keyIndex, key, pan, atc, data, arqc, arc, withARPC: true, out: arpc)
}

/// `Tass_ScriptEncrypt`: `K2` (vendor §10.5.4), script data 2...1968 hex characters.
@_cdecl("Tass_ScriptEncrypt")
public func Tass_ScriptEncrypt(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                               _ cipher: CString?) -> Int32 {
    script("Tass_ScriptEncrypt", tass: true, mac: false, keyIndex, key, pan, atc, data, cipher)
}

/// `Tass_ScriptMAC`: `K4` (vendor §10.5.5), the MAC (16H) into `pcMAC`.
@_cdecl("Tass_ScriptMAC")
public func Tass_ScriptMAC(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ data: CString?,
                           _ mac: CString?) -> Int32 {
    script("Tass_ScriptMAC", tass: true, mac: true, keyIndex, key, pan, atc, data, mac)
}

/// `Tass_Encrypt_OfflinePin`: `KX` format 41, clear PIN (vendor §10.2.4): MDK rule 1, PAN
/// exactly 16, ATC 4H, PIN 4...12 digits, account `000000000000`.
@_cdecl("Tass_Encrypt_OfflinePin")
public func Tass_Encrypt_OfflinePin(_ keyIndex: Int32, _ key: CString?, _ pan: CString?, _ atc: CString?, _ pin: CString?,
                                    _ out: CString?) -> Int32 {
    Compat.run("Tass_Encrypt_OfflinePin") {
        try Out.require((Out.raw(out), "pcCipherPin"))
        let client = try CompatRuntime.initClient("Tass_Encrypt_OfflinePin")
        let k = try mdkArgument(keyIndex, key, tass: true, rule: .one)
        let p = try emvPAN(pan, "pcPan", exact: true)
        let a = try fixedHex(atc, "pcAtc", chars: 4)
        let n = try clearPINArgument(pin, "pcPlaintextPin")
        Out.hex(out, try client.offlinePIN(mdk: k, pan: p, atc: a, newPIN: n))
        return HAR.ok
    }
}
