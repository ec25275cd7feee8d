import CACipherCore
import HostProtocol

// Typed RSA commands: EI ER 3A 3B EW EY (include/cacipher.h, "Typed commands: RSA").
// Keys are "K0001".."K9998" (a key pair inside the HSM) or hex: the DER PKCS#1
// RSAPublicKey for public keys, the private key blob under the LMK for private keys.
// Public keys, private key blobs and signatures are hex text out; data and ciphertexts bytes.

@_cdecl("CACipher_RSAGenerateKeyPair")
public func CACipher_RSAGenerateKeyPair(_ h: OpaquePointer?, _ bits: Int32, _ exponent: Int32, _ usage: Int32, _ storeIndex: Int32,
                                        _ label: UnsafePointer<CChar>?,
                                        _ publicKey: UnsafeMutableRawPointer?, _ publicKeyLen: UnsafeMutablePointer<Int>?,
                                        _ privateKey: UnsafeMutableRawPointer?, _ privateKeyLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_RSAGenerateKeyPair"
    return cTyped(fn) {
        let u = try CArg.enumValue(usage, RSAKeyUsage.self, "usage", fn)
        let store = try CArg.store(storeIndex, label, fn)
        try CArg.len(publicKeyLen, "publicKeyLen", fn)
        try CArg.len(privateKeyLen, "privateKeyLen", fn)
        let client = try Instances.resolve(h, fn)
        let p = try client.rsaGenerateKeyPair(bits: Int(bits), exponent: Int(exponent), usage: u, storeAt: store)
        return try CBuffer.copyOutAll([COut(bytes: CText.hex(p.publicKey), text: true, buf: publicKey, len: publicKeyLen, name: "publicKey"),
                                       COut(bytes: CText.hex(p.privateKeyUnderLMK), text: true, buf: privateKey, len: privateKeyLen, name: "privateKey")], fn)
    }
}

@_cdecl("CACipher_RSAPublicKey")
public func CACipher_RSAPublicKey(_ h: OpaquePointer?, _ index: Int32,
                                  _ publicKey: UnsafeMutableRawPointer?, _ publicKeyLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_RSAPublicKey"
    return cTyped(fn) {
        try CArg.len(publicKeyLen, "publicKeyLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.rsaPublicKey(index: Int(index)), publicKey, publicKeyLen, fn)
    }
}

@_cdecl("CACipher_RSASign")
public func CACipher_RSASign(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?, _ hash: Int32, _ padding: Int32,
                             _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                             _ signature: UnsafeMutableRawPointer?, _ signatureLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_RSASign"
    return cTyped(fn) {
        let k = try CArg.rsaKey(privateKey, "privateKey", fn)
        let hs = try CArg.enumValue(hash, RSAHash.self, "hash", fn)
        let pd = try CArg.enumValue(padding, RSASignaturePadding.self, "padding", fn)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 9999)
        try CArg.len(signatureLen, "signatureLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.rsaSign(privateKey: k, hash: hs, padding: pd, data: d),
                                   signature, signatureLen, fn)
    }
}

@_cdecl("CACipher_RSAVerify")
public func CACipher_RSAVerify(_ h: OpaquePointer?, _ publicKey: UnsafePointer<CChar>?, _ hash: Int32, _ padding: Int32,
                               _ data: UnsafePointer<UInt8>?, _ dataLen: Int, _ signature: UnsafePointer<CChar>?) -> Int32 {
    let fn = "CACipher_RSAVerify"
    return cTyped(fn) {
        let k = try CArg.rsaKey(publicKey, "publicKey", fn)
        let hs = try CArg.enumValue(hash, RSAHash.self, "hash", fn)
        let pd = try CArg.enumValue(padding, RSASignaturePadding.self, "padding", fn)
        let d = try CArg.bytes(data, dataLen, "data", fn, max: 9999)
        let s = try CArg.hex(signature, "signature", fn, bytes: Array(stride(from: 128, through: 512, by: 8)))
        let client = try Instances.resolve(h, fn)
        guard try client.rsaVerify(publicKey: k, hash: hs, padding: pd, data: d, signature: s) else {
            throw CACipherError(hsm: 1, "\(fn): RSA verify (EY): HSM error 01: verification failed (the signature does not match)")
        }
        return 0
    }
}

@_cdecl("CACipher_RSAEncrypt")
public func CACipher_RSAEncrypt(_ h: OpaquePointer?, _ publicKey: UnsafePointer<CChar>?, _ padding: Int32,
                                _ data: UnsafePointer<UInt8>?, _ dataLen: Int,
                                _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_RSAEncrypt"
    return cTyped(fn) {
        let k = try CArg.rsaKey(publicKey, "publicKey", fn)
        let pd = try CArg.enumValue(padding, RSAEncryptionPadding.self, "padding", fn)
        var d = try CArg.bytes(data, dataLen, "data", fn, max: 512)
        defer { SecureBytes.wipe(&d) }
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOut(try client.rsaEncrypt(publicKey: k, padding: pd, data: d), text: false, out, outLen, fn)
    }
}

@_cdecl("CACipher_RSADecrypt")
public func CACipher_RSADecrypt(_ h: OpaquePointer?, _ privateKey: UnsafePointer<CChar>?, _ padding: Int32,
                                _ ciphertext: UnsafePointer<UInt8>?, _ ciphertextLen: Int,
                                _ out: UnsafeMutableRawPointer?, _ outLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_RSADecrypt"
    return cTyped(fn) {
        let k = try CArg.rsaKey(privateKey, "privateKey", fn)
        let pd = try CArg.enumValue(padding, RSAEncryptionPadding.self, "padding", fn)
        let c = try CArg.bytes(ciphertext, ciphertextLen, "ciphertext", fn, max: 512)
        try CArg.len(outLen, "outLen", fn)
        let client = try Instances.resolve(h, fn)
        var p = try client.rsaDecrypt(privateKey: k, padding: pd, ciphertext: c)
        defer { SecureBytes.wipe(&p) }
        return try CBuffer.copyOut(p, text: false, out, outLen, fn)
    }
}

extension CArg {
    /// "K" + 4 digits, or hex of a DER public key / private key blob; converted only: the
    /// index's 1...9998 and the DER are the typed call's rules.
    static func rsaKey(_ p: UnsafePointer<CChar>?, _ name: String, _ function: String) throws -> RSAKeyReference {
        let t = try text(p, name, function, max: 8192)
        if let i = try kIndex(t, name, function, or: "hex") { return .stored(index: i) }
        guard !t.isEmpty, let b = Hex.decode(t) else { throw invalid(function, "\(name) must be K and a 4-digit index, or hex") }
        return .inline(b)
    }
}
