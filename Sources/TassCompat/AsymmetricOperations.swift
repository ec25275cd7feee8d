import CACipherCore
import HostProtocol

// `Tass_PubKey_Oper` and `Tass_PRIVATE_Oper` (vendor spec §10.7.3, §10.7.4): raw public-key
// encryption and private-key decryption with RSA (`3A`/`3B`, no padding) or SM2 (`E3`/`E4`),
// hex in and out, through the session.

/// A DER `RSAPublicKey` (SEQUENCE { INTEGER n, INTEGER e }) from the modulus and exponent
/// bytes (leading zero bytes dropped, one put back where the high bit is set).
enum RSAPublicKeyDER {
    static func encode(modulus: [UInt8], exponent: [UInt8]) -> [UInt8] {
        let body = integer(modulus) + integer(exponent)
        return [0x30] + length(body.count) + body
    }

    static func integer(_ v: [UInt8]) -> [UInt8] {
        var b = Array(v.drop { $0 == 0 })
        if b.isEmpty { b = [0] }
        if b[0] & 0x80 != 0 { b.insert(0, at: 0) }
        return [0x02] + length(b.count) + b
    }

    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        if n < 0x100 { return [0x81, UInt8(n)] }
        return [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
    }
}

/// `Tass_PubKey_Oper`: keytype 1 = SM2 (`SM2_PUBKEY`, hex DER SubjectPublicKeyInfo, `E3`),
/// anything else RSA (`RSAPubKeyE` then `RSAPubKeyN`, the order the vendor's code and test use,
/// `3A` without padding: `indata` must be as long as the modulus). The result is hex. The
/// vendor returned 0 with no output on a length or key error; this returns
/// `HAR_PARAM_LEN` / `HAR_DER_DECODE`.
@_cdecl("Tass_PubKey_Oper")
public func Tass_PubKey_Oper(_ session: Handle?, _ keyType: Int32, _ input: CString?, _ rsaE: CString?, _ rsaN: CString?,
                             _ sm2PublicKey: CString?, _ output: CString?) -> Int32 {
    Compat.run("Tass_PubKey_Oper") {
        try Out.require((Out.raw(output), "outdata"))
        let data = try Arg.hex(input, "indata", max: 8192)
        guard !data.isEmpty else { throw CompatError(HAR.paramLen, "indata is empty") }
        let client = try CompatRuntime.sessionClient(session, "Tass_PubKey_Oper")
        if keyType == 1 {
            guard data.count <= 1900 else { throw CompatError(HAR.paramLen, "indata of \(data.count) bytes is longer than 1900") }
            guard sm2PublicKey != nil else { throw CompatError(HAR.derDecode, "SM2_PUBKEY is NULL") }
            let der = try Arg.hex(sm2PublicKey, "SM2_PUBKEY", max: 400)
            guard let q = SM2PublicKeyDER.point(der) else {
                throw CompatError(HAR.derDecode, "SM2_PUBKEY is not a DER SM2 public key (SubjectPublicKeyInfo, 182 hex characters)")
            }
            Out.hex(output, try client.sm2Encrypt(publicKey: .value(q), data: data))
            return HAR.ok
        }
        let e = try Arg.hex(rsaE, "RSAPubKeyE", max: 64)
        var n = try Arg.hex(rsaN, "RSAPubKeyN", max: 1026)
        while n.first == 0 { n.removeFirst() }
        guard !e.isEmpty, (128...512).contains(n.count) else {
            throw CompatError(HAR.paramLen, "RSAPubKeyN of \(n.count) bytes is not a 1024- to 4096-bit modulus (or RSAPubKeyE is empty)")
        }
        guard data.count == n.count else {
            throw CompatError(HAR.paramLen, "indata of \(data.count) bytes: without padding it must be as long as the modulus (\(n.count))")
        }
        let der = RSAPublicKeyDER.encode(modulus: n, exponent: e)
        Out.hex(output, try client.rsaEncrypt(publicKey: .inline(der), padding: .none, data: data))
        return HAR.ok
    }
}

@_cdecl("Tass_PubkeyOper")
public func Tass_PubkeyOper(_ s: Handle?, _ t: Int32, _ i: CString?, _ e: CString?, _ n: CString?, _ k: CString?, _ o: CString?) -> Int32 {
    Tass_PubKey_Oper(s, t, i, e, n, k, o)
}

/// `Tass_PRIVATE_Oper`: keytype 1 = SM2 (`SM2_LMK`, `E4`), anything else RSA (`Rsa_LMK`,
/// `3B` without padding). `indata` 1...2048 hex characters (RSA: 128...256 bytes; SM2:
/// 184...3992 characters, the C1||C3||C2 ciphertext), the blobs as the generators returned
/// them (hex). The plaintext is written as hex and zeroed in memory afterwards.
@_cdecl("Tass_PRIVATE_Oper")
public func Tass_PRIVATE_Oper(_ session: Handle?, _ keyType: Int32, _ rsaLMK: CString?, _ sm2LMK: CString?,
                              _ input: CString?, _ output: CString?) -> Int32 {
    Compat.run("Tass_PRIVATE_Oper") {
        try Out.require((Out.raw(output), "outdata"))
        let text = try Arg.string(input, "indata", max: 4096)
        let client = try CompatRuntime.sessionClient(session, "Tass_PRIVATE_Oper")
        var plain: [UInt8]
        if keyType == 1 {
            guard (184...3992).contains(text.count) else { throw CompatError(HAR.paramLen, "indata of \(text.count) characters (SM2: 184 to 3992)") }
            let c = try Arg.hexBytes(text, "indata")
            let blob = try Arg.hex(sm2LMK, "SM2_LMK", max: 512)
            guard !blob.isEmpty else { throw CompatError(HAR.paramLen, "SM2_LMK is empty") }
            plain = try client.sm2Decrypt(privateKey: .value(blob), ciphertext: c)
        } else {
            guard (1...2048).contains(text.count) else { throw CompatError(HAR.paramLen, "indata of \(text.count) characters (1 to 2048)") }
            let c = try Arg.hexBytes(text, "indata")
            guard (128...256).contains(c.count) else { throw CompatError(HAR.paramLen, "indata of \(c.count) bytes (RSA: 128 to 256)") }
            let blob = try Arg.hex(rsaLMK, "Rsa_LMK", max: 8192)
            guard !blob.isEmpty else { throw CompatError(HAR.paramLen, "Rsa_LMK is empty") }
            plain = try client.rsaDecrypt(privateKey: .inline(blob), padding: .none, ciphertext: c)
        }
        defer { SecureBytes.zero(&plain) }
        Out.hex(output, plain)
        return HAR.ok
    }
}

@_cdecl("Tass_DecryptOper")
public func Tass_DecryptOper(_ s: Handle?, _ t: Int32, _ r: CString?, _ m: CString?, _ i: CString?, _ o: CString?) -> Int32 {
    Tass_PRIVATE_Oper(s, t, r, m, i, o)
}
