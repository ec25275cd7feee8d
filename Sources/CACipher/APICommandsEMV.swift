import CACipherCore
import HostProtocol

// Typed EMV / PBOC card commands: K6, K2, K4, KX (include/cacipher.h, "Typed commands: EMV").
// PAN, ATC, ARQC, ARC, ARPC, MACs and diagnostic values are text; transaction and script data
// and the cryptograms are bytes.

private struct Card {
    var mdk: KeyField, pan: String, atc: [UInt8]
}

private func card(_ fn: String, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?, _ atc: UnsafePointer<CChar>?) throws -> Card {
    let k = try CArg.key(mdk, "mdk", fn)
    let p = try CArg.string(pan, "pan", fn)
    let a = try CArg.hexBytes(atc, "atc", fn)
    return Card(mdk: k, pan: p, atc: a)
}

/// An optional diagnostic output: NULL, or a buffer of at least 17 bytes (checked before the wire).
private func checkDiagnostic(_ buf: UnsafeMutableRawPointer?, _ len: UnsafeMutablePointer<Int>?, _ fn: String) throws {
    guard buf != nil else { return }
    guard let len else { throw CArg.invalid(fn, "diagnosticLen is NULL") }
    guard len.pointee >= 17 else { throw CArg.invalid(fn, "diagnostic needs 17 bytes (16 hex and the NUL), has \(len.pointee)") }
}

/// `.verified` -> OK (with the ARPC copied out when asked); `.mismatch` -> the diagnostic is
/// copied out (if asked) and the call returns 1.
private func arqcOutcome(_ r: ARQCResult, _ fn: String, _ command: String,
                         _ arpc: UnsafeMutableRawPointer?, _ arpcLen: UnsafeMutablePointer<Int>?,
                         _ diagnostic: UnsafeMutableRawPointer?, _ diagnosticLen: UnsafeMutablePointer<Int>?) throws -> Int32 {
    switch r {
    case let .verified(a):
        guard let a else { return 0 }
        return try CBuffer.copyOutHex(a, arpc, arpcLen, fn)
    case let .mismatch(d):
        if let diagnostic, let diagnosticLen { _ = try CBuffer.copyOutHex(d, diagnostic, diagnosticLen, fn) }
        throw CACipherError(hsm: 1, "\(fn): \(command) (K6): HSM error 01: verification failed (the ARQC does not verify)")
    }
}

@_cdecl("CACipher_VerifyARQC")
public func CACipher_VerifyARQC(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?, _ atc: UnsafePointer<CChar>?,
                                _ data: UnsafePointer<UInt8>?, _ dataLen: Int, _ arqc: UnsafePointer<CChar>?,
                                _ diagnostic: UnsafeMutableRawPointer?, _ diagnosticLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_VerifyARQC"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 255)
        let q = try CArg.hexBytes(arqc, "arqc", fn)
        try checkDiagnostic(diagnostic, diagnosticLen, fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.verifyARQC(mdk: c.mdk, pan: c.pan, atc: c.atc, data: d, arqc: q)
        return try arqcOutcome(r, fn, "verify ARQC", nil, nil, diagnostic, diagnosticLen)
    }
}

@_cdecl("CACipher_VerifyARQCAndGenerateARPC")
public func CACipher_VerifyARQCAndGenerateARPC(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                               _ atc: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                               _ arqc: UnsafePointer<CChar>?, _ arc: UnsafePointer<CChar>?,
                                               _ arpc: UnsafeMutableRawPointer?, _ arpcLen: UnsafeMutablePointer<Int>?,
                                               _ diagnostic: UnsafeMutableRawPointer?, _ diagnosticLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_VerifyARQCAndGenerateARPC"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 255)
        let q = try CArg.hexBytes(arqc, "arqc", fn)
        let a = try CArg.hexBytes(arc, "arc", fn)
        try CArg.len(arpcLen, "arpcLen", fn)
        try checkDiagnostic(diagnostic, diagnosticLen, fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.verifyARQCAndGenerateARPC(mdk: c.mdk, pan: c.pan, atc: c.atc, data: d, arqc: q, arc: a)
        return try arqcOutcome(r, fn, "verify ARQC and generate ARPC", arpc, arpcLen, diagnostic, diagnosticLen)
    }
}

@_cdecl("CACipher_GenerateARPC")
public func CACipher_GenerateARPC(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?, _ atc: UnsafePointer<CChar>?,
                                  _ arqc: UnsafePointer<CChar>?, _ arc: UnsafePointer<CChar>?,
                                  _ arpc: UnsafeMutableRawPointer?, _ arpcLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateARPC"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        let q = try CArg.hexBytes(arqc, "arqc", fn)
        let a = try CArg.hexBytes(arc, "arc", fn)
        try CArg.len(arpcLen, "arpcLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.generateARPC(mdk: c.mdk, pan: c.pan, atc: c.atc, arqc: q, arc: a), arpc, arpcLen, fn)
    }
}

