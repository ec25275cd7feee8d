import CACipherCore
import HostProtocol

// The `HSM_SM2_*` functions over `E7 E1 E2 E3 E4 E5 E6 TT TU` (vendor spec §12) and
// `Tass_GenSm2Key` (`E7` then `TT`, §10.7.2). Binary DER public keys (91 bytes), private
// keys the HSM's blob under the LMK (binary, with its length). A key index <= 0 or 9999
// means "the key material passed in the call"; 1...9998 a pair held in the HSM.

/// Reading the SM2 arguments, with the vendor's codes.
enum SM2Arg {
    /// The longest private key blob accepted (the vendor's RSA blobs are larger; SM2 blobs
    /// are 40 bytes).
    static let maxBlob = 2048

    /// X || Y of a binary DER public key: NULL -> `HAR_PARAM_ISNULL`; a length from the DER
    /// header (vendor §5.8) beyond `len`, or DER that is not an SM2 SubjectPublicKeyInfo ->
    /// `HAR_DER_DECODE`.
    static func publicKey(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32, _ name: String) throws -> [UInt8] {
        guard let p, Ptr.usable(p) else { throw CompatError(HAR.paramIsNull, "\(name) is NULL") }
        guard len >= 2, len <= 4096 else { throw CompatError(HAR.derDecode, "\(name): length \(len) cannot hold a DER public key") }
        let b = Array(UnsafeBufferPointer(start: p, count: Int(len)))
        guard let n = SM2PublicKeyDER.sequenceLength(b), n <= b.count,
              let q = SM2PublicKeyDER.point(Array(b.prefix(n))) else {
            throw CompatError(HAR.derDecode, "\(name) is not a DER SM2 public key (SubjectPublicKeyInfo, 91 bytes)")
        }
        return q
    }

    /// A private key blob: NULL -> `HAR_PARAM_ISNULL`, length outside 1...2048 -> `HAR_PARAM_LEN`.
    static func blob(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32, _ name: String) throws -> [UInt8] {
        guard len >= 1, Int(len) <= maxBlob else { throw CompatError(HAR.paramLen, "\(name) length \(len) is out of range (1 to \(maxBlob))") }
        return try Arg.bytes(UnsafePointer(p), len, name, max: maxBlob)
    }

    /// Binary input of `min...max` bytes (else `HAR_PARAM_LEN`; NULL -> `HAR_PARAM_ISNULL`).
    static func data(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32, _ name: String, min: Int = 0, max: Int) throws -> [UInt8] {
        guard len >= min else { throw CompatError(HAR.paramLen, "\(name) length \(len) is below \(min)") }
        if len > 0, p == nil { throw CompatError(HAR.paramIsNull, "\(name) is NULL") }
        return try Arg.bytes(UnsafePointer(p), len, name, max: max)
    }

    /// The key index: `nil` for "carried" (<= 0 or 9999), 1...9998 a stored pair, above
    /// 9999 `HAR_PARAM_KEY_ID`.
    static func index(_ i: Int32, _ name: String) throws -> Int? {
        guard i <= 9999 else { throw CompatError(HAR.paramKeyID, "\(name) \(i) is out of range (up to 9999)") }
        return i <= 0 || i == 9999 ? nil : Int(i)
    }

    /// An index that must name a pair in the HSM (1...9998).
    static func storedIndex(_ i: Int32, _ name: String) throws -> Int {
        guard let v = try index(i, name) else { throw CompatError(HAR.paramKeyID, "\(name) \(i) does not name a key in the HSM (1 to 9998)") }
        return v
    }

