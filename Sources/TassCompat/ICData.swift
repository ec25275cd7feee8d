import CACipherCore
import HostProtocol

// IC data and MAC functions: `S0` (MAC), `S3` (encrypt), `S4` (decrypt), `S5` (translate a
// cryptogram) - vendor spec §10.3.1-§10.3.3, §10.3.5, §10.4, §14.11-§14.15, §14.17. The
// requests are the shared `HostProtocol` layouts (`ICGenerateMACRequest`, `ICEncryptRequest`,
// `ICDecryptRequest`, `ICTranslateRequest`), sent through `CompatExchange` because the vendor
// passes values (padding 10/11, session modes 3-5, cipher modes 2/3, any MAC type) that the
// typed calls' enums do not carry; the HSM answers for those.

/// The whole reply payload (the MAC functions split a MAC from an optional 16H MAC
/// cryptogram themselves).
struct ICRawReply: HostCommandResponse {
    var bytes: [UInt8]
    func encode(into w: inout FieldWriter) throws { w.append(raw: bytes) }
    static func decode(_ r: inout FieldReader) throws -> ICRawReply { ICRawReply(bytes: Array(r.rest())) }
}

enum ICArg {
    /// Most bytes `S3` encrypts / `S4` and `S5` decrypt per call (the vendor's limits).
    static let maxEncrypt = 1968
    static let maxDecrypt = 1984
    /// Most MAC data bytes of the `HSM_IC_*` MAC functions (the vendor's message is 6 KiB).
    static let maxMAC = 4096

    /// The `Tass_*` DERIVE arguments: `count` levels (0...`max`, else `countError`) and
    /// exactly 32 x `count` hex characters of data (NULL: `nullError`, other lengths:
    /// `lengthError`; NULL is taken as "" when `count` is 0).
    static func derivation(count: Int32, data: CString?, max: Int32, countError: Int32, nullError: Int32,
                           lengthError: Int32) throws -> [[UInt8]] {
        guard count >= 0, count <= max else { throw CompatError(countError, "derivation level count \(count) is out of range (0 to \(max))") }
        if count == 0 { return [] }
        guard data != nil else { throw CompatError(nullError, "derivation data is NULL") }
        let t = try Arg.string(data, "derivation data", max: 32 * Int(max) + 1)
        guard t.count == 32 * Int(count) else {
            throw CompatError(lengthError, "derivation data has \(t.count) characters, \(count) levels need \(32 * Int(count))")
        }
        return try factors(t)
    }

    /// The `HSM_IC_*` DERIVE argument: levels = strlen / 32 (at most `max`); the data must be
    /// whole levels (`HAR_PARAM_DERIVE_DATA`). NULL is "" (no derivation).
    static func derivation(_ data: CString?, max: Int) throws -> [[UInt8]] {
        guard data != nil else { return [] }
        let t = try Arg.string(data, "pcDeriveData", max: 32 * max + 1)
        guard t.count % 32 == 0, t.count / 32 <= max else {
            throw CompatError(HAR.paramDeriveData, "pcDeriveData has \(t.count) characters: whole 32H levels, at most \(max)")
        }
        return try factors(t)
    }

    static func factors(_ t: [UInt8]) throws -> [[UInt8]] {
        guard let all = Hex.decode(t) else { throw CompatError(HAR.paramDeriveData, "derivation data is not hexadecimal") }
        return stride(from: 0, to: all.count, by: 16).map { Array(all[$0..<($0 + 16)]) }
    }

    /// SESSION (vendor §5.7): mode 0...5 (else `HAR_PARAM_SESSION_KEY_MODE`); modes 0, 3, 4
    /// take no data (ignored), 1 exactly 16H, 2 and 5 exactly 32H (else
    /// `HAR_PARAM_SESSION_KEY_DATA`).
    static func session(mode: Int32, data: CString?) throws -> ICSessionKey {
        guard mode >= 0, let n = ICSessionKey.dataLength(mode: Int(mode)) else {
            throw CompatError(HAR.paramSessionKeyMode, "session key mode \(mode) is not one of 0 to 5")
        }
        if n == 0 { return ICSessionKey(mode: Int(mode)) }
        guard data != nil else { throw CompatError(HAR.paramSessionKeyData, "session key data is NULL") }
        let t = try Arg.string(data, "session key data", max: 64)
        guard t.count == 2 * n, let d = Hex.decode(t) else {
            throw CompatError(HAR.paramSessionKeyData, "session key mode \(mode) needs \(2 * n) hex characters of data")
        }
        return ICSessionKey(mode: Int(mode), data: d)
    }

    /// The padding mode check (vendor §5.9): 0...5, 10, 11 (else `HAR_PARAM_PADDING_MODE`).
    static func padding(_ v: Int32) throws -> Int {
        guard (0...5).contains(v) || v == 10 || v == 11 else {
            throw CompatError(HAR.paramPaddingMode, "padding mode \(v) is not one of 0 to 5, 10, 11")
        }
        return Int(v)
    }

