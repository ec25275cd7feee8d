import CACipherCore
import HostProtocol

// Typed device commands: CR, 3C, NC, B2 (include/cacipher.h, "Typed commands: device").

@_cdecl("CACipher_Random")
public func CACipher_Random(_ h: OpaquePointer?, _ count: Int, _ buf: UnsafeMutableRawPointer?, _ len: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_Random"
    return cTyped(fn) {
        guard count >= 1, count <= RandomRequest.maxCount else {
            throw CArg.invalid(fn, "count \(count) is out of range (1 to \(RandomRequest.maxCount))")
        }
        try CArg.len(len, "len", fn)
        let client = try Instances.resolve(h, fn)
        if buf == nil, let len {   // size query: the size is the count, nothing to ask the HSM
            len.pointee = count
            return 0
        }
        var r = try client.random(count: count)
        defer { SecureBytes.wipe(&r) }
        return try CBuffer.copyOut(r, text: false, buf, len, fn)
    }
}

@_cdecl("CACipher_Hash")
public func CACipher_Hash(_ h: OpaquePointer?, _ algorithm: Int32, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                          _ userID: UnsafePointer<UInt8>?, _ userIDLen: Int, _ publicKey: UnsafePointer<CChar>?,
                          _ hash: UnsafeMutableRawPointer?, _ hashLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_Hash"
    return cTyped(fn) {
        let a = try CArg.enumValue(algorithm, HashAlgorithm.self, "algorithm", fn)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 9999)
        var uid: [UInt8]?
        var key: [UInt8]?
        if publicKey != nil {
            key = try CArg.hex(publicKey, "publicKey", fn, bytes: [64])
            uid = try CArg.bytes(userID, userIDLen, "userID", fn, max: 9999)
        } else if userID != nil || userIDLen != 0 {
            throw CArg.invalid(fn, "userID needs publicKey (SM3 with the SM2 Z value)")
        }
        try CArg.len(hashLen, "hashLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.hash(d, algorithm: a, sm2UserID: uid, sm2PublicKey: key), text: false, hash, hashLen, fn)
    }
}

@_cdecl("CACipher_DeviceInfo")
public func CACipher_DeviceInfo(_ h: OpaquePointer?, _ dmkCheckValue: UnsafeMutableRawPointer?, _ dmkCheckValueLen: UnsafeMutablePointer<Int>?,
                                _ version: UnsafeMutableRawPointer?, _ versionLen: UnsafeMutablePointer<Int>?,
                                _ serial: UnsafeMutableRawPointer?, _ serialLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_DeviceInfo"
    return cTyped(fn) {
        guard dmkCheckValueLen != nil || versionLen != nil || serialLen != nil else {
            throw CArg.invalid(fn, "every length is NULL: ask for at least one output")
        }
        let client = try Instances.resolve(h, fn)
        let i = try client.deviceInfo()
        return try CBuffer.copyOutAll([COut(bytes: Array(i.dmkCheckValue.utf8), text: true, buf: dmkCheckValue, len: dmkCheckValueLen, name: "dmkCheckValue"),
                                       COut(bytes: Array(i.version.utf8), text: true, buf: version, len: versionLen, name: "version"),
                                       COut(bytes: Array(i.serial.utf8), text: true, buf: serial, len: serialLen, name: "serial")], fn)
    }
}

@_cdecl("CACipher_Echo")
public func CACipher_Echo(_ h: OpaquePointer?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                          _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_Echo"
    return cTyped(fn) {
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 65_535 - 6)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.echo(d), text: false, out, outLen, fn)
    }
}
