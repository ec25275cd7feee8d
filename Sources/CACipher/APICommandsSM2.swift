import CACipherCore
import HostProtocol

// Typed SM2 commands: E7 E1 E2 E5 E6 E3 E4, the TASS layouts (include/cacipher.h, "Typed
// commands: SM2"). Private keys are 80 hex characters (the 40-byte blob under the LMK) or
// "K0001"; public keys 128 hex (X || Y; DER on the wire) or "K0001";
// signatures 128 hex; ciphertexts and plaintexts binary.

@_cdecl("CACipher_SM2GenerateKeyPair")
public func CACipher_SM2GenerateKeyPair(_ h: OpaquePointer?, _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                                        _ publicKey: UnsafeMutableRawPointer?, _ publicKeyLen: UnsafeMutablePointer<Int>?,
                                        _ privateKey: UnsafeMutableRawPointer?, _ privateKeyLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2GenerateKeyPair"
    return cTyped(fn) {
        let store = try CArg.store(storeIndex, label, fn)
        try CArg.len(publicKeyLen, "publicKeyLen", fn)
        try CArg.len(privateKeyLen, "privateKeyLen", fn)
        let client = try Instances.resolve(h, fn)
        let p = try client.sm2GenerateKeyPair(storeAt: store)
        return try CBuffer.copyOutAll([COut(bytes: CText.hex(p.publicKey), text: true, buf: publicKey, len: publicKeyLen, name: "publicKey"),
                                       COut(bytes: CText.hex(p.privateKeyUnderLMK), text: true, buf: privateKey, len: privateKeyLen, name: "privateKey")], fn)
    }
}

@_cdecl("CACipher_SM2LoadPrivateKey")
public func CACipher_SM2LoadPrivateKey(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?, _ storeIndex: Int32,
                                       _ label: UnsafePointer<CChar>?,
                                       _ publicKey: UnsafeMutableRawPointer?, _ publicKeyLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2LoadPrivateKey"
    return cTyped(fn) {
        let k = try CArg.hex(privateKey, "privateKey", fn, bytes: [SM2PrivateKeyHex.bytes])
        guard let store = try CArg.store(storeIndex, label, fn) else { throw CArg.invalid(fn, "storeIndex must be 1 to 9999") }
        try CArg.len(publicKeyLen, "publicKeyLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.sm2LoadPrivateKey(k, storeAt: store), publicKey, publicKeyLen, fn)
    }
}

@_cdecl("CACipher_SM2PublicKey")
public func CACipher_SM2PublicKey(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?,
                                  _ publicKey: UnsafeMutableRawPointer?, _ publicKeyLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2PublicKey"
    return cTyped(fn) {
        let k = try CArg.sm2Key(privateKey, "privateKey", fn, bytes: SM2PrivateKeyHex.bytes)
        try CArg.len(publicKeyLen, "publicKeyLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.sm2PublicKey(privateKey: k), publicKey, publicKeyLen, fn)
    }
}

@_cdecl("CACipher_SM2Sign")
public func CACipher_SM2Sign(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?, _ userID: UnsafePointer<UInt8>?, _ userIDLen: Int,
                             _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                             _ signature: UnsafeMutableRawPointer?, _ signatureLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2Sign"
    return cTyped(fn) {
        let k = try CArg.sm2Key(privateKey, "privateKey", fn, bytes: SM2PrivateKeyHex.bytes)
        let u = try CArg.bytes(userID, userIDLen, "userID", fn, max: 9999)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 9999)
        try CArg.len(signatureLen, "signatureLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.sm2Sign(privateKey: k, userID: u, data: d), signature, signatureLen, fn)
    }
}

@_cdecl("CACipher_SM2Verify")
public func CACipher_SM2Verify(_ h: OpaquePointer?, _ publicKey: UnsafePointer<CChar>?, _ userID: UnsafePointer<UInt8>?, _ userIDLen: Int,
                               _ data: UnsafePointer<UInt8>?, _ dataLen: Int, _ signature: UnsafePointer<CChar>?) -> Int32 {
    let fn = "CACipher_SM2Verify"
    return cTyped(fn) {
        let k = try CArg.sm2Key(publicKey, "publicKey", fn, bytes: nil)
        let u = try CArg.bytes(userID, userIDLen, "userID", fn, max: 9999)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 9999)
        let s = try CArg.hexBytes(signature, "signature", fn, max: CArg.sm2TextLimit)
        let client = try Instances.resolve(h, fn)
        guard try client.sm2Verify(publicKey: k, userID: u, data: d, signature: s) else {
            throw CACipherError(hsm: 1, "\(fn): SM2 verify (E6): HSM error 01: verification failed (the signature does not match)")
        }
        return 0
    }
}

@_cdecl("CACipher_SM2Encrypt")
public func CACipher_SM2Encrypt(_ h: OpaquePointer?, _ publicKey: UnsafePointer<CChar>?, _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2Encrypt"
    return cTyped(fn) {
        let k = try CArg.sm2Key(publicKey, "publicKey", fn, bytes: nil)
        var d = try CArg.bytes(data, dataLen, "data", fn, max: 9999 - 97)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.sm2Encrypt(publicKey: k, data: d), text: false, out, outLen, fn)
    }
}

@_cdecl("CACipher_SM2Decrypt")
public func CACipher_SM2Decrypt(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?, _ ciphertext: UnsafePointer<UInt8>?,
                                _ ciphertextLen: Int, _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_SM2Decrypt"
    return cTyped(fn) {
        let k = try CArg.sm2Key(privateKey, "privateKey", fn, bytes: SM2PrivateKeyHex.bytes)
        let c = try CArg.bytes(ciphertext, ciphertextLen, "ciphertext", fn, max: 9999)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var p = try client.sm2Decrypt(privateKey: k, ciphertext: c)
        defer { SecureBytes.wipe(&p) }
        return try CBuffer.copyOut(p, text: false, out, outLen, fn)
    }
}

/// The size of the private key blob the C API takes (evsm's form: 40 bytes, 80 hex).
enum SM2PrivateKeyHex { static let bytes = 40 }