    /// A value sent as 2N as given (0...99, else `HAR_PARAM_VALUE`).
    static func twoDigits(_ v: Int32, _ name: String) throws -> Int {
        guard (0...99).contains(v) else { throw CompatError(HAR.paramValue, "\(name) \(v) does not fit two digits") }
        return Int(v)
    }

    /// An IV: 16H or 32H (else `error`), hex (`HAR_HEX_TO_BYTE`).
    static func iv(_ p: CString?, _ name: String, error: Int32) throws -> [UInt8] {
        guard p != nil else { throw CompatError(error, "\(name) is NULL") }
        let t = try Arg.string(p, name, max: 33)
        guard t.count == 16 || t.count == 32 else { throw CompatError(error, "\(name) has \(t.count) characters (16 or 32)") }
        return try Arg.hexBytes(t, name)
    }

    /// A hex data argument of at most `maxBytes` bytes (`HAR_PARAM_LEN`).
    static func hexData(_ p: CString?, _ name: String, maxBytes: Int) throws -> [UInt8] {
        guard p != nil else { throw CompatError(HAR.paramIsNull, "\(name) is NULL") }
        let t = try Arg.string(p, name, max: 2 * maxBytes + 1)
        guard t.count <= 2 * maxBytes else { throw CompatError(HAR.paramLen, "\(name) is longer than \(2 * maxBytes) hex characters") }
        return try Arg.hexBytes(t, name)
    }

    /// Splits an `S1` payload into the MAC and the optional 16H MAC cryptogram: a MAC type
    /// n (mod 10) > 0 is 2n hex characters; type 0/10 is the key's whole block (16H DES,
    /// 32H SM4/AES), or for a key at a `K` index the whole payload less a trailing cryptogram
    /// when the payload is 48H.
    static func splitMAC(_ payload: [UInt8], macType: Int, key: KeyField) throws -> (mac: [UInt8], cryptogram: [UInt8]) {
        var n = 2 * (macType % 10)
        if n == 0 {
            if case let .encrypted(s, _) = key { n = 2 * s.algorithm.blockSize } else { n = payload.count == 48 ? 32 : payload.count }
        }
        guard payload.count == n || payload.count == n + 16, Arg.isHex(payload), n > 0 else {
            throw CompatError(HAR.msgRspCode, "S0: the reply is not a MAC of \(n) hex characters")
        }
        return (Array(payload.prefix(n)), Array(payload.dropFirst(n)))
    }
}

// MARK: - MAC (S0)

/// Sends `S0` and returns the reply payload.
func icMAC(_ client: CACipherClient, mode: Int, type: Int, keyType: KeyType, key: KeyField, derivation: [[UInt8]] = [],
           session: ICSessionKey = .none, padding: Int, data: [UInt8], iv: [UInt8]) throws -> [UInt8] {
    let req = ICGenerateMACRequest(macMode: mode, macType: type,
                                   key: ICKeySpec(keyType: keyType, key: key, derivation: derivation, session: session),
                                   padding: padding, data: data, iv: iv)
    return try CompatExchange.send(client, req, ICRawReply.self).bytes
}

/// The hex data of the `Tass_*` MAC functions: `len` must equal its length (`HAR_PARAM_LEN`),
/// at most `maxChars` characters (`HAR_PARAM_LEN`), even and hex (`HAR_HEX_TO_BYTE`).
func tassMACData(_ p: CString?, _ len: Int32, _ name: String, maxChars: Int) throws -> [UInt8] {
    let t = try Arg.string(p, name, max: maxChars)
    guard Int(len) == t.count else { throw CompatError(HAR.paramLen, "\(name) has \(t.count) characters, the length argument says \(len)") }
    return try Arg.hexBytes(t, name)
}

/// `Tass_Gen_ANSI_Mac`: `S0` mode 03 (ISO 9797-1 algorithm 3, X9.19), MAC type 08, ZAK
/// `008`, no derivation or session key, padding 02 (zeros), IV zeros (vendor §10.3.1).
/// Key rule A; data hex, `iInDataLen` = its length, at most 1024 characters. `pcMac`: 16H.
@_cdecl("Tass_Gen_ANSI_Mac")
public func Tass_Gen_ANSI_Mac(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ dataLen: Int32, _ data: CString?,
                              _ mac: CString?) -> Int32 {
    Compat.run("Tass_Gen_ANSI_Mac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let client = try CompatRuntime.sessionClient(session, "Tass_Gen_ANSI_Mac")
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .a, name: "ZAK")
        let d = try tassMACData(data, dataLen, "pcInData", maxChars: 1024)
        let r = try icMAC(client, mode: 3, type: 8, keyType: .zak, key: k, padding: 2, data: d, iv: [UInt8](repeating: 0, count: 8))
        Out.string(mac, try ICArg.splitMAC(r, macType: 8, key: k).mac)
        return HAR.ok
    }
}

