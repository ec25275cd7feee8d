import CACipherCore
import HostProtocol

// Typed IC key commands: KR, AN, AM, SH, SI (include/cacipher.h, "Typed commands: IC keys").
// KD and KG are in APICommandsIC.swift.

private func keyAndKCV(_ r: KeyWithCheckValue, _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                       _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?, _ fn: String) throws -> Int32 {
    try CBuffer.copyOutAll([COut(bytes: CText.key(r.key), text: true, buf: keyLMK, len: keyLMKLen, name: "keyLMK"),
                            COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
}

private func checkKeyOuts(_ keyLMKLen: UnsafeMutablePointer<Int>?, _ kcvLen: UnsafeMutablePointer<Int>?, _ fn: String) throws {
    try CArg.len(keyLMKLen, "keyLMKLen", fn)
    try CArg.len(kcvLen, "kcvLen", fn)
}

extension CArg {
    /// The protection key of SH/SI: mode 0 (ECB) / 1 (CBC), type, key, derivation (32 hex per
    /// level), session mode and data (hex).
    static func protection(_ fn: String, _ mode: Int32, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                           _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32, _ sessionData: UnsafePointer<CChar>?) throws -> ICProtectionKey {
        guard mode == 0 || mode == 1 else { throw invalid(fn, "protMode \(mode) must be 0 (ECB) or 1 (CBC)") }
        let t = try CArg.keyType(keyType, "protKeyType", fn)
        let k = try CArg.key(key, "protKey", fn)
        let d = try factors(derivation, "protDerivation", fn, length: 16, min: 0, max: 99)
        guard let n = ICKeySession.dataLength(Int(sessionMode)) else {
            throw invalid(fn, "protSessionMode \(sessionMode) is out of range (0 to 5)")
        }
        let s = try optionalHex(sessionData, "protSessionData", fn, max: 16)
        guard s.count == n else { throw invalid(fn, "protSessionData must be \(2 * n) hex characters for session mode \(sessionMode)") }
        return ICProtectionKey(mode: Int(mode), keyType: t, key: k, derivation: ICKeyDerive(factors: d), session: ICKeySession(mode: Int(sessionMode), data: s))
    }
}

@_cdecl("CACipher_GenerateAndStoreKey")
public func CACipher_GenerateAndStoreKey(_ h: OpaquePointer?, _ keyType: Int32, _ lmkScheme: Int32, _ storeIndex: Int32,
                                         _ label: UnsafePointer<CChar>?,
                                         _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                         _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateAndStoreKey"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        let store = try CArg.store(storeIndex, label, fn)
        try checkKeyOuts(keyLMKLen, kcvLen, fn)
        let client = try Instances.resolve(h, fn)
        return try keyAndKCV(try client.generateAndStoreKey(type: t, scheme: s, storeAt: store), keyLMK, keyLMKLen, kcv, kcvLen, fn)
    }
}

@_cdecl("CACipher_ConvertKeyType")
public func CACipher_ConvertKeyType(_ h: OpaquePointer?, _ sourceType: Int32, _ key: UnsafePointer<CChar>?, _ keyType: Int32,
                                    _ lmkScheme: Int32,
                                    _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                    _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ConvertKeyType"
    return cTyped(fn) {
        let st = try CArg.keyType(sourceType, "sourceType", fn)
        let k = try CArg.key(key, "key", fn)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        try checkKeyOuts(keyLMKLen, kcvLen, fn)
        let client = try Instances.resolve(h, fn)
        return try keyAndKCV(try client.convertKeyType(sourceType: st, key: k, to: t, scheme: s), keyLMK, keyLMKLen, kcv, kcvLen, fn)
    }
}

@_cdecl("CACipher_FormKeyFromClearComponents")
public func CACipher_FormKeyFromClearComponents(_ h: OpaquePointer?, _ keyType: Int32, _ lmkScheme: Int32,
                                                _ components: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int32,
                                                _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                                                _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                                _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_FormKeyFromClearComponents"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        guard let components else { throw CArg.invalid(fn, "components is NULL") }
        guard (1...99).contains(count) else { throw CArg.invalid(fn, "count \(count) is out of range (1 to 99)") }
        var parts: [[UInt8]] = []
        defer { for i in parts.indices { SecureBytes.wipe(&parts[i]) } }
        for i in 0..<Int(count) {
            var text = try CArg.text(components[i], "components[\(i)]", fn, max: 2 * s.keyLength)
            defer { SecureBytes.wipe(&text) }
            guard var b = Hex.decode(text) else { throw CArg.invalid(fn, "components[\(i)] must be hex text") }
            guard b.count == s.keyLength else {
                SecureBytes.wipe(&b)
                throw CArg.invalid(fn, "components[\(i)] must be \(2 * s.keyLength) hex characters for this scheme")
            }
            parts.append(b)
            SecureBytes.wipe(&b)
        }
        let store = try CArg.store(storeIndex, label, fn)
        try checkKeyOuts(keyLMKLen, kcvLen, fn)
        let client = try Instances.resolve(h, fn)
        return try keyAndKCV(try client.formKeyFromClearComponents(type: t, scheme: s, components: parts, storeAt: store),
                             keyLMK, keyLMKLen, kcv, kcvLen, fn)
    }
}

