import CACipherCore
import HostProtocol

// Device information, hash and random (vendor spec §15, §9.6).

/// `HSM_GetDeviceBaseInfo` (session-less): `NC`. Each output may be NULL (skipped):
/// the DMK check value 16H, the version 24A, the serial number 12A, each NUL-terminated.
@_cdecl("HSM_GetDeviceBaseInfo")
public func HSM_GetDeviceBaseInfo(_ dmkCV: CString?, _ version: CString?, _ serial: CString?) -> Int32 {
    Compat.run("HSM_GetDeviceBaseInfo") {
        let i = try CompatRuntime.initClient("HSM_GetDeviceBaseInfo").deviceInfo()
        Out.string(dmkCV, Array(i.dmkCheckValue.utf8))
        Out.string(version, Array(i.version.utf8))
        Out.string(serial, Array(i.serial.utf8))
        return HAR.ok
    }
}

/// An SM2 public key as the vendor passes it: DER `SubjectPublicKeyInfo` (91 bytes, the
/// point in its last 65), or the bare point (65 bytes `04`||X||Y, or 64 bytes X||Y).
func sm2Point(_ key: [UInt8], _ name: String) throws -> [UInt8] {
    if let q = SM2PublicKeyDER.point(key) { return q }
    if (key.count == 65 && key[0] == 0x04) || key.count == 64 { return key }
    throw CompatError(HAR.derDecode, "\(name) is not an SM2 public key (DER SubjectPublicKeyInfo or 04||X||Y)")
}

/// `HSM_CalculateHash` (session-less): `3C`. Algorithms: 1 SHA-1, 2 MD5, 3 ISO 10118-2,
/// 4 none, 5 SHA-224, 6 SHA-256, 7 SHA-384, 8 SHA-512, 20 SM3 (sent as given; the HSM answers
/// for the ones it lacks). With SM3, a user ID and an SM2 public key the HSM hashes Z || data.
/// The request always ends with `;`, the user ID (length 4N) and the key (length 4N) as the
/// caller gave it (DER SubjectPublicKeyInfo or the point, checked first), empty ones as
/// `0000`, as the vendor's layout.
@_cdecl("HSM_CalculateHash")
public func HSM_CalculateHash(_ mode: Int32, _ data: UnsafeMutablePointer<UInt8>?, _ dataLen: Int32,
                              _ userID: UnsafeMutablePointer<UInt8>?, _ userIDLen: Int32,
                              _ publicKey: UnsafeMutablePointer<UInt8>?, _ publicKeyLen: Int32,
                              _ hash: UnsafeMutablePointer<UInt8>?, _ hashLen: UnsafeMutablePointer<Int32>?) -> Int32 {
    Compat.run("HSM_CalculateHash") {
        guard (1...8).contains(mode) || mode == 20 else { throw CompatError(HAR.paramValue, "iMode \(mode) is not a hash algorithm") }
        try Out.require((Out.raw(hash), "pucHash"), (Out.raw(hashLen), "piHashLength"))
        let d = try Arg.bytes(data, dataLen, "pucInputData", max: 4096)
        let uid = try Arg.bytes(userID, userIDLen, "pucUserID", max: 32)
        let pub = try Arg.bytes(publicKey, publicKeyLen, "pucSM2Pub", max: 1024)
        // The vendor's layout always carries the delimiter, the user ID and the key length
        // fields (vendor spec 15.2): `;` 0000 0000 when neither is given.
        var req = HashRequest(algorithm: Int(mode), data: d, userID: uid, publicKey: [])
        if !pub.isEmpty {
            guard mode == 20 else { throw CompatError(HAR.paramValue, "an SM2 public key needs iMode 20 (SM3)") }
            _ = try sm2Point(pub, "pucSM2Pub")   // checked here; sent as given (the vendor sends the DER)
            req.publicKey = pub
        }
        let r = try CompatExchange.send(CompatRuntime.initClient("HSM_CalculateHash"), req, HashResponse.self)
        Out.binary(hash, hashLen, r.hash)
        return HAR.ok
    }
}

/// `HSM_GenerateRandomData`: `CR`, `iRandomLength` (0...2048) raw bytes. The vendor checks
/// only the upper bound (`HAR_PARAM_LEN`): a length of 0 is a success that writes nothing
/// (answered here without asking the HSM, as `SDF_GenerateRandom` does); a negative one,
/// which the vendor would have sent as a malformed field, is `HAR_PARAM_LEN`.
@_cdecl("HSM_GenerateRandomData")
public func HSM_GenerateRandomData(_ session: Handle?, _ count: Int32, _ out: UnsafeMutablePointer<UInt8>?) -> Int32 {
    Compat.run("HSM_GenerateRandomData") {
        guard (0...2048).contains(count) else { throw CompatError(HAR.paramLen, "iRandomLength \(count) is out of range (0 to 2048)") }
        try Out.require((Out.raw(out), "pucRandomData"))
        let client = try CompatRuntime.sessionClient(session, "HSM_GenerateRandomData")
        if count == 0 { return HAR.ok }
        Out.binary(out, nil, try client.random(count: Int(count)))
        return HAR.ok
    }
}

/// `SDF_GenerateRandom`: `CR`, the random bytes as 2 x `iRandomLen` upper-case hex
/// characters and a NUL. A length of 0 writes an empty string without asking the HSM.
@_cdecl("SDF_GenerateRandom")
public func SDF_GenerateRandom(_ session: Handle?, _ count: Int32, _ out: CString?) -> Int32 {
    Compat.run("SDF_GenerateRandom") {
        guard (0...2048).contains(count) else { throw CompatError(HAR.paramValue, "iRandomLen \(count) is out of range (0 to 2048)") }
        try Out.require((Out.raw(out), "pcRandom"))
        let client = try CompatRuntime.sessionClient(session, "SDF_GenerateRandom")
        if count == 0 {
            Out.string(out, [])
            return HAR.ok
        }
        Out.hex(out, try client.random(count: Int(count)))
        return HAR.ok
    }
}

@_cdecl("Tass_GenerateRandom")
public func Tass_GenerateRandom(_ session: Handle?, _ count: Int32, _ out: CString?) -> Int32 { SDF_GenerateRandom(session, count, out) }

@_cdecl("Tass_GenRandData")
public func Tass_GenRandData(_ session: Handle?, _ count: Int32, _ out: CString?) -> Int32 { SDF_GenerateRandom(session, count, out) }
