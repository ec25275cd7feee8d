// A device group's authorisation: a random 32-byte secret split k-of-n with Shamir over
// GF(2^8). The device keeps only a verifier of the secret (HMAC-SHA256 with a random salt)
// plus k and n; k distinct shares of the same set, each from a UKEY opened with its PIN,
// prove the quorum.
import Foundation
import HostProtocol
import HSMCrypto
import ManagementProtocol

public enum AuthorisationScheme {
    static let secretLength = ManagementLimits.authorisationSecretLength
    static let verifierLabel = Array("evsm-auth-verifier-v1".utf8)

    static func checkScheme(threshold k: Int, count n: Int) throws {
        guard ManagementLimits.isAllowedScheme(threshold: k, count: n) else {
            throw CeremonyError(.badScheme, "authorisation scheme \(k)-of-\(n) is not allowed (1 <= k <= n <= 9)")
        }
    }

    static func verifier(secret: [UInt8], salt: [UInt8]) throws -> [UInt8] {
        var data = verifierLabel + secret
        defer { SecureBytes.wipe(&data) }
        guard let v = try? CeremonyCrypto.hmacSHA256(key: salt, data: data) else {
            throw CeremonyError(.deviceFailure, "cannot compute the authorisation verifier")
        }
        return v
    }

    /// A fresh authorisation set and its n shares.
    static func newSet(threshold k: Int, count n: Int) throws -> (AuthorisationSet, [AuthorisationShare]) {
        try checkScheme(threshold: k, count: n)
        do {
            var secret = try CeremonyCrypto.random(secretLength)
            defer { SecureBytes.wipe(&secret) }
            let salt = try CeremonyCrypto.random(16)
            let setID = Hex.string(try CeremonyCrypto.random(8))
            let set = AuthorisationSet(setID: setID, threshold: k, count: n,
                                       verifier: try verifier(secret: secret, salt: salt), salt: salt)
            var shares = try CeremonyCrypto.shamirSplit(secret: secret, threshold: k, count: n)
            defer { for i in shares.indices { SecureBytes.wipe(&shares[i].y) } }
            return (set, shares.map { AuthorisationShare(set: set, x: $0.x, y: $0.y) })
        } catch let e as CeremonyError {
            throw e
        } catch {
            throw CeremonyError(.deviceFailure, "cannot make an authorisation set")
        }
    }

    /// Checks a share's public description before a device adopts its set (synchronisation).
    static func checkSharesSet(_ share: AuthorisationShare) throws {
        let s = share.set
        try checkScheme(threshold: s.threshold, count: s.count)
        guard s.verifier.count == 32, !s.salt.isEmpty, !s.setID.isEmpty,
              share.x >= 1, Int(share.x) <= s.count, share.y.count == secretLength else {
            throw CeremonyError(.badRequest, "the authorisation share is malformed")
        }
        if s.threshold == 1 {
            // A 1-of-n share is the secret itself: it can be checked against the verifier.
            guard CeremonyCrypto.equal(try share.y.withTemporaryArray({ try verifier(secret: $0, salt: s.salt) }), s.verifier) else {
                throw CeremonyError(.quorumNotMet, "the authorisation share does not match its set's verifier")
            }
        }
    }

    /// Throws `quorumNotMet` unless `shares` hold k distinct, genuine shares of `set`.
    static func verifyQuorum(_ shares: [AuthorisationShare], for set: AuthorisationSet) throws {
        let ofSet = shares.filter { $0.set.setID == set.setID }
        let foreign = shares.count - ofSet.count
        var byX: [UInt8: AuthorisationShare] = [:]
        for s in ofSet where byX[s.x] == nil { byX[s.x] = s }
        guard byX.count >= set.threshold else {
            var msg = "authorisation quorum not met: this device needs \(set.threshold) distinct authorisation UKEY\(set.threshold == 1 ? "" : "s") of set \(set.setID), got \(byX.count)"
            if foreign > 0 { msg += " (\(foreign) from another set)" }
            if ofSet.count > byX.count { msg += " (\(ofSet.count - byX.count) duplicate)" }
            throw CeremonyError(.quorumNotMet, msg)
        }
        let pick = byX.keys.sorted().prefix(set.threshold).compactMap { byX[$0] }
        guard pick.allSatisfy({ $0.y.count == secretLength }) else {
            throw CeremonyError(.quorumNotMet, "authorisation quorum not met: the shares are malformed")
        }
        var points = pick.map { CeremonyCrypto.Share(x: $0.x, y: $0.y.withUnsafeBytes { [UInt8]($0) }) }
        defer { for i in points.indices { SecureBytes.wipe(&points[i].y) } }
        guard var secret = try? CeremonyCrypto.shamirCombine(points) else {
            throw CeremonyError(.quorumNotMet, "authorisation quorum not met: the shares are malformed")
        }
        defer { SecureBytes.wipe(&secret) }
        guard CeremonyCrypto.equal(try verifier(secret: secret, salt: set.salt), set.verifier) else {
            throw CeremonyError(.quorumNotMet, "authorisation quorum not met: the shares do not reconstruct set \(set.setID)'s secret")
        }
    }
}
