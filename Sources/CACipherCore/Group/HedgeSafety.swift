import HSMNet
/// The commands a group may send twice at once (a hedged request, issue 15 item 1) or
/// replay in a probe: pure computations that store and delete nothing in the HSM, so a
/// second copy changes nothing. An explicit allow-list by command code: a code not listed
/// (every command that can store or delete at a `K` index among them: `A0`, `A6`, `A4`,
/// `KR`, `KD`, `SI`, `AM`, `E1`, `E7`, `EI`, `TS`, `TU`, `TW`, ..., and `PA`, which loads
/// a print format) is never hedged. See docs/failover.md, "Hedged requests".
enum HedgeSafety {
    /// Whether the command `a b` may be in flight twice. Two bytes compared in a switch (no
    /// hashing, no allocation): this runs on every call.
    @inline(__always)
    static func isSafe(_ a: UInt8, _ b: UInt8) -> Bool {
        switch UInt16(a) << 8 | UInt16(b) {
        case
             0x4232,  // B2 echo
             0x4E43,  // NC diagnostics, DMK check value
             0x4341,  // CA PIN block TPK -> ZPK
             0x4343,  // CC PIN block ZPK -> ZPK
             0x5449,  // TI PIN block translation (accounts)
             0x4241,  // BA encrypt a clear PIN
             0x4E47,  // NG decrypt a PIN under LMK
             0x4A45,  // JE PIN block -> PIN under LMK
             0x4A47,  // JG PIN under LMK -> PIN block
             0x4A41,  // JA random PIN
             0x4445,  // DE IBM 3624 offset
             0x4447,  // DG Visa PVV
             0x4541,  // EA verify a PIN (IBM)
             0x4357,  // CW Visa CVV
             0x4359,  // CY verify a Visa CVV
             0x4D30,  // M0 encrypt data
             0x4D32,  // M2 decrypt data
             0x4D36,  // M6 generate MAC
             0x4D38,  // M8 verify MAC
             0x4D53,  // MS MAC (Racal)
             0x5330,  // S0 IC data
             0x5333,  // S3 encrypt data (IC)
             0x5334,  // S4 decrypt data (IC)
             0x5335,  // S5 translate a cryptogram
             0x5551,  // UQ hash
             0x4255,  // BU key check value
             0x4138,  // A8 export a key under a ZMK
             0x414E,  // AN key type conversion
             0x5348,  // SH export a key under a protection key
             0x4352,  // CR random bytes
             0x4B32,  // K2 issuer script encryption
             0x4B34,  // K4 issuer script MAC
             0x4B36,  // K6 ARQC/ARPC
             0x3341,  // 3A public-key encrypt
             0x3342,  // 3B private-key decrypt
             0x4533,  // E3 SM2 encrypt
             0x4534,  // E4 SM2 decrypt
             0x4535,  // E5 SM2 sign
             0x4536,  // E6 SM2 verify
             0x4557,  // EW RSA sign
             0x4559,  // EY RSA verify
             0x4552,  // ER RSA public key of a stored pair (read)
             0x4532,  // E2 SM2 public key of a stored pair (read)
             0x454F,  // EO MAC a public key
             0x5451,  // TQ MAC a public key (SM2)
             0x5456,  // TV export a key under an RSA public key
             0x4B47:  // KG stored-key information (read)
            return true
        default:
            return false
        }
    }

    /// Whether a probe may replay the command (safe, and carrying no clear PIN: a probe keeps
    /// a copy of the request while the member is out).
    static func mayReplayInProbe(_ payload: [UInt8]) -> Bool {
        guard payload.count >= 2, isSafe(payload[0], payload[1]) else { return false }
        return !FrameMasking.carriesPIN(payload[0], payload[1], .request)
    }
}