@_cdecl("CACipher_EncryptIssuerScript")
public func CACipher_EncryptIssuerScript(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                         _ atc: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                         _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_EncryptIssuerScript"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        var d = try CArg.bytes(data, dataLen, "data", fn, max: 4095)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.encryptIssuerScript(mdk: c.mdk, pan: c.pan, atc: c.atc, data: d), text: false, out, outLen, fn)
    }
}

@_cdecl("CACipher_IssuerScriptMAC")
public func CACipher_IssuerScriptMAC(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                     _ atc: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                     _ mac: UnsafeMutableRawPointer?, _ macLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_IssuerScriptMAC"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 4095)
        try CArg.len(macLen, "macLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.issuerScriptMAC(mdk: c.mdk, pan: c.pan, atc: c.atc, data: d), mac, macLen, fn)
    }
}

/// A clear PIN argument: 4...12 digits (NULL allowed when `optional`). The caller zeroes the bytes.
private func clearPIN(_ p: UnsafePointer<CChar>?, _ name: String, _ fn: String, optional: Bool) throws -> [UInt8]? {
    if p == nil, optional { return nil }
    var t = try CArg.text(p, name, fn, max: 12)
    guard (4...12).contains(t.count), t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
        SecureBytes.wipe(&t)
        throw CArg.invalid(fn, "\(name) must be 4 to 12 decimal digits")
    }
    return t
}

@_cdecl("CACipher_OfflinePIN")
public func CACipher_OfflinePIN(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?, _ atc: UnsafePointer<CChar>?,
                                _ newPIN: UnsafePointer<CChar>?, _ oldPIN: UnsafePointer<CChar>?, _ account: UnsafePointer<CChar>?,
                                _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_OfflinePIN"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        var n = try clearPIN(newPIN, "newPIN", fn, optional: false) ?? []
        defer { SecureBytes.wipe(&n) }
        var o = try clearPIN(oldPIN, "oldPIN", fn, optional: true)
        defer { if o != nil { SecureBytes.wipe(&o!) } }
        let acct = account == nil ? "000000000000" : try CArg.string(account, "account", fn)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var r = try client.offlinePIN(mdk: c.mdk, pan: c.pan, atc: c.atc, newPIN: String(decoding: n, as: UTF8.self),
                                      oldPIN: o.map { String(decoding: $0, as: UTF8.self) }, account: acct)
        defer { SecureBytes.wipe(&r) }
        return try CBuffer.copyOut(r, text: false, out, outLen, fn)
    }
}

@_cdecl("CACipher_OfflinePINFromBlock")
public func CACipher_OfflinePINFromBlock(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                         _ atc: UnsafePointer<CChar>?, _ pinKeyKind: Int32, _ pinKey: UnsafePointer<CChar>?,
                                         _ sourceFormat: Int32, _ newPINBlock: UnsafePointer<CChar>?, _ oldPINBlock: UnsafePointer<CChar>?,
                                         _ account: UnsafePointer<CChar>?,
                                         _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_OfflinePINFromBlock"
    return cTyped(fn) {
        let c = try card(fn, mdk, pan, atc)
        let kind: OfflinePINKeyKind
        switch pinKeyKind {
        case 1: kind = .tpk
        case 2: kind = .zpk
        default: throw CArg.invalid(fn, "pinKeyKind \(pinKeyKind) is not CACIPHER_PIN_KEY_TPK or CACIPHER_PIN_KEY_ZPK")
        }
        let k = try CArg.key(pinKey, "pinKey", fn)
        let f = try CArg.pinFormat(sourceFormat, "sourceFormat", fn)
        var nb = try CArg.hexBytes(newPINBlock, "newPINBlock", fn)
        defer { SecureBytes.wipe(&nb) }
        var ob: [UInt8]? = oldPINBlock == nil ? nil : try CArg.hexBytes(oldPINBlock, "oldPINBlock", fn)
        defer { if ob != nil { SecureBytes.wipe(&ob!) } }
        let acct = try CArg.string(account, "account", fn)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var r = try client.offlinePIN(mdk: c.mdk, pan: c.pan, atc: c.atc, pinKey: k, pinKeyKind: kind, sourceFormat: f,
                                      newPINBlock: nb, oldPINBlock: ob, account: acct)
        defer { SecureBytes.wipe(&r) }
        return try CBuffer.copyOut(r, text: false, out, outLen, fn)
    }
}
