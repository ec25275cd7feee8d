import HostProtocol

/// Card and PIN verification values: `CW`/`CY` Visa CVV, `DG` Visa PVV, `DE`/`EA` IBM 3624
/// PIN offset, `JA` random PIN under the LMK. None of them stores into the HSM, so all are
/// re-sent safely (idempotent).
///
/// Accounts are the 12-digit account field (the rightmost 12 digits of the PAN without its
/// check digit); `CW`/`CY` take the full PAN (8 to 19 digits). PINs under the LMK are the 8
/// bytes `encryptPIN`, `pinBlockToLMK` and `generateRandomPIN` return.
extension CACipherClient {
    /// `CW`: the 3-digit Visa CVV of a card (`expiry` YYMM, 3-digit `serviceCode`; `000` for
    /// CVV2, `999` for iCVV by the card scheme's rules). `cvk`: a double-length key of type
    /// `402` (or a `K` index), or the payShield pair of single-length CVK A and CVK B.
    @available(*, noasync)
    public func generateCVV(cvk: CVKField, pan: String, expiry: String, serviceCode: String) throws -> String {
        let name = "generate CVV"
        try Self.checkCVVInputs(name, cvk: cvk, pan: pan, expiry: expiry, serviceCode: serviceCode)
        return try command(GenerateCVVRequest(cvk: cvk, pan: pan, expiry: expiry, serviceCode: serviceCode),
                           name, GenerateCVVResponse.self).cvv
    }

    /// `CW` with one CVK key field.
    @available(*, noasync)
    public func generateCVV(cvk: KeyField, pan: String, expiry: String, serviceCode: String) throws -> String {
        try generateCVV(cvk: .key(cvk), pan: pan, expiry: expiry, serviceCode: serviceCode)
    }

    /// `CY`: `true` when `cvv` is the card's CVV, `false` when the HSM answers `01`.
    @available(*, noasync)
    public func verifyCVV(cvk: CVKField, cvv: String, pan: String, expiry: String, serviceCode: String) throws -> Bool {
        let name = "verify CVV"
        try Self.checkCVVInputs(name, cvk: cvk, pan: pan, expiry: expiry, serviceCode: serviceCode)
        try Self.checkDigits(cvv, 3...3, "CVV", name)
        return try verification(VerifyCVVRequest(cvk: cvk, cvv: cvv, pan: pan, expiry: expiry, serviceCode: serviceCode), name)
    }

    /// `CY` with one CVK key field.
    @available(*, noasync)
    public func verifyCVV(cvk: KeyField, cvv: String, pan: String, expiry: String, serviceCode: String) throws -> Bool {
        try verifyCVV(cvk: .key(cvk), cvv: cvv, pan: pan, expiry: expiry, serviceCode: serviceCode)
    }

    /// `DG`: the 4-digit Visa PVV of a PIN under the LMK. `pvki` 0...15 (Visa uses 0...6;
    /// 10...15 go on the wire as `A`...`F`, as the TASS library sends them).
    @available(*, noasync)
    public func generatePVV(pvk: KeyField, pinUnderLMK: [UInt8], account: String, pvki: Int) throws -> String {
        let name = "generate PVV"
        try TypedCommand.checkKey(pvk, "PVK", name)
        try TypedCommand.checkPINUnderLMK(pinUnderLMK, name)
        try TypedCommand.checkAccount(account, "account", name)
        guard (0...15).contains(pvki) else { throw TypedCommand.invalid(name, "PVKI \(pvki) is out of range (0 to 15)") }
        return try command(GeneratePVVRequest(pvk: pvk, pinUnderLMK: pinUnderLMK, account: account, pvki: pvki),
                           name, GeneratePVVResponse.self).pvv
    }

    /// `DE`: the IBM 3624 offset of a PIN under the LMK: one digit per PIN digit (the `F`
    /// padding of the 12H field removed). `checkLength` 4...12 (the PIN must be at least
    /// that long); `decimalisationTable` 16 digits; `validationData` 12 characters, hex
    /// digits and one `N` (the HSM puts the last 5 digits of the account there).
    @available(*, noasync)
    public func generateIBMPINOffset(pvk: KeyField, pinUnderLMK: [UInt8], checkLength: Int, account: String,
                                     decimalisationTable: String, validationData: String) throws -> String {
        let name = "generate IBM PIN offset"
        try TypedCommand.checkKey(pvk, "PVK", name)
        try TypedCommand.checkPINUnderLMK(pinUnderLMK, name)
        let p = try Self.ibmParameters(name, checkLength: checkLength, account: account, decimalisationTable: decimalisationTable,
                                       validationData: validationData)
        return try command(GenerateIBMOffsetRequest(pvk: pvk, pinUnderLMK: pinUnderLMK, parameters: p), name, IBMOffsetResponse.self).offset
    }

