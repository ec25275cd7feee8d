import CACipherCore
import HostProtocol

// Typed card and PIN verification commands: CW, CY, DG, DE, EA, JA (include/cacipher.h,
// "Typed commands: card and PIN verification").

private func cvkField(_ cvk: UnsafePointer<CChar>?, _ cvkB: UnsafePointer<CChar>?, _ fn: String) throws -> CVKField {
    let a = try CArg.key(cvk, "cvk", fn)
    guard cvkB != nil else { return .key(a) }
    return .pair(a: a, b: try CArg.key(cvkB, "cvkB", fn))
}

private func text(_ p: UnsafePointer<CChar>?, _ name: String, _ fn: String, max: Int) throws -> String {
    String(decoding: try CArg.text(p, name, fn, max: max), as: UTF8.self)
}

@_cdecl("CACipher_GenerateCVV")
public func CACipher_GenerateCVV(_ h: OpaquePointer?, _ cvk: UnsafePointer<CChar>?, _ cvkB: UnsafePointer<CChar>?,
                                 _ pan: UnsafePointer<CChar>?, _ expiry: UnsafePointer<CChar>?, _ serviceCode: UnsafePointer<CChar>?,
                                 _ cvv: UnsafeMutableRawPointer?, _ cvvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateCVV"
    return cTyped(fn) {
        let k = try cvkField(cvk, cvkB, fn)
        let p = try text(pan, "pan", fn, max: 19)
        let e = try text(expiry, "expiry", fn, max: 4)
        let s = try text(serviceCode, "serviceCode", fn, max: 3)
        try CArg.len(cvvLen, "cvvLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(Array(try client.generateCVV(cvk: k, pan: p, expiry: e, serviceCode: s).utf8), text: true, cvv, cvvLen, fn)
    }
}

@_cdecl("CACipher_VerifyCVV")
public func CACipher_VerifyCVV(_ h: OpaquePointer?, _ cvk: UnsafePointer<CChar>?, _ cvkB: UnsafePointer<CChar>?, _ cvv: UnsafePointer<CChar>?,
                               _ pan: UnsafePointer<CChar>?, _ expiry: UnsafePointer<CChar>?, _ serviceCode: UnsafePointer<CChar>?) -> Int32 {
    let fn = "CACipher_VerifyCVV"
    return cTyped(fn) {
        let k = try cvkField(cvk, cvkB, fn)
        let v = try text(cvv, "cvv", fn, max: 3)
        let p = try text(pan, "pan", fn, max: 19)
        let e = try text(expiry, "expiry", fn, max: 4)
        let s = try text(serviceCode, "serviceCode", fn, max: 3)
        let client = try Instances.resolve(h, fn)
        guard try client.verifyCVV(cvk: k, cvv: v, pan: p, expiry: e, serviceCode: s) else {
            throw CACipherError(hsm: 1, "\(fn): verify CVV (CY): HSM error 01: verification failed (the CVV does not match)")
        }
        return 0
    }
}

@_cdecl("CACipher_GeneratePVV")
public func CACipher_GeneratePVV(_ h: OpaquePointer?, _ pvk: UnsafePointer<CChar>?, _ pinLMK: UnsafePointer<CChar>?,
                                 _ account: UnsafePointer<CChar>?, _ pvki: Int32,
                                 _ pvv: UnsafeMutableRawPointer?, _ pvvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GeneratePVV"
    return cTyped(fn) {
        let k = try CArg.key(pvk, "pvk", fn)
        let p = try CArg.hexBytes(pinLMK, "pinLMK", fn)
        let a = try CArg.string(account, "account", fn)
        try CArg.len(pvvLen, "pvvLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(Array(try client.generatePVV(pvk: k, pinUnderLMK: p, account: a, pvki: Int(pvki)).utf8), text: true, pvv, pvvLen, fn)
    }
}

@_cdecl("CACipher_GenerateIBMPINOffset")
public func CACipher_GenerateIBMPINOffset(_ h: OpaquePointer?, _ pvk: UnsafePointer<CChar>?, _ pinLMK: UnsafePointer<CChar>?,
                                          _ checkLength: Int32, _ account: UnsafePointer<CChar>?,
                                          _ decimalisationTable: UnsafePointer<CChar>?, _ validationData: UnsafePointer<CChar>?,
                                          _ offset: UnsafeMutableRawPointer?, _ offsetLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateIBMPINOffset"
    return cTyped(fn) {
        let k = try CArg.key(pvk, "pvk", fn)
        let p = try CArg.hexBytes(pinLMK, "pinLMK", fn)
        let a = try CArg.string(account, "account", fn)
        let d = try text(decimalisationTable, "decimalisationTable", fn, max: 16)
        let v = try text(validationData, "validationData", fn, max: 12)
        try CArg.len(offsetLen, "offsetLen", fn)
        let client = try Instances.resolve(h, fn)
        let o = try client.generateIBMPINOffset(pvk: k, pinUnderLMK: p, checkLength: Int(checkLength), account: a,
                                                decimalisationTable: d, validationData: v)
        return try CBuffer.copyOut(Array(o.utf8), text: true, offset, offsetLen, fn)
    }
}

@_cdecl("CACipher_VerifyPINByIBMOffset")
public func CACipher_VerifyPINByIBMOffset(_ h: OpaquePointer?, _ zpk: UnsafePointer<CChar>?, _ pvk: UnsafePointer<CChar>?,
                                          _ pinBlock: UnsafePointer<CChar>?, _ format: Int32, _ checkLength: Int32,
                                          _ account: UnsafePointer<CChar>?, _ decimalisationTable: UnsafePointer<CChar>?,
                                          _ validationData: UnsafePointer<CChar>?, _ offset: UnsafePointer<CChar>?,
                                          _ maxPINLength: Int32) -> Int32 {
    let fn = "CACipher_VerifyPINByIBMOffset"
    return cTyped(fn) {
        let z = try CArg.key(zpk, "zpk", fn)
        let k = try CArg.key(pvk, "pvk", fn)
        var b = try CArg.hexBytes(pinBlock, "pinBlock", fn)
        defer { SecureBytes.wipe(&b) }
        let f = try CArg.pinFormat(format, "format", fn)
        let a = try CArg.string(account, "account", fn)
        let d = try text(decimalisationTable, "decimalisationTable", fn, max: 16)
        let v = try text(validationData, "validationData", fn, max: 12)
        let o = try text(offset, "offset", fn, max: 12)
        let client = try Instances.resolve(h, fn)
        guard try client.verifyPINByIBMOffset(zpk: z, pvk: k, pinBlock: b, format: f, checkLength: Int(checkLength), account: a,
                                              decimalisationTable: d, validationData: v, offset: o, maxPINLength: Int(maxPINLength)) else {
            throw CACipherError(hsm: 1, "\(fn): verify PIN by IBM offset (EA): HSM error 01: verification failed (the PIN does not verify)")
        }
        return 0
    }
}

@_cdecl("CACipher_GenerateRandomPIN")
public func CACipher_GenerateRandomPIN(_ h: OpaquePointer?, _ account: UnsafePointer<CChar>?, _ length: Int32,
                                       _ pinLMK: UnsafeMutableRawPointer?, _ pinLMKLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateRandomPIN"
    return cTyped(fn) {
        let a = try CArg.string(account, "account", fn)
        try CArg.len(pinLMKLen, "pinLMKLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.generateRandomPIN(account: a, length: Int(length)), pinLMK, pinLMKLen, fn)
    }
}