@_cdecl("Tass_GenANSIMac")
public func Tass_GenANSIMac(_ s: Handle?, _ i: Int32, _ k: CString?, _ l: Int32, _ d: CString?, _ m: CString?) -> Int32 {
    Tass_Gen_ANSI_Mac(s, i, k, l, d, m)
}

@_cdecl("Tass_GenANSI_Mac")
public func Tass_GenANSI_Mac(_ s: Handle?, _ i: Int32, _ k: CString?, _ l: Int32, _ d: CString?, _ m: CString?) -> Int32 {
    Tass_Gen_ANSI_Mac(s, i, k, l, d, m)
}

/// `Tass_GenUnionMac`: the UnionPay MAC, as `Tass_Gen_ANSI_Mac` with MAC mode 01 (ISO 9797-1
/// algorithm 1) and data up to 4096 hex characters (vendor §10.3.2). `pcMac`: 16H.
@_cdecl("Tass_GenUnionMac")
public func Tass_GenUnionMac(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ dataLen: Int32, _ data: CString?,
                             _ mac: CString?) -> Int32 {
    Compat.run("Tass_GenUnionMac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let client = try CompatRuntime.sessionClient(session, "Tass_GenUnionMac")
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .a, name: "ZAK")
        let d = try tassMACData(data, dataLen, "pcInData", maxChars: 4096)
        let r = try icMAC(client, mode: 1, type: 8, keyType: .zak, key: k, padding: 2, data: d, iv: [UInt8](repeating: 0, count: 8))
        Out.string(mac, try ICArg.splitMAC(r, macType: 8, key: k).mac)
        return HAR.ok
    }
}

/// `Tass_GenUnionMac_IV` (session-less): the UnionPay MAC with a caller IV, also for SM4
/// keys: `S0` 01, MAC type 10, `008`, no derivation or session key, padding 02 (vendor
/// §10.3.3). The key's scheme decides the IV: from its first letter for a cryptogram, from
/// a `KG` query for a key index > 0 (the HSM's error, e.g. 12, comes back as it is); `P`,
/// `L`, `R` keys take a 32H IV, the others 16H (NULL = zeros; another length
/// `HAR_PARAM_IV`). `pcMac`: the whole MAC (16H DES, 32H SM4/AES).
@_cdecl("Tass_GenUnionMac_IV")
public func Tass_GenUnionMac_IV(_ keyIndex: Int32, _ key: CString?, _ iv: CString?, _ dataLen: Int32, _ data: CString?,
                                _ mac: CString?) -> Int32 {
    Compat.run("Tass_GenUnionMac_IV") {
        try Out.require((Out.raw(mac), "pcMac"))
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .a, name: "ZAK")
        let d = try tassMACData(data, dataLen, "pcMacData", maxChars: 4096)
        if iv != nil { _ = try ICArg.iv(iv, "pcIV", error: HAR.paramIV) }
        let client = try CompatRuntime.initClient("Tass_GenUnionMac_IV")
        let scheme: KeyScheme
        switch k {
        case let .encrypted(s, _): scheme = s
        case let .stored(i): scheme = try client.storedKeyInfo(index: i).scheme
        }
        let block = scheme.algorithm == .des ? 8 : 16
        var v = [UInt8](repeating: 0, count: block)
        if iv != nil {
            v = try ICArg.iv(iv, "pcIV", error: HAR.paramIV)
            guard v.count == block else { throw CompatError(HAR.paramIV, "pcIV must be \(2 * block) hex characters for this key") }
        }
        let r = try icMAC(client, mode: 1, type: 10, keyType: .zak, key: k, padding: 2, data: d, iv: v)
        Out.string(mac, try ICArg.splitMAC(r, macType: 10, key: .encrypted(scheme: scheme, material: [])).mac)
        return HAR.ok
    }
}

