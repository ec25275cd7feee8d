import HostProtocol

/// An RSA key pair from `EI`: the DER PKCS#1 `RSAPublicKey` and the private key under the
/// LMK (an opaque blob; it is no clear secret, but only the HSM can use it).
public struct RSAKeyPair: Equatable, Sendable {
    public var publicKey: [UInt8]
    public var privateKeyUnderLMK: [UInt8]
    public init(publicKey: [UInt8], privateKeyUnderLMK: [UInt8]) {
        self.publicKey = publicKey
        self.privateKeyUnderLMK = privateKeyUnderLMK
    }
}

/// `EI` key usage: what the private key may do.
public enum RSAKeyUsage: Int, Sendable { case sign = 0, keyManagement = 1, any = 2 }

/// `3A`/`3B` padding codes.
public enum RSAEncryptionPadding: Int, Sendable { case none = 0, pkcs1 = 1, oaep = 2 }

/// `EW`/`EY` padding codes.
public enum RSASignaturePadding: Int, Sendable { case pkcs1 = 1, pss = 2 }

/// `EW`/`EY` hash ids (the vendor's `HASH_MODE_*`).
public enum RSAHash: Int, Sendable { case sha1 = 1, sha224 = 5, sha256 = 6, sha384 = 7, sha512 = 8, sm3 = 20 }

/// RSA (`EI ER 3A 3B EW EY`; docs/wire.md, "RSA commands"). Keys are referenced with
/// `RSAKeyReference`: `.stored(index:)` 1...9998, or `.inline(...)`: the DER public key
/// (`3A`, `EY`) or the private key blob (`3B`, `EW`).
extension CACipherClient {
    /// `EI`: a new key pair of `bits` (1024...4096, multiple of 8), exponent 3 or 65537;
    /// with `storeAt` also kept inside the HSM (not re-sent after a failure that may have
    /// reached an HSM).
    @available(*, noasync)
    public func rsaGenerateKeyPair(bits: Int, exponent: Int = 65537, usage: RSAKeyUsage = .any,
                                   storeAt store: StoreTarget? = nil) throws -> RSAKeyPair {
        let name = "RSA generate key pair"
        guard (1024...4096).contains(bits), bits % 8 == 0 else { throw TypedCommand.invalid(name, "modulus of \(bits) bits (1024 to 4096, a multiple of 8)") }
        guard exponent == 3 || exponent == 65537 else { throw TypedCommand.invalid(name, "public exponent must be 3 or 65537") }
        try TypedCommand.checkStore(store, name)
        if let s = store, s.index >= RSAKeyReference.inlineIndex { throw TypedCommand.invalid(name, "store index 9999 means not stored") }
        let req = RSAGenerateRequest(usage: usage.rawValue, modulusBits: bits, exponent: exponent == 65537 ? nil : exponent, store: store)
        let r = try command(req, name, RSAGenerateResponse.self, idempotent: store == nil)
        return RSAKeyPair(publicKey: r.publicKey, privateKeyUnderLMK: r.privateKeyUnderLMK)
    }

    /// `ER`: the DER public key of the pair at `index`.
    @available(*, noasync)
    public func rsaPublicKey(index: Int) throws -> [UInt8] {
        let name = "RSA public key"
        try TypedCommand.checkRSAIndex(index, name)
        return try command(RSAPublicKeyRequest(index: index), name, RSAPublicKeyResponse.self).publicKey
    }

    /// `3A`: encrypts `data` with a public key; returns a modulus-length ciphertext.
    @available(*, noasync)
    public func rsaEncrypt(publicKey: RSAKeyReference, padding: RSAEncryptionPadding = .pkcs1, data: [UInt8]) throws -> [UInt8] {
        let name = "RSA encrypt"
        try TypedCommand.checkRSA(publicKey, isPrivate: false, name)
        try TypedCommand.check4N(data.count, "data", name, min: padding == .none ? 1 : 0)
        guard data.count <= 512 else { throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than a 4096-bit modulus") }
        return try command(RSAEncryptRequest(padding: padding.rawValue, data: data, publicKey: publicKey), name, RSADataResponse.self, secret: true).data
    }

    /// `3B`: decrypts a modulus-length ciphertext. The reply buffer is zeroed; the result is
    /// the caller's.
    @available(*, noasync)
    public func rsaDecrypt(privateKey: RSAKeyReference, padding: RSAEncryptionPadding = .pkcs1, ciphertext: [UInt8]) throws -> [UInt8] {
        let name = "RSA decrypt"
        try TypedCommand.checkRSA(privateKey, isPrivate: true, name)
        guard (128...512).contains(ciphertext.count) else {
            throw TypedCommand.invalid(name, "ciphertext of \(ciphertext.count) bytes (128 to 512: a 1024- to 4096-bit modulus)")
        }
        return try command(RSADecryptRequest(padding: padding.rawValue, data: ciphertext, privateKey: privateKey), name,
                           RSADataResponse.self, secret: true).data
    }

    /// `EW`: signs `data` (the HSM hashes it with `hash`). Returns a modulus-length signature.
    @available(*, noasync)
    public func rsaSign(privateKey: RSAKeyReference, hash: RSAHash = .sha256, padding: RSASignaturePadding = .pkcs1,
                        data: [UInt8]) throws -> [UInt8] {
        let name = "RSA sign"
        try TypedCommand.checkRSA(privateKey, isPrivate: true, name)
        try TypedCommand.check4N(data.count, "data", name)
        return try command(RSASignRequest(hash: hash.rawValue, padding: padding.rawValue, data: data, privateKey: privateKey), name,
                           RSADataResponse.self).data
    }

    /// `EY`: `true` for a valid signature, `false` when the HSM answers `01`.
    @available(*, noasync)
    public func rsaVerify(publicKey: RSAKeyReference, hash: RSAHash = .sha256, padding: RSASignaturePadding = .pkcs1,
                          data: [UInt8], signature: [UInt8]) throws -> Bool {
        let name = "RSA verify"
        try TypedCommand.checkRSA(publicKey, isPrivate: false, name)
        try TypedCommand.check4N(data.count, "data", name)
        try TypedCommand.check4N(signature.count, "signature", name, min: 1)
        return try verification(RSAVerifyRequest(hash: hash.rawValue, padding: padding.rawValue, signature: signature, data: data,
                                                 publicKey: publicKey), name)
    }
}

extension TypedCommand {
    /// A key pair's index: 1...9998 (9999 means the key travels in the command); `argument`
    /// names it in the message and in `CACipherError.argument`.
    static func checkRSAIndex(_ i: Int, _ name: String, argument: String = "RSA key index") throws {
        guard (1...9998).contains(i) else { throw invalid(name, argument: argument, "\(i) is out of range (1 to 9998)") }
    }

    /// An index 1...9998, a DER `RSAPublicKey` (one whole SEQUENCE) or a private key blob
    /// that fits a 4N length.
    static func checkRSA(_ ref: RSAKeyReference, isPrivate: Bool, _ name: String) throws {
        switch ref {
        case let .stored(i): try checkRSAIndex(i, name, argument: isPrivate ? "private key index" : "public key index")
        case let .inline(v):
            if isPrivate {
                try check4N(v.count, "private key", name, min: 1)
            } else {
                var r = FieldReader(v)
                guard (try? r.derSequence("public key")) != nil, r.isAtEnd else {
                    throw invalid(name, "public key is not one DER SEQUENCE (PKCS#1 RSAPublicKey)")
                }
            }
        }
    }
}
