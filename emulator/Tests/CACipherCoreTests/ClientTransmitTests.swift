import XCTest
@testable import CACipherCore
import HostProtocol

/// The client instance wired to its host group: raw transmit, status, close, and the
/// classification of commands that may not be re-sent.
final class ClientTransmitTests: XCTestCase {
    private func config(_ hsms: [FakeHSM], dmk: String? = nil) -> CACipherConfig {
        var c = CACipherConfig()
        c.logger.categories = []
        c.hosts = hsms.enumerated().map { GroupTest.host($0.element, "HOST\($0.offset + 1)") }
        c.expectedDMKCheckValue = dmk
        return c
    }

    func testTransmitGoesThroughTheGroupAndStatusCountsIt() throws {
        let a = try FakeHSM(), b = try FakeHSM()
        defer { a.close(); b.close() }
        let client = CACipherClient(config: config([a, b]), logSink: nil, options: GroupTest.options())
        defer { client.close() }
        for i in 0..<20 {
            XCTAssertEqual(try client.transmit(GroupTest.echo("m\(i)")), GroupTest.reply("m\(i)"))
        }
        let status = client.memberStatus()
        XCTAssertEqual(status.count, 2)
        XCTAssertEqual(status.map(\.completed).reduce(0, +), 20)
        XCTAssertEqual(a.requests("XE") + b.requests("XE"), 20)
    }

