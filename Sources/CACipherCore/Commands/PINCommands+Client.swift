import HostProtocol

/// PIN commands: `CA`/`CC`/`TI` translation, `JE`/`JG` between PIN blocks and PINs under
/// the LMK, `BA`/`NG` clear PIN to and from the LMK.
///
/// Accounts are the 12-digit account field (the rightmost 12 digits of the PAN without its
/// check digit). PIN blocks are 8 bytes under DES keys, 16 under SM4/AES keys.
extension CACipherClient {
    /// `CA`: translates a PIN block from a TPK to a ZPK.
    @available(*, noasync)
    public func translatePIN(fromTPK tpk: KeyField, toZPK zpk: KeyField, pinBlock: [UInt8], sourceFormat: PINBlockFormat,
                             destinationFormat: PINBlockFormat, account: String, maxPINLength: Int = 12) throws -> TranslatedPIN {
        try translate(TranslatePINFromTPKRequest.init, "translate PIN TPK to ZPK", source: tpk, destination: zpk, pinBlock: pinBlock,
                      sourceFormat: sourceFormat, destinationFormat: destinationFormat, account: account, maxPINLength: maxPINLength)
    }

    /// `CC`: translates a PIN block from one ZPK to another.
    @available(*, noasync)
    public func translatePIN(fromZPK source: KeyField, toZPK destination: KeyField, pinBlock: [UInt8], sourceFormat: PINBlockFormat,
                             destinationFormat: PINBlockFormat, account: String, maxPINLength: Int = 12) throws -> TranslatedPIN {
        try translate(TranslatePINRequest.init, "translate PIN ZPK to ZPK", source: source, destination: destination, pinBlock: pinBlock,
                      sourceFormat: sourceFormat, destinationFormat: destinationFormat, account: account, maxPINLength: maxPINLength)
    }

    private func translate<R: HostCommandRequest>(_ make: (PINTranslation) -> R, _ name: String, source: KeyField, destination: KeyField, pinBlock: [UInt8],
                                                  sourceFormat: PINBlockFormat, destinationFormat: PINBlockFormat, account: String,
                                                  maxPINLength: Int) throws -> TranslatedPIN {
        try TypedCommand.checkKey(source, "source key", name)
        try TypedCommand.checkKey(destination, "destination key", name)
        try TypedCommand.checkPINBlock(pinBlock, "PIN block", name)
        try TypedCommand.checkAccount(account, "account", name)
        try TypedCommand.checkMaxPINLength(maxPINLength, name)
        let fields = PINTranslation(sourceKey: source, destinationKey: destination, maxPINLength: maxPINLength, pinBlock: pinBlock,
                                    sourceFormat: sourceFormat.rawValue, destinationFormat: destinationFormat.rawValue, account: account)
        let r = try command(make(fields), name, TranslatePINResponse.self)
        guard let f = PINBlockFormat(rawValue: r.destinationFormat) else {
            throw CACipherError(.badFrame, "\(name) (\(R.command)): reply has an unknown PIN block format")
        }
        return TranslatedPIN(pinLength: r.pinLength, pinBlock: r.pinBlock, format: f)
    }

    /// `TI` (TASS form): translates a PIN block between any TPK/ZPK pair, with an account
    /// per side. Returns the PIN block under the destination key.
    @available(*, noasync)
    public func translatePIN(from source: PINKey, to destination: PINKey, pinBlock: [UInt8], sourceFormat: PINBlockFormat,
                             sourceAccount: String, destinationFormat: PINBlockFormat, destinationAccount: String,
                             maxPINLength: Int = 12) throws -> [UInt8] {
        let name = "translate PIN"
        try TypedCommand.checkKey(source.field, "source key", name)
        try TypedCommand.checkKey(destination.field, "destination key", name)
        try TypedCommand.checkPINBlock(pinBlock, "PIN block", name)
        try TypedCommand.checkAccount(sourceAccount, "source account", name)
        try TypedCommand.checkAccount(destinationAccount, "destination account", name)
        try TypedCommand.checkMaxPINLength(maxPINLength, name)
        let req = TranslatePINTASSRequest(sourceKind: source.kind, sourceKey: source.field, destinationKind: destination.kind,
                                          destinationKey: destination.field, maxPINLength: maxPINLength, pinBlock: pinBlock,
                                          sourceFormat: sourceFormat.rawValue, sourceAccount: sourceAccount,
                                          destinationFormat: destinationFormat.rawValue, destinationAccount: destinationAccount)
        return try command(req, name, PINBlockResponse.self).pinBlock
    }

