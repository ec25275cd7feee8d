import HostProtocol

/// The outcome of an ARQC verification (`K6` modes 0 and 1).
public enum ARQCResult: Equatable, Sendable {
    /// The ARQC verified; `arpc` is the ARPC (8 bytes) when one was asked for.
    case verified(arpc: [UInt8]?)
    /// The HSM answered `01`: the ARQC does not verify. `diagnostic` is the HSM's 8-byte
    /// diagnostic value (evsm: the check value of the session key it derived).
    case mismatch(diagnostic: [UInt8])
}

/// The key a `KX` PIN block is under (PIN input mode 2 or 3).
public enum OfflinePINKeyKind: Int, Sendable {
    case zpk = 2
    case tpk = 3
}

/// EMV / PBOC card commands: `K6` ARQC / ARPC, `K2` issuer script encryption, `K4` issuer
/// script MAC, `KX` offline PIN. Keys derive from the issuer master key `mdk` (type `109`,
/// double-length 3DES or SM4) through the 16-digit PAN/PSN and the 2-byte ATC (docs/wire.md).
extension CACipherClient {
    /// `K6` mode 0: verifies `arqc` (8 bytes) over `data` (1...255 bytes).
    @available(*, noasync)
    public func verifyARQC(mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8], arqc: [UInt8]) throws -> ARQCResult {
        try arqcCommand("verify ARQC", ARQCRequest(mode: .verify, mdk: mdk, pan: pan, atc: atc, data: data, arqc: arqc))
    }

    /// `K6` mode 1: verifies `arqc`, and when it verifies returns the ARPC (method 1) for the
    /// 2-byte authorisation response code `arc`.
    @available(*, noasync)
    public func verifyARQCAndGenerateARPC(mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8], arqc: [UInt8],
                                          arc: [UInt8]) throws -> ARQCResult {
        try arqcCommand("verify ARQC and generate ARPC",
                        ARQCRequest(mode: .verifyAndGenerateARPC, mdk: mdk, pan: pan, atc: atc, data: data, arqc: arqc, arc: arc))
    }

    /// `K6` mode 2: the ARPC (8 bytes, method 1) of `arqc` and `arc`, without verifying.
    @available(*, noasync)
    public func generateARPC(mdk: KeyField, pan: String, atc: [UInt8], arqc: [UInt8], arc: [UInt8]) throws -> [UInt8] {
        let name = "generate ARPC"
        switch try arqcCommand(name, ARQCRequest(mode: .generateARPC, mdk: mdk, pan: pan, atc: atc, arqc: arqc, arc: arc)) {
        case let .verified(arpc?): return arpc
        default: throw CACipherError(.badFrame, "\(name) (K6): reply carries no ARPC")
        }
    }

    /// `K2`: the issuer script `data` (1...4095 bytes) encrypted under the session
    /// encryption key (padded with `80 00..` by the HSM when not whole blocks).
    @available(*, noasync)
    public func encryptIssuerScript(mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8]) throws -> [UInt8] {
        let name = "encrypt issuer script"
        let f = try scriptFields(name, mdk: mdk, pan: pan, atc: atc, data: data)
        return try command(EncryptScriptRequest(f), name, EncryptScriptResponse.self).cryptogram
    }

    /// `K4`: the 8-byte MAC of the issuer script `data` (1...4095 bytes) under the session
    /// MAC key.
    @available(*, noasync)
    public func issuerScriptMAC(mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8]) throws -> [UInt8] {
        let name = "issuer script MAC"
        let f = try scriptFields(name, mdk: mdk, pan: pan, atc: atc, data: data)
        return try command(ScriptMACRequest(f), name, ScriptMACResponse.self).mac
    }

    /// `KX` with clear PINs (input mode 1): the enciphered PIN data for an offline PIN change
    /// (format 41; format 42 when `oldPIN` is given). PINs are 4...12 digits.
    @available(*, noasync)
    public func offlinePIN(mdk: KeyField, pan: String, atc: [UInt8], newPIN: String, oldPIN: String? = nil,
                           account: String = "000000000000") throws -> [UInt8] {
        let name = "offline PIN"
        try checkPIN(newPIN, "new PIN", name)
        if let o = oldPIN { try checkPIN(o, "old PIN", name) }
        let r = OfflinePINRequest(mdk: mdk, pan: pan, atc: atc, format: oldPIN == nil ? 41 : 42,
                                  input: .clear(newPIN: newPIN, oldPIN: oldPIN), account: account)
        return try offlinePINCommand(name, r)
    }

    /// `KX` with PIN blocks under a ZPK or TPK (input modes 2/3): as the clear form, the HSM
    /// opens the blocks itself.
    @available(*, noasync)
    public func offlinePIN(mdk: KeyField, pan: String, atc: [UInt8], pinKey: KeyField, pinKeyKind: OfflinePINKeyKind,
                           sourceFormat: PINBlockFormat, newPINBlock: [UInt8], oldPINBlock: [UInt8]? = nil,
                           account: String) throws -> [UInt8] {
        let name = "offline PIN"
        try TypedCommand.checkKey(pinKey, "PIN key", name)
        try TypedCommand.checkPINBlock(newPINBlock, "new PIN block", name)
        if let o = oldPINBlock {
            guard o.count == newPINBlock.count else { throw TypedCommand.invalid(name, argument: "old PIN block", "must have the size of the new one") }
        }
        let r = OfflinePINRequest(mdk: mdk, pan: pan, atc: atc, format: oldPINBlock == nil ? 41 : 42,
                                  input: .encrypted(mode: pinKeyKind.rawValue, sourceFormat: sourceFormat.rawValue, newBlock: newPINBlock,
                                                    oldBlock: oldPINBlock, sourceKey: pinKey), account: account)
        return try offlinePINCommand(name, r)
    }

    // MARK: - shared

    private func checkCard(_ name: String, mdk: KeyField, pan: String, atc: [UInt8]) throws {
        try TypedCommand.checkKey(mdk, "MDK", name)
        try TypedCommand.checkPAN(pan, name)
        guard atc.count == 2 else { throw TypedCommand.invalid(name, argument: "ATC", "must be 2 bytes, got \(atc.count)") }
    }

    private func checkPIN(_ pin: String, _ argument: String, _ name: String) throws {
        let u = Array(pin.utf8)
        guard (4...12).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw TypedCommand.invalid(name, "\(argument) must be 4 to 12 decimal digits")
        }
    }

    private func arqcCommand(_ name: String, _ r: ARQCRequest) throws -> ARQCResult {
        try checkCard(name, mdk: r.mdk, pan: r.pan, atc: r.atc)
        guard r.arqc.count == 8 else { throw TypedCommand.invalid(name, argument: "ARQC", "must be 8 bytes, got \(r.arqc.count)") }
        if r.mode != .verify { guard r.arc.count == 2 else { throw TypedCommand.invalid(name, argument: "ARC", "must be 2 bytes, got \(r.arc.count)") } }
        if r.mode != .generateARPC {
            guard (1...ARQCRequest.maxDataBytes).contains(r.data.count) else {
                throw TypedCommand.invalid(name, "transaction data of \(r.data.count) bytes is out of range (1 to \(ARQCRequest.maxDataBytes))")
            }
        }
        return try exchange(r, name, idempotent: true, secret: false) { code, fields in
            let v: [UInt8]?
            do {
                v = try ARQCResponse.decodeAll(fields).value
            } catch {
                throw CACipherError(.badFrame, "\(name) (K6): reply does not decode")
            }
            switch code {
            case .ok:
                if r.mode == .verify {
                    guard v == nil else { throw CACipherError(.badFrame, "\(name) (K6): reply has unexpected fields") }
                    return .verified(arpc: nil)
                }
                guard let a = v else { throw CACipherError(.badFrame, "\(name) (K6): reply carries no ARPC") }
                return .verified(arpc: a)
            case .verificationFailed where r.mode != .generateARPC:
                guard let d = v else { throw CACipherError(.badFrame, "\(name) (K6): mismatch reply carries no diagnostic value") }
                return .mismatch(diagnostic: d)
            default:
                throw TypedCommand.hsmError(code, ARQCRequest.command, name)
            }
        }
    }

    private func scriptFields(_ name: String, mdk: KeyField, pan: String, atc: [UInt8], data: [UInt8]) throws -> IssuerScriptFields {
        try checkCard(name, mdk: mdk, pan: pan, atc: atc)
        guard (1...IssuerScriptFields.maxDataBytes).contains(data.count) else {
            throw TypedCommand.invalid(name, "script data of \(data.count) bytes is out of range (1 to \(IssuerScriptFields.maxDataBytes))")
        }
        return IssuerScriptFields(mdk: mdk, pan: pan, atc: atc, data: data)
    }

    private func offlinePINCommand(_ name: String, _ r: OfflinePINRequest) throws -> [UInt8] {
        try checkCard(name, mdk: r.mdk, pan: r.pan, atc: r.atc)
        try TypedCommand.checkAccount(r.account, "account", name)
        return try command(r, name, OfflinePINResponse.self, secret: true).cryptogram
    }
}
