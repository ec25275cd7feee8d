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

// MARK: private keys under a transport key (TR, TS) and Tass_GenRSAKey

extension RSAArg {
    /// The DERIVE arguments: a count 0...99 and exactly count x 32H of data (vendor §5.7),
    /// else `HAR_PARAM_DERIVE_DATA`; NULL data -> `HAR_PARAM_ISNULL`.
    static func derivation(_ count: Int32, _ data: CString?, _ name: String) throws -> [[UInt8]] {
        guard let data else { throw CompatError(HAR.paramIsNull, "\(name) is NULL") }
        let t = try Arg.string(data, name, max: 99 * 32 + 1)
        guard (0...99).contains(count), t.count == Int(count) * 32, Arg.isHex(t) else {
            throw CompatError(HAR.paramDeriveData, "\(name): \(t.count) characters for \(count) derivation levels (32 hex each)")
        }
        var out: [[UInt8]] = []
        for i in 0..<Int(count) { out.append(try Arg.hexBytes(Array(t[(i * 32)..<(i * 32 + 32)]), name)) }
        return out
    }

    /// n and e of a DER `RSAPublicKey` (leading zero bytes removed), else `HAR_DER_DECODE`.
    static func derIntegers(_ der: [UInt8]) throws -> (n: [UInt8], e: [UInt8]) {
        var i = 0
        func length() throws -> Int {
            guard i < der.count else { throw CompatError(HAR.derDecode, "public key DER is truncated") }
            let b = der[i]; i += 1
            if b < 0x80 { return Int(b) }
            let k = Int(b & 0x7F)
            guard k >= 1, k <= 2, i + k <= der.count else { throw CompatError(HAR.derDecode, "public key DER length form") }
            var v = 0
            for _ in 0..<k { v = v << 8 | Int(der[i]); i += 1 }
            return v
        }
        func integer() throws -> [UInt8] {
            guard i < der.count, der[i] == 0x02 else { throw CompatError(HAR.derDecode, "public key DER: INTEGER expected") }
            i += 1
            let n = try length()
            guard n >= 1, i + n <= der.count else { throw CompatError(HAR.derDecode, "public key DER is truncated") }
            var v = Array(der[i..<(i + n)])
            i += n
            while v.count > 1, v[0] == 0 { v.removeFirst() }
            return v
        }
        guard der.first == 0x30 else { throw CompatError(HAR.derDecode, "public key DER: SEQUENCE expected") }
        i = 1
        _ = try length()
        return (try integer(), try integer())
    }
}