/// `Tass_GenerateICMac` (session-less): general MAC / TAC over IC-card data with a derived
/// session key: `S0` mode, MAC type, `008`, KEY, DERIVE, SESSION, padding, data, IV (vendor
/// §10.3.5). `iMode` 1 or 3 (`HAR_PARAM_MAC_MODE`); `iMacType` 0...99; 0...3 derivation
/// levels (`HAR_PARAM_DERIVE_NUM`); data hex, `iInDataLen` and the data at most 3936
/// characters; IV 16H/32H (`HAR_PARAM_IV`). `pcMac`: the MAC ((type mod 10) x 2 hex, the
/// whole block for 0); a MAC cryptogram in the reply is not returned.
@_cdecl("Tass_GenerateICMac")
public func Tass_GenerateICMac(_ keyIndex: Int32, _ key: CString?, _ mode: Int32, _ macType: Int32, _ deriveNum: Int32,
                               _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                               _ data: CString?, _ dataLen: Int32, _ iv: CString?, _ mac: CString?) -> Int32 {
    Compat.run("Tass_GenerateICMac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .a, name: "key")
        guard mode == 1 || mode == 3 else { throw CompatError(HAR.paramMacMode, "iMode \(mode) is not 1 or 3") }
        let type = try ICArg.twoDigits(macType, "iMacType")
        let levels = try ICArg.derivation(count: deriveNum, data: deriveData, max: 3, countError: HAR.paramDeriveNum,
                                          nullError: HAR.paramDeriveNum, lengthError: HAR.paramDeriveNum)
        let s = try ICArg.session(mode: sessionMode, data: sessionData)
        let p = try ICArg.padding(padding)
        guard dataLen >= 0, dataLen <= 3936 else { throw CompatError(HAR.paramLen, "iInDataLen \(dataLen) is out of range (0 to 3936)") }
        let d = try ICArg.hexData(data, "pcInData", maxBytes: 1968)
        let v = try ICArg.iv(iv, "pcIv", error: HAR.paramIV)
        let r = try icMAC(try CompatRuntime.initClient("Tass_GenerateICMac"), mode: Int(mode), type: type, keyType: .zak, key: k,
                          derivation: levels, session: s, padding: p, data: d, iv: v)
        Out.string(mac, try ICArg.splitMAC(r, macType: type, key: k).mac)
        return HAR.ok
    }
}

/// The `HSM_IC_*` MAC request arguments, checked: MAC mode and type 2N, key type, key (any
/// field), DERIVE (levels = strlen / 32, at most 3), SESSION, padding, data (at most 4096
/// bytes), IV 16H/32H (`HAR_PARAM_IV`).
func hsmICMAC(_ client: () throws -> CACipherClient, _ mode: Int32, _ macType: Int, _ type: CString?, _ keyIndex: Int32,
              _ key: CString?, _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
              _ data: UnsafeMutablePointer<UInt8>?, _ dataLen: Int32, _ iv: CString?) throws -> (payload: [UInt8], key: KeyField) {
    let m = try ICArg.twoDigits(mode, "iMode")
    let t = try Arg.keyType(type, "pcType")
    let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .field, name: "key", maxIndex: 9999)
    let levels = try ICArg.derivation(deriveData, max: 3)
    let s = try ICArg.session(mode: sessionMode, data: sessionData)
    let p = try ICArg.padding(padding)
    let d = try Arg.bytes(data, dataLen, "pcInputData", max: ICArg.maxMAC)
    let v = try ICArg.iv(iv, "pcIV", error: HAR.paramIV)
    let r = try icMAC(try client(), mode: m, type: macType, keyType: t, key: k, derivation: levels, session: s, padding: p, data: d, iv: v)
    return (r, k)
}

/// `HSM_IC_GeneralGenerateMac` (session-less): `S0` with the caller's MAC mode and type
/// (vendor §14.14). `pcMac`: the MAC; `pcMacCiher` (may be NULL): the 16H MAC cryptogram
/// when the HSM sends one, else "".
@_cdecl("HSM_IC_GeneralGenerateMac")
public func HSM_IC_GeneralGenerateMac(_ mode: Int32, _ macType: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?,
                                      _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                                      _ data: UnsafeMutablePointer<UInt8>?, _ dataLen: Int32, _ iv: CString?,
                                      _ mac: CString?, _ macCipher: CString?) -> Int32 {
    Compat.run("HSM_IC_GeneralGenerateMac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let mt = try ICArg.twoDigits(macType, "iMacType")
        let (r, k) = try hsmICMAC({ try CompatRuntime.initClient("HSM_IC_GeneralGenerateMac") }, mode, mt, type, keyIndex, key,
                                  deriveData, sessionMode, sessionData, padding, data, dataLen, iv)
        let split = try ICArg.splitMAC(r, macType: mt, key: k)
        Out.string(mac, split.mac)
        Out.string(macCipher, split.cryptogram)
        return HAR.ok
    }
}

/// `HSM_IC_GenerateMac`: as `HSM_IC_GeneralGenerateMac` with MAC type 08, through a
/// session (vendor §14.15). `pcMac`: 16H.
@_cdecl("HSM_IC_GenerateMac")
public func HSM_IC_GenerateMac(_ session: Handle?, _ mode: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?,
                               _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                               _ data: UnsafeMutablePointer<UInt8>?, _ dataLen: Int32, _ iv: CString?, _ mac: CString?) -> Int32 {
    Compat.run("HSM_IC_GenerateMac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let client = try CompatRuntime.sessionClient(session, "HSM_IC_GenerateMac")
        let (r, k) = try hsmICMAC({ client }, mode, 8, type, keyIndex, key, deriveData, sessionMode, sessionData, padding, data, dataLen, iv)
        Out.string(mac, try ICArg.splitMAC(r, macType: 8, key: k).mac)
        return HAR.ok
    }
}

