import XCTest
import Foundation
import HostProtocol
@testable import EVSMKit
import EVSMServer

/// Bounded fuzzing: random and mutated requests never crash the device or the listener.
final class FuzzTests: XCTestCase {
    /// Valid requests to mutate.
    func seeds(_ d: Device) throws -> [[UInt8]] {
        let zpk = try call(d, GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let tak = try call(d, GenerateKeyRequest(keyType: .tak, lmkScheme: .doubleVariant), GenerateKeyResponse.self).keyUnderLMK
        let zek = try call(d, GenerateKeyRequest(keyType: .zek, lmkScheme: .sm4), GenerateKeyResponse.self).keyUnderLMK
        let sm2 = try call(d, SM2GenerateRequest(), SM2GenerateResponse.self)
        let reqs: [any HostCommandRequest] = [
            DeviceInfoRequest(), EchoRequest(data: [1, 2, 3]), RandomRequest(count: 16), HashRequest(algorithm: 20, data: [1]),
            GenerateKeyRequest(keyType: .zak, lmkScheme: .tripleVariant, zmk: zpk, zmkScheme: .tripleVariant),
            CheckValueRequest(keyType: .zpk, key: zpk),
            TranslatePINRequest(PINTranslation(sourceKey: zpk, destinationKey: zpk, maxPINLength: 12, pinBlock: [UInt8](repeating: 0x11, count: 8),
                                               sourceFormat: 1, destinationFormat: 47, account: "123456789012")),
            PINBlockToLMKRequest(zpk: zpk, pinBlock: [UInt8](repeating: 0x22, count: 8), format: 1, account: "123456789012"),
            EncryptPINRequest(pin: "1234", account: "123456789012"),
            GenerateMACRequest(MACFields(inputFormat: 1, macSize: 1, algorithm: 3, padding: 2, keyType: .tak, key: tak, data: Array("00112233".utf8))),
            EncryptDataRequest(DataCipherFields(mode: 1, inputFormat: 1, outputFormat: 1, keyType: .zek, key: zek, iv: [UInt8](repeating: 0, count: 16),
                                                data: Array(String(repeating: "AB", count: 16).utf8))),
            SM2SignRequest(key: .carried(der: sm2.publicKeyDER, privateKey: sm2.privateKeyUnderLMK), userID: [], data: [1, 2]),
            SM2VerifyRequest(publicKey: .carried(der: sm2.publicKeyDER), userID: [], data: [1], signature: [UInt8](repeating: 1, count: 64)),
            SM2ExportByTKRequest(transportKey: SM2TransportKey(mode: 1, keyType: .zmk, key: zpk, derive: DeriveField(factors: [[UInt8](repeating: 1, count: 16)])),
                                 key: .carried(der: sm2.publicKeyDER, privateKey: sm2.privateKeyUnderLMK)),
        ]
        return try reqs.map { try $0.payload() }
    }

    func mutate(_ s: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var m = s
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: if !m.isEmpty { m.removeLast(Int.random(in: 1...m.count, using: &rng)) }
        case 1: for _ in 0..<Int.random(in: 1...4, using: &rng) where !m.isEmpty { m[Int.random(in: 0..<m.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
        case 2: m += (0..<Int.random(in: 1...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 3: if m.count > 2 { m.insert(UInt8.random(in: 0x30...0x5A, using: &rng), at: Int.random(in: 2..<m.count, using: &rng)) }
        default: if m.count > 4 { let i = Int.random(in: 2..<m.count, using: &rng); m[i] = [0x3B, 0x4B, 0x55, 0x52, 0x50, 0x30][Int.random(in: 0..<6, using: &rng)] }
        }
        return m
    }

    func testFuzzDeviceHandle() throws {
        let d = testDevice()
        let base = try seeds(d)
        var rng = SplitMix64(seed: 0xC0FFEE)
        var answered = 0
        for i in 0..<3000 {
            let body: [UInt8]
            if i % 4 == 0 {
                body = (0..<Int.random(in: 0..<80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                body = mutate(base[Int.random(in: 0..<base.count, using: &rng)], &rng)
            }
            let out = d.handle(body: body, headerLength: 0)
            XCTAssertGreaterThanOrEqual(out.count, 4)
            if out.count >= 4, let e = HostResponse.parseErrorCode(out[2], out[3]) {
                answered += 1
                XCTAssertNotEqual(e, .internalError, "internal error for \(Hex.string(body))")
            }
        }
        XCTAssertEqual(answered, 3000)
    }

    func testFuzzFrameSplit() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3000 {
            let buf = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let r = try? FrameCodec.split(buf, limit: 64) {
                XCTAssertLessThanOrEqual(r.consumed, buf.count)
                XCTAssertEqual(r.body.count + 2, r.consumed)
            }
        }
    }

    /// Mutated frames (valid length prefixes) and then raw garbage through the listener;
    /// it keeps answering and never crashes.
    func testFuzzThroughTheListener() throws {
        let d = testDevice()
        let base = try seeds(d)
        let server = EVSMHostServer()
        let port = try server.start(device: d, host: "127.0.0.1", port: 0, headerLength: 0, eventLoops: 1, workers: 2)
        defer { server.stop() }
        var rng = SplitMix64(seed: 7)
        let c = try XCTUnwrap(LoopbackClient(port: port))
        for _ in 0..<400 {
            let body = mutate(base[Int.random(in: 0..<base.count, using: &rng)], &rng)
            guard !body.isEmpty else { continue }
            XCTAssertTrue(c.send(payload: body))
            let r = try XCTUnwrap(c.readFrame())
            XCTAssertGreaterThanOrEqual(r.count, 4)
        }
        // Raw garbage on another connection, then a fresh connection still works.
        if let g = LoopbackClient(port: port, timeoutSeconds: 1) {
            _ = g.send(raw: (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        let c2 = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c2.send(payload: Array("NC".utf8)))
        let r = try XCTUnwrap(c2.readFrame())
        XCTAssertEqual(Array(r.prefix(4)), Array("ND00".utf8))
    }
}