@_cdecl("CACipher_ExportKeyUnderProtection")
public func CACipher_ExportKeyUnderProtection(_ h: OpaquePointer?, _ protMode: Int32, _ protKeyType: Int32, _ protKey: UnsafePointer<CChar>?,
                                              _ protDerivation: UnsafePointer<CChar>?, _ protSessionMode: Int32,
                                              _ protSessionData: UnsafePointer<CChar>?,
                                              _ keyType: Int32, _ key: UnsafePointer<CChar>?, _ derivation: UnsafePointer<CChar>?,
                                              _ header: UnsafePointer<CChar>?,
                                              _ cryptogram: UnsafeMutableRawPointer?, _ cryptogramLen: UnsafeMutablePointer<Int>?,
                                              _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ExportKeyUnderProtection"
    return cTyped(fn) {
        let p = try CArg.protection(fn, protMode, protKeyType, protKey, protDerivation, protSessionMode, protSessionData)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let k = try CArg.key(key, "key", fn)
        let d = try CArg.factors(derivation, "derivation", fn, length: 16, min: 0, max: 99)
        let hd = try CArg.optionalHex(header, "header", fn, max: 32)
        try CArg.len(cryptogramLen, "cryptogramLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.exportKeyUnderProtection(p, type: t, key: k, derivation: d, header: hd)
        return try CBuffer.copyOutAll([COut(bytes: CText.hex(r.cryptogram), text: true, buf: cryptogram, len: cryptogramLen, name: "cryptogram"),
                                       COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
    }
}

@_cdecl("CACipher_ImportKeyUnderProtection")
public func CACipher_ImportKeyUnderProtection(_ h: OpaquePointer?, _ protMode: Int32, _ protKeyType: Int32, _ protKey: UnsafePointer<CChar>?,
                                              _ protDerivation: UnsafePointer<CChar>?, _ protSessionMode: Int32,
                                              _ protSessionData: UnsafePointer<CChar>?,
                                              _ keyType: Int32, _ lmkScheme: Int32, _ cryptogram: UnsafePointer<CChar>?,
                                              _ header: UnsafePointer<CChar>?, _ padding: Int32, _ iv: UnsafePointer<CChar>?,
                                              _ expectedKcv: UnsafePointer<CChar>?, _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                                              _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                              _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ImportKeyUnderProtection"
    return cTyped(fn) {
        let p = try CArg.protection(fn, protMode, protKeyType, protKey, protDerivation, protSessionMode, protSessionData)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        guard cryptogram != nil else { throw CArg.invalid(fn, "cryptogram is NULL") }
        let c = try CArg.optionalHex(cryptogram, "cryptogram", fn, max: 0xFFFF)
        let hd = try CArg.optionalHex(header, "header", fn, max: 32)
        var options: ICImportExtension?
        if expectedKcv != nil {
            let e = try CArg.hexBytes(expectedKcv, "expectedKcv", fn)
            let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
            options = ICImportExtension(padding: Int(padding), iv: v, checkValue: e)
        } else if padding != 0 || iv != nil {
            throw CArg.invalid(fn, "padding and iv need expectedKcv (the P extension); pass 0 and NULL without it")
        }
        let store = try CArg.store(storeIndex, label, fn)
        try checkKeyOuts(keyLMKLen, kcvLen, fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.importKeyUnderProtection(p, type: t, scheme: s, cryptogram: c, header: hd, options: options, storeAt: store)
        return try keyAndKCV(r, keyLMK, keyLMKLen, kcv, kcvLen, fn)
    }
}
