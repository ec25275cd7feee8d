import CACipherCore
import HostProtocol

// Key generation, import, export and forming: the `A0`, `A6`, `A8` and `A4` functions of
// the `Tass_*` layer (vendor spec §10.1) and the `HSM_RCL_*` layer (§11.16-§11.18, §11.21).

public typealias CString = UnsafeMutablePointer<CChar>
public typealias Handle = UnsafeMutableRawPointer

/// A stored-key target from the vendor's storage flag (`'K'` = store at `index` with
/// `label`, at most 16 characters; any other flag = do not store).
func storeTarget(flag: CChar, index: Int32, label: CString?) throws -> StoreTarget? {
    guard UInt8(bitPattern: flag) == UInt8(ascii: "K") else { return nil }
    guard (1...9999).contains(index) else { throw CompatError(HAR.paramKeyID, "storage index \(index) is out of range (1 to 9999)") }
    let l = try Arg.optionalString(label, "pcKeyTag", max: 64) ?? []
    guard l.count <= 16 else { throw CompatError(HAR.paramValue, "key label of \(l.count) characters is longer than 16") }
    return StoreTarget(index: Int(index), label: String(decoding: l, as: UTF8.self))
}

/// `A0` mode 1 of `Tass_Generate_Zmk/_Pik/_Mak/_Zek`: the ZMK follows rule 3, the one
/// scheme is used under the LMK and under the ZMK.
func generateUnderZMK(_ function: StaticString, _ session: Handle?, _ type: KeyType, _ zmkIndex: Int32, _ zmk: CString?,
                      _ scheme: CChar, _ outZMK: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(outZMK), "key under ZMK"), (Out.raw(outLMK), "key under LMK"), (Out.raw(outKCV), "check value"))
        let client = try CompatRuntime.sessionClient(session, "\(function)")
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .three, name: "ZMK")
        let s = try Arg.scheme(scheme)
        let k = try client.generateKey(type: type, scheme: s, exportUnder: z, exportScheme: s)
        Out.key(outLMK, k.keyUnderLMK)
        if let u = k.keyUnderZMK { Out.key(outZMK, u) }
        Out.hex(outKCV, k.checkValue)
        return HAR.ok
    }
}

@_cdecl("Tass_Generate_Zmk")
public func Tass_Generate_Zmk(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_Generate_Zmk", s, .zmk, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_Generate_Pik")
public func Tass_Generate_Pik(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_Generate_Pik", s, .zpk, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_Generate_Mak")
public func Tass_Generate_Mak(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_Generate_Mak", s, .zak, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_Generate_Zek")
public func Tass_Generate_Zek(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_Generate_Zek", s, .zek, i, zmk, scheme, byZMK, byLMK, kcv)
}

/// `Tass_GenerateKey`: `A0` mode 1 for any key type; the ZMK follows rule 1.
@_cdecl("Tass_GenerateKey")
public func Tass_GenerateKey(_ session: Handle?, _ zmkIndex: Int32, _ zmk: CString?, _ keyType: CString?, _ scheme: CChar,
                             _ outZMK: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_GenerateKey") {
        try Out.require((Out.raw(outZMK), "pcKeyCipherByZmk"), (Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcCkv"))
        let client = try CompatRuntime.sessionClient(session, "Tass_GenerateKey")
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .one, name: "ZMK")
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        let k = try client.generateKey(type: t, scheme: s, exportUnder: z, exportScheme: s)
        Out.key(outLMK, k.keyUnderLMK)
        if let u = k.keyUnderZMK { Out.key(outZMK, u) }
        Out.hex(outKCV, k.checkValue)
        return HAR.ok
    }
}

/// `A6` of `Tass_ImportPik` / `Tass_ImportMak`: ZMK rule 3; the key under the ZMK is
/// 16, 32 (taken as `X` + 32H) or 33 characters.
func importUnderZMK(_ function: StaticString, _ session: Handle?, _ type: KeyType, _ zmkIndex: Int32, _ zmk: CString?,
                    _ scheme: CChar, _ keyByZMK: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(outLMK), "key under LMK"), (Out.raw(outKCV), "check value"))
        let client = try CompatRuntime.sessionClient(session, "\(function)")
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .three, name: "ZMK")
        let s = try Arg.scheme(scheme)
        let k = try KeyArgument.cryptogram(keyByZMK, "key under ZMK", allowedLengths: [16, 32, 33], form: .underZMK, bare32IsX: true)
        let r = try client.importKey(type: type, zmk: z, keyUnderZMK: k, scheme: s)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

