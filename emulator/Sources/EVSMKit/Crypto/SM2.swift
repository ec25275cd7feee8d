import HSMCrypto
import HostProtocol

/// SM2 for the handlers, on top of HSMCrypto's SM2 (GB/T 32918 over OpenSSL): key pairs
/// from a 32-byte scalar, the Z value, signatures (SM3, r || s), public-key encryption
/// (raw C1 || C3 || C2, as TASS devices use).
enum SM2Ops {
    static let n = Hex.decode("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123") ?? []
    static let defaultUserID = HSMCrypto.SM2.defaultUserID

    /// A fresh private scalar d in [1, n-2].
    static func generatePrivate() throws -> [UInt8] {
        var kp = try HSMCrypto.SM2.generateKeyPair()
        let d = kp.privateKey
        SecureBytes.wipe(&kp.privateKey)
        return d
    }

    /// 1 <= d <= n-2 (big-endian compare).
    static func isValidPrivate(_ d: [UInt8]) -> Bool {
        guard d.count == 32, d.contains(where: { $0 != 0 }) else { return false }
        var nm2 = n
        nm2[31] &-= 2  // n ends in 0x23: no borrow
        return d.lexicographicallyPrecedes(nm2) || d == nm2
    }

    /// X || Y (64 bytes) of d*G.
    static func publicKey(ofPrivate d: [UInt8]) throws -> [UInt8] { try HSMCrypto.SM2.publicKey(fromPrivateKey: d) }

    static func isValidPublic(_ q: [UInt8]) -> Bool { q.count == 64 && HSMCrypto.SM2.isValidPublicKey(q) }

    /// Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA).
    static func z(userID: [UInt8], publicKey q: [UInt8]) throws -> [UInt8] { try HSMCrypto.SM2.zValue(userID: userID, publicKey: q) }

    static func sign(privateKey d: [UInt8], userID: [UInt8], message: [UInt8]) throws -> [UInt8] {
        try HSMCrypto.SM2.sign(message: message, privateKey: d, userID: userID)
    }

    /// Signs with a pair whose public key q (X || Y) is known to be d*G.
    static func sign(privateKey d: [UInt8], publicKey q: [UInt8], userID: [UInt8], message: [UInt8]) throws -> [UInt8] {
        try HSMCrypto.SM2.sign(message: message, privateKey: d, publicKey: q, userID: userID)
    }

    static func verify(publicKey q: [UInt8], userID: [UInt8], message: [UInt8], signature: [UInt8]) throws -> Bool {
        try HSMCrypto.SM2.verify(signature: signature, message: message, publicKey: q, userID: userID)
    }

    static func encrypt(publicKey q: [UInt8], plain: [UInt8]) throws -> [UInt8] { try HSMCrypto.SM2.encrypt(plain, publicKey: q) }

    static func decrypt(privateKey d: [UInt8], cipher: [UInt8]) throws -> [UInt8] { try HSMCrypto.SM2.decrypt(cipher, privateKey: d) }
}
