import HostProtocol

/// `M6` generate MAC, `M8` verify MAC. The data goes on the wire as hex (input format 1),
/// so any bytes may be MACed; up to 32000 bytes per call (longer messages: use parts).
extension CACipherClient {
    /// Largest data per `M6`/`M8` call (sent as hex; the frame must fit in 65535 bytes).
    public static let maxMACDataBytes = 32_000

    /// `M6`: the MAC of `data` (`part` `.only` or `.last`: `size` bytes), or for `.first` and
    /// `.middle` the chaining value (one block) to pass as `iv` of the next part. `iv` is
    /// required for `.middle` and `.last`, refused otherwise.
    ///
    /// `keyType`: `.tak` or `.zak` (the HSM answers 27 for others); `.alg3` needs a DES key.
    @available(*, noasync)
    public func generateMAC(key: KeyField, keyType: KeyType = .tak, algorithm: MACAlgorithm, padding: MACPadding,
                            size: MACSize = .bytes8, data: [UInt8], part: MACPart = .only, iv: [UInt8]? = nil) throws -> [UInt8] {
        let name = "generate MAC"
        let f = try macFields(name, key: key, keyType: keyType, algorithm: algorithm, padding: padding, size: size, data: data, part: part, iv: iv)
        let mac = try command(GenerateMACRequest(f), name, GenerateMACResponse.self).mac
        if part.isFinal, mac.count != size.byteCount {
            throw CACipherError(.badFrame, "\(name) (M6): reply MAC has \(mac.count) bytes, expected \(size.byteCount)")
        }
        return mac
    }

    /// `M8`: `true` when `mac` is the MAC of `data`, `false` when the HSM answers `01`
    /// (mismatch). `part` is `.only` or `.last` (with the chaining value as `iv`).
    @available(*, noasync)
    public func verifyMAC(key: KeyField, keyType: KeyType = .tak, algorithm: MACAlgorithm, padding: MACPadding,
                          size: MACSize = .bytes8, data: [UInt8], mac: [UInt8], part: MACPart = .only, iv: [UInt8]? = nil) throws -> Bool {
        let name = "verify MAC"
        guard part.isFinal else {
            throw TypedCommand.invalid(name, "only the whole message or its last part can be verified", naming: "MAC part")
        }
        guard mac.count == size.byteCount else {
            throw TypedCommand.invalid(name, argument: "MAC", "must be \(size.byteCount) bytes for this MAC size, got \(mac.count)")
        }
        let f = try macFields(name, key: key, keyType: keyType, algorithm: algorithm, padding: padding, size: size, data: data, part: part, iv: iv)
        return try verification(VerifyMACRequest(f, mac: mac), name)
    }

    private func macFields(_ name: String, key: KeyField, keyType: KeyType, algorithm: MACAlgorithm, padding: MACPadding, size: MACSize,
                           data: [UInt8], part: MACPart, iv: [UInt8]?) throws -> MACFields {
        try TypedCommand.checkKey(key, "key", name)
        guard data.count <= Self.maxMACDataBytes else {
            throw TypedCommand.invalid(name, "data of \(data.count) bytes is longer than \(Self.maxMACDataBytes): send it in parts")
        }
        if part.needsIV {
            guard let iv else { throw TypedCommand.invalid(name, "IV (the chaining value of the previous part) is required for this part", naming: "IV") }
            try TypedCommand.checkIV(iv, key: key, name)
        } else if iv != nil {
            throw TypedCommand.invalid(name, "IV is only used for middle and last parts", naming: "IV")
        }
        var hex: [UInt8] = []
        Hex.encode(data, into: &hex)
        return MACFields(mode: part.rawValue, inputFormat: 1, macSize: size.rawValue, algorithm: algorithm.rawValue,
                         padding: padding.rawValue, keyType: keyType, key: key, iv: iv, data: hex)
    }
}
