import CACipherCore
import HostProtocol

// Typed MAC and data commands: M6, M8, M0, M2 (include/cacipher.h, "Typed commands: MAC
// and data").

private struct MACArgs {
    var part: MACPart, algorithm: MACAlgorithm, padding: MACPadding, size: MACSize
    var keyType: KeyType, key: KeyField, iv: [UInt8]?, data: [UInt8]
}

private func macArgs(_ fn: String, _ mode: Int32, _ algorithm: Int32, _ padding: Int32, _ macSize: Int32, _ keyType: Int32,
                     _ key: UnsafePointer<CChar>?, _ iv: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int) throws -> MACArgs {
    let part = try CArg.enumValue(mode, MACPart.self, "mode", fn)
    let alg = try CArg.enumValue(algorithm, MACAlgorithm.self, "algorithm", fn)
    let pad = try CArg.enumValue(padding, MACPadding.self, "padding", fn)
    let size = try CArg.enumValue(macSize, MACSize.self, "macSize", fn)
    let t = try CArg.keyType(keyType, "keyType", fn)
    let k = try CArg.key(key, "key", fn)
    let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
    let d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxMACDataBytes)
    return MACArgs(part: part, algorithm: alg, padding: pad, size: size, keyType: t, key: k, iv: v, data: d)
}

@_cdecl("CACipher_GenerateMAC")
public func CACipher_GenerateMAC(_ h: OpaquePointer?, _ mode: Int32, _ algorithm: Int32, _ padding: Int32, _ macSize: Int32,
                                 _ keyType: Int32, _ key: UnsafePointer<CChar>?, _ iv: UnsafePointer<CChar>?,
                                 _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                 _ mac: UnsafeMutableRawPointer?, _ macLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateMAC"
    return cTyped(fn) {
        let a = try macArgs(fn, mode, algorithm, padding, macSize, keyType, key, iv, data, dataLen)
        try CArg.len(macLen, "macLen", fn)
        let client = try Instances.resolve(h, fn)
        let m = try client.generateMAC(key: a.key, keyType: a.keyType, algorithm: a.algorithm, padding: a.padding, size: a.size,
                                       data: a.data, part: a.part, iv: a.iv)
        return try CBuffer.copyOutHex(m, mac, macLen, fn)
    }
}

@_cdecl("CACipher_VerifyMAC")
public func CACipher_VerifyMAC(_ h: OpaquePointer?, _ mode: Int32, _ algorithm: Int32, _ padding: Int32, _ macSize: Int32,
                               _ keyType: Int32, _ key: UnsafePointer<CChar>?, _ iv: UnsafePointer<CChar>?,
                               _ data: UnsafePointer<UInt8>?, _ dataLen: Int, _ mac: UnsafePointer<CChar>?) -> Int32 {
    let fn = "CACipher_VerifyMAC"
    return cTyped(fn) {
        let a = try macArgs(fn, mode, algorithm, padding, macSize, keyType, key, iv, data, dataLen)
        let m = try CArg.hexBytes(mac, "mac", fn)
        let client = try Instances.resolve(h, fn)
        guard try client.verifyMAC(key: a.key, keyType: a.keyType, algorithm: a.algorithm, padding: a.padding, size: a.size,
                                   data: a.data, mac: m, part: a.part, iv: a.iv) else {
            throw CACipherError(hsm: 1, "\(fn): verify MAC (M8): HSM error 01: verification failed (the MAC does not match)")
        }
        return 0
    }
}

private func dataCipher(_ fn: String, encrypt: Bool, _ h: OpaquePointer?, _ mode: Int32, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                        _ iv: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                        _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                        _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    cTyped(fn) {
        let m = try CArg.enumValue(mode, CipherMode.self, "mode", fn)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let k = try CArg.key(key, "key", fn)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
        var d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxCipherDataBytes)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var r = encrypt ? try client.encryptData(key: k, keyType: t, mode: m, iv: v, data: d)
                        : try client.decryptData(key: k, keyType: t, mode: m, iv: v, data: d)
        defer { SecureBytes.wipe(&r.data) }
        var outs = [COut(bytes: r.data, text: false, buf: out, len: outLen, name: "out")]
        if let n = r.nextIV { outs.append(COut(bytes: CText.hex(n), text: true, buf: ivOut, len: ivOutLen, name: "ivOut")) }
        return try CBuffer.copyOutAll(outs, fn)
    }
}

@_cdecl("CACipher_EncryptData")
public func CACipher_EncryptData(_ h: OpaquePointer?, _ mode: Int32, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                                 _ iv: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                 _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                 _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    dataCipher("CACipher_EncryptData", encrypt: true, h, mode, keyType, key, iv, data, dataLen, out, outLen, ivOut, ivOutLen)
}

@_cdecl("CACipher_DecryptData")
public func CACipher_DecryptData(_ h: OpaquePointer?, _ mode: Int32, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                                 _ iv: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                 _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                 _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    dataCipher("CACipher_DecryptData", encrypt: false, h, mode, keyType, key, iv, data, dataLen, out, outLen, ivOut, ivOutLen)
}