    /// `EA`: `true` when the PIN in `pinBlock` (under `zpk`) verifies against `offset` (at
    /// least `checkLength` digits; the leftmost `checkLength` PIN digits are checked),
    /// `false` when the HSM answers `01`.
    @available(*, noasync)
    public func verifyPINByIBMOffset(zpk: KeyField, pvk: KeyField, pinBlock: [UInt8], format: PINBlockFormat, checkLength: Int,
                                     account: String, decimalisationTable: String, validationData: String, offset: String,
                                     maxPINLength: Int = 12) throws -> Bool {
        let name = "verify PIN by IBM offset"
        try TypedCommand.checkKey(zpk, "ZPK", name)
        try TypedCommand.checkKey(pvk, "PVK", name)
        try TypedCommand.checkPINBlock(pinBlock, "PIN block", name)
        try TypedCommand.checkMaxPINLength(maxPINLength, name)
        let p = try Self.ibmParameters(name, checkLength: checkLength, account: account, decimalisationTable: decimalisationTable,
                                       validationData: validationData)
        try Self.checkDigits(offset, checkLength...12, "offset", name)
        let req = VerifyPINIBMOffsetRequest(zpk: zpk, pvk: pvk, maxPINLength: maxPINLength, pinBlock: pinBlock, format: format.rawValue,
                                            parameters: p, offset: offset)
        return try verification(req, name)
    }

    /// `JA`: a random PIN of `length` digits (4...12) for `account`, returned under the LMK
    /// (8 bytes; `decryptPIN` shows it, `pinLMKToBlock` sends it under a ZPK).
    @available(*, noasync)
    public func generateRandomPIN(account: String, length: Int) throws -> [UInt8] {
        let name = "generate random PIN"
        try TypedCommand.checkAccount(account, "account", name)
        guard (4...12).contains(length) else { throw TypedCommand.invalid(name, "PIN length \(length) is out of range (4 to 12)") }
        return try command(GenerateRandomPINRequest(account: account, pinLength: length), name, PINUnderLMKResponse.self).pinUnderLMK
    }

    // MARK: argument checks

    fileprivate static func checkDigits(_ s: String, _ lengths: ClosedRange<Int>, _ argument: String, _ name: String) throws {
        let u = Array(s.utf8)
        guard lengths.contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            let n = lengths.lowerBound == lengths.upperBound ? "\(lengths.lowerBound)" : "\(lengths.lowerBound) to \(lengths.upperBound)"
            throw TypedCommand.invalid(name, "\(argument) must be \(n) decimal digits")
        }
    }

    fileprivate static func checkCVVInputs(_ name: String, cvk: CVKField, pan: String, expiry: String, serviceCode: String) throws {
        switch cvk {
        case let .key(k): try TypedCommand.checkKey(k, "CVK", name)
        case let .pair(a, b):
            for (k, arg) in [(a, "CVK A"), (b, "CVK B")] {
                guard case let .encrypted(s, m) = k, s == .singleDES, m.count == 8 else {
                    throw TypedCommand.invalid(name, "\(arg) of a CVK pair must be a single-length key (16H under the LMK)")
                }
            }
        }
        try checkDigits(pan, 8...19, "PAN", name)
        try checkDigits(expiry, 4...4, "expiry date (YYMM)", name)
        try checkDigits(serviceCode, 3...3, "service code", name)
    }

    fileprivate static func ibmParameters(_ name: String, checkLength: Int, account: String, decimalisationTable: String,
                              validationData: String) throws -> IBMOffsetParameters {
        guard (4...12).contains(checkLength) else { throw TypedCommand.invalid(name, "check length \(checkLength) is out of range (4 to 12)") }
        try TypedCommand.checkAccount(account, "account", name)
        try checkDigits(decimalisationTable, 16...16, "decimalisation table", name)
        let v = Array(validationData.utf8)
        let hex = v.filter { Hex.nibble($0) != nil }.count
        let n = v.filter { $0 == UInt8(ascii: "N") }.count
        guard v.count == 12, n == 1, hex == 11 else {
            throw TypedCommand.invalid(name, "PIN validation data must be 12 characters: hex digits and one N (the last 5 account digits)")
        }
        return IBMOffsetParameters(checkLength: checkLength, account: account, decimalisationTable: decimalisationTable, validationData: validationData)
    }
}
