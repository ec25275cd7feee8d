import XCTest
@testable import HostProtocol

/// RSA layouts (`EI ER 3A 3B EW EY`): exact bytes for the vendor's field order, round trips,
/// DER length rules.
final class RSACommandsTests: XCTestCase {
    /// A short DER SEQUENCE standing in for a public key (the codec only reads its header).
    let der: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ expected: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        XCTAssertEqual(p, expected, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p[2...]), r, file: file, line: line)
    }

    func testGenerateLayouts() throws {
        try roundTrip(RSAGenerateRequest(usage: 2, modulusBits: 2048), Array("EI2204801".utf8))
        try roundTrip(RSAGenerateRequest(usage: 0, modulusBits: 1024, store: StoreTarget(index: 12, label: "ab")), Array("EI0102401K001202ab".utf8))
        try roundTrip(RSAGenerateRequest(usage: 1, modulusBits: 1024, exponent: 3), Array("EI11024010002".utf8) + [3])
        try roundTrip(RSAGenerateRequest(modulusBits: 1024, exponent: 65537, store: StoreTarget(index: 1, label: "")),
                      Array("EI21024010017".utf8) + [1, 0, 1] + Array("K000100".utf8))
        let rsp = RSAGenerateResponse(publicKey: der, privateKeyUnderLMK: [9, 8, 7])
        XCTAssertEqual(try rsp.fields(), der + Array("0003".utf8) + [9, 8, 7])
        XCTAssertEqual(try RSAGenerateResponse.decodeAll(try rsp.fields()), rsp)
    }

    func testKeyReferenceLayouts() throws {
        try roundTrip(RSAPublicKeyRequest(index: 5), Array("ERK0005".utf8))
        try roundTrip(RSAEncryptRequest(padding: 1, data: [0xAA], publicKey: .stored(index: 3)), Array("3A01010001".utf8) + [0xAA] + Array(";K0003".utf8))
        try roundTrip(RSAEncryptRequest(padding: 0, data: [0xAA], publicKey: .inline(der)), Array("3A01000001".utf8) + [0xAA] + Array(";K9999".utf8) + der)
        try roundTrip(RSADecryptRequest(padding: 1, data: [1, 2], privateKey: .inline([7, 7])),
                      Array("3B01010002".utf8) + [1, 2] + Array(";K99990002".utf8) + [7, 7])
        try roundTrip(RSASignRequest(hash: 6, padding: 1, data: [1], privateKey: .stored(index: 42)), Array("EW0601010001".utf8) + [1] + Array(";K0042".utf8))
        try roundTrip(RSAVerifyRequest(hash: 20, padding: 1, signature: [5, 5], data: [1], publicKey: .inline(der)),
                      Array("EY2001010002".utf8) + [5, 5] + Array(";0001".utf8) + [1] + Array(";K9999".utf8) + der)
        XCTAssertEqual(try RSADataResponse.decodeAll(Array("0002".utf8) + [1, 2]).data, [1, 2])
        XCTAssertThrowsError(try RSAEncryptRequest(padding: 1, data: [], publicKey: .stored(index: 9999)).payload())
    }

    func testDERLengthForms() throws {
        var long = [UInt8](repeating: 0x41, count: 300)
        var r = FieldReader([0x30, 0x82, 0x01, 0x2C] + long + [0xFF])
        XCTAssertEqual(try r.derSequence().count, 304)
        XCTAssertEqual(r.remaining, 1)
        long = [UInt8](repeating: 0x41, count: 0x8A)
        r = FieldReader([0x30, 0x81, 0x8A] + long)
        XCTAssertEqual(try r.derSequence().count, 0x8D)
        for bad: [UInt8] in [[0x31, 0x00], [0x30, 0x81, 0x05, 0, 0, 0, 0, 0], [0x30, 0x83, 0, 0, 1], [0x30, 0x05, 1]] {
            var b = FieldReader(bad)
            XCTAssertThrowsError(try b.derSequence())
        }
        XCTAssertThrowsError(try RSAEncryptRequest.decodeAll(Array("01010001A;K9999".utf8) + [0x30, 0x05]))
        XCTAssertThrowsError(try RSAEncryptRequest.decodeAll(Array("01010001AK0001".utf8)))
    }
}

