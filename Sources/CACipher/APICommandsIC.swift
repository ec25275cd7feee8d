import CACipherCore
import HostProtocol

// Typed IC-card commands: S0, S3, S4 (include/cacipher.h, "Typed commands: IC data and
// MAC") and the IC key commands KD, KG ("Typed commands: IC keys").

extension CArg {
    /// Hex text of any whole number of bytes, up to `max` bytes; NULL and "" are no bytes.
    static func optionalHex(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, max: Int) throws -> [UInt8] {
        guard p != nil else { return [] }
        let t = try text(p, name, function, max: max * 2)
        guard let b = Hex.decode(t) else { throw invalid(function, "\(name) must be hex text (an even number of hex characters)") }
        return b
    }

    /// Concatenated derivation factors as hex text: `length` bytes (2 * `length` hex) each,
    /// `min`...`max` of them; NULL and "" are none.
    static func factors(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String, length: Int, min: Int, max: Int) throws -> [[UInt8]] {
        let b = try optionalHex(p, name, function, max: length * max)
        guard b.count % length == 0, (min...max).contains(b.count / length) else {
            throw invalid(function, "\(name) must be \(min) to \(max) factors of \(2 * length) hex characters each")
        }
        return stride(from: 0, to: b.count, by: length).map { Array(b[$0..<($0 + length)]) }
    }

    /// The key side of an IC cipher call (S3/S4/S5).
    static func icKey(_ function: String, _ prefix: String, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                      _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32, _ sessionData: UnsafePointer<CChar>?,
                      _ padding: Int32, _ mode: Int32, _ iv: UnsafePointer<CChar>?) throws -> ICCipherKey {
        let t = try CArg.keyType(keyType, prefix + "keyType", function)
        let k = try CArg.key(key, prefix + "key", function)
        let d = try CArg.factors(derivation, prefix + "derivation", function, length: ICKeySpec.factorLength, min: 0,
                                 max: CACipherClient.maxICDerivationLevels)
        let s = try CArg.session(sessionMode, sessionData, prefix, function)
        let p = try CArg.enumValue(padding, ICPadding.self, prefix + "padding", function)
        let m = try CArg.enumValue(mode, ICCipherMode.self, prefix + "mode", function)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, prefix + "iv", function)
        return ICCipherKey(key: k, keyType: t, mode: m, derivation: d, session: s, padding: p, iv: v)
    }

    /// Session key mode (0...5) and its data (hex; NULL or "" for the modes without data).
    static func session(_ mode: Int32, _ data: UnsafePointer<CChar>?, _ prefix: String, _ function: String) throws -> ICSessionKey {
        guard let n = ICSessionKey.dataLength(mode: Int(mode)) else {
            throw invalid(function, "\(prefix)sessionMode \(mode) is out of range (0 to 5)")
        }
        let d = try optionalHex(data, prefix + "sessionData", function, max: 16)
        guard d.count == n else {
            throw invalid(function, "\(prefix)sessionData must be \(2 * n) hex characters for session mode \(mode)")
        }
        return ICSessionKey(mode: Int(mode), data: d)
    }
}

// MARK: S0, S3, S4

@_cdecl("CACipher_ICGenerateMAC")
public func CACipher_ICGenerateMAC(_ h: OpaquePointer?, _ keyType: Int32, _ key: UnsafePointer<CChar>?, _ algorithm: Int32,
                                   _ macLength: Int32, _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32,
                                   _ sessionData: UnsafePointer<CChar>?, _ padding: Int32, _ iv: UnsafePointer<CChar>?,
                                   _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                   _ mac: UnsafeMutableRawPointer?, _ macLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ICGenerateMAC"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let k = try CArg.key(key, "key", fn)
        let alg = try CArg.enumValue(algorithm, MACAlgorithm.self, "algorithm", fn)
        let d = try CArg.factors(derivation, "derivation", fn, length: ICKeySpec.factorLength, min: 0,
                                 max: CACipherClient.maxICMACDerivationLevels)
        let s = try CArg.session(sessionMode, sessionData, "", fn)
        let p = try CArg.enumValue(padding, ICPadding.self, "padding", fn)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
        let bytes = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxICDataBytes)
        try CArg.len(macLen, "macLen", fn)
        let client = try Instances.resolve(h, fn)
        let m = try client.icGenerateMAC(key: k, keyType: t, algorithm: alg, macLength: Int(macLength), derivation: d,
                                         session: s, padding: p, data: bytes, iv: v)
        return try CBuffer.copyOutHex(m, mac, macLen, fn)
    }
}

private func icCipher(_ fn: String, encrypt: Bool, _ h: OpaquePointer?, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                      _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32, _ sessionData: UnsafePointer<CChar>?,
                      _ padding: Int32, _ mode: Int32, _ iv: UnsafePointer<CChar>?,
                      _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                      _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    cTyped(fn) {
        let k = try CArg.icKey(fn, "", keyType, key, derivation, sessionMode, sessionData, padding, mode, iv)
        var d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxICDataBytes)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var r = encrypt ? try client.icEncrypt(k, data: d) : try client.icDecrypt(k, data: d)
        defer { SecureBytes.wipe(&r) }
        return try CBuffer.copyOut(r, text: false, out, outLen, fn)
    }
}