/// `HSM_IC_GenerateMac_SM4` (session-less): as `HSM_IC_GeneralGenerateMac` with MAC type 10,
/// for 16-byte-block keys (vendor §14.17). `pcMac`: the whole payload (32H under SM4/AES
/// keys, 16H under DES keys).
@_cdecl("HSM_IC_GenerateMac_SM4")
public func HSM_IC_GenerateMac_SM4(_ mode: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?, _ deriveData: CString?,
                                   _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                                   _ data: UnsafeMutablePointer<UInt8>?, _ dataLen: Int32, _ iv: CString?, _ mac: CString?) -> Int32 {
    Compat.run("HSM_IC_GenerateMac_SM4") {
        try Out.require((Out.raw(mac), "pcMac"))
        let (r, _) = try hsmICMAC({ try CompatRuntime.initClient("HSM_IC_GenerateMac_SM4") }, mode, 10, type, keyIndex, key,
                                  deriveData, sessionMode, sessionData, padding, data, dataLen, iv)
        guard Arg.isHex(r), !r.isEmpty else { throw CompatError(HAR.msgRspCode, "S0: the reply is not a hex MAC") }
        Out.string(mac, r)
        return HAR.ok
    }
}

// MARK: - Data (S3, S4, S5)

/// Sends `S3` (encrypt) or `S4` (decrypt) and returns the data of the reply. The request
/// (`S3`: the clear data) is zeroed after sending, as the reply always is.
func icCipher(_ client: CACipherClient, encrypt: Bool, _ f: ICCipherFields) throws -> [UInt8] {
    if encrypt { return try CompatExchange.send(client, ICEncryptRequest(f), ICCipherResponse.self, secret: true).data }
    return try CompatExchange.send(client, ICDecryptRequest(f), ICCipherResponse.self, secret: true).data
}

/// The track-data functions (vendor §10.4.1): `S3`/`S4` with `00A`, no derivation or
/// session key, `iAlgId` and `iPadFlg` sent as given (2N). CBC (1) needs a 16H/32H IV
/// (`HAR_PARAM_VALUE`); `iAlgId` 2 with an empty IV is `HAR_PARAM_IV`. Data: even-length hex
/// (`iTrackTextLen` is ignored), at most 1968 bytes to encrypt, 1984 to decrypt.
func trackData(_ name: StaticString, encrypt: Bool, _ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ input: CString?,
               _ alg: Int32, _ pad: Int32, _ iv: CString?, _ out: CString?) -> Int32 {
    Compat.run(name) {
        try Out.require((Out.raw(out), encrypt ? "pcTrackCipher" : "pcTrackText"))
        let client = try CompatRuntime.sessionClient(session, "\(name)")
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .field, name: "ZEK")
        let d = try ICArg.hexData(input, encrypt ? "pcTrackText" : "pcTrackCipher", maxBytes: encrypt ? ICArg.maxEncrypt : ICArg.maxDecrypt)
        let mode = try ICArg.twoDigits(alg, "iAlgId")
        let p = try ICArg.twoDigits(pad, "iPadFlg")
        var v: [UInt8]?
        if mode == 1 {
            v = try ICArg.iv(iv, "pcIV", error: HAR.paramValue)
        } else if mode == 2, (try? Arg.string(iv, "pcIV", max: 64))?.isEmpty ?? true {
            throw CompatError(HAR.paramIV, "iAlgId 2 and no IV")
        }
        var r = try icCipher(client, encrypt: encrypt, ICCipherFields(mode: mode, key: ICKeySpec(keyType: .zek, key: k), padding: p, data: d, iv: v))
        defer { SecureBytes.zero(&r) }
        Out.hex(out, r)
        return HAR.ok
    }
}

/// `Tass_EncryptTrackData`: `S3` under a ZEK (vendor §10.4.2). `pcTrackCipher`: hex.
@_cdecl("Tass_EncryptTrackData")
public func Tass_EncryptTrackData(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ text: CString?, _ textLen: Int32,
                                  _ alg: Int32, _ pad: Int32, _ iv: CString?, _ out: CString?) -> Int32 {
    trackData("Tass_EncryptTrackData", encrypt: true, session, keyIndex, key, text, alg, pad, iv, out)
}

