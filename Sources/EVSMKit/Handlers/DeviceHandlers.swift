import HSMCrypto
import HostProtocol

/// `NC` device information, `B2` echo, `CR` random bytes, `3C` hash.
enum DeviceHandlers {
    static let entries: [(CommandCode, CommandHandler)] = [
        (DeviceInfoRequest.command, CommandHandler(worksUninitialised: true, run: Handlers.typed(deviceInfo))),
        (EchoRequest.command, CommandHandler(worksUninitialised: true, run: Handlers.typed(echo))),
        (RandomRequest.command, CommandHandler(run: Handlers.typed(random))),
        (HashRequest.command, CommandHandler(run: Handlers.typed(hash))),
    ]

    /// On a factory-fresh device the DMK check value is all zeros.
    static func deviceInfo(_ ctx: HandlerContext, _ r: DeviceInfoRequest) throws -> DeviceInfoResponse {
        DeviceInfoResponse(dmkCheckValue: ctx.keysOrNil?.dmkCheckValue ?? DeviceInfoResponse.noDMKCheckValue,
                           version: Device.version, serial: ctx.device.serial)
    }

    static func echo(_ ctx: HandlerContext, _ r: EchoRequest) throws -> EchoResponse { EchoResponse(data: r.data) }

    static func random(_ ctx: HandlerContext, _ r: RandomRequest) throws -> RandomResponse {
        guard r.count >= 1, r.count <= RandomRequest.maxCount else { throw HostFailure(.lengthError) }
        return RandomResponse(bytes: try Prim.random(r.count))
    }

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
            var q = k
            if q.count == 65, q[0] == 4 { q.removeFirst() }
            guard SM2Ops.isValidPublic(q) else { throw HostFailure(.invalidInput) }
            let uid = (r.userID?.isEmpty ?? true) ? SM2Ops.defaultUserID : (r.userID ?? [])
            data = try SM2Ops.z(userID: uid, publicKey: q) + data
        }
        return HashResponse(hash: try Prim.digest(name, data))
    }
}