    /// A key label (NULL = empty; at most 16 characters, else `HAR_PARAM_VALUE`).
    static func label(_ p: CString?) throws -> String {
        let l = try Arg.optionalString(p, "pcKeyLabel", max: 64) ?? []
        guard l.count <= 16 else { throw CompatError(HAR.paramValue, "key label of \(l.count) characters is longer than 16") }
        guard l.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw CompatError(HAR.paramValue, "key label must be printable ASCII") }
        return String(decoding: l, as: UTF8.self)
    }

    /// The TK part of `TT`/`TU`: mode 0/1 (`HAR_PARAM_ENC_MODE`), TK type `000`/`109`
    /// (`HAR_PARAM_KEY_TYPE`), the TK (any key field), DERIVE: `count` levels 0...99
    /// (`HAR_PARAM_DERIVE_NUM`), data exactly count x 32H (`HAR_PARAM_DERIVE_DATA`; NULL
    /// `HAR_PARAM_ISNULL`).
    static func transportKey(mode: Int32, type: CString?, index: Int32, key: CString?, deriveCount: Int32?,
                             deriveData: CString?, keyArgument: (Int32, CString?) throws -> KeyField) throws -> SM2TransportKey {
        guard mode == 0 || mode == 1 else { throw CompatError(HAR.paramEncMode, "mode \(mode) is not 0 (ECB) or 1 (CBC)") }
        let t = try Arg.keyType(type, "pcTkType")
        guard t == .zmk || t == .mkAC else { throw CompatError(HAR.paramKeyType, "TK type must be 000 (KEK) or 109 (MDK)") }
        let k = try keyArgument(index, key)
        let factors = try derive(deriveData, count: deriveCount)
        return SM2TransportKey(mode: Int(mode), keyType: t, key: k, derive: DeriveField(factors: factors))
    }

    /// DERIVE data: n x 32H; with `count`, exactly that many levels (else derive codes).
    static func derive(_ p: CString?, count: Int32?) throws -> [[UInt8]] {
        if let c = count, !(0...99).contains(c) { throw CompatError(HAR.paramDeriveNum, "derivation level count \(c) is out of range (0 to 99)") }
        guard p != nil else { throw CompatError(HAR.paramIsNull, "derivation data is NULL (pass \"\" for none)") }
        let t = try Arg.string(p, "derivation data", max: 99 * 32 + 1)
        guard t.count % 32 == 0, t.count / 32 <= 99, count.map({ Int($0) * 32 == t.count }) ?? true else {
            throw CompatError(HAR.paramDeriveData, "derivation data of \(t.count) characters is not \(count.map { "\($0) x 32" } ?? "a multiple of 32")")
        }
        let b = try Arg.hexBytes(t, "derivation data")
        return stride(from: 0, to: b.count, by: 16).map { Array(b[$0..<($0 + 16)]) }
    }

    static func der(_ q: [UInt8]) -> [UInt8] { SM2PublicKeyDER.encode(q) ?? [] }

    static func hsmKey(_ i: Int32, _ k: CString?) throws -> KeyField {
        try KeyArgument.read(index: i, cryptogram: k, rule: .field, name: "TK", maxIndex: 9999)
    }
}

/// `HSM_SM2_GenerateNewKeyPair`: `E7` (vendor spec §12.1). Index <= 0: not stored; 9999:
/// `K9999` + `00` (not stored); 1...9998: stored with the label (at most 16 characters).
/// Outputs: the DER public key (91 bytes) and the private key blob, with their lengths.
@_cdecl("HSM_SM2_GenerateNewKeyPair")
public func HSM_SM2_GenerateNewKeyPair(_ session: Handle?, _ keyIndex: Int32, _ label: CString?,
                                       _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: UnsafeMutablePointer<Int32>?,
                                       _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_GenerateNewKeyPair") {
        try Out.require((Out.raw(derPublicKey), "pucDerPublicKey"), (Out.raw(derPublicKeyLen), "piDerPublicKeyLen"),
                        (Out.raw(privateKey), "pucPrivateKey_Lmk"), (Out.raw(privateKeyLen), "piPrivateKeyLen_Lmk"))
        guard keyIndex <= 9999 else { throw CompatError(HAR.paramKeyID, "iKeyIndex \(keyIndex) is out of range (up to 9999)") }
        let l = try SM2Arg.label(label)
        let client = try CompatRuntime.sessionClient(session, "HSM_SM2_GenerateNewKeyPair")
        let der: [UInt8], blob: [UInt8]
        if keyIndex == 9999 {
            let r = try CompatExchange.send(client, SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")), SM2GenerateResponse.self)
            guard SM2PublicKeyDER.point(r.publicKeyDER) != nil else { throw CompatError(HAR.derDecode, "E8: the public key is not an SM2 DER") }
            (der, blob) = (r.publicKeyDER, r.privateKeyUnderLMK)
        } else {
            let p = try client.sm2GenerateKeyPair(storeAt: keyIndex > 0 ? StoreTarget(index: Int(keyIndex), label: l) : nil)
            (der, blob) = (SM2Arg.der(p.publicKey), p.privateKeyUnderLMK)
        }
        Out.binary(derPublicKey, derPublicKeyLen, der)
        Out.binary(privateKey, privateKeyLen, blob)
        return HAR.ok
    }
}

