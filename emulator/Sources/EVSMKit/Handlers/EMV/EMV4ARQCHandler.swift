import HSMCrypto
import HostProtocol

/// `KW`/`KX` ARQC verification and ARPC generation, EMV 4.x (payShield `KW` field order, the
/// project's text encoding; docs/wire.md).
/// Request (`EMV4ARQCRequest`): mode 1N (0 verify, 1 verify + ARPC method 1, 2 ARPC method 1,
/// 3 verify + ARPC method 2, 4 ARPC method 2), scheme 1N (R of the session key: 0 ATC ||
/// 000000000000, 1 ATC || 0000 || UN, 2 given), MK-AC (`109`, double-length 3DES or SM4), PAN/PSN 16N,
/// ATC 4H, UN 8H, [scheme 2: R 16H], [modes 0/1/3: data length 2H, data, `;`], ARQC 16H,
/// [modes 1/2: ARC 4H], [modes 3/4: CSU 8H, PAD length 1H, PAD].
/// Keys: card key by option A (EMV Book 2 A1.4.1; SM4: the PBOC form E(MDK)[Y || ~Y] of `K6`),
/// AC session key by the EMV common session key derivation (A1.3.1) with R (SM4: one block,
/// SK = E(MK)[R || 00 x 8]). ARQC: ISO 9797-1 algorithm 3 (SM4: algorithm 1), padding method 2,
/// 8 bytes. ARPC method 1: E(SK)[ARQC XOR ARC || 00..] (8 bytes; SM4 one 16-byte block); method
/// 2: the leftmost 4 bytes of the ARQC MAC of ARQC || CSU || PAD (Book 2 8.2.2).
/// Response (`EMV4ARQCResponse`): mode 0 none, modes 1/2 ARPC 16H, modes 3/4 ARPC 8H; `01` with
/// the 16H check value of the session key when the ARQC does not verify.
/// Errors: `01` mismatch, `10`/`27` MK-AC not a `109` key, `26` MK-AC not double-length 3DES
/// or SM4, `80` empty data; `15`/`80` from the layout
/// (PAD longer than 8 bytes, a short CSU).
enum EMV4ARQCHandler {
    static let entry = (EMV4ARQCRequest.command, CommandHandler(run: run))

    static func run(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try EMV4ARQCRequest.decodeAll(fields)
        if r.mode.verifies, r.data.isEmpty { throw HostFailure(.lengthError) }
        guard let y = EMV.packDigits(Array(r.pan.utf8)) else { throw HostFailure(.invalidInput) }
        var mdk = try ctx.clearKey(r.mdk, type: .mkAC)
        defer { mdk.wipe() }
        let alg: BlockCipherAlgorithm
        switch mdk.scheme {
        case .doubleVariant, .doubleX917: alg = .des
        case .sm4: alg = .sm4
        default: throw HostFailure(.invalidKeyScheme)
        }
        var card = try EMVHandlerSupport.crypto { try EMV.diversify(mdk.bytes, algorithm: alg, factor: y) }
        defer { SecureBytes.wipe(&card) }
        var session = try EMVHandlerSupport.crypto { try EMV.commonSessionKey(card, algorithm: alg, r: diversification(r, blockSize: alg.blockSize)) }
        defer { SecureBytes.wipe(&session) }
        if r.mode.verifies {
            let expected = try EMVHandlerSupport.crypto { try EMV.cryptogram(key: session, algorithm: alg, data: r.data) }
            guard Prim.equal(expected, r.arqc) else {
                let kcv = try EMVHandlerSupport.crypto { Array(try KeyCheckValue.compute(key: session, algorithm: alg).prefix(8)) }
                return HandlerOutput(code: .verificationFailed, fields: try EMV4ARQCResponse(value: kcv).fields())
            }
            if r.mode == .verify { return HandlerOutput(fields: []) }
        }
        let arpc = try EMVHandlerSupport.crypto {
            r.mode.method1
                ? try EMV.arpcMethod1(key: session, algorithm: alg, arqc: r.arqc, arc: r.arc)
                : try EMV.arpcMethod2(key: session, algorithm: alg, arqc: r.arqc, csu: r.csu, proprietaryData: r.proprietaryData)
        }
        return HandlerOutput(fields: try EMV4ARQCResponse(value: arpc).fields())
    }

    /// The R of the request's scheme, one block of the MK-AC's cipher: the 8-byte value of the
    /// scheme, followed by 8 zero bytes for a 16-byte block (SM4; scheme 0 is then the book's
    /// ATC || 00 x 14).
    static func diversification(_ r: EMV4ARQCRequest, blockSize: Int) -> [UInt8] {
        let r8: [UInt8]
        switch r.scheme {
        case .atc: r8 = r.atc + [0, 0, 0, 0, 0, 0]
        case .atcAndUN: r8 = r.atc + [0, 0] + r.un
        case .explicitR: r8 = r.r
        }
        return r8 + [UInt8](repeating: 0, count: blockSize - r8.count)
    }
}