/// `HSM_RSA_ExportRSAKey`: `TR` (vendor §13.10): a private key (index 1...9998, or the blob)
/// under a protection key of type `000` or `109`. `pcExpandFlg` "P" sends the extension
/// block (`pcPADFlg` 2 digits, `iOutPublicKeyFlg` 0 DER / 1 modulus and exponent, `pcIV`
/// hex), "" none (then `iOutPublicKeyFlg` must be 0). Component outputs are binary.
@_cdecl("HSM_RSA_ExportRSAKey")
public func HSM_RSA_ExportRSAKey(_ session: Handle?, _ iMode: Int32, _ pcTkType: CString?, _ iTkIndex: Int32, _ pcTk_Lmk: CString?,
                                 _ iTkDeriveNumber: Int32, _ pcTkDeriveData: CString?, _ iRsaKeyIndex: Int32,
                                 _ pucPrivateKey: UnsafeMutablePointer<UInt8>?, _ iPrivateKeyLen: Int32,
                                 _ pcExpandFlg: CString?, _ pcPADFlg: CString?, _ iOutPublicKeyFlg: Int32, _ pcIV: CString?,
                                 _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?, _ piDerPublicKeyLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPublicKey_m: UnsafeMutablePointer<UInt8>?, _ piPublicKey_mLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPublicKey_e: UnsafeMutablePointer<UInt8>?, _ piPublicKey_eLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_d: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_dLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_p: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_pLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_q: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_qLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_dp: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_dpLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_dq: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_dqLen: UnsafeMutablePointer<Int32>?,
                                 _ pucPrivateKey_qInv: UnsafeMutablePointer<UInt8>?, _ piPrivateKey_qInvLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_ExportRSAKey") {
        try Out.require((Out.raw(pucPrivateKey_d), "pucPrivateKey_d"), (Out.raw(piPrivateKey_dLen), "piPrivateKey_dLen"),
                        (Out.raw(pucPrivateKey_p), "pucPrivateKey_p"), (Out.raw(piPrivateKey_pLen), "piPrivateKey_pLen"),
                        (Out.raw(pucPrivateKey_q), "pucPrivateKey_q"), (Out.raw(piPrivateKey_qLen), "piPrivateKey_qLen"),
                        (Out.raw(pucPrivateKey_dp), "pucPrivateKey_dp"), (Out.raw(piPrivateKey_dpLen), "piPrivateKey_dpLen"),
                        (Out.raw(pucPrivateKey_dq), "pucPrivateKey_dq"), (Out.raw(piPrivateKey_dqLen), "piPrivateKey_dqLen"),
                        (Out.raw(pucPrivateKey_qInv), "pucPrivateKey_qInv"), (Out.raw(piPrivateKey_qInvLen), "piPrivateKey_qInvLen"))
        guard let flagText = try Arg.optionalString(pcExpandFlg, "pcExpandFlg", max: 4) else {
            throw CompatError(HAR.paramIsNull, "pcExpandFlg is NULL")
        }
        var ext: RSAExportRequest.Extension?
        switch flagText {
        case []: guard iOutPublicKeyFlg == 0 else { throw CompatError(HAR.paramValue, "iOutPublicKeyFlg 1 needs pcExpandFlg \"P\"") }
        case [UInt8(ascii: "P")]:
            let pad = try Arg.string(pcPADFlg, "pcPADFlg", lengths: [2], error: HAR.paramValue)
            guard Arg.isDigits(pad) else { throw CompatError(HAR.paramValue, "pcPADFlg is not 2 digits") }
            guard iOutPublicKeyFlg == 0 || iOutPublicKeyFlg == 1 else { throw CompatError(HAR.paramValue, "iOutPublicKeyFlg \(iOutPublicKeyFlg) is not 0 or 1") }
            let ivText = try Arg.optionalString(pcIV, "pcIV", max: 64) ?? []
            guard [0, 16, 32].contains(ivText.count) else { throw CompatError(HAR.paramIV, "pcIV of \(ivText.count) characters (0, 16 or 32)") }
            let iv = try Arg.hexBytes(ivText, "pcIV")
            ext = RSAExportRequest.Extension(padding: Int(pad[0] - 0x30) * 10 + Int(pad[1] - 0x30), publicKeyAsComponents: iOutPublicKeyFlg == 1, iv: iv)
        default: throw CompatError(HAR.paramValue, "pcExpandFlg is not \"P\" or \"\"")
        }
        if ext?.publicKeyAsComponents == true {
            try Out.require((Out.raw(pucPublicKey_m), "pucPublicKey_m"), (Out.raw(piPublicKey_mLen), "piPublicKey_mLen"),
                            (Out.raw(pucPublicKey_e), "pucPublicKey_e"), (Out.raw(piPublicKey_eLen), "piPublicKey_eLen"))
        } else {
            try Out.require((Out.raw(pucDerPublicKey), "pucDerPublicKey"), (Out.raw(piDerPublicKeyLen), "piDerPublicKeyLen"))
        }
        let client = try CompatRuntime.sessionClient(session, "HSM_RSA_ExportRSAKey")
        guard iMode == 0 || iMode == 1 else { throw CompatError(HAR.paramEncMode, "iMode \(iMode) is not 0 (ECB) or 1 (CBC)") }
        let type = try Arg.keyType(pcTkType, "pcTkType")
        let tk = try KeyArgument.read(index: iTkIndex, cryptogram: pcTk_Lmk, rule: .field, name: "TK", maxIndex: 9999)
        let derive = try RSAArg.derivation(iTkDeriveNumber, pcTkDeriveData, "pcTkDeriveData")
        let key = try RSAArg.privateKey(iRsaKeyIndex, pucPrivateKey, iPrivateKeyLen)
        let r = try client.rsaExportPrivateKey(transportKey: RSATransportKey(mode: Int(iMode), type: type, key: tk, derivation: derive),
                                               privateKey: key, extension: ext)
        if let m = r.modulus, let e = r.exponent {
            Out.binary(pucPublicKey_m, piPublicKey_mLen, m)
            Out.binary(pucPublicKey_e, piPublicKey_eLen, e)
        } else {
            Out.binary(pucDerPublicKey, piDerPublicKeyLen, r.publicKey ?? [])
        }
        let c = r.components
        Out.binary(pucPrivateKey_d, piPrivateKey_dLen, c.d)
        Out.binary(pucPrivateKey_p, piPrivateKey_pLen, c.p)
        Out.binary(pucPrivateKey_q, piPrivateKey_qLen, c.q)
        Out.binary(pucPrivateKey_dp, piPrivateKey_dpLen, c.dP)
        Out.binary(pucPrivateKey_dq, piPrivateKey_dqLen, c.dQ)
        Out.binary(pucPrivateKey_qInv, piPrivateKey_qInvLen, c.qInv)
        return HAR.ok
    }
}

