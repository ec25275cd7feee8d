import CACipherCore
import HostProtocol

// Typed PIN commands: CA, CC, TI, JE, JG, BA, NG (include/cacipher.h, "Typed commands: PIN").

private func translate(_ fn: String, _ h: OpaquePointer?, _ src: UnsafePointer<CChar>?, _ dst: UnsafePointer<CChar>?,
                       _ maxPINLength: Int32, _ pinBlock: UnsafePointer<CChar>?, _ srcFormat: Int32, _ dstFormat: Int32,
                       _ account: UnsafePointer<CChar>?, _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                       _ pinLength: UnsafeMutablePointer<Int32>?, fromTPK: Bool) -> Int32 {
    cTyped(fn) {
        let s = try CArg.key(src, fromTPK ? "tpk" : "sourceZPK", fn)
        let d = try CArg.key(dst, fromTPK ? "zpk" : "destinationZPK", fn)
        let pb = try CArg.hexBytes(pinBlock, "pinBlock", fn)
        let sf = try CArg.pinFormat(srcFormat, "sourceFormat", fn)
        let df = try CArg.pinFormat(dstFormat, "destinationFormat", fn)
        let a = try CArg.string(account, "account", fn)
        try CArg.len(outLen, "pinBlockOutLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = fromTPK
            ? try client.translatePIN(fromTPK: s, toZPK: d, pinBlock: pb, sourceFormat: sf, destinationFormat: df, account: a, maxPINLength: Int(maxPINLength))
            : try client.translatePIN(fromZPK: s, toZPK: d, pinBlock: pb, sourceFormat: sf, destinationFormat: df, account: a, maxPINLength: Int(maxPINLength))
        let rc = try CBuffer.copyOutHex(r.pinBlock, out, outLen, fn)
        pinLength?.pointee = Int32(r.pinLength)
        return rc
    }
}

@_cdecl("CACipher_TranslatePIN_TPKtoZPK")
public func CACipher_TranslatePIN_TPKtoZPK(_ h: OpaquePointer?, _ tpk: UnsafePointer<CChar>?, _ zpk: UnsafePointer<CChar>?,
                                           _ maxPINLength: Int32, _ pinBlock: UnsafePointer<CChar>?, _ sourceFormat: Int32,
                                           _ destinationFormat: Int32, _ account: UnsafePointer<CChar>?,
                                           _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                           _ pinLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    translate("CACipher_TranslatePIN_TPKtoZPK", h, tpk, zpk, maxPINLength, pinBlock, sourceFormat, destinationFormat, account,
              out, outLen, pinLength, fromTPK: true)
}

@_cdecl("CACipher_TranslatePIN_ZPKtoZPK")
public func CACipher_TranslatePIN_ZPKtoZPK(_ h: OpaquePointer?, _ sourceZPK: UnsafePointer<CChar>?, _ destinationZPK: UnsafePointer<CChar>?,
                                           _ maxPINLength: Int32, _ pinBlock: UnsafePointer<CChar>?, _ sourceFormat: Int32,
                                           _ destinationFormat: Int32, _ account: UnsafePointer<CChar>?,
                                           _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?,
                                           _ pinLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    translate("CACipher_TranslatePIN_ZPKtoZPK", h, sourceZPK, destinationZPK, maxPINLength, pinBlock, sourceFormat, destinationFormat,
              account, out, outLen, pinLength, fromTPK: false)
}

@_cdecl("CACipher_TranslatePIN")
public func CACipher_TranslatePIN(_ h: OpaquePointer?, _ sourceKind: Int32, _ sourceKey: UnsafePointer<CChar>?,
                                  _ destinationKind: Int32, _ destinationKey: UnsafePointer<CChar>?, _ maxPINLength: Int32,
                                  _ pinBlock: UnsafePointer<CChar>?, _ sourceFormat: Int32, _ sourceAccount: UnsafePointer<CChar>?,
                                  _ destinationFormat: Int32, _ destinationAccount: UnsafePointer<CChar>?,
                                  _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_TranslatePIN"
    return cTyped(fn) {
        func kind(_ v: Int32, _ k: KeyField, _ name: String) throws -> PINKey {
            switch v {
            case 1: return .tpk(k)
            case 2: return .zpk(k)
            default: throw CArg.invalid(fn, "\(name) \(v) is not CACIPHER_PIN_KEY_TPK or CACIPHER_PIN_KEY_ZPK")
            }
        }
        let s = try kind(sourceKind, try CArg.key(sourceKey, "sourceKey", fn), "sourceKind")
        let d = try kind(destinationKind, try CArg.key(destinationKey, "destinationKey", fn), "destinationKind")
        let pb = try CArg.hexBytes(pinBlock, "pinBlock", fn)
        let sf = try CArg.pinFormat(sourceFormat, "sourceFormat", fn)
        let sa = try CArg.string(sourceAccount, "sourceAccount", fn)
        let df = try CArg.pinFormat(destinationFormat, "destinationFormat", fn)
        let da = try CArg.string(destinationAccount, "destinationAccount", fn)
        try CArg.len(outLen, "pinBlockOutLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.translatePIN(from: s, to: d, pinBlock: pb, sourceFormat: sf, sourceAccount: sa, destinationFormat: df,
                                        destinationAccount: da, maxPINLength: Int(maxPINLength))
        return try CBuffer.copyOutHex(r, out, outLen, fn)
    }
}

@_cdecl("CACipher_PINBlockToLMK")
public func CACipher_PINBlockToLMK(_ h: OpaquePointer?, _ zpk: UnsafePointer<CChar>?, _ pinBlock: UnsafePointer<CChar>?,
                                   _ format: Int32, _ account: UnsafePointer<CChar>?,
                                   _ pinLMK: UnsafeMutableRawPointer?, _ pinLMKLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_PINBlockToLMK"
    return cTyped(fn) {
        let k = try CArg.key(zpk, "zpk", fn)
        let pb = try CArg.hexBytes(pinBlock, "pinBlock", fn)
        let f = try CArg.pinFormat(format, "format", fn)
        let a = try CArg.string(account, "account", fn)
        try CArg.len(pinLMKLen, "pinLMKLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.pinBlockToLMK(zpk: k, pinBlock: pb, format: f, account: a), pinLMK, pinLMKLen, fn)
    }
}

@_cdecl("CACipher_PINLMKToBlock")
public func CACipher_PINLMKToBlock(_ h: OpaquePointer?, _ zpk: UnsafePointer<CChar>?, _ format: Int32,
                                   _ account: UnsafePointer<CChar>?, _ pinLMK: UnsafePointer<CChar>?,
                                   _ pinBlock: UnsafeMutableRawPointer?, _ pinBlockLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_PINLMKToBlock"
    return cTyped(fn) {
        let k = try CArg.key(zpk, "zpk", fn)
        let f = try CArg.pinFormat(format, "format", fn)
        let a = try CArg.string(account, "account", fn)
        let p = try CArg.hexBytes(pinLMK, "pinLMK", fn)
        try CArg.len(pinBlockLen, "pinBlockLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.pinLMKToBlock(zpk: k, pinUnderLMK: p, format: f, account: a),
                                   pinBlock, pinBlockLen, fn)
    }
}

@_cdecl("CACipher_EncryptPIN")
public func CACipher_EncryptPIN(_ h: OpaquePointer?, _ pin: UnsafePointer<CChar>?, _ account: UnsafePointer<CChar>?,
                                _ pinLMK: UnsafeMutableRawPointer?, _ pinLMKLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_EncryptPIN"
    return cTyped(fn) {
        // The PIN's rule (4 to 12 decimal digits) is the typed call's (`encryptPIN`).
        var digits = try CArg.text(pin, "pin", fn, max: CArg.textLimit)
        defer { SecureBytes.wipe(&digits) }
        let a = try CArg.string(account, "account", fn)
        try CArg.len(pinLMKLen, "pinLMKLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.encryptPIN(String(decoding: digits, as: UTF8.self), account: a)
        return try CBuffer.copyOutHex(r, pinLMK, pinLMKLen, fn)
    }
}

@_cdecl("CACipher_DecryptPIN")
public func CACipher_DecryptPIN(_ h: OpaquePointer?, _ account: UnsafePointer<CChar>?, _ pinLMK: UnsafePointer<CChar>?,
                                _ pin: UnsafeMutableRawPointer?, _ pinLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_DecryptPIN"
    return cTyped(fn) {
        let a = try CArg.string(account, "account", fn)
        let p = try CArg.hexBytes(pinLMK, "pinLMK", fn)
        try CArg.len(pinLen, "pinLen", fn)
        let client = try Instances.resolve(h, fn)
        var digits = try client.decryptPINDigits(p, account: a)
        defer { SecureBytes.wipe(&digits) }
        return try CBuffer.copyOut(digits, text: true, pin, pinLen, fn)
    }
}
