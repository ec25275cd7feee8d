import HostProtocol

/// How the `KW` AC session key's diversification value R is formed (the request's scheme id).
public enum EMVSessionKeyDerivation: Equatable, Sendable {
    /// Scheme 0: R = ATC (2 bytes) || 00 00 00 00 00 00 (EMV 4.x Book 2 A1.3.1).
    case atc([UInt8])
    /// Scheme 1: R = ATC (2 bytes) || 00 00 || UN (4 bytes) (MasterCard M/Chip 4).
    case atcAndUN(atc: [UInt8], un: [UInt8])
    /// Scheme 2: R given (8 bytes).
    case r([UInt8])
}

/// EMV 4.x ARQC / ARPC method 2 (`KW` modes 3 and 4, docs/wire.md): card key by option A
/// from the issuer master key `mdk` (type `109`, double-length 3DES or SM4) and the 16-digit
/// PAN/PSN, AC session key by the EMV common session key derivation (SM4: one 16-byte block),
/// ARPC = the leftmost 4 bytes of the MAC (3DES ISO 9797-1 algorithm 3, SM4 algorithm 1) of
/// ARQC || CSU || proprietary authentication data.
extension CACipherClient {
    /// `KW` mode 3: verifies `arqc` (8 bytes) over `data` (1...255 bytes) and, when it
    /// verifies, returns the 4-byte ARPC (method 2) of the 4-byte card status update `csu` and
    /// 0...8 bytes of proprietary authentication data.
    @available(*, noasync)
    public func verifyARQCAndGenerateARPCMethod2(mdk: KeyField, pan: String, session: EMVSessionKeyDerivation, data: [UInt8],
                                                 arqc: [UInt8], csu: [UInt8], proprietaryData: [UInt8] = []) throws -> ARQCResult {
        let name = "verify ARQC and generate ARPC method 2"
        guard (1...EMV4ARQCRequest.maxDataBytes).contains(data.count) else {
            throw TypedCommand.invalid(name, "transaction data of \(data.count) bytes is out of range (1 to \(EMV4ARQCRequest.maxDataBytes))")
        }
        return try emv4Command(name, try emv4Request(name, .verifyAndARPCMethod2, mdk: mdk, pan: pan, session: session, data: data,
                                                     arqc: arqc, csu: csu, proprietaryData: proprietaryData))
    }

    /// `KW` mode 4: the 4-byte ARPC (method 2) of `arqc`, `csu` and the proprietary
    /// authentication data, without verifying the ARQC.
    @available(*, noasync)
    public func generateARPCMethod2(mdk: KeyField, pan: String, session: EMVSessionKeyDerivation, arqc: [UInt8], csu: [UInt8],
                                    proprietaryData: [UInt8] = []) throws -> [UInt8] {
        let name = "generate ARPC method 2"
        let r = try emv4Request(name, .arpcMethod2, mdk: mdk, pan: pan, session: session, data: [], arqc: arqc, csu: csu,
                                proprietaryData: proprietaryData)
        switch try emv4Command(name, r) {
        case let .verified(arpc?): return arpc
        default: throw CACipherError(.badFrame, "\(name) (KW): reply carries no ARPC")
        }
    }

    private func emv4Request(_ name: String, _ mode: EMV4ARQCMode, mdk: KeyField, pan: String, session: EMVSessionKeyDerivation,
                             data: [UInt8], arqc: [UInt8], csu: [UInt8], proprietaryData: [UInt8]) throws -> EMV4ARQCRequest {
        try TypedCommand.checkKey(mdk, "MDK", name)
        try TypedCommand.checkPAN(pan, name)
        let scheme: EMVSessionKeyScheme
        var atc: [UInt8] = [0, 0], un: [UInt8] = [0, 0, 0, 0], r: [UInt8] = []
        switch session {
        case let .atc(a):
            scheme = .atc
            atc = a
        case let .atcAndUN(a, n):
            scheme = .atcAndUN
            atc = a
            un = n
            guard un.count == 4 else { throw TypedCommand.invalid(name, "UN must be 4 bytes, got \(un.count)") }
        case let .r(v):
            scheme = .explicitR
            r = v
            guard r.count == 8 else { throw TypedCommand.invalid(name, "R must be 8 bytes, got \(r.count)") }
        }
        guard atc.count == 2 else { throw TypedCommand.invalid(name, "ATC must be 2 bytes, got \(atc.count)") }
        guard arqc.count == 8 else { throw TypedCommand.invalid(name, argument: "ARQC", "must be 8 bytes, got \(arqc.count)") }
        guard csu.count == 4 else { throw TypedCommand.invalid(name, argument: "CSU", "must be 4 bytes, got \(csu.count)") }
        guard proprietaryData.count <= EMV4ARQCRequest.maxProprietaryDataBytes else {
            throw TypedCommand.invalid(name, "proprietary authentication data must be at most 8 bytes, got \(proprietaryData.count)")
        }
        return EMV4ARQCRequest(mode: mode, scheme: scheme, mdk: mdk, pan: pan, atc: atc, un: un, r: r, data: data, arqc: arqc,
                               csu: csu, proprietaryData: proprietaryData)
    }

    private func emv4Command(_ name: String, _ r: EMV4ARQCRequest) throws -> ARQCResult {
        try exchange(r, name, idempotent: true, secret: false) { code, fields in
            let v: [UInt8]?
            do {
                v = try EMV4ARQCResponse.decodeAll(fields).value
            } catch {
                throw CACipherError(.badFrame, "\(name) (KW): reply does not decode")
            }
            switch code {
            case .ok:
                guard let a = v, a.count == 4 else { throw CACipherError(.badFrame, "\(name) (KW): reply carries no 4-byte ARPC") }
                return .verified(arpc: a)
            case .verificationFailed where r.mode.verifies:
                guard let d = v, d.count == 8 else { throw CACipherError(.badFrame, "\(name) (KW): mismatch reply carries no diagnostic value") }
                return .mismatch(diagnostic: d)
            default:
                throw TypedCommand.hsmError(code, EMV4ARQCRequest.command, name)
            }
        }
    }
}