/// `Tass_DecryptTrackData`: `S4` under a ZEK (vendor §10.4.3). `pcTrackText`: hex.
@_cdecl("Tass_DecryptTrackData")
public func Tass_DecryptTrackData(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ cipher: CString?, _ textLen: Int32,
                                  _ alg: Int32, _ pad: Int32, _ iv: CString?, _ out: CString?) -> Int32 {
    trackData("Tass_DecryptTrackData", encrypt: false, session, keyIndex, key, cipher, alg, pad, iv, out)
}

/// The checked arguments of `Tass_EncryptData` / `Tass_DecryptData` / `Tass_EncryptICData`
/// (vendor §10.4.4, §10.4.7) as `S3`/`S4` fields.
func tassDataFields(_ keyType: KeyType, encrypt: Bool, ic: Bool, _ keyIndex: Int32, _ key: CString?, _ encMode: Int32,
                    _ deriveNum: Int32, _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?,
                    _ padding: Int32, _ input: CString?, _ iv: CString?) throws -> ICCipherFields {
    let k = ic ? try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .a, name: "MDK")
        : try KeyArgument.read(index: keyIndex, cryptogram: key, rule: encrypt ? .a : .two, name: "key", lengthError: HAR.paramLen)
    guard encMode == 0 || encMode == 1 else { throw CompatError(HAR.paramEncMode, "iEncMode \(encMode) is not 0 (ECB) or 1 (CBC)") }
    let levels = encrypt
        ? try ICArg.derivation(count: deriveNum, data: deriveData, max: 3, countError: HAR.paramDeriveNum, nullError: HAR.paramIsNull,
                               lengthError: HAR.paramLen)
        : try ICArg.derivation(count: deriveNum, data: deriveData, max: 3, countError: HAR.paramDeriveNum, nullError: HAR.paramDeriveNum,
                               lengthError: HAR.paramDeriveNum)
    let s = try ICArg.session(mode: sessionMode, data: sessionData)
    let p = try ICArg.padding(padding)
    let d = try ICArg.hexData(input, "pcInData", maxBytes: ic ? 1024 : encrypt ? ICArg.maxEncrypt : ICArg.maxDecrypt)
    let v: [UInt8]? = encMode == 1 ? try ICArg.iv(iv, "pcIv", error: ic ? HAR.paramLen : HAR.paramValue) : nil
    return ICCipherFields(mode: Int(encMode), key: ICKeySpec(keyType: keyType, key: k, derivation: levels, session: s),
                          padding: p, data: d, iv: v)
}

/// `Tass_EncryptData`: `S3` under a DEK/ZEK (`00A`), derived and with a session key (vendor
/// §10.4.5). Returns the number of hex characters written to `pcOutData` (the vendor's
/// quirk, §4.5), or an error code.
@_cdecl("Tass_EncryptData")
public func Tass_EncryptData(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ encMode: Int32, _ deriveNum: Int32,
                             _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                             _ input: CString?, _ iv: CString?, _ out: CString?) -> Int32 {
    Compat.run("Tass_EncryptData") {
        try Out.require((Out.raw(out), "pcOutData"))
        let client = try CompatRuntime.sessionClient(session, "Tass_EncryptData")
        let f = try tassDataFields(.zek, encrypt: true, ic: false, keyIndex, key, encMode, deriveNum, deriveData, sessionMode,
                                   sessionData, padding, input, iv)
        let r = try icCipher(client, encrypt: true, f)
        Out.hex(out, r)
        return Int32(2 * r.count)
    }
}

/// `Tass_DecryptData`: `S4` under a DEK/ZEK (`00A`) (vendor §10.4.6). Returns 0.
@_cdecl("Tass_DecryptData")
public func Tass_DecryptData(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ encMode: Int32, _ deriveNum: Int32,
                             _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                             _ input: CString?, _ iv: CString?, _ out: CString?) -> Int32 {
    Compat.run("Tass_DecryptData") {
        try Out.require((Out.raw(out), "pcOutData"))
        let client = try CompatRuntime.sessionClient(session, "Tass_DecryptData")
        let f = try tassDataFields(.zek, encrypt: false, ic: false, keyIndex, key, encMode, deriveNum, deriveData, sessionMode,
                                   sessionData, padding, input, iv)
        var r = try icCipher(client, encrypt: false, f)
        defer { SecureBytes.zero(&r) }
        Out.hex(out, r)
        return HAR.ok
    }
}

/// `Tass_EncryptICData`: as `Tass_EncryptData` with key type `109` (MDK, derived per card
/// and session) (vendor §10.4.7): key rule A, input at most 2048 hex characters, a CBC IV
/// 16H/32H (`HAR_PARAM_LEN`). Returns the number of hex characters written.
@_cdecl("Tass_EncryptICData")
public func Tass_EncryptICData(_ session: Handle?, _ keyIndex: Int32, _ key: CString?, _ encMode: Int32, _ deriveNum: Int32,
                               _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                               _ input: CString?, _ iv: CString?, _ out: CString?) -> Int32 {
    Compat.run("Tass_EncryptICData") {
        try Out.require((Out.raw(out), "pcOutData"))
        let client = try CompatRuntime.sessionClient(session, "Tass_EncryptICData")
        let f = try tassDataFields(.mkAC, encrypt: true, ic: true, keyIndex, key, encMode, deriveNum, deriveData, sessionMode,
                                   sessionData, padding, input, iv)
        let r = try icCipher(client, encrypt: true, f)
        Out.hex(out, r)
        return Int32(2 * r.count)
    }
}