@_cdecl("Tass_ImportPik")
public func Tass_ImportPik(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    importUnderZMK("Tass_ImportPik", s, .zpk, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_ImportMak")
public func Tass_ImportMak(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    importUnderZMK("Tass_ImportMak", s, .zak, i, zmk, scheme, byZMK, byLMK, kcv)
}

/// `Tass_AcceptKey`: `A6` for any key type; ZMK rule 1, the key under the ZMK 16, 33 or 49
/// characters (else `HAR_PARAM_LEN`).
@_cdecl("Tass_AcceptKey")
public func Tass_AcceptKey(_ session: Handle?, _ zmkIndex: Int32, _ zmk: CString?, _ keyByZMK: CString?, _ keyType: CString?,
                           _ scheme: CChar, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_AcceptKey") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcCkv"))
        let client = try CompatRuntime.sessionClient(session, "Tass_AcceptKey")
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .one, name: "ZMK")
        let k = try KeyArgument.cryptogram(keyByZMK, "pcKeyCipherByZmk", allowedLengths: [16, 33, 49], form: .underZMK, lengthError: HAR.paramLen)
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        let r = try client.importKey(type: t, zmk: z, keyUnderZMK: k, scheme: s)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `Tass_ExportKey` (session-less): `A8`, ZMK and key rule 1.
@_cdecl("Tass_ExportKey")
public func Tass_ExportKey(_ zmkIndex: Int32, _ zmk: CString?, _ keyType: CString?, _ keyIndex: Int32, _ key: CString?,
                           _ scheme: CChar, _ outZMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_ExportKey") {
        try Out.require((Out.raw(outZMK), "pcKeyCipherByZmk"), (Out.raw(outKCV), "pcKcv"))
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .one, name: "ZMK")
        let t = try Arg.keyType(keyType)
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .one, name: "key")
        let s = try Arg.scheme(scheme)
        let r = try CompatRuntime.initClient("Tass_ExportKey").exportKey(type: t, zmk: z, key: k, scheme: s)
        Out.key(outZMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_RCL_GenWorkingKey`: `A0` mode 0 or 1, optionally stored (`cKeyStorageFlg == 'K'`).
@_cdecl("HSM_RCL_GenWorkingKey")
public func HSM_RCL_GenWorkingKey(_ session: Handle?, _ mode: Int32, _ keyType: CString?, _ lmkScheme: CChar, _ zmkIndex: Int32,
                                  _ zmk: CString?, _ zmkScheme: CChar, _ storageFlag: CChar, _ keyIndex: Int32, _ label: CString?,
                                  _ outLMK: CString?, _ outZMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenWorkingKey") {
        guard mode == 0 || mode == 1 else { throw CompatError(HAR.paramValue, "iGeneratMode \(mode) is not 0 or 1") }
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        if mode == 1 { try Out.require((Out.raw(outZMK), "pcKeyCipherByZmk")) }
        let client = try CompatRuntime.sessionClient(session, "HSM_RCL_GenWorkingKey")
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(lmkScheme)
        var z: KeyField?, zs: KeyScheme?
        if mode == 1 {
            z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .field, name: "ZMK", maxIndex: 9999)
            zs = try Arg.scheme(zmkScheme, "ZMK scheme")
        }
        let store = try storeTarget(flag: storageFlag, index: keyIndex, label: label)
        let k = try client.generateKey(type: t, scheme: s, exportUnder: z, exportScheme: zs, storeAt: store)
        Out.key(outLMK, k.keyUnderLMK)
        if let u = k.keyUnderZMK { Out.key(outZMK, u) }
        Out.hex(outKCV, k.checkValue)
        return HAR.ok
    }
}

/// `HSM_RCL_ImportKey_A6`: `A6`, optionally stored.
@_cdecl("HSM_RCL_ImportKey_A6")
public func HSM_RCL_ImportKey_A6(_ session: Handle?, _ keyType: CString?, _ zmkIndex: Int32, _ zmk: CString?, _ keyByZMK: CString?,
                                 _ lmkScheme: CChar, _ storageFlag: CChar, _ keyIndex: Int32, _ label: CString?,
                                 _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_ImportKey_A6") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RCL_ImportKey_A6")
        let t = try Arg.keyType(keyType)
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .field, name: "ZMK", maxIndex: 9999)
        let k = try KeyArgument.cryptogram(keyByZMK, "pcKeyCipherByZmk", form: .underZMK)
        let s = try Arg.scheme(lmkScheme)
        let store = try storeTarget(flag: storageFlag, index: keyIndex, label: label)
        let r = try client.importKey(type: t, zmk: z, keyUnderZMK: k, scheme: s, storeAt: store)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_RCL_ExportKey_A8` (session-less): `A8`.
@_cdecl("HSM_RCL_ExportKey_A8")
public func HSM_RCL_ExportKey_A8(_ keyType: CString?, _ zmkIndex: Int32, _ zmk: CString?, _ keyIndex: Int32, _ key: CString?,
                                 _ zmkScheme: CChar, _ outZMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_ExportKey_A8") {
        try Out.require((Out.raw(outZMK), "pcKeyCipherByZmk"), (Out.raw(outKCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType)
        let z = try KeyArgument.read(index: zmkIndex, cryptogram: zmk, rule: .field, name: "ZMK", maxIndex: 9999)
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .field, name: "key", maxIndex: 9999)
        let s = try Arg.scheme(zmkScheme, "ZMK scheme")
        let r = try CompatRuntime.initClient("HSM_RCL_ExportKey_A8").exportKey(type: t, zmk: z, key: k, scheme: s)
        Out.key(outZMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_RCL_SyntheticKey_KeyCipher` (session-less): `A4`, 2...8 components under the LMK,
/// concatenated (each one's length from its scheme letter). The check value is written as
/// 8 characters, as the vendor's parser copies it.
@_cdecl("HSM_RCL_SyntheticKey_KeyCipher")
public func HSM_RCL_SyntheticKey_KeyCipher(_ count: Int32, _ keyType: CString?, _ scheme: CChar, _ components: CString?,
                                           _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_SyntheticKey_KeyCipher") {
        guard (2...8).contains(count) else { throw CompatError(HAR.paramElementNum, "iElementNum \(count) is out of range (2 to 8)") }
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKCV"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        let text = try Arg.string(components, "pcKeyElemnet", max: 8 * 49)
        var r = FieldReader(text)
        var parts: [KeyField] = []
        for _ in 0..<count {
            guard let k = try? r.keyField("component"), case .encrypted = k else {
                throw CompatError(HAR.paramKeyCipher, "pcKeyElemnet does not hold \(count) key cryptograms")
            }
            parts.append(k)
        }
        guard r.isAtEnd else { throw CompatError(HAR.paramKeyCipher, "pcKeyElemnet holds more than \(count) key cryptograms") }
        let k = try CompatRuntime.initClient("HSM_RCL_SyntheticKey_KeyCipher").formKey(type: t, scheme: s, components: parts)
        Out.key(outLMK, k.key)
        Out.hex(outKCV, Array(k.checkValue.prefix(4)))
        return HAR.ok
    }
}

// Older names (vendor spec §1.4).

@_cdecl("Tass_GenerateMak")
public func Tass_GenerateMak(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_GenerateMak", s, .zak, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_GenerateZmk")
public func Tass_GenerateZmk(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_GenerateZmk", s, .zmk, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_GeneratePik")
public func Tass_GeneratePik(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_GeneratePik", s, .zpk, i, zmk, scheme, byZMK, byLMK, kcv)
}

@_cdecl("Tass_GenerateZek")
public func Tass_GenerateZek(_ s: Handle?, _ i: Int32, _ zmk: CString?, _ scheme: CChar, _ byZMK: CString?, _ byLMK: CString?, _ kcv: CString?) -> Int32 {
    generateUnderZMK("Tass_GenerateZek", s, .zek, i, zmk, scheme, byZMK, byLMK, kcv)
}
