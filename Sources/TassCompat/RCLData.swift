import CACipherCore
import HostProtocol

// Racal data and MAC functions: `E0`, `UQ`, `MS` (vendor spec §10.3.4, §11.12-§11.15;
// docs/wire.md "Racal data and MAC commands"). All session-less. The HSM_RCL_* functions send
// the vendor's fields byte for byte (the IV exactly as the caller gave it, hex or binary)
// through `CompatExchange` and the shared layouts of HostProtocol.

/// The largest IV argument: 8 or 16 bytes binary, 16 or 32 hex characters.
private let ivLengths: Set<Int32> = [8, 16, 32]

/// A 1N field value (the vendor formats these ints with `%d` into one character).
private func digit(_ v: Int32, _ name: String, _ range: ClosedRange<Int32> = 0...9) throws -> Int {
    guard range.contains(v) else { throw CompatError(HAR.paramValue, "\(name) \(v) is out of range (\(range.lowerBound) to \(range.upperBound))") }
    return Int(v)
}

/// The IV argument: `iIvLength` (8, 16 or 32) bytes from `pucIv`.
private func ivArgument(_ p: UnsafeMutablePointer<UInt8>?, _ len: Int32) throws -> [UInt8] {
    guard p != nil else { throw CompatError(HAR.paramIsNull, "pucIv is NULL") }
    guard ivLengths.contains(len) else { throw CompatError(HAR.paramLen, "iIvLength \(len) is not 8, 16 or 32") }
    return try Arg.bytes(p, len, "pucIv", max: 32)
}

/// `E0` for `HSM_RCL_EncryptData` / `HSM_RCL_DecryptData`: block flag, direction, algorithm
/// (0 ECB; any other value carries the IV, and the HSM takes 1 = CBC), key type `0` (ZEK),
/// binary in and out, padding `180000`. The reply's data goes to `pucOutput` /
/// `*piOutputLength`; with an IV and block flag 1 or 2 the reply's IV (`iIvLength` bytes)
/// goes back into `pucIv`.
private func racalData(_ function: StaticString, direction: Int, maxInput: Int, _ blockFlag: Int32, _ algorithm: Int32, _ zekIndex: Int32,
                       _ zek: CString?, _ iv: UnsafeMutablePointer<UInt8>?, _ ivLength: Int32, _ input: UnsafeMutablePointer<UInt8>?,
                       _ inputLength: Int32, _ output: UnsafeMutablePointer<UInt8>?, _ outputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run(function) {
        try Out.require((Out.raw(output), "pucOutput"), (Out.raw(outputLength), "piOutputLength"))
        let flag = try digit(blockFlag, "iBlockFlg", 0...3)
        let alg = try digit(algorithm, "iAlgoMode")
        let k = try KeyArgument.read(index: zekIndex, cryptogram: zek, rule: .field, name: "ZEK", maxIndex: 9999)
        let v: [UInt8]? = alg != 0 ? try ivArgument(iv, ivLength) : nil
        var data = try Arg.bytes(input, inputLength, "pucInput", max: maxInput)
        defer { SecureBytes.zero(&data) }
        guard !data.isEmpty else { throw CompatError(HAR.paramLen, "iInputLength is 0") }
        let client = try CompatRuntime.initClient(String(describing: function))
        var r = try CompatExchange.send(client, RacalDataRequest(blockFlag: flag, direction: direction, algorithm: alg, keyType: 0, key: k,
                                                                 iv: v, data: data), RacalDataResponse.self, secret: true)
        defer { SecureBytes.zero(&r.data) }
        if alg != 0, flag == 1 || flag == 2 {
            guard let next = r.iv, next.count == Int(ivLength), let iv else {
                throw CompatError(HAR.msgRspCode, "E0: the reply has no IV of iIvLength bytes")
            }
            next.withUnsafeBufferPointer { iv.update(from: $0.baseAddress!, count: next.count) }
        }
        Out.binary(output, outputLength, r.data)
        return HAR.ok
    }
}

/// `HSM_RCL_EncryptData` (session-less): `E0` direction 0, at most 1968 bytes of input.
@_cdecl("HSM_RCL_EncryptData")
public func HSM_RCL_EncryptData(_ blockFlag: Int32, _ algorithm: Int32, _ zekIndex: Int32, _ zek: CString?,
                                _ iv: UnsafeMutablePointer<UInt8>?, _ ivLength: Int32, _ input: UnsafeMutablePointer<UInt8>?, _ inputLength: Int32,
                                _ output: UnsafeMutablePointer<UInt8>?, _ outputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    racalData("HSM_RCL_EncryptData", direction: 0, maxInput: 1968, blockFlag, algorithm, zekIndex, zek, iv, ivLength, input, inputLength,
              output, outputLength)
}

/// `HSM_RCL_DecryptData` (session-less): `E0` direction 1, at most 1984 bytes of input.
@_cdecl("HSM_RCL_DecryptData")
public func HSM_RCL_DecryptData(_ blockFlag: Int32, _ algorithm: Int32, _ zekIndex: Int32, _ zek: CString?,
                                _ iv: UnsafeMutablePointer<UInt8>?, _ ivLength: Int32, _ input: UnsafeMutablePointer<UInt8>?, _ inputLength: Int32,
                                _ output: UnsafeMutablePointer<UInt8>?, _ outputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    racalData("HSM_RCL_DecryptData", direction: 1, maxInput: 1984, blockFlag, algorithm, zekIndex, zek, iv, ivLength, input, inputLength,
              output, outputLength)
}

