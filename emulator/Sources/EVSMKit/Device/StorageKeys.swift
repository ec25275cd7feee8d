import HSMCrypto
import HostProtocol

/// The keys a device derives from its DMK: the 3DES LMK pairs and the SM4/AES storage keys.
///
/// KDF (normal mode), all HKDF-SHA256 (RFC 5869) with IKM = DMK (16 bytes) and
/// salt = ASCII `cacipher-evsm-dmk-v1`:
/// - LMK pair `NN-MM` (NN = 00, 02, ..., 38): info `cacipher/lmk/NN-MM`, 16 bytes, odd parity set.
/// - SM4 storage key of key type `TTT` (3H, upper case): info `cacipher/sm4/TTT`, 16 bytes.
/// - AES storage key of key type `TTT`: info `cacipher/aes/TTT`, 16 bytes.
/// - SM2 private-key storage key: info `cacipher/sm4/sm2`, 16 bytes (SM4).
/// - Authenticator key of `R`/`L` keys under the LMK: info `cacipher/lmk-auth`, 32 bytes
///   (HMAC-SHA256; see LMKCipher).
/// - PIN-under-LMK uses LMK pair 02-03 (3DES), as payShield.
/// In test-LMK mode the LMK pairs are the public test set; the SM4/AES/SM2 storage keys are
/// derived as above from the installed DMK (initially the fixed test DMK).
final class StorageKeys: @unchecked Sendable {
    static let salt = Array("cacipher-evsm-dmk-v1".utf8)

    let dmkCheckValue: [UInt8]
    private var lmk: [Int: [UInt8]]
    private var sm4: [String: [UInt8]] = [:]
    private var aes: [String: [UInt8]] = [:]
    private(set) var sm2Storage: [UInt8]
    private(set) var lmkAuth: [UInt8]
    /// Parsed RSA private keys by the authenticator of their (verified) blob, with the
    /// blob's usage (RSAHandlerSupport).
    let rsaPrivateKeys = BoundedCache<[UInt8], RSAHandlerSupport.CachedPrivateKey>(capacity: 256)
    /// Parsed RSA public keys by their DER (RSAHandlerSupport).
    let rsaPublicKeys = BoundedCache<[UInt8], HSMCrypto.RSA.PublicKey>(capacity: 256)
    /// SM2 key pairs (blob || X || Y) whose carried public key was checked to be the
    /// private key's (SM2HandlerSupport.keyPair).
    let sm2CheckedPairs = BoundedCache<[UInt8], Bool>(capacity: 1024)

    init(dmk: [UInt8], mode: DeviceMode) throws {
        guard dmk.count == 16 else { throw DeviceError.invalidDMK }
        dmkCheckValue = try Prim.checkValue(.des, key: dmk, count: 8)
        if mode == .testLMK {
            lmk = TestLMK.pairs
        } else {
            lmk = [:]
            for p in stride(from: 0, through: 38, by: 2) {
                var k = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array(Self.pairLabel(p).utf8), length: 16)
                Prim.adjustParity(&k)
                lmk[p] = k
            }
        }
        sm2Storage = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array("cacipher/sm4/sm2".utf8), length: 16)
        lmkAuth = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array("cacipher/lmk-auth".utf8), length: 32)
        for v in 0...9 {
            for pc: UInt8 in [0x00, 0x01, 0x02, 0x03, 0x06, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] {
                let t = KeyType(variant: UInt8(v), pairCode: pc).description
                sm4[t] = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array(("cacipher/sm4/" + t).utf8), length: 16)
                aes[t] = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array(("cacipher/aes/" + t).utf8), length: 16)
            }
        }
    }

    static func pairLabel(_ p: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "cacipher/lmk/\(two(p))-\(two(p + 1))"
    }

    /// The LMK pair starting at index `p` (0, 2, ..., 38).
    func lmkPair(_ p: Int) -> [UInt8]? { lmk[p] }

    func sm4Key(_ t: KeyType) -> [UInt8]? { sm4[t.description] }
    func aesKey(_ t: KeyType) -> [UInt8]? { aes[t.description] }

    deinit {
        for k in lmk.keys { SecureBytes.wipe(&lmk[k]!) }
        for k in sm4.keys { SecureBytes.wipe(&sm4[k]!) }
        for k in aes.keys { SecureBytes.wipe(&aes[k]!) }
        SecureBytes.wipe(&sm2Storage)
        SecureBytes.wipe(&lmkAuth)
    }
}