/// `TR`/`TS` layouts.
final class RSATransportCommandsTests: XCTestCase {
    let der: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]
    let zmk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))

    func testExportLayout() throws {
        let tk = RSATransportKey(mode: 1, type: .zmk, key: zmk, derivation: [[UInt8](repeating: 0x11, count: 16)])
        let r = RSAExportRequest(transportKey: tk, privateKey: .stored(index: 2))
        let p = try r.payload()
        XCTAssertEqual(String(decoding: p, as: UTF8.self), "TR01000U" + String(repeating: "AB", count: 16) + "01" + String(repeating: "11", count: 16) + "K0002")
        XCTAssertEqual(try RSAExportRequest.decodeAll(p[2...]), r)
        let x = RSAExportRequest(transportKey: RSATransportKey(mode: 0, type: .mkAC, key: .stored(index: 9)), privateKey: .inline([1, 2]),
                                 ext: .init(padding: 0, publicKeyAsComponents: true, iv: [0xA5, 0, 0, 0, 0, 0, 0, 1]))
        let xp = try x.payload()
        XCTAssertEqual(xp, Array("TR00109K000900K99990002".utf8) + [1, 2] + Array("P001A500000000000001".utf8))
        XCTAssertEqual(try RSAExportRequest.decodeAll(xp[2...]), x)
        let w = RSAWrappedComponents(d: [1], p: [2], q: [3], dP: [4], dQ: [5], qInv: [6])
        let rsp = RSAExportResponse(publicKey: der, components: w)
        XCTAssertEqual(try rsp.fields(), der + Array("0001".utf8) + [1] + Array("0001".utf8) + [2] + Array("0001".utf8) + [3]
                       + Array("0001".utf8) + [4] + Array("0001".utf8) + [5] + Array("0001".utf8) + [6])
        XCTAssertEqual(try RSAExportResponse.decodeAll(try rsp.fields()), rsp)
        let crsp = RSAExportComponentsResponse(modulus: [9, 9], exponent: [1, 0, 1], components: w)
        XCTAssertEqual(try RSAExportComponentsResponse.decodeAll(try crsp.fields()), crsp)
    }

    func testImportLayout() throws {
        let w = RSAWrappedComponents(d: [1], p: [2], q: [3], dP: [4], dQ: [5], qInv: [6])
        let tk = RSATransportKey(mode: 0, type: .zmk, key: zmk)
        for store in [nil, StoreTarget(index: 12, label: "x")] {
            let r = RSAImportRequest(transportKey: tk, store: store, publicKey: der, components: w)
            let p = try r.payload()
            let head = "TS00000U" + String(repeating: "AB", count: 16) + "00" + (store == nil ? "K9999" : "K001201x")
            XCTAssertEqual(Array(p.prefix(head.utf8.count)), Array(head.utf8))
            XCTAssertEqual(try RSAImportRequest.decodeAll(p[2...]), r)
        }
        XCTAssertEqual(try RSAPrivateKeyResponse.decodeAll(Array("0002".utf8) + [7, 8]).privateKeyUnderLMK, [7, 8])
    }
}

/// `EO`/`TV`/`TW` layouts.
final class RSAKeyExchangeCommandsTests: XCTestCase {
    let der: [UInt8] = [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03]
    let zpk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))

    func testLayouts() throws {
        let eo = RSAPublicKeyMACRequest(publicKey: der, authData: Array("id".utf8))
        XCTAssertEqual(try eo.payload(), Array("EO01".utf8) + der + Array("id".utf8))
        XCTAssertEqual(try RSAPublicKeyMACRequest.decodeAll(try eo.payload()[2...]), eo)
        XCTAssertThrowsError(try RSAPublicKeyMACRequest(publicKey: der, authData: Array("a;b".utf8)).payload())
        let tv = RSAExportSymmetricKeyRequest(keyType: .zpk, key: zpk, derivation: [[UInt8](repeating: 0x22, count: 16)],
                                              publicKey: .inline(publicKey: der, authData: Array("id".utf8), mac: [1, 2, 3, 4]))
        let tvp = try tv.payload()
        XCTAssertEqual(tvp, Array(("TV01001U" + String(repeating: "AB", count: 16) + "01" + String(repeating: "22", count: 16) + "K9999").utf8)
                       + der + Array("id;".utf8) + [1, 2, 3, 4])
        XCTAssertEqual(try RSAExportSymmetricKeyRequest.decodeAll(tvp[2...]), tv)
        let tvs = RSAExportSymmetricKeyRequest(keyType: .zmk, key: .stored(index: 3), publicKey: .stored(index: 4))
        XCTAssertEqual(String(decoding: try tvs.payload(), as: UTF8.self), "TV01000K000300K0004")
        XCTAssertEqual(try RSAExportSymmetricKeyRequest.decodeAll(try tvs.payload()[2...]), tvs)
        let tw = RSAImportSymmetricKeyRequest(keyType: .zpk, scheme: .doubleVariant, store: StoreTarget(index: 9, label: "z"),
                                              cryptogram: [UInt8](repeating: 7, count: 0x1A), privateKey: .stored(index: 5))
        let twp = try tw.payload()
        XCTAssertEqual(twp, Array("TW01001UK000901z0000000000000000001A".utf8) + [UInt8](repeating: 7, count: 0x1A) + Array("K0005".utf8))
        XCTAssertEqual(try RSAImportSymmetricKeyRequest.decodeAll(twp[2...]), tw)
        let rsp = RSAExportSymmetricKeyResponse(cryptogram: [1, 2], checkValue: [UInt8](repeating: 0xAA, count: 8))
        XCTAssertEqual(try RSAExportSymmetricKeyResponse.decodeAll(try rsp.fields()), rsp)
    }
}