/// `HSM_RSA_ImportByTk`: `TS` (vendor §13.11), session-less: the inverse of
/// `HSM_RSA_ExportRSAKey` (CBC with a zero IV). `iRsaKeyIndex` 1...9998 also stores the pair
/// with the tag (at most 16 bytes); <= 0 or 9999 does not.
@_cdecl("HSM_RSA_ImportByTk")
public func HSM_RSA_ImportByTk(_ iMode: Int32, _ pcTkType: CString?, _ iTkIndex: Int32, _ pcTk_Lmk: CString?,
                               _ iTkDeriveNumber: Int32, _ pcTkDeriveData: CString?, _ iRsaKeyIndex: Int32,
                               _ pucRsaKeyTag: UnsafeMutablePointer<UInt8>?, _ iRsaKeyTagLen: Int32,
                               _ pucPublicKey: UnsafeMutablePointer<UInt8>?, _ iPublicKeyLen: Int32,
                               _ pucPrivateKey_d: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_dLen: Int32,
                               _ pucPrivateKey_p: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_pLen: Int32,
                               _ pucPrivateKey_q: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_qLen: Int32,
                               _ pucPrivateKey_dp: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_dpLen: Int32,
                               _ pucPrivateKey_dq: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_dqLen: Int32,
                               _ pucPrivateKey_qInv: UnsafeMutablePointer<UInt8>?, _ iPrivateKey_qInvLen: Int32,
                               _ pucPrivateKey_Lmk: UnsafeMutablePointer<UInt8>?, _ piPrivateKeyLen_Lmk: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_ImportByTk") {
        try Out.require((Out.raw(pucPrivateKey_Lmk), "pucPrivateKey_Lmk"), (Out.raw(piPrivateKeyLen_Lmk), "piPrivateKeyLen_Lmk"))
        let client = try CompatRuntime.initClient("HSM_RSA_ImportByTk")
        guard iMode == 0 || iMode == 1 else { throw CompatError(HAR.paramEncMode, "iMode \(iMode) is not 0 (ECB) or 1 (CBC)") }
        let type = try Arg.keyType(pcTkType, "pcTkType")
        let tk = try KeyArgument.read(index: iTkIndex, cryptogram: pcTk_Lmk, rule: .field, name: "TK", maxIndex: 9999)
        let derive = try RSAArg.derivation(iTkDeriveNumber, pcTkDeriveData, "pcTkDeriveData")
        var store: StoreTarget?
        if let i = try RSAArg.stored(iRsaKeyIndex) {
            let tag = try Arg.bytes(pucRsaKeyTag, iRsaKeyTagLen, "pucRsaKeyTag", max: 16)
            guard tag.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw CompatError(HAR.paramValue, "pucRsaKeyTag is not printable ASCII") }
            store = StoreTarget(index: i, label: String(decoding: tag, as: UTF8.self))
        }
        let pub = try Arg.bytes(pucPublicKey, iPublicKeyLen, "pucPublicKey", max: 1100)
        _ = try RSAArg.derIntegers(pub)
        func part(_ p: UnsafeMutablePointer<UInt8>?, _ l: Int32, _ n: String) throws -> [UInt8] {
            let v = try Arg.bytes(p, l, n, max: 2048)
            guard !v.isEmpty else { throw CompatError(HAR.paramLen, "\(n) is empty") }
            return v
        }
        let c = RSAWrappedComponents(d: try part(pucPrivateKey_d, iPrivateKey_dLen, "pucPrivateKey_d"),
                                     p: try part(pucPrivateKey_p, iPrivateKey_pLen, "pucPrivateKey_p"),
                                     q: try part(pucPrivateKey_q, iPrivateKey_qLen, "pucPrivateKey_q"),
                                     dP: try part(pucPrivateKey_dp, iPrivateKey_dpLen, "pucPrivateKey_dp"),
                                     dQ: try part(pucPrivateKey_dq, iPrivateKey_dqLen, "pucPrivateKey_dq"),
                                     qInv: try part(pucPrivateKey_qInv, iPrivateKey_qInvLen, "pucPrivateKey_qInv"))
        let blob = try client.rsaImportPrivateKey(transportKey: RSATransportKey(mode: Int(iMode), type: type, key: tk, derivation: derive),
                                                  publicKey: pub, components: c, storeAt: store)
        Out.binary(pucPrivateKey_Lmk, piPrivateKeyLen_Lmk, blob)
        return HAR.ok
    }
}