/// One side of `Tass_TransferCipher` (vendor §10.4.8): key rule 1; mode 0...3
/// (`HAR_PARAM_VALUE`); 0...8 derivation levels of exactly 32 x count characters
/// (`HAR_PARAM_LEN`); SESSION; padding; an IV 16H/32H whenever the mode is not 0
/// (`HAR_PARAM_VALUE`; sent for CBC only, as the `S5` layout carries it).
func transferSide(_ side: String, _ keyIndex: Int32, _ key: CString?, _ encMode: Int32, _ count: Int32, _ deriveData: CString?,
                  _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32, _ iv: CString?) throws -> ICCipherSide {
    let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .one, name: "\(side) key")
    guard (0...3).contains(encMode) else { throw CompatError(HAR.paramValue, "\(side) mode \(encMode) is not 0 to 3") }
    let levels = try ICArg.derivation(count: count, data: deriveData, max: 8, countError: HAR.paramLen, nullError: HAR.paramLen,
                                      lengthError: HAR.paramLen)
    let s = try ICArg.session(mode: sessionMode, data: sessionData)
    let p = try ICArg.padding(padding)
    var v: [UInt8]?
    if encMode != 0 {
        let x = try ICArg.iv(iv, "\(side) IV", error: HAR.paramValue)
        if encMode == 1 { v = x }
    }
    return ICCipherSide(mode: Int(encMode), key: ICKeySpec(keyType: .zek, key: k, derivation: levels, session: s), padding: p, iv: v)
}

/// `Tass_TransferCipher` (session-less): `S5`, a cryptogram from one DEK/ZEK (`00A`) to
/// another (vendor §10.4.8). `pcSrcCipher`: even-length hex, at most 4096 characters; it is
/// sent as the `S5` data (the vendor sent none: its defect). Returns the number of hex
/// characters written to `pcDstCipher`.
@_cdecl("Tass_TransferCipher")
public func Tass_TransferCipher(_ srcIndex: Int32, _ srcKey: CString?, _ srcMode: Int32, _ srcCount: Int32, _ srcDerive: CString?,
                                _ srcSessionMode: Int32, _ srcSessionData: CString?, _ srcPadding: Int32, _ srcIV: CString?,
                                _ srcCipher: CString?, _ dstIndex: Int32, _ dstKey: CString?, _ dstMode: Int32, _ dstCount: Int32,
                                _ dstDerive: CString?, _ dstSessionMode: Int32, _ dstSessionData: CString?, _ dstPadding: Int32,
                                _ dstIV: CString?, _ dstCipher: CString?) -> Int32 {
    Compat.run("Tass_TransferCipher") {
        try Out.require((Out.raw(dstCipher), "pcDstCipher"))
        let s = try transferSide("source", srcIndex, srcKey, srcMode, srcCount, srcDerive, srcSessionMode, srcSessionData, srcPadding, srcIV)
        let d = try transferSide("destination", dstIndex, dstKey, dstMode, dstCount, dstDerive, dstSessionMode, dstSessionData,
                                 dstPadding, dstIV)
        let data = try ICArg.hexData(srcCipher, "pcSrcCipher", maxBytes: 2048)
        let r = try CompatExchange.send(try CompatRuntime.initClient("Tass_TransferCipher"),
                                        ICTranslateRequest(source: s, destination: d, data: data), ICCipherResponse.self)
        Out.hex(dstCipher, r.data)
        return Int32(2 * r.data.count)
    }
}

/// The `HSM_IC_*` cipher side arguments: mode 2N as given, key type, key (any field), DERIVE
/// (levels = strlen / 32, at most 8), SESSION, padding, IV 16H/32H for CBC
/// (`HAR_PARAM_VALUE`).
func hsmICSide(_ mode: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?, _ deriveData: CString?, _ sessionMode: Int32,
               _ sessionData: CString?, _ padding: Int32, _ iv: CString?, _ side: String) throws -> ICCipherSide {
    let m = try ICArg.twoDigits(mode, "\(side)mode")
    let t = try Arg.keyType(type, "\(side)key type")
    let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .field, name: "\(side)key", maxIndex: 9999)
    let levels = try ICArg.derivation(deriveData, max: 8)
    let s = try ICArg.session(mode: sessionMode, data: sessionData)
    let p = try ICArg.padding(padding)
    let v: [UInt8]? = m == 1 ? try ICArg.iv(iv, "\(side)IV", error: HAR.paramValue) : nil
    return ICCipherSide(mode: m, key: ICKeySpec(keyType: t, key: k, derivation: levels, session: s), padding: p, iv: v)
}

