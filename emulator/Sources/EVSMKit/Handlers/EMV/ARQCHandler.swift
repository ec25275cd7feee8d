import HSMCrypto
import HostProtocol

/// `K6`/`K7` ARQC verification and ARPC generation.
/// Request (`ARQCRequest`): mode 1N (0 verify, 1 verify + ARPC, 2 ARPC), MDK (`109`), PAN 16N,
/// ATC 4H, [modes 0/1: data length 2H, data as hex, `;`], ARQC 16H, [modes 1/2: ARC 4H].
/// Response (`ARQCResponse`): mode 0 none, modes 1/2 the ARPC 16H; `01` with a 16H
/// diagnostic (the session key's check value) when the ARQC does not verify.
/// ARQC: ISO 9797-1 algorithm 3 (SM4: algorithm 1), padding method 2, under the AC session
/// key; ARPC: method 1 under the same session key.
/// Errors: `01` mismatch, `10`/`26`/`27` MDK, `80` empty data; besides `13`, `15`, `80` from
/// the request layout.
enum ARQCHandler {
    static let entry = (ARQCRequest.command, CommandHandler(run: run))

    static func run(_ ctx: HandlerContext, _ fields: ArraySlice<UInt8>) throws -> HandlerOutput {
        let r = try ARQCRequest.decodeAll(fields)
        if r.mode != .generateARPC, r.data.isEmpty { throw HostFailure(.lengthError) }
        var keys = try EMVHandlerSupport.sessionKeys(ctx, mdk: r.mdk, pan: r.pan, atc: r.atc)
        defer { keys.wipe() }
        if r.mode != .generateARPC {
            let expected = try EMVHandlerSupport.crypto { try EMV.cryptogram(key: keys.session, algorithm: keys.algorithm, data: r.data) }
            guard Prim.equal(expected, r.arqc) else {
                return HandlerOutput(code: .verificationFailed, fields: try ARQCResponse(value: try EMVHandlerSupport.diagnostic(keys)).fields())
            }
            if r.mode == .verify { return HandlerOutput(fields: []) }
        }
        let arpc = try EMVHandlerSupport.crypto { try EMV.arpcMethod1(key: keys.session, algorithm: keys.algorithm, arqc: r.arqc, arc: r.arc) }
        return HandlerOutput(fields: try ARQCResponse(value: arpc).fields())
    }
}