/// `HSM_SM2_LoadKeyPair`: `E1` (§12.2), session-less. Stores the pair at 1...9998
/// (else `HAR_PARAM_KEY_ID`). `HAR_DER_DECODE` for a public key that is not SM2 DER.
@_cdecl("HSM_SM2_LoadKeyPair")
public func HSM_SM2_LoadKeyPair(_ keyIndex: Int32, _ label: CString?, _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: Int32) -> Int32 {
    Compat.run("HSM_SM2_LoadKeyPair") {
        let i = try SM2Arg.storedIndex(keyIndex, "iKeyIndex")
        let l = try SM2Arg.label(label)
        let q = try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey")
        let k = try SM2Arg.blob(privateKey, privateKeyLen, "pucPrivateKey_Lmk")
        let client = try CompatRuntime.initClient("HSM_SM2_LoadKeyPair")
        try client.sm2LoadKeyPair(publicKey: q, privateKeyUnderLMK: k, storeAt: StoreTarget(index: i, label: l))
        return HAR.ok
    }
}

/// `HSM_SM2_GetPublicKey`: `E2` (§12.3), session-less: the DER public key of the pair at
/// 1...9998.
@_cdecl("HSM_SM2_GetPublicKey")
public func HSM_SM2_GetPublicKey(_ keyIndex: Int32, _ derPublicKey: UnsafeMutablePointer<UInt8>?,
                                 _ derPublicKeyLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_GetPublicKey") {
        try Out.require((Out.raw(derPublicKey), "pucDerPublicKey"), (Out.raw(derPublicKeyLen), "piDerPublicKeyLen"))
        let i = try SM2Arg.storedIndex(keyIndex, "iKeyIndex")
        let client = try CompatRuntime.initClient("HSM_SM2_GetPublicKey")
        Out.binary(derPublicKey, derPublicKeyLen, SM2Arg.der(try client.sm2PublicKey(privateKey: .stored(index: i))))
        return HAR.ok
    }
}

/// `HSM_SM2_EncryptData`: `E3` (§12.4). 1...1900 bytes (else `HAR_PARAM_LEN`); output
/// C1 || C3 || C2 (97 bytes longer) and its length.
@_cdecl("HSM_SM2_EncryptData")
public func HSM_SM2_EncryptData(_ session: Handle?, _ keyIndex: Int32, _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_EncryptData") {
        try Out.require((Out.raw(output), "pucOutput"), (Out.raw(outputLen), "piOutputLength"))
        let i = try SM2Arg.index(keyIndex, "iKeyIndex")
        let key: SM2KeyField = try i.map { .stored(index: $0) } ?? .value(try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey"))
        var d = try SM2Arg.data(input, inputLen, "pucInput", min: 1, max: 1900)
        defer { SecureBytes.zero(&d) }
        let client = try CompatRuntime.sessionClient(session, "HSM_SM2_EncryptData")
        Out.binary(output, outputLen, try client.sm2Encrypt(publicKey: key, data: d))
        return HAR.ok
    }
}

/// `HSM_SM2_DecryptData`: `E4` (§12.5). Ciphertext 98...1996 bytes (else `HAR_PARAM_LEN`);
/// output the plaintext and its length.
@_cdecl("HSM_SM2_DecryptData")
public func HSM_SM2_DecryptData(_ session: Handle?, _ keyIndex: Int32, _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: Int32,
                                _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_DecryptData") {
        try Out.require((Out.raw(output), "pucOutput"), (Out.raw(outputLen), "piOutputLength"))
        let i = try SM2Arg.index(keyIndex, "iKeyIndex")
        let key: SM2KeyField = try i.map { .stored(index: $0) } ?? .value(try SM2Arg.blob(privateKey, privateKeyLen, "pucPrivateKey_Lmk"))
        let c = try SM2Arg.data(input, inputLen, "pucInput", min: 98, max: 1996)
        let client = try CompatRuntime.sessionClient(session, "HSM_SM2_DecryptData")
        var p = try client.sm2Decrypt(privateKey: key, ciphertext: c)
        defer { SecureBytes.zero(&p) }
        Out.binary(output, outputLen, p)
        return HAR.ok
    }
}