func hsmICCipher(_ name: StaticString, encrypt: Bool, _ session: Handle?, _ mode: Int32, _ type: CString?, _ keyIndex: Int32,
                 _ key: CString?, _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                 _ iv: CString?, _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                 _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run(name) {
        try Out.require((Out.raw(output), "pucOutputData"), (Out.raw(outputLen), "piOutputLength"))
        let client = try CompatRuntime.sessionClient(session, "\(name)")
        let side = try hsmICSide(mode, type, keyIndex, key, deriveData, sessionMode, sessionData, padding, iv, "")
        var d = try Arg.bytes(input, inputLen, "pucInputData", max: encrypt ? ICArg.maxEncrypt : ICArg.maxDecrypt)
        defer { SecureBytes.zero(&d) }
        var r = try icCipher(client, encrypt: encrypt, ICCipherFields(mode: side.mode, key: side.key, padding: side.padding, data: d, iv: side.iv))
        defer { SecureBytes.zero(&r) }
        Out.binary(output, outputLen, r)
        return HAR.ok
    }
}

/// `HSM_IC_SymmKeyEncryptData`: `S3` (vendor §14.11); input at most 1968 bytes; the
/// cryptogram into `pucOutputData` (`*piOutputLength` bytes).
@_cdecl("HSM_IC_SymmKeyEncryptData")
public func HSM_IC_SymmKeyEncryptData(_ session: Handle?, _ mode: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?,
                                      _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                                      _ iv: CString?, _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                      _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    hsmICCipher("HSM_IC_SymmKeyEncryptData", encrypt: true, session, mode, type, keyIndex, key, deriveData, sessionMode,
                sessionData, padding, iv, input, inputLen, output, outputLen)
}

/// `HSM_IC_SymmKeyDecryptData`: `S4` (vendor §14.12); input at most 1984 bytes.
@_cdecl("HSM_IC_SymmKeyDecryptData")
public func HSM_IC_SymmKeyDecryptData(_ session: Handle?, _ mode: Int32, _ type: CString?, _ keyIndex: Int32, _ key: CString?,
                                      _ deriveData: CString?, _ sessionMode: Int32, _ sessionData: CString?, _ padding: Int32,
                                      _ iv: CString?, _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                      _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    hsmICCipher("HSM_IC_SymmKeyDecryptData", encrypt: false, session, mode, type, keyIndex, key, deriveData, sessionMode,
                sessionData, padding, iv, input, inputLen, output, outputLen)
}

/// `HSM_IC_SymmKeyTransferCipher` (session-less): `S5` (vendor §14.13); input at most 1984
/// bytes; the cryptogram under the destination into `pucOutputData`.
@_cdecl("HSM_IC_SymmKeyTransferCipher")
public func HSM_IC_SymmKeyTransferCipher(_ srcMode: Int32, _ srcType: CString?, _ srcIndex: Int32, _ srcKey: CString?,
                                         _ srcDerive: CString?, _ srcSessionMode: Int32, _ srcSessionData: CString?,
                                         _ srcPadding: Int32, _ srcIV: CString?, _ dstMode: Int32, _ dstType: CString?,
                                         _ dstIndex: Int32, _ dstKey: CString?, _ dstDerive: CString?, _ dstSessionMode: Int32,
                                         _ dstSessionData: CString?, _ dstPadding: Int32, _ dstIV: CString?,
                                         _ input: UnsafeMutablePointer<UInt8>?, _ inputLen: Int32,
                                         _ output: UnsafeMutablePointer<UInt8>?, _ outputLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_IC_SymmKeyTransferCipher") {
        try Out.require((Out.raw(output), "pucOutputData"), (Out.raw(outputLen), "piOutputLength"))
        let s = try hsmICSide(srcMode, srcType, srcIndex, srcKey, srcDerive, srcSessionMode, srcSessionData, srcPadding, srcIV, "source ")
        let d = try hsmICSide(dstMode, dstType, dstIndex, dstKey, dstDerive, dstSessionMode, dstSessionData, dstPadding, dstIV, "destination ")
        let data = try Arg.bytes(input, inputLen, "pucInputData", max: ICArg.maxDecrypt)
        let r = try CompatExchange.send(try CompatRuntime.initClient("HSM_IC_SymmKeyTransferCipher"),
                                        ICTranslateRequest(source: s, destination: d, data: data), ICCipherResponse.self)
        Out.binary(output, outputLen, r.data)
        return HAR.ok
    }
}