/// `Tass_GenRSAKey` (vendor §10.7.1): `EI` (usage 2, DER) then `TR` (TK type `000`, no
/// extension): the private components under the ZMK, N and E, and the LMK blob, all as
/// upper-case hex. Unlike the vendor (which returned 0), a bad `RsaLen` is `HAR_PARAM_LEN`
/// and bad `zmk_disData` `HAR_PARAM_DERIVE_DATA` (NULL: `HAR_PARAM_ISNULL`). `mode` outside
/// 0...2 becomes 0, as the vendor's; 2 reaches the HSM, which refuses it.
@_cdecl("Tass_GenRSAKey")
public func Tass_GenRSAKey(_ session: Handle?, _ RsaLen: Int32, _ zmkIndex: Int32, _ zmk_Lmk: CString?, _ zmk_disData: CString?,
                           _ mode: Int32, _ Rsa_D_ZMK: CString?, _ Rsa_P_ZMK: CString?, _ Rsa_Q_ZMK: CString?,
                           _ Rsa_DP_ZMK: CString?, _ Rsa_DQ_ZMK: CString?, _ Rsa_QINV_ZMK: CString?, _ Rsa_N: CString?,
                           _ Rsa_E: CString?, _ Rsa_LMK: CString?) -> Int32 {
    Compat.run("Tass_GenRSAKey") {
        try Out.require((Out.raw(Rsa_D_ZMK), "Rsa_D_ZMK"), (Out.raw(Rsa_P_ZMK), "Rsa_P_ZMK"), (Out.raw(Rsa_Q_ZMK), "Rsa_Q_ZMK"),
                        (Out.raw(Rsa_DP_ZMK), "Rsa_DP_ZMK"), (Out.raw(Rsa_DQ_ZMK), "Rsa_DQ_ZMK"), (Out.raw(Rsa_QINV_ZMK), "Rsa_QINV_ZMK"),
                        (Out.raw(Rsa_N), "Rsa_N"), (Out.raw(Rsa_E), "Rsa_E"), (Out.raw(Rsa_LMK), "Rsa_LMK"))
        let client = try CompatRuntime.sessionClient(session, "Tass_GenRSAKey")
        let bits = try RSAArg.modulusBits(RsaLen)
        // 9999, the headers' "not stored" index, with a cryptogram of 16 or more characters:
        // the cryptogram, as Tass_GenSm2Key takes it (§10.7.2; the vendor's older test
        // program passes 9999 to both generators). K9999 names no transport key.
        var index = zmkIndex
        if index == 9999, let z = zmk_Lmk, (try? Arg.string(z, "zmk_Lmk", max: 64))?.count ?? 0 >= 16 { index = 0 }
        let zmk = try KeyArgument.read(index: index, cryptogram: zmk_Lmk, rule: .a, name: "ZMK", missingError: HAR.paramKeyID)
        guard let dd = zmk_disData else { throw CompatError(HAR.paramIsNull, "zmk_disData is NULL") }
        let ddLen = try Arg.string(dd, "zmk_disData", max: 99 * 32 + 1).count
        guard ddLen % 32 == 0 else { throw CompatError(HAR.paramDeriveData, "zmk_disData of \(ddLen) characters is not a multiple of 32") }
        let derive = try RSAArg.derivation(Int32(ddLen / 32), dd, "zmk_disData")
        let m = (0...2).contains(mode) ? Int(mode) : 0
        let kp = try client.rsaGenerateKeyPair(bits: bits, exponent: 65537, usage: .any)
        let r = try client.rsaExportPrivateKey(transportKey: RSATransportKey(mode: m, type: .zmk, key: zmk, derivation: derive),
                                               privateKey: .inline(kp.privateKeyUnderLMK))
        let (n, e) = try RSAArg.derIntegers(r.publicKey ?? kp.publicKey)
        let c = r.components
        Out.hex(Rsa_D_ZMK, c.d)
        Out.hex(Rsa_P_ZMK, c.p)
        Out.hex(Rsa_Q_ZMK, c.q)
        Out.hex(Rsa_DP_ZMK, c.dP)
        Out.hex(Rsa_DQ_ZMK, c.dQ)
        Out.hex(Rsa_QINV_ZMK, c.qInv)
        Out.hex(Rsa_N, n)
        Out.hex(Rsa_E, e)
        Out.hex(Rsa_LMK, kp.privateKeyUnderLMK)
        return HAR.ok
    }
}