/// `HSM_SM2_GenerateSignature`: `E5` (§12.6), session-less. Data 0...1984 bytes, user id
/// 0...1984 (empty = `1234567812345678`); a carried key needs its DER public key and blob.
/// Output r || s (64 bytes) and its length.
@_cdecl("HSM_SM2_GenerateSignature")
public func HSM_SM2_GenerateSignature(_ keyIndex: Int32, _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                      _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: Int32,
                                      _ userID: UnsafeMutablePointer<UInt8>?, _ userIDLen: Int32,
                                      _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                      _ signature: UnsafeMutablePointer<UInt8>?, _ signatureLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_GenerateSignature") {
        try Out.require((Out.raw(signature), "pucSignature"), (Out.raw(signatureLen), "piSignatureLength"))
        let i = try SM2Arg.index(keyIndex, "iKeyIndex")
        var key = SM2KeyField.stored(index: i ?? 0)
        var q: [UInt8]?
        if i == nil {
            q = try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey")
            key = .value(try SM2Arg.blob(privateKey, privateKeyLen, "pucPrivateKey_Lmk"))
        }
        let u = try SM2Arg.data(userID, userIDLen, "pucUserId", max: 1984)
        let d = try SM2Arg.data(input, inputLen, "pucInput", max: 1984)
        let client = try CompatRuntime.initClient("HSM_SM2_GenerateSignature")
        Out.binary(signature, signatureLen, try client.sm2Sign(privateKey: key, publicKey: q, userID: u, data: d))
        return HAR.ok
    }
}

/// `HSM_SM2_VerifySignature`: `E6` (§12.7), session-less. 0 = valid; a signature that does
/// not verify is the HSM's code `01`, returned as 1. Signature 64 bytes r || s (else
/// `HAR_PARAM_LEN`).
@_cdecl("HSM_SM2_VerifySignature")
public func HSM_SM2_VerifySignature(_ keyIndex: Int32, _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                    _ userID: UnsafeMutablePointer<UInt8>?, _ userIDLen: Int32,
                                    _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                    _ signature: UnsafeMutablePointer<UInt8>?, _ signatureLen: Int32) -> Int32 {
    Compat.run("HSM_SM2_VerifySignature") {
        let i = try SM2Arg.index(keyIndex, "iKeyIndex")
        let key: SM2KeyField = try i.map { .stored(index: $0) } ?? .value(try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey"))
        let u = try SM2Arg.data(userID, userIDLen, "pucUserId", max: 1984)
        let d = try SM2Arg.data(input, inputLen, "pucInput", max: 1984)
        guard signatureLen == 64 else { throw CompatError(HAR.paramLen, "signature length \(signatureLen) is not 64 (r || s)") }
        let s = try SM2Arg.data(signature, signatureLen, "pucSignature", max: 64)
        let client = try CompatRuntime.initClient("HSM_SM2_VerifySignature")
        guard try client.sm2Verify(publicKey: key, userID: u, data: d, signature: s) else {
            throw CompatError(Int32(HostErrorCode.verificationFailed.rawValue), "E6: HSM error 01: the signature does not verify")
        }
        return HAR.ok
    }
}

/// `HSM_SM2_ExportByTK`: `TT` (§12.8). d under the TK (`000` KEK or `109` MDK; mode 0 ECB, 1
/// CBC) after the TK's DERIVE levels; output d under the TK (32 bytes) and its length.
@_cdecl("HSM_SM2_ExportByTK")
public func HSM_SM2_ExportByTK(_ session: Handle?, _ mode: Int32, _ tkType: CString?, _ tkIndex: Int32, _ tk: CString?,
                               _ tkDeriveNumber: Int32, _ tkDeriveData: CString?, _ sm2KeyIndex: Int32,
                               _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                               _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: Int32,
                               _ privateKeyTK: UnsafeMutablePointer<UInt8>?, _ privateKeyTKLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_ExportByTK") {
        try Out.require((Out.raw(privateKeyTK), "pucPrivateKey_Tk"), (Out.raw(privateKeyTKLen), "piPrivateKeyLen_Tk"))
        let t = try SM2Arg.transportKey(mode: mode, type: tkType, index: tkIndex, key: tk, deriveCount: tkDeriveNumber,
                                        deriveData: tkDeriveData, keyArgument: SM2Arg.hsmKey)
        let i = try SM2Arg.index(sm2KeyIndex, "iSm2KeyIndex")
        var key = SM2KeyField.stored(index: i ?? 0)
        var q: [UInt8]?
        if i == nil {
            q = try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey")
            key = .value(try SM2Arg.blob(privateKey, privateKeyLen, "pucPrivateKey_Lmk"))
        }
        let client = try CompatRuntime.sessionClient(session, "HSM_SM2_ExportByTK")
        let r = try client.sm2ExportPrivateKey(transportKey: t, privateKey: key, publicKey: q)
        Out.binary(privateKeyTK, privateKeyTKLen, r.privateKeyUnderTK)
        return HAR.ok
    }
}

