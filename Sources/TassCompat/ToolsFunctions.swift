#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CACipherCore
import HostProtocol

// The four helpers of the vendor's `hsmapi_tools.h` that its own test programs call and that
// its binary exports (vendor spec §1.3, "internal symbols"): hex <-> bytes, the DER
// `RSAPublicKey` of a modulus and exponent, and a hex dump on stdout. Declared in
// include/tass/hsmapi_tools.h, which hsmapi.h does not include (the vendor's did not: its
// programs call these through implicit declarations). They talk to no HSM. Return values
// are the header's: lengths or -1, 0 or a `HAR_*` code for `Tools_Der`.

/// `Tools_ConvertByte2HexStr`: `iInBufLen` bytes as upper-case hex and a NUL in `pcOutBuf`
/// (2 x `iInBufLen` + 1 bytes). The hex length, or -1 (NULL pointer, negative length).
@_cdecl("Tools_ConvertByte2HexStr")
public func Tools_ConvertByte2HexStr(_ pucInBuf: UnsafeMutablePointer<UInt8>?, _ iInBufLen: Int32,
                                     _ pcOutBuf: UnsafeMutablePointer<CChar>?) -> Int32 {
    guard iInBufLen >= 0, iInBufLen <= 1 << 24, Ptr.usable(pcOutBuf), iInBufLen == 0 || Ptr.usable(pucInBuf) else { return -1 }
    let bytes = iInBufLen == 0 ? [] : Array(UnsafeBufferPointer(start: pucInBuf, count: Int(iInBufLen)))
    Out.hex(pcOutBuf, bytes)
    return iInBufLen * 2
}

/// `Tools_ConvertHexStr2Byte`: the first `iInBufLen` characters of `pcInBuf` (hex, either
/// case, an even count) as bytes in `pucOutBuf`. The byte count, or -1 (NULL pointer, odd or
/// negative length, a non-hex character, a NUL before `iInBufLen` characters).
@_cdecl("Tools_ConvertHexStr2Byte")
public func Tools_ConvertHexStr2Byte(_ pcInBuf: UnsafeMutablePointer<CChar>?, _ iInBufLen: Int32,
                                     _ pucOutBuf: UnsafeMutablePointer<UInt8>?) -> Int32 {
    guard iInBufLen >= 0, iInBufLen % 2 == 0, iInBufLen <= 1 << 24, Ptr.usable(pcInBuf), Ptr.usable(pucOutBuf),
          let p = pcInBuf, strnlen(p, Int(iInBufLen)) == Int(iInBufLen) else { return -1 }
    let text = p.withMemoryRebound(to: UInt8.self, capacity: Int(iInBufLen)) { Array(UnsafeBufferPointer(start: $0, count: Int(iInBufLen))) }
    guard var bytes = Hex.decode(text) else { return -1 }
    defer { SecureBytes.zero(&bytes) }   // the helper may carry key or PIN material
    Out.binary(pucOutBuf, nil, bytes)
    return Int32(bytes.count)
}

/// `Tools_Der`: the DER `RSAPublicKey` (SEQUENCE { INTEGER n, INTEGER e }) of the hex modulus
/// `N` and exponent `E` (leading zero bytes dropped, one put back where the high bit is set)
/// in `pubkeyDer`, its length in `*pubkeyDerLen` (output). 0, `HAR_PARAM_ISNULL`,
/// `HAR_HEX_TO_BYTE` (odd length or not hex), `HAR_PARAM_LEN` (empty, or a modulus over 4096
/// bits).
@_cdecl("Tools_Der")
public func Tools_Der(_ N: UnsafeMutablePointer<CChar>?, _ E: UnsafeMutablePointer<CChar>?,
                      _ pubkeyDer: UnsafeMutablePointer<UInt8>?, _ pubkeyDerLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("Tools_Der") {
        try Out.require((Out.raw(pubkeyDer), "pubkeyDer"), (Out.raw(pubkeyDerLen), "pubkeyDerLen"))
        let n = try Arg.hex(N, "N", max: 2 * 513)
        let e = try Arg.hex(E, "E", max: 2 * 513)
        guard !n.isEmpty, !e.isEmpty else { throw CompatError(HAR.paramLen, "N or E is empty") }
        Out.binary(pubkeyDer, pubkeyDerLen, RSAPublicKeyDER.encode(modulus: n, exponent: e))
        return HAR.ok
    }
}

/// `Tools_PrintBuf`: `pcTitle` on a line, then `iBufLen` bytes of `pucBuf` as rows of 16
/// (offset, hex, printable characters), on stdout. A NULL title prints none; a NULL buffer
/// or a length <= 0 prints the title only; at most 64 KiB are shown.
@_cdecl("Tools_PrintBuf")
public func Tools_PrintBuf(_ pcTitle: UnsafeMutablePointer<CChar>?, _ pucBuf: UnsafeMutablePointer<UInt8>?, _ iBufLen: Int32) {
    var out: [UInt8] = []
    if let t = pcTitle, Ptr.usable(t), let title = try? Arg.string(t, "pcTitle", max: 4096) {
        out.append(contentsOf: title)
        if title.last != 0x0A { out.append(0x0A) }
    }
    if let b = pucBuf, Ptr.usable(b), iBufLen > 0 {
        let n = min(Int(iBufLen), 65_536)
        for row in stride(from: 0, to: n, by: 16) {
            let end = min(row + 16, n)
            for shift in [12, 8, 4, 0] { out.append(Hex.digits[(row >> shift) & 0xF]) }
            out.append(contentsOf: Array(": ".utf8))
            for i in row..<(row + 16) {
                if i < end {
                    out.append(Hex.digits[Int(b[i] >> 4)]); out.append(Hex.digits[Int(b[i] & 0xF)])
                } else {
                    out.append(contentsOf: Array("  ".utf8))
                }
                out.append(0x20)
            }
            out.append(contentsOf: Array(" |".utf8))
            for i in row..<end { out.append(b[i] >= 0x20 && b[i] < 0x7F ? b[i] : UInt8(ascii: ".")) }
            out.append(contentsOf: Array("|\n".utf8))
        }
    }
    out.withUnsafeBufferPointer { p in
        if let base = p.baseAddress, p.count > 0 { _ = fwrite(base, 1, p.count, stdout) }
    }
    fflush(stdout)
}
