import HostProtocol

/// `CR` random, `3C` hash, `NC` device information, `B2` echo.
extension CACipherClient {
    /// `CR`: `count` random bytes from the HSM (1...2048).
    @available(*, noasync)
    public func random(count: Int) throws -> [UInt8] {
        let name = "random"
        guard (1...RandomRequest.maxCount).contains(count) else {
            throw TypedCommand.invalid(name, "count \(count) is out of range (1 to \(RandomRequest.maxCount))")
        }
        let r = try command(RandomRequest(count: count), name, RandomResponse.self).bytes
        guard r.count == count else { throw CACipherError(.badFrame, "\(name) (CR): reply has \(r.count) bytes, \(count) asked") }
        return r
    }

    /// `3C`: the hash of `data`. With `sm2PublicKey` (64 bytes X || Y, or 65 with a leading
    /// `04`; SM3 only) the hash is SM3(Z || data), Z from `sm2UserID` (empty or `nil`: the
    /// default `1234567812345678`) and the key (GB/T 32918).
    @available(*, noasync)
    public func hash(_ data: [UInt8], algorithm: HashAlgorithm, sm2UserID: [UInt8]? = nil, sm2PublicKey: [UInt8]? = nil) throws -> [UInt8] {
        let name = "hash"
        try TypedCommand.check4N(data.count, "data", name)
        if let k = sm2PublicKey {
            guard algorithm == .sm3 else { throw TypedCommand.invalid(name, "an SM2 public key (Z value) needs SM3") }
            guard k.count == 64 || (k.count == 65 && k[0] == 4) else {
                throw TypedCommand.invalid(name, "SM2 public key must be 64 bytes (X || Y) or 65 starting with 04, got \(k.count)")
            }
            try TypedCommand.check4N(sm2UserID?.count ?? 0, "user id", name)
        } else if sm2UserID != nil {
            throw TypedCommand.invalid(name, "a user id needs an SM2 public key")
        }
        let r = try command(HashRequest(algorithm: algorithm.rawValue, data: data, userID: sm2PublicKey == nil ? nil : (sm2UserID ?? []),
                                        publicKey: sm2PublicKey), name, HashResponse.self).hash
        return r
    }

    /// `NC`: the device's DMK check value, firmware version and serial number.
    @available(*, noasync)
    public func deviceInfo() throws -> DeviceInfo {
        let r = try command(DeviceInfoRequest(), "device info", DeviceInfoResponse.self)
        return DeviceInfo(dmkCheckValue: Hex.string(r.dmkCheckValue), version: r.version, serial: r.serial)
    }

    /// `B2`: the HSM sends `data` back (health check). Up to 65535 - 8 bytes.
    @available(*, noasync)
    public func echo(_ data: [UInt8]) throws -> [UInt8] {
        let name = "echo"
        guard data.count <= FrameCodec.maxBodyLength - 6 else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes does not fit in a frame")
        }
        let r = try command(EchoRequest(data: data), name, EchoResponse.self).data
        guard r == data else { throw CACipherError(.badFrame, "\(name) (B2): reply does not echo the data sent") }
        return r
    }
}