/// `HSM_SM2_ImportByTK`: `TU` (§12.9), session-less. Index <= 0 or 9999: not stored;
/// 1...9998: stored with the label. Output the private key blob under the LMK and its length.
@_cdecl("HSM_SM2_ImportByTK")
public func HSM_SM2_ImportByTK(_ mode: Int32, _ tkType: CString?, _ tkIndex: Int32, _ tk: CString?,
                               _ tkDeriveNumber: Int32, _ tkDeriveData: CString?, _ sm2KeyIndex: Int32, _ label: CString?,
                               _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                               _ privateKeyTK: UnsafeMutablePointer<UInt8>?, _ privateKeyTKLen: Int32,
                               _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_ImportByTK") {
        try Out.require((Out.raw(privateKey), "pucPrivateKey_Lmk"), (Out.raw(privateKeyLen), "piPrivateKeyLen_Lmk"))
        let t = try SM2Arg.transportKey(mode: mode, type: tkType, index: tkIndex, key: tk, deriveCount: tkDeriveNumber,
                                        deriveData: tkDeriveData, keyArgument: SM2Arg.hsmKey)
        let i = try SM2Arg.index(sm2KeyIndex, "iSm2KeyIndex")
        let l = try SM2Arg.label(label)
        let q = try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey")
        let k = try SM2Arg.blob(privateKeyTK, privateKeyTKLen, "pucPrivateKey_Tk")
        let client = try CompatRuntime.initClient("HSM_SM2_ImportByTK")
        let blob = try client.sm2ImportPrivateKey(transportKey: t, publicKey: q, privateKeyUnderTK: k,
                                                  storeAt: i.map { StoreTarget(index: $0, label: l) })
        Out.binary(privateKey, privateKeyLen, blob)
        return HAR.ok
    }
}

