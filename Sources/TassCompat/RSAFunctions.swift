import CACipherCore
import HostProtocol

// The `HSM_RSA_*` functions of `hsmapi_asym.h` (vendor spec §13) over the typed RSA calls,
// and `Tass_GenRSAKey` (§10.7.1). Binary arguments are `unsigned char *` + `int` length;
// a key index <= 0 means "the key travels in the call" (`K9999`).

/// RSA argument helpers (vendor §13 common rules).
enum RSAArg {
    /// Index <= 0 or 9999: the DER public key argument; 1...9998: a pair held inside.
    static func publicKey(_ index: Int32, _ der: UnsafeMutablePointer<UInt8>?, _ len: Int32) throws -> RSAKeyReference {
        if let i = try stored(index) { return .stored(index: i) }
        let d = try Arg.bytes(der, len, "pucDerPublicKey", max: 1100)
        guard !d.isEmpty else { throw CompatError(HAR.paramLen, "pucDerPublicKey is empty with key index \(index)") }
        var r = FieldReader(d)
        guard (try? r.derSequence("public key")) != nil, r.isAtEnd else {
            throw CompatError(HAR.derDecode, "pucDerPublicKey is not one DER SEQUENCE of its length")
        }
        return .inline(d)
    }

    /// Index <= 0 or 9999: the private key blob argument (4N length on the wire).
    static func privateKey(_ index: Int32, _ blob: UnsafeMutablePointer<UInt8>?, _ len: Int32) throws -> RSAKeyReference {
        if let i = try stored(index) { return .stored(index: i) }
        let b = try Arg.bytes(blob, len, "pucPrivateKey_Lmk", max: 9999)
        guard !b.isEmpty else { throw CompatError(HAR.paramLen, "pucPrivateKey_Lmk is empty with key index \(index)") }
        return .inline(b)
    }

    static func stored(_ index: Int32) throws -> Int? {
        guard index <= 9999 else { throw CompatError(HAR.paramKeyID, "key index \(index) is out of range (at most 9999)") }
        return index <= 0 || index == 9999 ? nil : Int(index)
    }

    static func hash(_ v: Int32) throws -> RSAHash {
        guard let h = RSAHash(rawValue: Int(v)) else { throw CompatError(HAR.paramValue, "hash mode \(v) is not 1, 5, 6, 7, 8 or 20") }
        return h
    }

    static func encryptionPadding(_ v: Int32) throws -> RSAEncryptionPadding {
        guard let p = RSAEncryptionPadding(rawValue: Int(v)) else { throw CompatError(HAR.paramPaddingMode, "padding mode \(v) is not 0, 1 or 2") }
        return p
    }

    static func signaturePadding(_ v: Int32) throws -> RSASignaturePadding {
        guard let p = RSASignaturePadding(rawValue: Int(v)) else { throw CompatError(HAR.paramPaddingMode, "padding mode \(v) is not 1 or 2") }
        return p
    }

    static func modulusBits(_ v: Int32) throws -> Int {
        guard (1024...4096).contains(v), v % 8 == 0 else { throw CompatError(HAR.paramLen, "modulus of \(v) bits (1024 to 4096, a multiple of 8)") }
        return Int(v)
    }
}

