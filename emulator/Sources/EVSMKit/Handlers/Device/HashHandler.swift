import HSMCrypto
import HostProtocol

/// `3C`/`3D` hash.
/// Request (`HashRequest`): algorithm 2N (01 SHA-1, 05 SHA-224, 06 SHA-256, 07 SHA-384,
/// 08 SHA-512, 20 SM3), length 4N, data, [`;` user-id length 4N, user id, public key length
/// 4N, SM2 public key (DER SubjectPublicKeyInfo, 91 bytes, as the vendor's C library sends it;
/// or the point: 64 bytes X‖Y, 65 with `04`)].
/// Response (`HashResponse`): hash length 2N, hash (binary). With a key: SM3 of Z‖data
/// (GB/T 32918 Z; empty user id = `1234567812345678`).
/// Errors: `15` unknown algorithm, a key with an algorithm other than SM3, or a key that is
/// not a curve point; besides `13`, `15`, `80` from the request layout.
enum HashHandler {
    static let entry = (HashRequest.command, CommandHandler(run: Handlers.typed(hash)))

    static func hash(_ ctx: HandlerContext, _ r: HashRequest) throws -> HashResponse {
        guard let alg = HashAlgorithm(rawValue: r.algorithm) else { throw HostFailure(.invalidInput) }
        let name: DigestAlgorithm
        switch alg {
        case .sha1: name = .sha1
        case .sha224: name = .sha224
        case .sha256: name = .sha256
        case .sha384: name = .sha384
        case .sha512: name = .sha512
        case .sm3: name = .sm3
        }
        var data = r.data
        if let k = r.publicKey, !k.isEmpty {
            guard alg == .sm3 else { throw HostFailure(.invalidInput) }
            var q = SM2PublicKeyDER.point(k) ?? k
            if q.count == 65, q[0] == 4 { q.removeFirst() }
            guard SM2Ops.isValidPublic(q) else { throw HostFailure(.invalidInput) }
            let uid = (r.userID?.isEmpty ?? true) ? SM2Ops.defaultUserID : (r.userID ?? [])
            data = try SM2Ops.z(userID: uid, publicKey: q) + data
        }
        return HashResponse(hash: try Prim.digest(name, data))
    }
}
