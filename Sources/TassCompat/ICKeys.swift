import CACipherCore
import HostProtocol

// IC key functions: stored-key information (`KG`), generation with storage (`KR`),
// derivation (`KD`), export / import under a protection key (`SH` / `SI`), key type
// conversion (`AN`) and clear components (`AM`) of the `HSM_IC_*` layer (vendor spec §14.1-
// §14.6), the `HSM_RCL_*` layer (§11.22, §11.23) and `Tass_Disper_Zmk` (§10.1.11),
// `Tass_KeyTypeConversion` (§10.1.13).

/// The SAVED-KEY argument pair of the `HSM_IC_*` / `AM` functions (vendor §5.6): index <= 0
/// stores nothing; 9999 is sent as `K9999` + `00` ("not stored"); a label of more than 16
/// characters is `HAR_PARAM_VALUE`.
func icSavedKey(index: Int32, label: CString?) throws -> StoreTarget? {
    guard index > 0 else { return nil }
    guard index <= 9999 else { throw CompatError(HAR.paramKeyID, "storage index \(index) is out of range (1 to 9999)") }
    if index == 9999 { return StoreTarget(index: 9999, label: "") }
    let l = try Arg.optionalString(label, "key label", max: 64) ?? []
    guard l.count <= 16 else { throw CompatError(HAR.paramValue, "key label of \(l.count) characters is longer than 16") }
    guard l.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw CompatError(HAR.paramValue, "key label must be printable ASCII") }
    return StoreTarget(index: Int(index), label: String(decoding: l, as: UTF8.self))
}

/// The DERIVE argument pair (vendor §5.7): `count` levels of `factorHex` hex characters
/// each. The data must not be NULL (pass `""` for no levels) and must be exactly count x
/// factorHex characters of hex (`HAR_PARAM_DERIVE_DATA`); a count outside 0...99 is
/// `HAR_PARAM_DERIVE_NUM`.
func icDerive(count: Int32, data: CString?, factorHex: Int, _ name: String) throws -> [[UInt8]] {
    guard (0...99).contains(count) else { throw CompatError(HAR.paramDeriveNum, "\(name): \(count) levels is out of range (0 to 99)") }
    guard data != nil else { throw CompatError(HAR.paramDeriveData, "\(name) is NULL") }
    let text = try Arg.string(data, name, max: 99 * 32 + 1)
    guard text.count == Int(count) * factorHex, let bytes = Hex.decode(text) else {
        throw CompatError(HAR.paramDeriveData, "\(name) must be \(count) x \(factorHex) hex characters, got \(text.count)")
    }
    let n = factorHex / 2
    return (0..<Int(count)).map { Array(bytes[($0 * n)..<($0 * n + n)]) }
}

/// The SESSION argument pair (vendor §5.7): modes 0, 3, 4 carry no data; 1: 16H; 2, 5: 32H.
func icSession(mode: Int32, data: CString?) throws -> ICKeySession {
    guard let need = ICKeySession.dataLength(Int(mode)) else {
        throw CompatError(HAR.paramSessionKeyMode, "session key mode \(mode) is not 0 to 5")
    }
    if need == 0 { return ICKeySession(mode: Int(mode)) }
    guard data != nil else { throw CompatError(HAR.paramSessionKeyData, "session key data is NULL") }
    let text = try Arg.string(data, "session key data", max: 64)
    guard text.count == 2 * need, let b = Hex.decode(text) else {
        throw CompatError(HAR.paramSessionKeyData, "session key mode \(mode) needs \(2 * need) hex characters of data")
    }
    return ICKeySession(mode: Int(mode), data: b)
}

/// A key header (`SH`/`SI`): hex, at most 64 characters (`HAR_PARAM_KEY_HEADER`); NULL = none.
func icHeader(_ p: CString?) throws -> [UInt8] {
    guard p != nil else { return [] }
    let text = try Arg.string(p, "key header", max: 1024)
    guard text.count <= 64, text.count % 2 == 0, let b = Hex.decode(text) else {
        throw CompatError(HAR.paramKeyHeader, "key header must be at most 64 hex characters")
    }
    return b
}

