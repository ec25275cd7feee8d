import HostProtocol

/// The vendor's key argument: a pair `(int index, char *cryptogram)` (vendor spec §5.2,
/// §5.3). An index > 0 names a key held in the HSM (`K` + 4N, the cryptogram is ignored);
/// index 0 takes the cryptogram (a scheme letter and hex, or a bare 16H single DES key).
enum KeyArgument {
    /// Which cryptogram lengths a function accepts with index 0 (vendor §5.3).
    enum Rule {
        /// 16, 17, 33, 49 characters.
        case a
        /// 16, 33, 49.
        case one
        /// 17, 33, 49.
        case two
        /// 32 or 33 (a bare 32H is taken as `X` + 32H).
        case three
        /// Any length the key field itself allows (the `HSM_*` layer, which checks nothing).
        case field

        var lengths: Set<Int> {
            switch self {
            case .a: return [16, 17, 33, 49]
            case .one: return [16, 33, 49]
            case .two: return [17, 33, 49]
            case .three: return [32, 33, 49]
            case .field: return []
            }
        }
    }

    /// The highest index the `Tass_*` layer accepts (the vendor's 0...2048).
    static let tassMaxIndex: Int32 = 2048

    /// Reads a key argument.
    ///
    /// - Parameters:
    ///   - rule: the allowed cryptogram lengths with index 0. SM4 (`R`) and AES (`L`) keys
    ///     under this project's LMK are 49 characters (`R` + 32H + 16H authenticator) and are
    ///     accepted wherever a 33-character key is.
    ///   - maxIndex: the highest index (`tassMaxIndex` for `Tass_*`, 9999 for `HSM_*`).
    ///   - lengthError: the code for a cryptogram of a length the rule refuses
    ///     (`HAR_PARAM_KEY_CIPHER`; some functions use `HAR_PARAM_LEN`).
    ///   - missingError: the code for index 0 with a NULL or empty cryptogram. By default the
    ///     `Tass_*` rules (`.a`, `.one`, `.two`, `.three`) check the pair before the key field
    ///     is built and refuse it as a cryptogram of a wrong length, `lengthError` (vendor
    ///     §5.3); a bare key field (`.field`, the `HSM_*` layer) has no key at all,
    ///     `HAR_PARAM_KEY_ID` (§5.2).
    static func read(index: Int32, cryptogram: UnsafePointer<CChar>?, rule: Rule, name: String,
                     maxIndex: Int32 = tassMaxIndex, lengthError: Int32 = HAR.paramKeyCipher,
                     missingError: Int32? = nil, form: KeyFieldForm = .underLMK) throws -> KeyField {
        guard index >= 0, index <= maxIndex else {
            throw CompatError(HAR.paramKeyID, "\(name): key index \(index) is out of range (0 to \(maxIndex))")
        }
        if index > 0 { return .stored(index: Int(index)) }
        let missing = missingError ?? (rule == .field ? HAR.paramKeyID : lengthError)
        guard let cryptogram else { throw CompatError(missing, "\(name): index 0 and no key cryptogram") }
        var text = try Arg.string(cryptogram, name, max: 64)
        guard !text.isEmpty else { throw CompatError(missing, "\(name): index 0 and an empty key cryptogram") }
        if rule != .field, !rule.lengths.contains(text.count) {
            throw CompatError(lengthError, "\(name): a key cryptogram of \(text.count) characters (allowed: \(rule.lengths.sorted().map(String.init).joined(separator: ", ")))")
        }
        if rule == .three, text.count == 32 { text.insert(UInt8(ascii: "X"), at: 0) }
        return try parse(text, name, form: form, lengthError: lengthError)
    }

    /// A key cryptogram given alone (a key under a ZMK, a component): scheme letter + hex or
    /// a bare 16H. `allowedLengths` empty = any length the field allows. NULL is a
    /// cryptogram of no allowed length (`lengthError`; `HAR_PARAM_KEY_CIPHER` without a rule).
    static func cryptogram(_ p: UnsafePointer<CChar>?, _ name: String, allowedLengths: Set<Int> = [],
                           form: KeyFieldForm, lengthError: Int32 = HAR.paramKeyCipher, bare32IsX: Bool = false) throws -> KeyField {
        guard p != nil else { throw CompatError(allowedLengths.isEmpty ? HAR.paramKeyCipher : lengthError, "\(name) is NULL") }
        var text = try Arg.string(p, name, max: 64)
        if !allowedLengths.isEmpty, !allowedLengths.contains(text.count) {
            throw CompatError(lengthError, "\(name): a key cryptogram of \(text.count) characters (allowed: \(allowedLengths.sorted().map(String.init).joined(separator: ", ")))")
        }
        if bare32IsX, text.count == 32, Arg.isHex(text) { text.insert(UInt8(ascii: "X"), at: 0) }
        return try parse(text, name, form: form, lengthError: lengthError)
    }

    /// Parses a key field written as text. Lower-case hex is accepted (the vendor converts
    /// hex case-insensitively); the scheme letter must be upper case.
    static func parse(_ text: [UInt8], _ name: String, form: KeyFieldForm, lengthError: Int32 = HAR.paramKeyCipher) throws -> KeyField {
        var t = text
        for i in t.indices where i > 0 || Hex.nibble(t[i]) != nil {
            if t[i] >= 0x61 && t[i] <= 0x66 { t[i] -= 0x20 }
        }
        var r = FieldReader(t)
        guard let k = try? r.keyField(form: form), r.isAtEnd else {
            if let f = t.first, KeyScheme(tag: f) == nil, Hex.nibble(f) == nil {
                throw CompatError(HAR.paramKeyScheme, "\(name): unknown key scheme letter")
            }
            throw CompatError(lengthError, "\(name): not a key cryptogram of its scheme's length (or not hexadecimal)")
        }
        return k
    }
}
