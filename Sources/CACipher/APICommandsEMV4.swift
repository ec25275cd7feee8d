import CACipherCore
import HostProtocol

// Typed EMV 4.x ARPC method 2: KW modes 3 and 4 (include/cacipher.h, "Typed commands: EMV 4.x
// ARPC method 2"). Key, PAN, session key data, ARQC, CSU, PAD, ARPC and the diagnostic are
// text; the transaction data is bytes.

/// The session key derivation from the scheme id and its hex data (ATC; ATC || UN; R).
private func sessionDerivation(_ scheme: Int32, _ p: UnsafePointer<CChar>?, _ fn: String) throws -> EMVSessionKeyDerivation {
    switch scheme {
    case 0: return .atc(try CArg.hex(p, "skData (ATC)", fn, bytes: [2]))
    case 1:
        let b = try CArg.hex(p, "skData (ATC and UN)", fn, bytes: [6])
        return .atcAndUN(atc: Array(b[0..<2]), un: Array(b[2..<6]))
    case 2: return .r(try CArg.hex(p, "skData (R)", fn, bytes: [8]))
    default: throw CArg.invalid(fn, "skScheme \(scheme) is out of range (0 to 2)")
    }
}

@_cdecl("CACipher_VerifyARQCAndGenerateARPCMethod2")
public func CACipher_VerifyARQCAndGenerateARPCMethod2(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                                      _ skScheme: Int32, _ skData: UnsafePointer<CChar>?,
                                                      _ data: UnsafePointer<UInt8>?, _ dataLen: Int, _ arqc: UnsafePointer<CChar>?,
                                                      _ csu: UnsafePointer<CChar>?, _ pad: UnsafePointer<CChar>?,
                                                      _ arpc: UnsafeMutableRawPointer?, _ arpcLen: UnsafeMutablePointer<Int>?,
                                                      _ diagnostic: UnsafeMutableRawPointer?, _ diagnosticLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_VerifyARQCAndGenerateARPCMethod2"
    return cTyped(fn) {
        let k = try CArg.key(mdk, "mdk", fn)
        let p = try CArg.string(pan, "pan", fn)
        let s = try sessionDerivation(skScheme, skData, fn)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 255)
        let q = try CArg.hexBytes(arqc, "arqc", fn)
        let c = try CArg.hexBytes(csu, "csu", fn)
        let a = try CArg.optionalHex(pad, "pad", fn, max: 8)
        try CArg.len(arpcLen, "arpcLen", fn)
        if diagnostic != nil {
            guard let diagnosticLen else { throw CArg.invalid(fn, "diagnosticLen is NULL") }
            guard diagnosticLen.pointee >= 17 else { throw CArg.invalid(fn, "diagnostic needs 17 bytes (16 hex and the NUL), has \(diagnosticLen.pointee)") }
        }
        let client = try Instances.resolve(h, fn)
        switch try client.verifyARQCAndGenerateARPCMethod2(mdk: k, pan: p, session: s, data: d, arqc: q, csu: c, proprietaryData: a) {
        case let .verified(v?):
            return try CBuffer.copyOutHex(v, arpc, arpcLen, fn)
        case .verified(nil):
            throw CACipherError(.badFrame, "\(fn): reply carries no ARPC")
        case let .mismatch(v):
            if let diagnostic, let diagnosticLen { _ = try CBuffer.copyOutHex(v, diagnostic, diagnosticLen, fn) }
            throw CACipherError(hsm: 1, "\(fn): verify ARQC and generate ARPC method 2 (KW): HSM error 01: verification failed (the ARQC does not verify)")
        }
    }
}

@_cdecl("CACipher_GenerateARPCMethod2")
public func CACipher_GenerateARPCMethod2(_ h: OpaquePointer?, _ mdk: UnsafePointer<CChar>?, _ pan: UnsafePointer<CChar>?,
                                         _ skScheme: Int32, _ skData: UnsafePointer<CChar>?, _ arqc: UnsafePointer<CChar>?,
                                         _ csu: UnsafePointer<CChar>?, _ pad: UnsafePointer<CChar>?,
                                         _ arpc: UnsafeMutableRawPointer?, _ arpcLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateARPCMethod2"
    return cTyped(fn) {
        let k = try CArg.key(mdk, "mdk", fn)
        let p = try CArg.string(pan, "pan", fn)
        let s = try sessionDerivation(skScheme, skData, fn)
        let q = try CArg.hexBytes(arqc, "arqc", fn)
        let c = try CArg.hexBytes(csu, "csu", fn)
        let a = try CArg.optionalHex(pad, "pad", fn, max: 8)
        try CArg.len(arpcLen, "arpcLen", fn)
        let client = try Instances.resolve(h, fn)
        let v = try client.generateARPCMethod2(mdk: k, pan: p, session: s, arqc: q, csu: c, proprietaryData: a)
        return try CBuffer.copyOutHex(v, arpc, arpcLen, fn)
    }
}