/// `HSM_RCL_ZpkGenCbcMac` (session-less): `UQ`, the UnionPay POS MAC with a ZPK. The IV
/// (`iIvLength` bytes) is sent for block flags 2 and 3 only; `iMacLen` is the MAC length
/// field (`%02X`, hex characters: 8 = the UnionPay MAC). `pcOutput`: the whole reply
/// payload (the MAC or, for flags 1/2, the chaining value, as hex from a TASS device; vendor
/// spec §11.14), NUL-terminated (at most 33 bytes: a longer payload is `HAR_MEM_LENLESS`).
@_cdecl("HSM_RCL_ZpkGenCbcMac")
public func HSM_RCL_ZpkGenCbcMac(_ blockFlag: Int32, _ zpkIndex: Int32, _ zpk: CString?, _ iv: UnsafeMutablePointer<UInt8>?, _ ivLength: Int32,
                                 _ input: UnsafeMutablePointer<UInt8>?, _ inputLength: Int32, _ macLength: Int32, _ output: CString?) -> Int32 {
    Compat.run("HSM_RCL_ZpkGenCbcMac") {
        try Out.require((Out.raw(output), "pcOutput"))
        let flag = try digit(blockFlag, "iBlockFlg", 0...3)
        let k = try KeyArgument.read(index: zpkIndex, cryptogram: zpk, rule: .field, name: "ZPK", maxIndex: 9999)
        let v: [UInt8]? = flag >= 2 ? try ivArgument(iv, ivLength) : nil
        let data = try Arg.bytes(input, inputLength, "pucInput", max: 4095)
        guard (0...0xFF).contains(macLength) else { throw CompatError(HAR.paramValue, "iMacLen \(macLength) does not fit 2H") }
        let payload = try CompatExchange.payload(CompatRuntime.initClient("HSM_RCL_ZpkGenCbcMac"),
                                                 ZPKMACRequest(blockFlag: flag, key: k, iv: v, data: data, macLength: Int(macLength)))
        try writeWholePayload(output, payload, "UQ", max: 32)
        return HAR.ok
    }
}

/// `HSM_RCL_ZakAndTakGenCbcMac` (session-less): `MS`, the X9.9 / X9.19 MAC with a TAK
/// (`iKeyType` 0) or ZAK (1). The IV is always sent. `pucOutput` / `*piOutputLength`: the
/// whole reply payload (the MAC, or the chaining value, as hex characters; no NUL).
@_cdecl("HSM_RCL_ZakAndTakGenCbcMac")
public func HSM_RCL_ZakAndTakGenCbcMac(_ blockFlag: Int32, _ keyType: Int32, _ keyLength: Int32, _ dataType: Int32, _ keyIndex: Int32,
                                       _ key: CString?, _ iv: UnsafeMutablePointer<UInt8>?, _ ivLength: Int32,
                                       _ input: UnsafeMutablePointer<UInt8>?, _ inputLength: Int32,
                                       _ output: UnsafeMutablePointer<UInt8>?, _ outputLength: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_RCL_ZakAndTakGenCbcMac") {
        try Out.require((Out.raw(output), "pucOutput"), (Out.raw(outputLength), "piOutputLength"))
        let flag = try digit(blockFlag, "iBlockFlg", 0...3)
        let kind = try digit(keyType, "iKeyType")
        let len = try digit(keyLength, "iKeyLength", 0...2)
        let type = try digit(dataType, "iDataType", 0...1)
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .field, name: "key", maxIndex: 9999)
        let v = try ivArgument(iv, ivLength)
        let data = try Arg.bytes(input, inputLength, "pucInput", max: 4096)
        let r = try CompatExchange.send(CompatRuntime.initClient("HSM_RCL_ZakAndTakGenCbcMac"),
                                        ZAKTAKMACRequest(blockFlag: flag, keyKind: kind, keyLength: len, dataType: type, key: k, iv: v, data: data),
                                        ZAKTAKMACResponse.self)
        var payload: [UInt8] = []
        Hex.encode(r.mac, into: &payload)
        Out.binary(output, outputLength, payload)
        return HAR.ok
    }
}

/// `Tass_GenZPKMac` (session-less): the UnionPay POS MAC with a ZPK, `UQ` block flag 0, MAC
/// length `08`. Key: index 0...2048, a cryptogram of 16 or 33 characters (49 for an SM4/AES
/// key under this project's LMK). `pcInData`: hex (at most 4095 bytes; `iInDataLen` is
/// ignored, as by the vendor). `pcMac`: the whole reply payload (8 hex characters from a TASS
/// device; vendor spec §10.3.4) and a NUL, at most 16 characters (`HAR_MEM_LENLESS`).
@_cdecl("Tass_GenZPKMac")
public func Tass_GenZPKMac(_ keyIndex: Int32, _ key: CString?, _ inDataLength: Int32, _ inData: CString?, _ mac: CString?) -> Int32 {
    Compat.run("Tass_GenZPKMac") {
        try Out.require((Out.raw(mac), "pcMac"))
        let k = try KeyArgument.read(index: keyIndex, cryptogram: key, rule: .one, name: "ZPK")
        let data = try Arg.hex(inData, "pcInData", max: 2 * 4095)
        guard !data.isEmpty else { throw CompatError(HAR.paramLen, "pcInData is empty") }
        let payload = try CompatExchange.payload(CompatRuntime.initClient("Tass_GenZPKMac"), ZPKMACRequest(blockFlag: 0, key: k, data: data, macLength: 8))
        try writeWholePayload(mac, payload, "UQ", max: macPayloadMax)
        return HAR.ok
    }
}
