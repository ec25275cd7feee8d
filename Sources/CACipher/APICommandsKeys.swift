import CACipherCore
import HostProtocol

// Typed key commands: A0, A6, A8, A4, BU (include/cacipher.h, "Typed commands: keys").

@_cdecl("CACipher_GenerateKey")
public func CACipher_GenerateKey(_ h: OpaquePointer?, _ keyType: Int32, _ lmkScheme: Int32,
                                 _ zmk: UnsafePointer<CChar>?, _ zmkScheme: Int32,
                                 _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                                 _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                 _ keyZMK: UnsafeMutableRawPointer?, _ keyZMKLen: UnsafeMutablePointer<Int>?,
                                 _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_GenerateKey"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        let z: KeyField? = zmk == nil ? nil : try CArg.key(zmk, "zmk", fn)
        var zs: KeyScheme?
        if z != nil, zmkScheme != 0 { zs = try CArg.scheme(zmkScheme, "zmkScheme", fn) }
        let store = try CArg.store(storeIndex, label, fn)
        try CArg.len(keyLMKLen, "keyLMKLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        if z != nil { try CArg.len(keyZMKLen, "keyZMKLen (a ZMK was given)", fn) }
        let client = try Instances.resolve(h, fn)
        let g = try client.generateKey(type: t, scheme: s, exportUnder: z, exportScheme: zs, storeAt: store)
        var outs = [COut(bytes: CText.key(g.keyUnderLMK), text: true, buf: keyLMK, len: keyLMKLen, name: "keyLMK")]
        if let kz = g.keyUnderZMK { outs.append(COut(bytes: CText.key(kz), text: true, buf: keyZMK, len: keyZMKLen, name: "keyZMK")) }
        outs.append(COut(bytes: CText.hex(g.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv"))
        return try CBuffer.copyOutAll(outs, fn)
    }
}

@_cdecl("CACipher_ImportKey")
public func CACipher_ImportKey(_ h: OpaquePointer?, _ keyType: Int32, _ zmk: UnsafePointer<CChar>?,
                               _ keyUnderZMK: UnsafePointer<CChar>?, _ lmkScheme: Int32,
                               _ storeIndex: Int32, _ label: UnsafePointer<CChar>?,
                               _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                               _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ImportKey"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let z = try CArg.key(zmk, "zmk", fn)
        let k = try CArg.key(keyUnderZMK, "keyUnderZMK", fn, form: .underZMK)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        let store = try CArg.store(storeIndex, label, fn)
        try CArg.len(keyLMKLen, "keyLMKLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.importKey(type: t, zmk: z, keyUnderZMK: k, scheme: s, storeAt: store)
        return try CBuffer.copyOutAll([COut(bytes: CText.key(r.key), text: true, buf: keyLMK, len: keyLMKLen, name: "keyLMK"),
                                       COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
    }
}

@_cdecl("CACipher_ExportKey")
public func CACipher_ExportKey(_ h: OpaquePointer?, _ keyType: Int32, _ zmk: UnsafePointer<CChar>?,
                               _ key: UnsafePointer<CChar>?, _ zmkScheme: Int32,
                               _ keyZMK: UnsafeMutableRawPointer?, _ keyZMKLen: UnsafeMutablePointer<Int>?,
                               _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_ExportKey"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let z = try CArg.key(zmk, "zmk", fn)
        let k = try CArg.key(key, "key", fn)
        let s = try CArg.scheme(zmkScheme, "zmkScheme", fn)
        try CArg.len(keyZMKLen, "keyZMKLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.exportKey(type: t, zmk: z, key: k, scheme: s)
        return try CBuffer.copyOutAll([COut(bytes: CText.key(r.key), text: true, buf: keyZMK, len: keyZMKLen, name: "keyZMK"),
                                       COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
    }
}

@_cdecl("CACipher_FormKeyFromComponents")
public func CACipher_FormKeyFromComponents(_ h: OpaquePointer?, _ keyType: Int32, _ lmkScheme: Int32,
                                           _ components: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int32,
                                           _ keyLMK: UnsafeMutableRawPointer?, _ keyLMKLen: UnsafeMutablePointer<Int>?,
                                           _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_FormKeyFromComponents"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let s = try CArg.scheme(lmkScheme, "lmkScheme", fn)
        guard let components else { throw CArg.invalid(fn, "components is NULL") }
        guard (2...9).contains(count) else { throw CArg.invalid(fn, "count \(count) is out of range (2 to 9)") }
        var cs: [KeyField] = []
        for i in 0..<Int(count) { cs.append(try CArg.key(components[i], "components[\(i)]", fn)) }
        try CArg.len(keyLMKLen, "keyLMKLen", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        let r = try client.formKey(type: t, scheme: s, components: cs)
        return try CBuffer.copyOutAll([COut(bytes: CText.key(r.key), text: true, buf: keyLMK, len: keyLMKLen, name: "keyLMK"),
                                       COut(bytes: CText.hex(r.checkValue), text: true, buf: kcv, len: kcvLen, name: "kcv")], fn)
    }
}

@_cdecl("CACipher_KeyCheckValue")
public func CACipher_KeyCheckValue(_ h: OpaquePointer?, _ keyType: Int32, _ key: UnsafePointer<CChar>?,
                                   _ kcv: UnsafeMutableRawPointer?, _ kcvLen: UnsafeMutablePointer<Int>?) -> Int32 {
    let fn = "CACipher_KeyCheckValue"
    return cTyped(fn) {
        let t = try CArg.keyType(keyType, "keyType", fn)
        let k = try CArg.key(key, "key", fn)
        try CArg.len(kcvLen, "kcvLen", fn)
        let client = try Instances.resolve(h, fn)
        return try CBuffer.copyOutHex(try client.keyCheckValue(type: t, key: k), kcv, kcvLen, fn)
    }
}