    /// `JE`: a PIN block under a ZPK -> the PIN under the LMK (8 bytes).
    @available(*, noasync)
    public func pinBlockToLMK(zpk: KeyField, pinBlock: [UInt8], format: PINBlockFormat, account: String) throws -> [UInt8] {
        let name = "PIN block to LMK"
        try TypedCommand.checkKey(zpk, "ZPK", name)
        try TypedCommand.checkPINBlock(pinBlock, "PIN block", name)
        try TypedCommand.checkAccount(account, "account", name)
        return try command(PINBlockToLMKRequest(zpk: zpk, pinBlock: pinBlock, format: format.rawValue, account: account),
                           name, PINUnderLMKResponse.self).pinUnderLMK
    }

    /// `JG`: a PIN under the LMK -> a PIN block under a ZPK.
    @available(*, noasync)
    public func pinLMKToBlock(zpk: KeyField, pinUnderLMK: [UInt8], format: PINBlockFormat, account: String) throws -> [UInt8] {
        let name = "PIN under LMK to PIN block"
        try TypedCommand.checkKey(zpk, "ZPK", name)
        try TypedCommand.checkPINUnderLMK(pinUnderLMK, name)
        try TypedCommand.checkAccount(account, "account", name)
        return try command(PINFromLMKRequest(zpk: zpk, format: format.rawValue, account: account, pinUnderLMK: pinUnderLMK),
                           name, PINBlockResponse.self).pinBlock
    }

    /// `BA`: encrypts a clear PIN (4...12 digits) under the LMK. The request buffer is
    /// zeroed after sending.
    @available(*, noasync)
    public func encryptPIN(_ pin: String, account: String) throws -> [UInt8] {
        let name = "encrypt PIN"
        try Self.checkPIN(pin, name)
        try TypedCommand.checkAccount(account, "account", name)
        return try command(EncryptPINRequest(pin: pin, account: account), name, PINUnderLMKResponse.self, secret: true).pinUnderLMK
    }

    /// `NG`: decrypts a PIN under the LMK; returns the PIN digits. The reply buffer is
    /// zeroed; the returned String cannot be (use `decryptPINDigits` to control the memory).
    @available(*, noasync)
    public func decryptPIN(_ pinUnderLMK: [UInt8], account: String) throws -> String {
        var d = try decryptPINDigits(pinUnderLMK, account: account)
        defer { SecureBytes.wipe(&d) }
        return String(decoding: d, as: UTF8.self)
    }

    /// `NG`: like `decryptPIN`, returning the ASCII digits in an array the caller zeroes.
    /// The reply is the digits alone (TASS) or the payShield layout (digits, `F` padding,
    /// optionally a 12-digit reference number; `DecryptPINResponse`): the PIN digits are
    /// returned, padding and reference number dropped. Any other reply is `.badFrame`.
    @available(*, noasync)
    public func decryptPINDigits(_ pinUnderLMK: [UInt8], account: String) throws -> [UInt8] {
        let name = "decrypt PIN"
        try TypedCommand.checkAccount(account, "account", name)
        try TypedCommand.checkPINUnderLMK(pinUnderLMK, name)
        let req = DecryptPINRequest(account: account, pinUnderLMK: pinUnderLMK)
        return try exchange(req, name, idempotent: true, secret: true) { code, fields in
            guard code == .ok else { throw TypedCommand.hsmError(code, DecryptPINRequest.command, name) }
            guard let n = DecryptPINResponse.pinLength(of: fields) else {
                throw CACipherError(.badFrame, "\(name) (NG): reply is neither 1 to 16 PIN digits nor 1 to 12 digits, F padding and an optional 12-digit reference number")
            }
            return Array(fields.prefix(n))
        }
    }

    static func checkPIN(_ pin: String, _ name: String) throws {
        let u = Array(pin.utf8)
        guard (4...12).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw TypedCommand.invalid(name, "PIN must be 4 to 12 decimal digits")
        }
    }
}