// MARK: symmetric keys under RSA keys (EO, TV, TW) and Tass_DeriveKeyExportedByRsa

/// `HSM_RSA_GeneratePublicKeyMac`: `EO` (vendor §13.7), session-less: the 4-byte MAC that
/// `HSM_RSA_ExportSymmetricKey` needs with a DER public key (auth data <= 128 bytes, no `;`).
@_cdecl("HSM_RSA_GeneratePublicKeyMac")
public func HSM_RSA_GeneratePublicKeyMac(_ pucDerPublicKey: UnsafeMutablePointer<UInt8>?, _ iDerPublicKeyLen: Int32,
                                         _ pucAuthData: UnsafeMutablePointer<UInt8>?, _ iAuthDataLen: Int32,
                                         _ pucMac: UnsafeMutablePointer<UInt8>?, _ piMacLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RSA_GeneratePublicKeyMac") {
        try Out.require((Out.raw(pucMac), "pucMac"), (Out.raw(piMacLen), "piMacLen"))
        let client = try CompatRuntime.initClient("HSM_RSA_GeneratePublicKeyMac")
        guard case let .inline(der) = try RSAArg.publicKey(0, pucDerPublicKey, iDerPublicKeyLen) else { return HAR.paramUnknown }
        let auth = try RSAArg.authData(pucAuthData, iAuthDataLen)
        Out.binary(pucMac, piMacLen, try client.rsaPublicKeyMAC(publicKey: der, authData: auth))
        return HAR.ok
    }
}