/// The protection-key part of `SH` / `SI`.
func icProtection(mode: Int32, type: CString?, index: Int32, cryptogram: CString?, deriveCount: Int32, deriveData: CString?,
                  sessionMode: Int32, sessionData: CString?) throws -> ICProtectionKey {
    guard mode == 0 || mode == 1 else { throw CompatError(HAR.paramEncMode, "iEncryptMode \(mode) is not 0 (ECB) or 1 (CBC)") }
    let t = try Arg.keyType(type, "protection key type")
    let k = try KeyArgument.read(index: index, cryptogram: cryptogram, rule: .field, name: "protection key", maxIndex: 9999)
    let d = try icDerive(count: deriveCount, data: deriveData, factorHex: 32, "protection key derivation data")
    return ICProtectionKey(mode: Int(mode), keyType: t, key: k, derivation: ICKeyDerive(factors: d),
                           session: try icSession(mode: sessionMode, data: sessionData))
}

/// Hex characters of a clear key of `scheme` (16 / 32 / 48).
func icClearHexLength(_ s: KeyScheme) -> Int { 2 * s.keyLength }

// MARK: - HSM_IC_*

/// `HSM_IC_PutPlainKey` (session-less): `AM` with the clear key and an all-zero component.
@_cdecl("HSM_IC_PutPlainKey")
public func HSM_IC_PutPlainKey(_ keyType: CString?, _ scheme: CChar, _ plainKey: CString?, _ index: Int32, _ label: CString?,
                               _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_IC_PutPlainKey") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        var text = try Arg.string(plainKey, "pcPlainKey", lengths: [icClearHexLength(s)])
        defer { SecureBytes.zero(&text) }
        var clear = try Arg.hexBytes(text, "pcPlainKey")
        defer { SecureBytes.zero(&clear) }
        let store = try icSavedKey(index: index, label: label)
        let r = try CompatRuntime.initClient("HSM_IC_PutPlainKey").putPlainKey(type: t, scheme: s, clearKey: clear, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_IC_GetKeyInfo` (session-less): `KG` of index 1...9999. Outputs (NUL-terminated):
/// key type 3 characters (4 bytes), scheme 1 (2 bytes), KCV 16H (17), label (at most 16
/// characters, 17 bytes), time (the HSM's form, at most 99 characters; 15 bytes for evsm's
/// `YYYYMMDDhhmmss`). Each output may be NULL (skipped).
@_cdecl("HSM_IC_GetKeyInfo")
public func HSM_IC_GetKeyInfo(_ index: Int32, _ outType: CString?, _ outScheme: CString?, _ outKCV: CString?, _ outLabel: CString?,
                              _ outTime: CString?) -> Int32 {
    Compat.run("HSM_IC_GetKeyInfo") {
        guard (1...9999).contains(index) else { throw CompatError(HAR.paramKeyID, "iKeyIdx \(index) is out of range (1 to 9999)") }
        let r = try CompatRuntime.initClient("HSM_IC_GetKeyInfo").storedKeyInfo(index: Int(index))
        Out.string(outType, r.keyType.wire)
        Out.string(outScheme, [r.scheme.tag])
        Out.hex(outKCV, r.checkValue)
        // The vendor's label buffer holds 16 characters; a longer label (stored through
        // libcacipher's own API, up to 99) is cut to 16 rather than overrun it.
        Out.string(outLabel, Array(r.label.utf8.prefix(16)))
        Out.string(outTime, Array(r.time.utf8))
        return HAR.ok
    }
}

/// `HSM_IC_GenerateNewKey` (session-less): `KR`, optionally stored. The KCV as the HSM sent it (16H, 8H or 6H).
@_cdecl("HSM_IC_GenerateNewKey")
public func HSM_IC_GenerateNewKey(_ keyType: CString?, _ scheme: CChar, _ index: Int32, _ label: CString?,
                                  _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_IC_GenerateNewKey") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        let store = try icSavedKey(index: index, label: label)
        let r = try CompatRuntime.initClient("HSM_IC_GenerateNewKey").generateAndStoreKey(type: t, scheme: s, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_IC_DeriveNewKey` (session-less): `KD`. Mode 0: `iDeriveNumber` x 16H factors
/// (PBOC), mode 1: x 32H.
@_cdecl("HSM_IC_DeriveNewKey")
public func HSM_IC_DeriveNewKey(_ srcType: CString?, _ srcIndex: Int32, _ srcKey: CString?, _ dstType: CString?, _ dstScheme: CChar,
                                _ mode: Int32, _ count: Int32, _ factors: CString?, _ dstIndex: Int32, _ dstLabel: CString?,
                                _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_IC_DeriveNewKey") {
        try Out.require((Out.raw(outLMK), "pcDstKeyCipherByLmk"), (Out.raw(outKCV), "pcDstKeyCv"))
        guard let m = KeyDerivationMode(rawValue: Int(mode)) else { throw CompatError(HAR.paramValue, "iDeriveMode \(mode) is not 0 or 1") }
        let st = try Arg.keyType(srcType, "source key type")
        let k = try KeyArgument.read(index: srcIndex, cryptogram: srcKey, rule: .field, name: "source key", maxIndex: 9999)
        let dt = try Arg.keyType(dstType, "destination key type")
        let ds = try Arg.scheme(dstScheme, "destination scheme")
        let f = try icDerive(count: count, data: factors, factorHex: 2 * m.factorLength, "pcDeriveFactor")
        guard !f.isEmpty else { throw CompatError(HAR.paramDeriveNum, "iDeriveNumber must be at least 1") }
        let store = try icSavedKey(index: dstIndex, label: dstLabel)
        let r = try CompatRuntime.initClient("HSM_IC_DeriveNewKey").deriveKey(sourceType: st, source: k, type: dt, scheme: ds, mode: m,
                                                                              factors: f, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_IC_ExportCipherKey` (session): `SH`. The cryptogram is written as hex.
@_cdecl("HSM_IC_ExportCipherKey")
public func HSM_IC_ExportCipherKey(_ session: Handle?, _ encMode: Int32, _ srcType: CString?, _ srcIndex: Int32, _ srcKey: CString?,
                                   _ srcDeriveCount: Int32, _ srcDeriveData: CString?, _ srcSessionMode: Int32, _ srcSessionData: CString?,
                                   _ dstType: CString?, _ dstIndex: Int32, _ dstKey: CString?, _ dstDeriveCount: Int32, _ dstDeriveData: CString?,
                                   _ header: CString?, _ outCipher: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_IC_ExportCipherKey") {
        try Out.require((Out.raw(outCipher), "pcCipherDstKey"), (Out.raw(outKCV), "pcDstKeyCv"))
        let client = try CompatRuntime.sessionClient(session, "HSM_IC_ExportCipherKey")
        let p = try icProtection(mode: encMode, type: srcType, index: srcIndex, cryptogram: srcKey, deriveCount: srcDeriveCount,
                                 deriveData: srcDeriveData, sessionMode: srcSessionMode, sessionData: srcSessionData)
        let t = try Arg.keyType(dstType, "exported key type")
        let k = try KeyArgument.read(index: dstIndex, cryptogram: dstKey, rule: .field, name: "exported key", maxIndex: 9999)
        let d = try icDerive(count: dstDeriveCount, data: dstDeriveData, factorHex: 32, "exported key derivation data")
        let h = try icHeader(header)
        let r = try client.exportKeyUnderProtection(p, type: t, key: k, derivation: d, header: h)
        Out.hex(outCipher, r.cryptogram)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_IC_ImportCipherKey` (session-less): `SI`. `cExpandFlg == 'P'` adds the extension:
/// `pcPad` (2 digits), `pcIV` (CBC only, 16H/32H) and `pcSrcKeyCv` (the expected KCV, 16H).
@_cdecl("HSM_IC_ImportCipherKey")
public func HSM_IC_ImportCipherKey(_ encMode: Int32, _ srcType: CString?, _ srcIndex: Int32, _ srcKey: CString?,
                                   _ srcDeriveCount: Int32, _ srcDeriveData: CString?, _ srcSessionMode: Int32, _ srcSessionData: CString?,
                                   _ dstType: CString?, _ dstScheme: CChar, _ cipherByTK: CString?, _ dstIndex: Int32, _ dstLabel: CString?,
                                   _ header: CString?, _ expandFlag: CChar, _ pad: CString?, _ iv: CString?, _ expectedKCV: CString?,
                                   _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_IC_ImportCipherKey") {
        try Out.require((Out.raw(outLMK), "pcDstKeyCipherByLmk"), (Out.raw(outKCV), "pcDstKeyCv"))
        let p = try icProtection(mode: encMode, type: srcType, index: srcIndex, cryptogram: srcKey, deriveCount: srcDeriveCount,
                                 deriveData: srcDeriveData, sessionMode: srcSessionMode, sessionData: srcSessionData)
        let t = try Arg.keyType(dstType, "imported key type")
        let s = try Arg.scheme(dstScheme, "imported key scheme")
        guard cipherByTK != nil else { throw CompatError(HAR.paramKeyCipher, "pcDstKeyCipherByTk is NULL") }
        let ctext = try Arg.string(cipherByTK, "pcDstKeyCipherByTk", max: 2 * 0xFFFF)
        guard !ctext.isEmpty, ctext.count % 2 == 0, let c = Hex.decode(ctext) else {
            throw CompatError(HAR.paramKeyCipher, "pcDstKeyCipherByTk must be a non-empty even number of hex characters")
        }
        let store = try icSavedKey(index: dstIndex, label: dstLabel)
        let h = try icHeader(header)
        var ext: ICImportExtension?
        if UInt8(bitPattern: expandFlag) == UInt8(ascii: "P") {
            let padText = try Arg.string(pad, "pcPad", lengths: [2], error: HAR.paramPaddingMode)
            guard Arg.isDigits(padText) else { throw CompatError(HAR.paramPaddingMode, "pcPad must be 2 digits") }
            var v: [UInt8]?
            if encMode == 1 {
                let ivText = try Arg.string(iv, "pcIV", lengths: [16, 32], error: HAR.paramIV)
                guard let b = Hex.decode(ivText) else { throw CompatError(HAR.paramIV, "pcIV is not hexadecimal") }
                v = b
            }
            let kcv = try Arg.hexBytes(try Arg.string(expectedKCV, "pcSrcKeyCv", lengths: [16]), "pcSrcKeyCv")
            ext = ICImportExtension(padding: Int(padText[0] - 0x30) * 10 + Int(padText[1] - 0x30), iv: v, checkValue: kcv)
        }
        let r = try CompatRuntime.initClient("HSM_IC_ImportCipherKey").importKeyUnderProtection(p, type: t, scheme: s, cryptogram: c,
                                                                                             header: h, options: ext, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

// MARK: - HSM_RCL_* (AN, AM)

/// `HSM_RCL_KeyTypeConversion` (session-less): `AN`. The key is the reply minus its last
/// 16 characters, the KCV those 16 (the vendor's intent; its offset was wrong).
@_cdecl("HSM_RCL_KeyTypeConversion")
public func HSM_RCL_KeyTypeConversion(_ srcType: CString?, _ srcIndex: Int32, _ srcKey: CString?, _ dstType: CString?, _ dstScheme: CChar,
                                      _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_KeyTypeConversion") {
        try Out.require((Out.raw(outLMK), "pcDstKeyCipherByLmk"), (Out.raw(outKCV), "pcDstKeyCv"))
        let st = try Arg.keyType(srcType, "source key type")
        let k = try KeyArgument.read(index: srcIndex, cryptogram: srcKey, rule: .field, name: "source key", maxIndex: 9999)
        let dt = try Arg.keyType(dstType, "destination key type")
        let ds = try Arg.scheme(dstScheme, "destination scheme")
        let r = try CompatRuntime.initClient("HSM_RCL_KeyTypeConversion").convertKeyType(sourceType: st, key: k, to: dt, scheme: ds)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_RCL_SynthesisKeyByPlaintext` (session-less): `AM` of `iElementCount` (1...99) clear
/// components concatenated in `pcElement` (each 16 / 32 / 48H by the scheme, else
/// `HAR_PARAM_LEN`); stored when `iKeyIdx` is not 0.
@_cdecl("HSM_RCL_SynthesisKeyByPlaintext")
public func HSM_RCL_SynthesisKeyByPlaintext(_ keyType: CString?, _ scheme: CChar, _ count: Int32, _ elements: CString?, _ index: Int32,
                                            _ label: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_SynthesisKeyByPlaintext") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        guard (1...99).contains(count) else { throw CompatError(HAR.paramElementNum, "iElementCount \(count) is out of range (1 to 99)") }
        guard index >= 0 else { throw CompatError(HAR.paramKeyID, "iKeyIdx \(index) is negative") }
        let n = icClearHexLength(s)
        var text = try Arg.string(elements, "pcElement", max: 99 * 48)
        defer { SecureBytes.zero(&text) }
        guard text.count == Int(count) * n else {
            throw CompatError(HAR.paramLen, "pcElement must be \(count) x \(n) hex characters, got \(text.count)")
        }
        var parts: [[UInt8]] = []
        defer { for i in parts.indices { SecureBytes.zero(&parts[i]) } }
        for i in 0..<Int(count) { parts.append(try Arg.hexBytes(Array(text[(i * n)..<(i * n + n)]), "pcElement")) }
        let store = try icSavedKey(index: index, label: label)
        let r = try CompatRuntime.initClient("HSM_RCL_SynthesisKeyByPlaintext").formKeyFromClearComponents(type: t, scheme: s, components: parts, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

// MARK: - Tass_*

/// `Tass_Disper_Zmk` (session): derive a sub-key from a ZMK, export it under the protecting
/// key (`SH`: ECB, type `000`, 32H per level of `pcDisData`), and import that cryptogram
/// under the LMK (`A6`). The prefix of the cryptogram and the LMK scheme come from the
/// protecting key's family (the vendor's recommendation): `X` (or `Z` for 16H) for DES,
/// `R` for SM4, `L` for AES; for a protecting key at an index, from `KG`.
@_cdecl("Tass_Disper_Zmk")
public func Tass_Disper_Zmk(_ session: Handle?, _ tkIndex: Int32, _ tk: CString?, _ disData: CString?, _ zmkIndex: Int32, _ zmk: CString?,
                            _ outZMK: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_Disper_Zmk") {
        try Out.require((Out.raw(outZMK), "pcZmk_ZMK"), (Out.raw(outLMK), "pcZmk_LMK"), (Out.raw(outKCV), "pcZmkCv"))
        let client = try CompatRuntime.sessionClient(session, "Tass_Disper_Zmk")
        let p = try KeyArgument.read(index: tkIndex, cryptogram: tk, rule: .field, name: "protecting key")
        guard disData != nil else { throw CompatError(HAR.paramDeriveData, "pcDisData is NULL") }
        let dtext = try Arg.string(disData, "pcDisData", max: 99 * 32 + 1)
        let levels = try icDerive(count: Int32(dtext.count / 32), data: disData, factorHex: 32, "pcDisData")
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .field, name: "ZMK")
        let e = try client.exportKeyUnderProtection(ICProtectionKey(keyType: .zmk, key: p), type: .zmk, key: z, derivation: levels)
        var family: KeyAlgorithm
        switch p {
        case let .encrypted(s, _): family = s.algorithm
        case let .stored(i): family = try client.storedKeyInfo(index: i).scheme.algorithm
        }
        let scheme: KeyScheme
        switch family {
        case .sm4: scheme = .sm4
        case .aes: scheme = .aes128
        default: scheme = e.cryptogram.count >= 16 ? .doubleX917 : .singleDES
        }
        guard e.cryptogram.count == scheme.keyLength else {
            throw CompatError(HAR.msgRspCode, "the SH cryptogram of \(e.cryptogram.count) bytes is no key of scheme \(scheme)")
        }
        let r = try client.importKey(type: .zmk, zmk: p, keyUnderZMK: .encrypted(scheme: scheme, material: e.cryptogram), scheme: scheme)
        Out.hex(outZMK, e.cryptogram)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `Tass_KeyTypeConversion` (session-less): the source key follows rule 2 (17, 33 or 49
/// characters) with index 0...2048; the destination scheme is the source's (from `KG` for
/// an index); then `AN`.
@_cdecl("Tass_KeyTypeConversion")
public func Tass_KeyTypeConversion(_ srcIndex: Int32, _ srcKey: CString?, _ srcType: CString?, _ dstType: CString?,
                                   _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_KeyTypeConversion") {
        try Out.require((Out.raw(outLMK), "pcDstKeyCipherByLmk"), (Out.raw(outKCV), "pcDstKeyCv"))
        let k = try KeyArgument.read(index: srcIndex, cryptogram: srcKey, rule: .two, name: "source key")
        let st = try Arg.keyType(srcType, "source key type")
        let dt = try Arg.keyType(dstType, "destination key type")
        let client = try CompatRuntime.initClient("Tass_KeyTypeConversion")
        let scheme: KeyScheme
        switch k {
        case let .encrypted(s, _): scheme = s
        case let .stored(i): scheme = try client.storedKeyInfo(index: i).scheme
        }
        let r = try client.convertKeyType(sourceType: st, key: k, to: dt, scheme: scheme)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `Tass_DisperZmk`: the first public name of `Tass_Disper_Zmk`.
@_cdecl("Tass_DisperZmk")
public func Tass_DisperZmk(_ session: Handle?, _ tkIndex: Int32, _ tk: CString?, _ disData: CString?, _ zmkIndex: Int32, _ zmk: CString?,
                           _ outZMK: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Tass_Disper_Zmk(session, tkIndex, tk, disData, zmkIndex, zmk, outZMK, outLMK, outKCV)
}