/// `Tass_GenSm2Key`: `E7` (not stored) then `TT` with the `000` ZMK (§10.7.2). Outputs hex:
/// `SM2_PUBKEY` the DER public key (182H), `SM2_LMK` the whole private key blob (never cut at
/// a zero byte), `SM2_D_ZMK` d under the ZMK. `zmk_disData` NULL -> `HAR_PARAM_ISNULL`, not
/// n x 32H -> `HAR_PARAM_DERIVE_DATA`; `mode` outside 0...2 is sent as 0 (the vendor's rule).
@_cdecl("Tass_GenSm2Key")
public func Tass_GenSm2Key(_ session: Handle?, _ zmkIndex: Int32, _ zmk: CString?, _ disData: CString?, _ mode: Int32,
                           _ dUnderZMK: CString?, _ publicKey: CString?, _ privateKeyLMK: CString?) -> Int32 {
    Compat.run("Tass_GenSm2Key") {
        try Out.require((Out.raw(dUnderZMK), "SM2_D_ZMK"), (Out.raw(publicKey), "SM2_PUBKEY"), (Out.raw(privateKeyLMK), "SM2_LMK"))
        var index = zmkIndex
        if index > 0, let z = zmk, (try? Arg.string(z, "zmk_Lmk", max: 64))?.count ?? 0 >= 16 { index = 0 }
        let z = try KeyArgument.read(index: index, cryptogram: zmk, rule: .a, name: "zmk_Lmk", missingError: HAR.paramKeyID)
        let factors = try SM2Arg.derive(disData, count: nil)
        let m = (0...2).contains(mode) ? Int(mode) : 0
        let client = try CompatRuntime.sessionClient(session, "Tass_GenSm2Key")
        let g = try CompatExchange.send(client, SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")), SM2GenerateResponse.self)
        guard SM2PublicKeyDER.point(g.publicKeyDER) != nil else { throw CompatError(HAR.derDecode, "E8: the public key is not an SM2 DER") }
        let t = SM2TransportKey(mode: m, keyType: .zmk, key: z, derive: DeriveField(factors: factors))
        let e = try CompatExchange.send(client, SM2ExportByTKRequest(transportKey: t, key: .carried(der: g.publicKeyDER, privateKey: g.privateKeyUnderLMK)),
                                        SM2ExportByTKResponse.self)
        Out.hex(publicKey, g.publicKeyDER)
        Out.hex(privateKeyLMK, g.privateKeyUnderLMK)
        Out.hex(dUnderZMK, e.privateKeyUnderTK)
        return HAR.ok
    }
}

/// `HSM_SM2_GeneratePublicKeyMac`: `TQ` (§12.10), session-less. The 4-byte MAC of a DER
/// public key and authentication data (1...4096 bytes, no `;`, else `HAR_PARAM_VALUE` /
/// `HAR_PARAM_LEN`); `*piMacLen` = 4.
@_cdecl("HSM_SM2_GeneratePublicKeyMac")
public func HSM_SM2_GeneratePublicKeyMac(_ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                         _ authData: UnsafeMutablePointer<UInt8>?, _ authDataLen: Int32,
                                         _ mac: UnsafeMutablePointer<UInt8>?, _ macLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_SM2_GeneratePublicKeyMac") {
        try Out.require((Out.raw(mac), "pucMac"), (Out.raw(macLen), "piMacLen"))
        let q = try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey")
        let a = try SM2Arg.authData(authData, authDataLen)
        let client = try CompatRuntime.initClient("HSM_SM2_GeneratePublicKeyMac")
        Out.binary(mac, macLen, try client.sm2PublicKeyMAC(publicKey: q, authData: a))
        return HAR.ok
    }
}

