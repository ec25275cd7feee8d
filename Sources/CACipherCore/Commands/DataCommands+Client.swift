import HostProtocol

/// `M0` encrypt data, `M2` decrypt data: ECB or CBC, no padding (whole blocks: 8 bytes
/// under DES keys, 16 under SM4/AES keys). Data travels in binary both ways. Both exchanges
/// are `secret` (the clear data is in `M0`'s request and `M2`'s reply): their buffers are
/// zeroed once the result is decoded.
extension CACipherClient {
    /// Largest data per `M0`/`M2` call (a multiple of 16 that fits a frame with key and IV).
    public static let maxCipherDataBytes = 65_408

    /// `M0`: encrypts `data` under a ZEK/DEK (`.zek`) or TEK (`.tek`). CBC needs `iv`.
    @available(*, noasync)
    public func encryptData(key: KeyField, keyType: KeyType = .zek, mode: CipherMode, iv: [UInt8]? = nil,
                            data: [UInt8]) throws -> DataCipherResult {
        try cipher(encrypt: true, key: key, keyType: keyType, mode: mode, iv: iv, data: data)
    }

    /// `M2`: decrypts `data`. CBC needs `iv`.
    @available(*, noasync)
    public func decryptData(key: KeyField, keyType: KeyType = .zek, mode: CipherMode, iv: [UInt8]? = nil,
                            data: [UInt8]) throws -> DataCipherResult {
        try cipher(encrypt: false, key: key, keyType: keyType, mode: mode, iv: iv, data: data)
    }

    private func cipher(encrypt: Bool, key: KeyField, keyType: KeyType, mode: CipherMode, iv: [UInt8]?,
                        data: [UInt8]) throws -> DataCipherResult {
        let name = encrypt ? "encrypt data" : "decrypt data"
        try TypedCommand.checkKey(key, "key", name)
        var block = 8
        if case let .encrypted(s, _) = key { block = s.algorithm.blockSize }
        guard !data.isEmpty, data.count <= Self.maxCipherDataBytes, data.count % block == 0 else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes: must be whole \(block)-byte blocks, 1 to \(Self.maxCipherDataBytes) bytes (no padding)")
        }
        switch (mode, iv) {
        case (.cbc, nil): throw TypedCommand.invalid(name, "CBC needs an IV", naming: "IV")
        case let (.cbc, v?): try TypedCommand.checkIV(v, key: key, name)
        case (.ecb, _?): throw TypedCommand.invalid(name, "ECB takes no IV", naming: "IV")
        case (.ecb, nil): break
        }
        let f = DataCipherFields(mode: mode.rawValue, inputFormat: 0, outputFormat: 0, keyType: keyType, key: key, iv: iv, data: data)
        let ivHex = mode == .cbc ? (iv?.count ?? 0) * 2 : 0
        let code: CommandCode = encrypt ? EncryptDataRequest.command : DecryptDataRequest.command
        let decode: (HostErrorCode, ArraySlice<UInt8>) throws -> DataCipherResult = { rc, fields in
            guard rc == .ok else { throw TypedCommand.hsmError(rc, code, name) }
            do {
                var r = FieldReader(fields)
                var rsp = try DataCipherResponse.decode(&r, ivHexLength: ivHex)
                try r.expectEnd()
                guard rsp.data.count == data.count else {
                    SecureBytes.wipe(&rsp.data)
                    throw CACipherError(.badFrame, "\(name) (\(code)): reply has \(rsp.data.count) bytes for \(data.count) sent")
                }
                return DataCipherResult(data: rsp.data, nextIV: rsp.ivOut)
            } catch let e as FieldError {
                throw CACipherError(.badFrame, "\(name) (\(code)): reply does not decode: \(e)")
            }
        }
        if encrypt {
            return try exchange(EncryptDataRequest(f), name, idempotent: true, secret: true, decode)
        }
        return try exchange(DecryptDataRequest(f), name, idempotent: true, secret: true, decode)
    }
}
