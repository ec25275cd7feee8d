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
/// Every derived key is a `SecureBytes` held for the life of the snapshot: its storage is
/// zeroed when the last command using the snapshot lets go of it (a new DMK, an erase, the
/// device's deinit), with no hand-written cleanse per key.
final class StorageKeys: @unchecked Sendable {
    static let salt = Array("cacipher-evsm-dmk-v1".utf8)

    let dmkCheckValue: [UInt8]
    private let lmk: [Int: SecureBytes]
    private let sm4: [String: SecureBytes]
    private let aes: [String: SecureBytes]
    let sm2Storage: SecureBytes
    let lmkAuth: SecureBytes
    /// Parsed RSA private keys by the authenticator of their (verified) blob, with the
    /// blob's usage (RSAHandlerSupport).
    let rsaPrivateKeys = BoundedCache<[UInt8], RSAHandlerSupport.CachedPrivateKey>(capacity: 256)
    /// Parsed RSA public keys by their DER (RSAHandlerSupport).
    let rsaPublicKeys = BoundedCache<[UInt8], HSMCrypto.RSA.PublicKey>(capacity: 256)
    /// SM2 key pairs (blob || X || Y) whose carried public key was checked to be the
    /// private key's (SM2HandlerSupport.keyPair).
    let sm2CheckedPairs = BoundedCache<[UInt8], Bool>(capacity: 1024)

    init(dmk: SecureBytes, mode: DeviceMode) throws {
        guard dmk.count == 16 else { throw DeviceError.invalidDMK }
        dmkCheckValue = try dmk.withTemporaryArray { try Prim.checkValue(.des, key: $0, count: 8) }
        // One derived key, moved into a secret buffer (the array HKDF returned is zeroed).
        func derive(_ info: String) throws -> SecureBytes {
            var k = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array(info.utf8), length: 16)
            defer { SecureBytes.wipe(&k) }
            return SecureBytes(k)
        }
        var pairs: [Int: SecureBytes] = [:]
        if mode == .testLMK {
            for (p, k) in TestLMK.pairs { pairs[p] = SecureBytes(k) }
        } else {
            for p in stride(from: 0, through: 38, by: 2) {
                var k = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array(Self.pairLabel(p).utf8), length: 16)
                Prim.adjustParity(&k)
                pairs[p] = SecureBytes(k)
                SecureBytes.wipe(&k)
            }
        }
        lmk = pairs
        sm2Storage = try derive("cacipher/sm4/sm2")
        var auth = try Prim.hkdfSHA256(ikm: dmk, salt: Self.salt, info: Array("cacipher/lmk-auth".utf8), length: 32)
        lmkAuth = SecureBytes(auth)
        SecureBytes.wipe(&auth)
        var sm4: [String: SecureBytes] = [:], aes: [String: SecureBytes] = [:]
        for v in 0...9 {
            for pc: UInt8 in [0x00, 0x01, 0x02, 0x03, 0x06, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D] {
                let t = KeyType(variant: UInt8(v), pairCode: pc).description
                sm4[t] = try derive("cacipher/sm4/" + t)
                aes[t] = try derive("cacipher/aes/" + t)
            }
        }
        self.sm4 = sm4
        self.aes = aes
    }

    /// The same from a DMK held in an array (tests; the caller zeroes its array).
    convenience init(dmk: [UInt8], mode: DeviceMode) throws {
        try self.init(dmk: SecureBytes(dmk), mode: mode)
    }

    static func pairLabel(_ p: Int) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "cacipher/lmk/\(two(p))-\(two(p + 1))"
    }

    /// The LMK pair starting at index `p` (0, 2, ..., 38).
    func lmkPair(_ p: Int) -> SecureBytes? { lmk[p] }

    func sm4Key(_ t: KeyType) -> SecureBytes? { sm4[t.description] }
    func aesKey(_ t: KeyType) -> SecureBytes? { aes[t.description] }
}