/// `HSM_SM2_ExportSymmetricKey`: `TX` (§12.11), session-less. A key (`000`, `00A`, `109`;
/// DERIVE n x 32H) under the SM2 public key of a stored pair, or of a DER public key with
/// its authentication data and 4-byte `TQ` MAC (index <= 0 or 9999). Outputs: the key under
/// SM2 (C1 || C3 || C2) and its length, the KCV (16H, or 8H / 6H as the HSM sent it).
@_cdecl("HSM_SM2_ExportSymmetricKey")
public func HSM_SM2_ExportSymmetricKey(_ keyType: CString?, _ keyIndex: Int32, _ key: CString?, _ deriveNumber: Int32, _ deriveData: CString?,
                                       _ sm2KeyIndex: Int32, _ derPublicKey: UnsafeMutablePointer<UInt8>?, _ derPublicKeyLen: Int32,
                                       _ authData: UnsafeMutablePointer<UInt8>?, _ authDataLen: Int32, _ mac: UnsafeMutablePointer<UInt8>?,
                                       _ cipherKey: UnsafeMutablePointer<UInt8>?, _ cipherKeyLen: UnsafeMutablePointer<Int32>?,
                                       _ keyCV: CString?) -> Int32 {
    Compat.run("HSM_SM2_ExportSymmetricKey") {
        try Out.require((Out.raw(cipherKey), "pucCipherKey"), (Out.raw(cipherKeyLen), "piCipherKeyLen"), (Out.raw(keyCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType, "pcKeyType")
        guard t == .zmk || t == .zek || t == .mkAC else { throw CompatError(HAR.paramKeyType, "key type must be 000, 00A or 109") }
        let k = try SM2Arg.hsmKey(keyIndex, key)
        let factors = try SM2Arg.derive(deriveData, count: deriveNumber)
        let i = try SM2Arg.index(sm2KeyIndex, "iSm2KeyIndex")
        var pub = SM2KeyField.stored(index: i ?? 0)
        var a: [UInt8] = [], m: [UInt8] = []
        if i == nil {
            pub = .value(try SM2Arg.publicKey(derPublicKey, derPublicKeyLen, "pucDerPublicKey"))
            a = try SM2Arg.authData(authData, authDataLen)
            guard let mac, Ptr.usable(mac) else { throw CompatError(HAR.paramIsNull, "pucMac is NULL") }
            m = Array(UnsafeBufferPointer(start: mac, count: 4))
        }
        let client = try CompatRuntime.initClient("HSM_SM2_ExportSymmetricKey")
        let r = try client.sm2ExportSymmetricKey(type: t, key: k, derive: DeriveField(factors: factors), publicKey: pub, authData: a, mac: m)
        Out.binary(cipherKey, cipherKeyLen, r.keyUnderSM2)
        Out.hex(keyCV, r.checkValue)
        return HAR.ok
    }
}

/// `HSM_SM2_ImportSymmetricKey`: `TY` (§12.12), session-less. A key under SM2 (C1 || C3 ||
/// C2, 1...2048 bytes) decrypted with a stored pair or a blob (index <= 0 or 9999), to under
/// the LMK as `pcKeyType`/`cKeyScheme`; `iKeyIndex` 1...9999 also stores it (label <= 16).
/// The expected KCV sent is `0000000000000000` (not checked), as the vendor's. Outputs: the
/// key under the LMK (key field text) and its KCV (16H, or 8H / 6H as the HSM sent it).
@_cdecl("HSM_SM2_ImportSymmetricKey")
public func HSM_SM2_ImportSymmetricKey(_ keyType: CString?, _ scheme: CChar, _ keyIndex: Int32, _ label: CString?, _ sm2KeyIndex: Int32,
                                       _ privateKey: UnsafeMutablePointer<UInt8>?, _ privateKeyLen: Int32,
                                       _ cipherKey: UnsafeMutablePointer<UInt8>?, _ cipherKeyLen: Int32,
                                       _ keyLMK: CString?, _ keyCV: CString?) -> Int32 {
    Compat.run("HSM_SM2_ImportSymmetricKey") {
        try Out.require((Out.raw(keyLMK), "pcKey_Lmk"), (Out.raw(keyCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType, "pcKeyType")
        let s = try Arg.scheme(scheme, "cKeyScheme")
        guard keyIndex <= 9999 else { throw CompatError(HAR.paramKeyID, "iKeyIndex \(keyIndex) is out of range (up to 9999)") }
        let l = try SM2Arg.label(label)
        let i = try SM2Arg.index(sm2KeyIndex, "iSm2KeyIndex")
        let pk: SM2KeyField = try i.map { .stored(index: $0) } ?? .value(try SM2Arg.blob(privateKey, privateKeyLen, "pucPrivateKey_Lmk"))
        let c = try SM2Arg.data(cipherKey, cipherKeyLen, "pucCipherKey", min: 1, max: 2048)
        let client = try CompatRuntime.initClient("HSM_SM2_ImportSymmetricKey")
        let store = keyIndex > 0 && keyIndex < 9999 ? StoreTarget(index: Int(keyIndex), label: l) : nil
        let r = try client.sm2ImportSymmetricKey(type: t, scheme: s, keyUnderSM2: c, privateKey: pk, storeAt: store)
        Out.key(keyLMK, r.key)
        Out.hex(keyCV, r.checkValue)
        return HAR.ok
    }
}

extension SM2Arg {
    /// Authentication data: 1...4096 bytes (`HAR_PARAM_LEN`), no `;` (`HAR_PARAM_VALUE`),
    /// NULL `HAR_PARAM_ISNULL`.
    static func authData(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32) throws -> [UInt8] {
        let a = try data(p, len, "pucAuthData", min: 1, max: 4096)
        guard !a.contains(UInt8(ascii: ";")) else { throw CompatError(HAR.paramValue, "authentication data must not contain ';'") }
        return a
    }
}
