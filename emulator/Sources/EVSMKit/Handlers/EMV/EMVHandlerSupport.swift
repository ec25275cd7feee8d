import HSMCrypto
import HostProtocol

/// Shared by the EMV/PBOC commands `K6`, `K2`, `K4`, `KX`: the key hierarchy under an issuer
/// master key (MDK, type `109`, under the LMK or at a `K` index).
///
/// - card master key: EMV 4.3 Book 2 Annex A1.4.1 option A, Y = the 16 PAN/PSN digits
///   packed (8 bytes); 3DES: E(MDK, Y) || E(MDK, ~Y), odd parity; SM4 (`R` MDK): E(MDK, Y || ~Y);
/// - session key (the PBOC 3.0 / UnionPay ATC form, every command): the same derivation of
///   the card master key with Y = `000000000000` || ATC, i.e. E(MK, 000000000000||ATC) ||
///   E(MK, FFFFFFFFFFFF||~ATC).
///
/// Errors: `10` the MDK is not a `109` key (parity / authenticator), `27` a `K` index of
/// another type, `26` an MDK that is not double-length 3DES (`U`/`X`) or SM4 (`R`),
/// `15` PAN not 16 digits.
enum EMVHandlerSupport {
    struct SessionKeys {
        var algorithm: BlockCipherAlgorithm
        var card: [UInt8]
        var session: [UInt8]
        var blockSize: Int { algorithm.blockSize }
        mutating func wipe() {
            SecureBytes.wipe(&card)
            SecureBytes.wipe(&session)
        }
    }

    static func sessionKeys(_ ctx: HandlerContext, mdk field: KeyField, pan: String, atc: [UInt8],
                            parity: HostErrorCode = .sourceKeyParity) throws -> SessionKeys {
        guard let y = EMV.packDigits(Array(pan.utf8)), atc.count == 2 else { throw HostFailure(.invalidInput) }
        var mdk = try ctx.clearKey(field, type: .mkAC, parity: parity)
        defer { mdk.wipe() }
        let alg: BlockCipherAlgorithm
        switch mdk.scheme {
        case .doubleVariant, .doubleX917: alg = .des
        case .sm4: alg = .sm4
        default: throw HostFailure(.invalidKeyScheme)
        }
        do {
            let card = try EMV.diversify(mdk.bytes, algorithm: alg, factor: y)
            let session = try EMV.diversify(card, algorithm: alg, factor: [0, 0, 0, 0, 0, 0] + atc)
            return SessionKeys(algorithm: alg, card: card, session: session)
        } catch is CryptoError {
            throw HostFailure(.invalidInput)
        }
    }

    /// Runs an HSMCrypto computation; its errors are `15`.
    static func crypto<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch is CryptoError { throw HostFailure(.invalidInput) }
    }

    /// The 16H diagnostic of an ARQC mismatch: the check value of the session key the HSM
    /// derived (first 8 bytes of its encryption of a zero block). It lets an issuer see whether
    /// key derivation or the data differ, and is not the expected cryptogram (which would make
    /// the HSM an ARQC oracle).
    static func diagnostic(_ k: SessionKeys) throws -> [UInt8] {
        try crypto { Array(try KeyCheckValue.compute(key: k.session, algorithm: k.algorithm).prefix(8)) }
    }
}