/// `HSM_RSA_GenerateNewKeyPair`: `EI` (vendor §13.1), usage 2 (any). Index 1...9998 also
/// stores the pair with `pcKeyLabel` (at most 16 characters); <= 0 or 9999 does not.
/// `iPubE` 3 gives exponent 3; 0 or 65537 the default 65537 (the vendor ignored it).
@_cdecl("HSM_RSA_GenerateNewKeyPair")
public func HSM_RSA_GenerateNewKeyPair(_ session: Handle?, _ iKeyIndex: Int32, _ pcKeyLabel: CString?, _ iModulusBits: Int32,
                                       _ iPubE: Int32, _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?,
                                       _ piDerPublicKeyLen: UnsafeMutablePointer<Int32>?,
                                       _ pucPrivateKey_Lmk: UnsafeMutablePointer<UInt8>?,
                                       _ piPrivateKeyLen_Lmk: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_GenerateNewKeyPair") {
        try Out.require((Out.raw(pucDerPublicKey), "pucDerPublicKey"), (Out.raw(piDerPublicKeyLen), "piDerPublicKeyLen"),
                        (Out.raw(pucPrivateKey_Lmk), "pucPrivateKey_Lmk"), (Out.raw(piPrivateKeyLen_Lmk), "piPrivateKeyLen_Lmk"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RSA_GenerateNewKeyPair")
        let bits = try RSAArg.modulusBits(iModulusBits)
        guard iPubE == 0 || iPubE == 3 || iPubE == 65537 else { throw CompatError(HAR.paramValue, "public exponent \(iPubE) is not 3 or 65537") }
        var store: StoreTarget?
        if let i = try RSAArg.stored(iKeyIndex) {
            let l = try Arg.optionalString(pcKeyLabel, "pcKeyLabel", max: 64) ?? []
            guard l.count <= 16 else { throw CompatError(HAR.paramValue, "key label of \(l.count) characters is longer than 16") }
            store = StoreTarget(index: i, label: String(decoding: l, as: UTF8.self))
        }
        let kp = try client.rsaGenerateKeyPair(bits: bits, exponent: iPubE == 3 ? 3 : 65537, usage: .any, storeAt: store)
        Out.binary(pucDerPublicKey, piDerPublicKeyLen, kp.publicKey)
        Out.binary(pucPrivateKey_Lmk, piPrivateKeyLen_Lmk, kp.privateKeyUnderLMK)
        return HAR.ok
    }
}

/// `HSM_RSA_GetPublicKey`: `ER` (vendor §13.2), session-less: the DER public key at an index.
@_cdecl("HSM_RSA_GetPublicKey")
public func HSM_RSA_GetPublicKey(_ iKeyIndex: Int32, _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?,
                                 _ piDerPublicKeyLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_GetPublicKey") {
        try Out.require((Out.raw(pucDerPublicKey), "pucDerPublicKey"), (Out.raw(piDerPublicKeyLen), "piDerPublicKeyLen"))
        let client = try CompatRuntime.initClient("HSM_RSA_GetPublicKey")
        guard let i = try RSAArg.stored(iKeyIndex) else { throw CompatError(HAR.paramKeyID, "key index \(iKeyIndex) names no stored pair (1 to 9998)") }
        Out.binary(pucDerPublicKey, piDerPublicKeyLen, try client.rsaPublicKey(index: i))
        return HAR.ok
    }
}

/// `HSM_RSA_EncryptData`: `3A` (vendor §13.3). Padding 0 none (data = modulus length),
/// 1 PKCS#1 v1.5, 2 OAEP (this library's addition); data at most 512 bytes.
@_cdecl("HSM_RSA_EncryptData")
public func HSM_RSA_EncryptData(_ session: Handle?, _ iPaddingMode: Int32, _ iKeyIndex: Int32,
                                _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?, _ iDerPublicKeyLen: Int32,
                                _ pucInput: UnsafeMutablePointer<UInt8>?, _ iInputLength: Int32,
                                _ pucOutput: UnsafeMutablePointer<UInt8>?, _ piOutputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_EncryptData") {
        try Out.require((Out.raw(pucOutput), "pucOutput"), (Out.raw(piOutputLength), "piOutputLength"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RSA_EncryptData")
        let pad = try RSAArg.encryptionPadding(iPaddingMode)
        let key = try RSAArg.publicKey(iKeyIndex, pucDerPublicKey, iDerPublicKeyLen)
        var data = try Arg.bytes(pucInput, iInputLength, "pucInput", max: 512)
        defer { SecureBytes.zero(&data) }
        Out.binary(pucOutput, piOutputLength, try client.rsaEncrypt(publicKey: key, padding: pad, data: data))
        return HAR.ok
    }
}

/// `HSM_RSA_DecryptData`: `3B` (vendor §13.4). Ciphertext 128...512 bytes (the vendor: 256).
@_cdecl("HSM_RSA_DecryptData")
public func HSM_RSA_DecryptData(_ session: Handle?, _ iPaddingMode: Int32, _ iKeyIndex: Int32,
                                _ pucPrivateKey_Lmk: UnsafeMutablePointer<UInt8>?, _ iPrivateKeyLen_Lmk: Int32,
                                _ pucInput: UnsafeMutablePointer<UInt8>?, _ iInputLength: Int32,
                                _ pucOutput: UnsafeMutablePointer<UInt8>?, _ piOutputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_DecryptData") {
        try Out.require((Out.raw(pucOutput), "pucOutput"), (Out.raw(piOutputLength), "piOutputLength"))
        let client = try CompatRuntime.sessionClient(session, "HSM_RSA_DecryptData")
        let pad = try RSAArg.encryptionPadding(iPaddingMode)
        let key = try RSAArg.privateKey(iKeyIndex, pucPrivateKey_Lmk, iPrivateKeyLen_Lmk)
        let c = try Arg.bytes(pucInput, iInputLength, "pucInput", max: 512)
        guard c.count >= 128 else { throw CompatError(HAR.paramLen, "pucInput of \(c.count) bytes (128 to 512)") }
        var p = try client.rsaDecrypt(privateKey: key, padding: pad, ciphertext: c)
        defer { SecureBytes.zero(&p) }
        Out.binary(pucOutput, piOutputLength, p)
        return HAR.ok
    }
}