/// `HSM_RSA_ExportSymmetricKey`: `TV` (vendor §13.8), session-less: a key (KEY
/// `iKeyIndex`/`pcKey_Lmk` of `pcKeyType`, derived over `iKeyDeriveNumber` levels) under an
/// RSA public key, PKCS#1 v1.5. With `iRsaKeyIndex` <= 0 the DER key, its auth data and its
/// 4-byte `EO` MAC (`pucMac`) are sent. Outputs: the cryptogram (binary) and the KCV (16H, or 8H / 6H as the HSM sent it).
@_cdecl("HSM_RSA_ExportSymmetricKey")
public func HSM_RSA_ExportSymmetricKey(_ pcKeyType: CString?, _ iKeyIndex: Int32, _ pcKey_Lmk: CString?, _ iKeyDeriveNumber: Int32,
                                       _ pcKeyDeriveData: CString?, _ iRsaKeyIndex: Int32,
                                       _ pucDerPublicKey: UnsafeMutablePointer<UInt8>?, _ iDerPublicKeyLen: Int32,
                                       _ pucAuthData: UnsafeMutablePointer<UInt8>?, _ iAuthDataLen: Int32,
                                       _ pucMac: UnsafeMutablePointer<UInt8>?, _ pucCipherKey: UnsafeMutablePointer<UInt8>?,
                                       _ piCipherKeyLen: UnsafeMutablePointer<Int32>?, _ pcKeyCv: CString?) -> Int32 {
    Compat.run("HSM_RSA_ExportSymmetricKey") {
        try Out.require((Out.raw(pucCipherKey), "pucCipherKey"), (Out.raw(piCipherKeyLen), "piCipherKeyLen"), (Out.raw(pcKeyCv), "pcKeyCv"))
        let client = try CompatRuntime.initClient("HSM_RSA_ExportSymmetricKey")
        let type = try Arg.keyType(pcKeyType, "pcKeyType")
        let key = try KeyArgument.read(index: iKeyIndex, cryptogram: pcKey_Lmk, rule: .field, name: "key", maxIndex: 9999)
        let derive = try RSAArg.derivation(iKeyDeriveNumber, pcKeyDeriveData, "pcKeyDeriveData")
        let pub: RSAAuthenticatedPublicKey
        switch try RSAArg.publicKey(iRsaKeyIndex, pucDerPublicKey, iDerPublicKeyLen) {
        case let .stored(i): pub = .stored(index: i)
        case let .inline(der):
            let auth = try RSAArg.authData(pucAuthData, iAuthDataLen)
            guard let pucMac, Ptr.usable(pucMac) else { throw CompatError(HAR.paramIsNull, "pucMac is NULL") }
            pub = .inline(publicKey: der, authData: auth, mac: Array(UnsafeBufferPointer(start: pucMac, count: 4)))
        }
        let r = try client.rsaExportSymmetricKey(type: type, key: key, derivation: derive, publicKey: pub)
        Out.binary(pucCipherKey, piCipherKeyLen, r.cryptogram)
        Out.hex(pcKeyCv, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_RSA_ImportSymmetricKey`: `TW` (vendor §13.9), session-less: a key from under an RSA
/// public key, put under the LMK of `pcKeyType` in `cKeyScheme`; `iKeyIndex` 1...9998 also
/// stores it with `pcKeyLabel` (<= 16); the KCV is not checked (sixteen `0`s are sent).
/// Outputs: the key under the LMK (text) and its KCV (16H, or 8H / 6H as the HSM sent it).
@_cdecl("HSM_RSA_ImportSymmetricKey")
public func HSM_RSA_ImportSymmetricKey(_ pcKeyType: CString?, _ cKeyScheme: CChar, _ iKeyIndex: Int32, _ pcKeyLabel: CString?,
                                       _ iRsaKeyIndex: Int32, _ pucPrivateKey_Lmk: UnsafeMutablePointer<UInt8>?, _ iPrivateKeyLen_Lmk: Int32,
                                       _ pucCipherKey: UnsafeMutablePointer<UInt8>?, _ iCipherKeyLen: Int32,
                                       _ pcKey_Lmk: CString?, _ pcKeyCv: CString?) -> Int32 {
    Compat.run("HSM_RSA_ImportSymmetricKey") {
        try Out.require((Out.raw(pcKey_Lmk), "pcKey_Lmk"), (Out.raw(pcKeyCv), "pcKeyCv"))
        let client = try CompatRuntime.initClient("HSM_RSA_ImportSymmetricKey")
        let type = try Arg.keyType(pcKeyType, "pcKeyType")
        let scheme = try Arg.scheme(cKeyScheme)
        var store: StoreTarget?
        if let i = try RSAArg.stored(iKeyIndex) {
            let l = try Arg.optionalString(pcKeyLabel, "pcKeyLabel", max: 64) ?? []
            guard l.count <= 16 else { throw CompatError(HAR.paramValue, "key label of \(l.count) characters is longer than 16") }
            store = StoreTarget(index: i, label: String(decoding: l, as: UTF8.self))
        }
        let key = try RSAArg.privateKey(iRsaKeyIndex, pucPrivateKey_Lmk, iPrivateKeyLen_Lmk)
        let c = try Arg.bytes(pucCipherKey, iCipherKeyLen, "pucCipherKey", max: 512)
        guard c.count >= 128 else { throw CompatError(HAR.paramLen, "pucCipherKey of \(c.count) bytes (128 to 512)") }
        let r = try client.rsaImportSymmetricKey(type: type, scheme: scheme, cryptogram: c, privateKey: key, storeAt: store)
        Out.key(pcKey_Lmk, r.key)
        Out.hex(pcKeyCv, r.checkValue)
        return HAR.ok
    }
}

extension RSAArg {
    static func authData(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32) throws -> [UInt8] {
        let a = try Arg.bytes(p, len, "pucAuthData", max: 128)
        guard !a.contains(UInt8(ascii: ";")) else { throw CompatError(HAR.paramValue, "pucAuthData contains ';'") }
        return a
    }
}

/// `Tass_DeriveKeyExportedByRsa` (vendor §10.1.12, the manual's semantics; the vendor's own
/// code never sent the public key). Derives the sub-key of the ZMK (`pcZmkCipher_Lmk`, a
/// 16-byte key under the LMK of type `000`) for `pcDisData` (16H; the level's 16 bytes are
/// D ‖ NOT D), returns it under the LMK (type `000`, the ZMK's scheme), under the RSA public
/// key `pcPublicKey` (hex DER, PKCS#1 v1.5; hex output) and its KCV (16H). Commands: `EI` (a
/// one-time key-management pair, never stored), `EO` + `TV` (derive, export under it), `TW`
/// (import under the LMK), `EO` + `TV` (export under the caller's key).
@_cdecl("Tass_DeriveKeyExportedByRsa")
public func Tass_DeriveKeyExportedByRsa(_ session: Handle?, _ pcZmkCipher_Lmk: CString?, _ pcPublicKey: CString?, _ pcDisData: CString?,
                                        _ pcSubKeyCipher_TK: CString?, _ pcSubKeyCipher_Lmk: CString?, _ pcSubKeyCv: CString?) -> Int32 {
    Compat.run("Tass_DeriveKeyExportedByRsa") {
        try Out.require((Out.raw(pcSubKeyCipher_TK), "pcSubKeyCipher_TK"), (Out.raw(pcSubKeyCipher_Lmk), "pcSubKeyCipher_Lmk"),
                        (Out.raw(pcSubKeyCv), "pcSubKeyCv"))
        let client = try CompatRuntime.sessionClient(session, "Tass_DeriveKeyExportedByRsa")
        let zmk = try KeyArgument.read(index: 0, cryptogram: pcZmkCipher_Lmk, rule: .three, name: "pcZmkCipher_Lmk")
        guard case let .encrypted(scheme, _) = zmk, scheme.keyLength == 16 else {
            throw CompatError(HAR.paramKeyCipher, "pcZmkCipher_Lmk is not a 16-byte key under the LMK")
        }
        guard pcPublicKey != nil else { throw CompatError(HAR.paramIsNull, "pcPublicKey is NULL") }
        let pubText = try Arg.string(pcPublicKey, "pcPublicKey", max: 2200)
        guard pubText.count % 2 == 0, Arg.isHex(pubText) else { throw CompatError(HAR.hexToByte, "pcPublicKey is not hex") }
        let pub = try Arg.hexBytes(pubText, "pcPublicKey")
        _ = try RSAArg.derIntegers(pub)
        guard pcDisData != nil else { throw CompatError(HAR.paramIsNull, "pcDisData is NULL") }
        let dis = try Arg.string(pcDisData, "pcDisData", max: 64)
        guard dis.count == 16, Arg.isHex(dis) else { throw CompatError(HAR.paramDeriveData, "pcDisData must be 16 hex characters") }
        let d = try Arg.hexBytes(dis, "pcDisData")
        let level = d + d.map { ~$0 }
        let temp = try client.rsaGenerateKeyPair(bits: 1024, usage: .keyManagement)
        let mac1 = try client.rsaPublicKeyMAC(publicKey: temp.publicKey)
        let w1 = try client.rsaExportSymmetricKey(type: .zmk, key: zmk, derivation: [level],
                                                  publicKey: .inline(publicKey: temp.publicKey, authData: [], mac: mac1))
        let sub = try client.rsaImportSymmetricKey(type: .zmk, scheme: scheme, cryptogram: w1.cryptogram,
                                                   privateKey: .inline(temp.privateKeyUnderLMK), expectedCheckValue: w1.checkValue)
        let mac2 = try client.rsaPublicKeyMAC(publicKey: pub)
        let w2 = try client.rsaExportSymmetricKey(type: .zmk, key: sub.key, publicKey: .inline(publicKey: pub, authData: [], mac: mac2))
        Out.hex(pcSubKeyCipher_TK, w2.cryptogram)
        Out.key(pcSubKeyCipher_Lmk, sub.key)
        Out.hex(pcSubKeyCv, sub.checkValue)
        return HAR.ok
    }
}
