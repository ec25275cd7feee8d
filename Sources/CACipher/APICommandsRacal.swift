import CACipherCore
import HostProtocol

// Typed Racal-style data and MAC commands: E0, UQ, MS (include/cacipher.h, "Typed commands:
// Racal data and MAC").

private func racalCipher(_ fn: String, encrypt: Bool, _ h: OpaquePointer?, _ part: Int32, _ mode: Int32, _ key: UnsafePointer<CChar>?,
                         _ iv: UnsafePointer<CChar>?, _ padded: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                         _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                         _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    cTyped(fn) {
        let p = try CArg.enumValue(part, MACPart.self, "part", fn)
        let m = try CArg.enumValue(mode, CipherMode.self, "mode", fn)
        let k = try CArg.key(key, "key", fn)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
        guard padded == 0 || padded == 1 else { throw CArg.invalid(fn, "padded must be 0 or 1") }
        var d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxRacalDataBytes)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var r = encrypt ? try client.racalEncryptData(key: k, mode: m, iv: v, data: d, part: p, padded: padded == 1)
                        : try client.racalDecryptData(key: k, mode: m, iv: v, data: d, part: p, padded: padded == 1)
        defer { SecureBytes.wipe(&r.data) }
        var outs = [COut(bytes: r.data, text: false, buf: out, len: outLen, name: "out")]
        if let n = r.nextIV { outs.append(COut(bytes: CText.hex(n), text: true, buf: ivOut, len: ivOutLen, name: "ivOut")) }
        return try CBuffer.copyOutAll(outs, fn)
    }
}

@_cdecl("CACipher_RacalEncryptData")
public func CACipher_RacalEncryptData(_ h: OpaquePointer?, _ part: Int32, _ mode: Int32, _ key: UnsafePointer<CChar>?,
                                      _ iv: UnsafePointer<CChar>?, _ padded: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                      _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                      _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    racalCipher("CACipher_RacalEncryptData", encrypt: true, h, part, mode, key, iv, padded, data, dataLen, out, outLen, ivOut, ivOutLen)
}

@_cdecl("CACipher_RacalDecryptData")
public func CACipher_RacalDecryptData(_ h: OpaquePointer?, _ part: Int32, _ mode: Int32, _ key: UnsafePointer<CChar>?,
                                      _ iv: UnsafePointer<CChar>?, _ padded: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                      _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                      _ ivOut: UnsafeMutableRawPointer?, _ ivOutLen: UnsafeMutablePointer<Int>?) -> Int32 {
    racalCipher("CACipher_RacalDecryptData", encrypt: false, h, part, mode, key, iv, padded, data, dataLen, out, outLen, ivOut, ivOutLen)
}

@_cdecl("CACipher_ZPKMAC")
public func CACipher_ZPKMAC(_ h: OpaquePointer?, _ part: Int32, _ key: UnsafePointer<CChar>?, _ iv: UnsafePointer<CChar>?,
                            _ macBytes: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                            _ mac: UnsafeMutableRawPointer?, _ macLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ZPKMAC"
    return cTyped(fn) {
        let p = try CArg.enumValue(part, MACPart.self, "part", fn)
        let k = try CArg.key(key, "key", fn)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxRacalDataBytes)
        try CArg.len(macLen, "macLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.zpkMAC(key: k, data: d, part: p, iv: v, macBytes: Int(macBytes)), mac, macLen, fn)
    }
}

@_cdecl("CACipher_ZAKTAKMAC")
public func CACipher_ZAKTAKMAC(_ h: OpaquePointer?, _ part: Int32, _ keyType: Int32, _ key: UnsafePointer<CChar>?, _ iv: UnsafePointer<CChar>?,
                               _ keyLengthFlag: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                               _ mac: UnsafeMutableRawPointer?, _ macLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ZAKTAKMAC"
    return cTyped(fn) {
        let p = try CArg.enumValue(part, MACPart.self, "part", fn)
        let t = try CArg.keyType(keyType, "keyType", fn)
        let k = try CArg.key(key, "key", fn)
        let v: [UInt8]? = iv == nil ? nil : try CArg.hexBytes(iv, "iv", fn)
        guard (-1...2).contains(keyLengthFlag) else { throw CArg.invalid(fn, "keyLengthFlag \(keyLengthFlag) is not -1, 0, 1 or 2") }
        let d = try CArg.bytes(data, dataLen, "data", fn, max: CACipherClient.maxRacalMACDataBytes)
        try CArg.len(macLen, "macLen", fn)
        let client = try Instances.resolve(h, fn)
        let m = try client.zakTakMAC(key: k, keyType: t, data: d, part: p, iv: v, keyLengthFlag: keyLengthFlag < 0 ? nil : Int(keyLengthFlag))
        return try CBuffer.copyOutHex(m, mac, macLen, fn)
    }
}