/// `HSM_RSA_GenerateSignature`: `EW` (vendor §13.5), session-less. The HSM hashes the
/// data (at most 1984 bytes) with `iHashMode` (1, 5, 6, 7, 8, 20); padding 1 PKCS#1 v1.5,
/// 2 PSS.
@_cdecl("HSM_RSA_GenerateSignature")
public func HSM_RSA_GenerateSignature(_ iHashMode: Int32, _ iPaddingMode: Int32, _ iKeyIndex: Int32,
                                      _ pucPrivateKey_Lmk: UnsafeMutablePointer<UInt8>?, _ iPrivateKeyLen_Lmk: Int32,
                                      _ pucInput: UnsafeMutablePointer<UInt8>?, _ iInputLength: Int32,
                                      _ pucSignature: UnsafeMutablePointer<UInt8>?, _ piSignatureLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_GenerateSignature") {
        try Out.require((Out.raw(pucSignature), "pucSignature"), (Out.raw(piSignatureLength), "piSignatureLength"))
        let client = try CompatRuntime.initClient("HSM_RSA_GenerateSignature")
        let h = try RSAArg.hash(iHashMode)
        let pad = try RSAArg.signaturePadding(iPaddingMode)
        let key = try RSAArg.privateKey(iKeyIndex, pucPrivateKey_Lmk, iPrivateKeyLen_Lmk)
        let data = try Arg.bytes(pucInput, iInputLength, "pucInput", max: 1984)
        Out.binary(pucSignature, piSignatureLength, try client.rsaSign(privateKey: key, hash: h, padding: pad, data: data))
        return HAR.ok
    }
}

/// `HSM_RSA_VerifySignature`: `EY` (vendor §13.6), session-less. 0 valid, 1 (the HSM's
/// `01`) invalid; the vendor's HEAD library sent nothing and always returned 0.
@_cdecl("HSM_RSA_VerifySignature")
public func HSM_RSA_VerifySignature(_ iHashMode: Int32, _ iPaddingMode: Int32, _ iKeyIndex: Int32,
                                    _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?, _ iDerPublicKeyLen: Int32,
                                    _ pucInput: UnsafeMutablePointer<UInt8>?, _ iInputLength: Int32,
                                    _ pucSignature: UnsafeMutablePointer<UInt8>?, _ iSignatureLength: Int32) -> Int32 {
    Compat.run("HSM_RSA_VerifySignature") {
        let client = try CompatRuntime.initClient("HSM_RSA_VerifySignature")
        let h = try RSAArg.hash(iHashMode)
        let pad = try RSAArg.signaturePadding(iPaddingMode)
        let key = try RSAArg.publicKey(iKeyIndex, pucDerPublicKey, iDerPublicKeyLen)
        let data = try Arg.bytes(pucInput, iInputLength, "pucInput", max: 1984)
        let sig = try Arg.bytes(pucSignature, iSignatureLength, "pucSignature", max: 512)
        guard !sig.isEmpty else { throw CompatError(HAR.paramLen, "pucSignature is empty") }
        return try client.rsaVerify(publicKey: key, hash: h, padding: pad, data: data, signature: sig) ? HAR.ok : 1
    }
}
