import HostProtocol

/// SM2 (`E1`..`E7`, this project's layouts; docs/wire.md). Private keys are 32 bytes under
/// the LMK or a `K` index (`SM2KeyField`); public keys 64 bytes X || Y or an index;
/// signatures 64 bytes r || s; ciphertexts C1 || C3 || C2.
extension CACipherClient {
    /// `E1`: a new key pair; with `storeAt` also kept inside the HSM (not re-sent after a
    /// failure that may have reached an HSM).
    public func sm2GenerateKeyPair(storeAt store: StoreTarget? = nil) throws -> SM2KeyPair {
        let name = "SM2 generate key pair"
        try TypedCommand.checkStore(store, name)
        let r = try command(SM2GenerateRequest(store: store), name, SM2GenerateResponse.self, idempotent: store == nil)
        return SM2KeyPair(publicKey: r.publicKey, privateKeyUnderLMK: r.privateKeyUnderLMK)
    }

    /// `E2`: keeps a private key (under the LMK) inside the HSM at an index; returns its public key.
    public func sm2LoadPrivateKey(_ privateKeyUnderLMK: [UInt8], storeAt store: StoreTarget) throws -> [UInt8] {
        let name = "SM2 load private key"
        try TypedCommand.checkSM2(.value(privateKeyUnderLMK), bytes: 32, "private key", name)
        try TypedCommand.checkStore(store, name)
        return try command(SM2LoadRequest(privateKeyUnderLMK: privateKeyUnderLMK, store: store), name, SM2PublicKeyResponse.self,
                           idempotent: false).publicKey
    }

    /// `E3`: the public key (64 bytes) of a private key.
    public func sm2PublicKey(privateKey: SM2KeyField) throws -> [UInt8] {
        let name = "SM2 public key"
        try TypedCommand.checkSM2(privateKey, bytes: 32, "private key", name)
        return try command(SM2PublicKeyRequest(privateKey: privateKey), name, SM2PublicKeyResponse.self).publicKey
    }

    /// `E6`: signs `data` (SM3 over Z || data; empty `userID` = `1234567812345678`).
    /// Returns r || s (64 bytes).
    public func sm2Sign(privateKey: SM2KeyField, userID: [UInt8] = [], data: [UInt8]) throws -> [UInt8] {
        let name = "SM2 sign"
        try TypedCommand.checkSM2(privateKey, bytes: 32, "private key", name)
        try TypedCommand.check4N(userID.count, "user id", name)
        try TypedCommand.check4N(data.count, "data", name)
        return try command(SM2SignRequest(privateKey: privateKey, userID: userID, data: data), name, SM2SignResponse.self).signature
    }

    /// `E7`: `true` for a valid signature, `false` when the HSM answers `01`.
    public func sm2Verify(publicKey: SM2KeyField, userID: [UInt8] = [], data: [UInt8], signature: [UInt8]) throws -> Bool {
        let name = "SM2 verify"
        try TypedCommand.checkSM2(publicKey, bytes: 64, "public key", name)
        try TypedCommand.check4N(userID.count, "user id", name)
        try TypedCommand.check4N(data.count, "data", name)
        guard signature.count == 64 else { throw TypedCommand.invalid(name, "signature must be 64 bytes (r || s), got \(signature.count)") }
        return try verification(SM2VerifyRequest(publicKey: publicKey, userID: userID, data: data, signature: signature), name)
    }

    /// `E4`: encrypts 1...9902 bytes; returns C1 || C3 || C2 (97 bytes longer).
    public func sm2Encrypt(publicKey: SM2KeyField, data: [UInt8]) throws -> [UInt8] {
        let name = "SM2 encrypt"
        try TypedCommand.checkSM2(publicKey, bytes: 64, "public key", name)
        try TypedCommand.check4N(data.count, "data", name, min: 1)
        guard data.count <= 9999 - 97 else { throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than 9902") }
        return try command(SM2EncryptRequest(publicKey: publicKey, data: data), name, SM2DataResponse.self).data
    }

    /// `E5`: decrypts C1 || C3 || C2. The reply buffer is zeroed; the result is the caller's.
    public func sm2Decrypt(privateKey: SM2KeyField, ciphertext: [UInt8]) throws -> [UInt8] {
        let name = "SM2 decrypt"
        try TypedCommand.checkSM2(privateKey, bytes: 32, "private key", name)
        try TypedCommand.check4N(ciphertext.count, "ciphertext", name, min: 98)
        return try command(SM2DecryptRequest(privateKey: privateKey, ciphertext: ciphertext), name, SM2DataResponse.self, secret: true).data
    }
}
