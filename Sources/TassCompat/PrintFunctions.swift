import CACipherCore
import HostProtocol

// Key printing (vendor spec §10.1.14, §10.1.15, §11.19, §11.20, §11.24): `PA`, `A2`, `A3`,
// session-less. The commands print on the HSM's printer: they are never re-sent to another
// member after a failure that may have reached one (that would print twice). evsm has no
// printer and answers 68 (command not supported), which these functions return.

/// The template `Tass_SetPrintFormat(NULL)` loads: three labelled lines (key component,
/// check value, remarks), in the vendor's template syntax (`>L` new line, `>0nn` column,
/// `^P`/`^T`/`^0` the data).
let defaultPrintFormat = Array(">L>010密钥分量: ^P>L>010校验值: ^T>L>010备注: ^0>L".utf8)

@_cdecl("HSM_RCL_LoadFormatData")
public func HSM_RCL_LoadFormatData(_ format: CString?) -> Int32 {
    Compat.run("HSM_RCL_LoadFormatData") {
        let f = try Arg.string(format, "pcFormatData", max: LoadPrintFormatRequest.maxLength)
        _ = try CompatExchange.send(CompatRuntime.initClient("HSM_RCL_LoadFormatData"), LoadPrintFormatRequest(format: f),
                                    EmptyResponse.self, idempotent: false)
        return HAR.ok
    }
}

/// `Tass_SetPrintFormat`: `PA` with the caller's template (at most 512 characters), or the
/// built-in one for NULL.
@_cdecl("Tass_SetPrintFormat")
public func Tass_SetPrintFormat(_ format: CString?) -> Int32 {
    Compat.run("Tass_SetPrintFormat") {
        let f = format == nil ? defaultPrintFormat : try Arg.string(format, "pcFormatStr", max: 512)
        _ = try CompatExchange.send(CompatRuntime.initClient("Tass_SetPrintFormat"), LoadPrintFormatRequest(format: f),
                                    EmptyResponse.self, idempotent: false)
        return HAR.ok
    }
}

/// `HSM_RCL_GenAndPrintKeyElement`: `A2`, a component printed and returned under the LMK;
/// the check value is written as 8 characters.
@_cdecl("HSM_RCL_GenAndPrintKeyElement")
public func HSM_RCL_GenAndPrintKeyElement(_ keyType: CString?, _ scheme: CChar, _ printFields: CString?,
                                          _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenAndPrintKeyElement") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKCV"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        let p = try Arg.string(printFields, "pcPrintDomain", max: 1024)
        let r = try CompatExchange.send(CompatRuntime.initClient("HSM_RCL_GenAndPrintKeyElement"),
                                        PrintComponentRequest(keyType: t, scheme: s, printFields: p), PrintedKeyResponse.self,
                                        idempotent: false)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, Array(r.checkValue.prefix(4)))
        return HAR.ok
    }
}

/// `HSM_RCL_GenAndPrintKey`: `A3`. Mode 0: a key of `pcKeyType`/`cKeyScheme`, returned under
/// the LMK; another mode: a component of `iKeyComponentLen`, returned as hex.
@_cdecl("HSM_RCL_GenAndPrintKey")
public func HSM_RCL_GenAndPrintKey(_ mode: Int32, _ keyType: CString?, _ scheme: CChar, _ componentLength: Int32,
                                   _ kcvAlgorithm: Int32, _ kcvMode: Int32, _ printFields: CString?,
                                   _ outKey: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("HSM_RCL_GenAndPrintKey") {
        guard (0...9).contains(mode) else { throw CompatError(HAR.paramValue, "iGenMode \(mode) is not 0...9") }
        guard (0...99).contains(kcvAlgorithm), (0...99).contains(kcvMode) else {
            throw CompatError(HAR.paramValue, "check value algorithm or mode out of range (0...99)")
        }
        try Out.require((Out.raw(outKey), "pcKeyCipher"), (Out.raw(outKCV), "pcKeyCv"))
        let p = try Arg.string(printFields, "pcPrintDomain", max: 1024)
        let client = try CompatRuntime.initClient("HSM_RCL_GenAndPrintKey")
        if mode == 0 {
            let req = PrintKeyRequest(mode: 0, keyType: try Arg.keyType(keyType), scheme: try Arg.scheme(scheme), componentLength: nil,
                                      checkValueAlgorithm: Int(kcvAlgorithm), checkValueMode: Int(kcvMode), printFields: p)
            let r = try CompatExchange.send(client, req, PrintedKeyResponse.self, idempotent: false)
            Out.key(outKey, r.key)
            Out.hex(outKCV, r.checkValue)
        } else {
            guard (1...9).contains(componentLength) else { throw CompatError(HAR.paramLen, "iKeyComponentLen \(componentLength) is not 1...9") }
            let req = PrintKeyRequest(mode: Int(mode), keyType: nil, scheme: nil, componentLength: Int(componentLength),
                                      checkValueAlgorithm: Int(kcvAlgorithm), checkValueMode: Int(kcvMode), printFields: p)
            // The component's length comes from the request: the KCV after it may be 16H, 8H or 6H.
            var payload = try CompatExchange.payload(client, req, idempotent: false)
            defer { SecureBytes.zero(&payload) }
            var r: PrintedComponentResponse
            do {
                r = try { () throws -> PrintedComponentResponse in
                    var reader = FieldReader(payload)
                    return try PrintedComponentResponse.decode(&reader, componentLength: Int(componentLength))
                }()
            } catch {
                throw CompatError(HAR.msgRspCode, "A3: the reply does not decode")
            }
            defer { SecureBytes.zero(&r.component) }
            Out.hex(outKey, r.component)
            Out.hex(outKCV, r.checkValue)
        }
        return HAR.ok
    }
}

/// `Tass_GenPrintRandkey`: `A3` mode 0 (KCV algorithm `30`, retrieval mode `10`, as the
/// vendor sends them), the mark text (at most 512 characters) followed by `;` as the print
/// fields.
@_cdecl("Tass_GenPrintRandkey")
public func Tass_GenPrintRandkey(_ keyType: CString?, _ scheme: CChar, _ mark: CString?, _ outLMK: CString?, _ outKCV: CString?) -> Int32 {
    Compat.run("Tass_GenPrintRandkey") {
        try Out.require((Out.raw(outLMK), "pcKeyCipherByLmk"), (Out.raw(outKCV), "pcKeyCv"))
        let t = try Arg.keyType(keyType)
        let s = try Arg.scheme(scheme)
        var p = try Arg.optionalString(mark, "pcMarkInfo", max: 512) ?? []
        p.append(UInt8(ascii: ";"))
        let req = PrintKeyRequest(mode: 0, keyType: t, scheme: s, componentLength: nil, checkValueAlgorithm: 30, checkValueMode: 10, printFields: p)
        let r = try CompatExchange.send(CompatRuntime.initClient("Tass_GenPrintRandkey"), req, PrintedKeyResponse.self, idempotent: false)
        Out.key(outLMK, r.key)
        Out.hex(outKCV, r.checkValue)
        return HAR.ok
    }
}