@_cdecl("CACipher_ICEncrypt")
public func CACipher_ICEncrypt(_ h: OpaquePointer?, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                               _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32, _ sessionData: UnsafePointer<CChar>?,
                               _ padding: Int32, _ mode: Int32, _ iv: UnsafePointer<CChar>?,
                               _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                               _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    icCipher("CACipher_ICEncrypt", encrypt: true, h, keyType, key, derivation, sessionMode, sessionData, padding, mode, iv,
             data, dataLen, out, outLen)
}

@_cdecl("CACipher_ICDecrypt")
public func CACipher_ICDecrypt(_ h: OpaquePointer?, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                               _ derivation: UnsafePointer<CChar>?, _ sessionMode: Int32, _ sessionData: UnsafePointer<CChar>?,
                               _ padding: Int32, _ mode: Int32, _ iv: UnsafePointer<CChar>?,
                               _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                               _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    icCipher("CACipher_ICDecrypt", encrypt: false, h, keyType, key, derivation, sessionMode, sessionData, padding, mode, iv,
             data, dataLen, out, outLen)
}

// MARK: KD, KG

@_cdecl("CACipher_DeriveKey")
public func CACipher_DeriveKey(_ h: OpaquePointer?, _ sourceType: Int32, _ sourceKey: UnsafePointer<CChar>?, _ keyType: Int32,
                               _ lmkScheme: Int32, _ mode: Int32, _ factors: UnsafePointer<CChar>?,
                               _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                               _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                               _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_DeriveKey"
    return cTyped(fn) {
        let st = try CArg.keyType(sourceType, "sourceType", fn)
        let sk = try CArg.key(sourceKey, "sourceKey", fn)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        let m = try CArg.enumValue(mode, KeyDerivationMode.self, "mode", fn)
        guard factors != nil else { throw CArg.invalid(fn, "factors is NULL") }
        let f = try CArg.factors(factors, "factors", fn, length: m.factorLength, min: 1, max: 99)
        let store = try CArg.store(storeIndex, label, fn)
        try CArg.len(keyLMKLen, "keyLMKLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.deriveKey(sourceType: st, source: sk, type: t, scheme: s, mode: m, factors: f, storeAt: store)
        return try CBuffer.copyOutAll([COut(bytes: CText.key(r.key), text: true, buf: keyLMK, len: keyLMKLen, name: "keyLMK"),
                                       COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
    }
}

@_cdecl("CACipher_StoredKeyInfo")
public func CACipher_StoredKeyInfo(_ h: OpaquePointer?, _ index: Int32, _ keyType: UnsafeMutablePointer<Int32>?,
                                   _ scheme: UnsafeMutablePointer<Int32>?,
                                   _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?,
                                   _ label: UnsafeMutableRawPointer?, _ labelLen: UnsafeMutablePointer<Int>?,
                                   _ time: UnsafeMutableRawPointer?, _ timeLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_StoredKeyInfo"
    return cTyped(fn) {
        guard let keyType else { throw CArg.invalid(fn, "keyType is NULL") }
        guard let scheme else { throw CArg.invalid(fn, "scheme is NULL") }
        try CArg.len(kcvLen, "kcvLen", fn)
        if label != nil { try CArg.len(labelLen, "labelLen", fn) }
        if time != nil { try CArg.len(timeLen, "timeLen", fn) }
        let client = try Instances.resolve(h, fn)
        let r = try client.storedKeyInfo(index: Int(index))
        let rc = try CBuffer.copyOutAll([COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv"),
                                         COut(bytes: Array(r.label.utf8), text: true, buf: label, len: labelLen, name: "label"),
                                         COut(bytes: Array(r.time.utf8), text: true, buf: time, len: timeLen, name: "time")], fn)
        keyType.pointee = Int32(r.keyType.variant) << 8 | Int32(r.keyType.pairCode)
        scheme.pointee = Int32(r.scheme.tag)
        return rc
    }
}

// MARK: S5

@_cdecl("CACipher_ICTranslate")
public func CACipher_ICTranslate(_ h: OpaquePointer?,
                                 _ srcKeyType: Int32, _ srcKey: UnsafePointer<CChar>?, _ srcDerivation: UnsafePointer<CChar>?,
                                 _ srcSessionMode: Int32, _ srcSessionData: UnsafePointer<CChar>?, _ srcPadding: Int32, _ srcMode: Int32,
                                 _ srcIV: UnsafePointer<CChar>?,
                                 _ dstKeyType: Int32, _ dstKey: UnsafePointer<CChar>?, _ dstDerivation: UnsafePointer<CChar>?,
                                 _ dstSessionMode: Int32, _ dstSessionData: UnsafePointer<CChar>?, _ dstPadding: Int32, _ dstMode: Int32,
                                 _ dstIV: UnsafePointer<CChar>?,
                                 _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                 _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ICTranslate"
    return cTyped(fn) {
        let s = try CArg.icKey(fn, "src", srcKeyType, srcKey, srcDerivation, srcSessionMode, srcSessionData, srcPadding, srcMode, srcIV)
        let d = try CArg.icKey(fn, "dst", dstKeyType, dstKey, dstDerivation, dstSessionMode, dstSessionData, dstPadding, dstMode, dstIV)
        let c = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxICDataBytes)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.icTranslate(from: s, to: d, data: c), text: false, out, outLen, fn)
    }
}