    func testClosedClientRefusesAndArgumentsAreChecked() throws {
        let a = try FakeHSM()
        defer { a.close() }
        let client = CACipherClient(config: config([a]), logSink: nil, options: GroupTest.options())
        XCTAssertThrowsError(try client.transmit([0x42])) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.invalidArgument.rawValue)
        }
        XCTAssertThrowsError(try client.transmit([UInt8](repeating: 0x41, count: 65_536))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.invalidArgument.rawValue)
        }
        client.close()
        client.close()
        XCTAssertThrowsError(try client.transmit(GroupTest.echo("x"))) {
            XCTAssertEqual(($0 as? CACipherError)?.code, CACipherError.Code.notInitialized.rawValue)
        }
        XCTAssertEqual(a.requests("XE"), 0)
    }

    func testConfiguredDMKCheckValueKeepsOutEveryOtherDevice() throws {
        let good = try FakeHSM(dmk: "1111111111111111"), bad = try FakeHSM(dmk: "2222222222222222")
        defer { good.close(); bad.close() }
        // `bad` is first in order: without the configured value it would define the group.
        let client = CACipherClient(config: config([bad, good], dmk: "1111111111111111"), logSink: nil,
                                    options: GroupTest.options())
        defer { client.close() }
        for i in 0..<10 { XCTAssertEqual(try client.transmit(GroupTest.echo("\(i)")), GroupTest.reply("\(i)")) }
        XCTAssertEqual(bad.requests("XE"), 0)
        XCTAssertEqual(client.memberStatus()[0].state, .dmkMismatch)
    }

    func testGroupSectionParses() throws {
        let c = try ConfigParser.parse(content: "{[GROUP];dmkCheckValue=08d7b4fb629d0885;[HOST1];host=127.0.0.1;port=1;}")
        XCTAssertEqual(c.expectedDMKCheckValue, "08D7B4FB629D0885")
        XCTAssertThrowsError(try ConfigParser.parse(content: "{[GROUP];dmkCheckValue=XYZ;[HOST1];host=127.0.0.1;port=1;}")) {
            let e = $0 as? CACipherError
            XCTAssertEqual(e?.code, CACipherError.Code.config.rawValue)
            XCTAssertTrue(e?.message.contains("dmkCheckValue") ?? false)
        }
    }

    func testResendSafetyClassifiesStoringCommands() throws {
        func payload<R: HostCommandRequest>(_ r: R) throws -> [UInt8] {
            var w = FieldWriter()
            w.append(R.command)
            try r.encode(into: &w)
            return w.bytes
        }
        let zmk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0x11, count: 16))
        let plain = try payload(GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant))
        let exported = try payload(GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant, zmk: zmk, zmkScheme: .doubleX917))
        let stored = try payload(GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant,
                                                    store: StoreTarget(index: 7, label: "pinkey")))
        let imported = try payload(ImportKeyRequest(keyType: .zpk, zmk: zmk, keyUnderZMK: zmk, lmkScheme: .doubleVariant))
        let importStored = try payload(ImportKeyRequest(keyType: .zpk, zmk: zmk, keyUnderZMK: zmk, lmkScheme: .doubleVariant,
                                                        store: StoreTarget(index: 8, label: "")))
        XCTAssertTrue(ResendSafety.isIdempotent(plain))
        XCTAssertTrue(ResendSafety.isIdempotent(exported))
        XCTAssertFalse(ResendSafety.isIdempotent(stored))
        XCTAssertTrue(ResendSafety.isIdempotent(imported))
        XCTAssertFalse(ResendSafety.isIdempotent(importStored))
        XCTAssertFalse(ResendSafety.isIdempotent(Array("A0garbage".utf8)), "unreadable storing command: not re-sent")
        // Key printing: a second HSM would print a second mailer (another component).
        XCTAssertFalse(ResendSafety.isIdempotent(Array("PA>L>010".utf8)))
        XCTAssertFalse(ResendSafety.isIdempotent(Array("A2002U".utf8)))
        XCTAssertFalse(ResendSafety.isIdempotent(Array("A30".utf8)))
        XCTAssertTrue(ResendSafety.isIdempotent(try payload(SM2GenerateRequest())))
        XCTAssertFalse(ResendSafety.isIdempotent(try payload(SM2GenerateRequest(store: StoreTarget(index: 3, label: "sm2")))))
        XCTAssertTrue(ResendSafety.isIdempotent(try payload(SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")))), "E7 K9999: not stored")
        XCTAssertFalse(ResendSafety.isIdempotent(try payload(SM2LoadRequest(publicKeyDER: SM2PublicKeyDER.encode([UInt8](repeating: 1, count: 64))!,
                                                                            privateKeyUnderLMK: [UInt8](repeating: 1, count: 40),
                                                                            store: StoreTarget(index: 4, label: "")))))
        let tk = SM2TransportKey(mode: 0, keyType: .zmk, key: .stored(index: 1))
        let der = SM2PublicKeyDER.encode([UInt8](repeating: 1, count: 64))!
        XCTAssertTrue(ResendSafety.isIdempotent(try payload(SM2ImportByTKRequest(transportKey: tk, publicKeyDER: der, privateKeyUnderTK: [1]))))
        XCTAssertFalse(ResendSafety.isIdempotent(try payload(SM2ImportByTKRequest(transportKey: tk, index: 5, label: "a", publicKeyDER: der,
                                                                                  privateKeyUnderTK: [1]))))
        XCTAssertTrue(ResendSafety.isIdempotent(Array("B20002AB".utf8)))
        XCTAssertTrue(ResendSafety.isIdempotent(Array("NC".utf8)))
    }
}

/// `logsw=trace` dumps every frame through the group, masked: codes and lengths only.
final class TraceLoggingTests: XCTestCase {
    func testTraceDumpsFramesWithoutTheirFields() throws {
        let a = try FakeHSM()
        defer { a.close() }
        var c = CACipherConfig()
        c.logger.categories = [.trace]
        c.hosts = [GroupTest.host(a, "HOST1")]
        let sink = RecordingSink()
        let client = CACipherClient(config: c, logSink: sink, options: GroupTest.options())
        defer { client.close() }
        let secret = "0412AC89ABCDEF67"  // looks like a clear PIN block: must never be logged
        XCTAssertEqual(try client.transmit(GroupTest.echo(secret)), GroupTest.reply(secret))
        XCTAssertTrue(sink.contains(.trace, "HOST1", "request", "cmd=XE", "fields=*(16)"))
        XCTAssertTrue(sink.contains(.trace, "HOST1", "response", "rsp=XF", "err=00", "fields=*(16)"))
        XCTAssertFalse(sink.lines.contains { $0.1.contains(secret) }, "no field bytes in any log line")
    }

    func testNoTraceLinesWhenTraceIsOff() throws {
        let a = try FakeHSM()
        defer { a.close() }
        var c = CACipherConfig()
        c.logger.categories = [.error, .warn, .info, .debug]
        c.hosts = [GroupTest.host(a, "HOST1")]
        let sink = RecordingSink()
        let client = CACipherClient(config: c, logSink: sink, options: GroupTest.options())
        defer { client.close() }
        _ = try client.transmit(GroupTest.echo("x"))
        XCTAssertFalse(sink.lines.contains { $0.0 == .trace })
    }
}
