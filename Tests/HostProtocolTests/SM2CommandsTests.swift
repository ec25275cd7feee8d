import XCTest
@testable import HostProtocol

/// The SM2 layouts in the vendor's (TASS SJJ1310) form: every request pinned byte for byte,
/// decoded back, and the malformed forms refused with the field error a handler answers.
final class SM2CommandsTests: XCTestCase {
    /// [KAT] The sample key pair of GM/T 0003.5-2012 (GB/T 32918.5) Annex A: d =
    /// 3945208F...4DF7C5B8; its SubjectPublicKeyInfo as `openssl pkey -pubout -outform DER`
    /// writes it (OpenSSL 3.0, pinned).
    static let samplePoint = Hex.decode("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                                        + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")!
    static let sampleDER = Hex.decode("3059301306072A8648CE3D020106082A811CCF5501822D03420004"
                                      + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
                                      + "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")!

    func bytes(_ parts: Any...) -> [UInt8] {
        var out: [UInt8] = []
        for p in parts {
            if let s = p as? String { out += Array(s.utf8) } else if let b = p as? [UInt8] { out += b } else if let i = p as? [Int] { out += i.map { UInt8($0) } }
        }
        return out
    }

    func check<R: HostCommandRequest & Equatable>(_ r: R, _ wire: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        XCTAssertEqual(p, wire, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func testPublicKeyDER() {
        XCTAssertEqual(SM2PublicKeyDER.encode(Self.samplePoint), Self.sampleDER)
        XCTAssertEqual(SM2PublicKeyDER.encode([4] + Self.samplePoint), Self.sampleDER)
        XCTAssertEqual(SM2PublicKeyDER.point(Self.sampleDER), Self.samplePoint)
        XCTAssertEqual(Self.sampleDER.count, 91)
        XCTAssertNil(SM2PublicKeyDER.encode([1, 2]))
        var other = Self.sampleDER
        other[20] ^= 1          // another curve OID
        XCTAssertNil(SM2PublicKeyDER.point(other))
        XCTAssertNil(SM2PublicKeyDER.point(Array(Self.sampleDER.dropLast())))
        // The vendor's length rule (spec §5.8 as documented in docs/wire.md).
        XCTAssertEqual(SM2PublicKeyDER.sequenceLength([0x30, 0x59]), 91)
        XCTAssertEqual(SM2PublicKeyDER.sequenceLength([0x30, 0x81, 0x89]), 0x89 + 3)
        XCTAssertEqual(SM2PublicKeyDER.sequenceLength([0x30, 0x82, 0x01, 0x0A]), 0x10A + 4)
        XCTAssertNil(SM2PublicKeyDER.sequenceLength([0x31, 0x59]))
        XCTAssertNil(SM2PublicKeyDER.sequenceLength([0x30, 0x83, 1, 2, 3]))
    }

    func testRequestsInTheVendorLayout() throws {
        let der = Self.sampleDER
        let blob = [UInt8](repeating: 0xA5, count: 40)
        try check(SM2GenerateRequest(), bytes("E707"))
        try check(SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")), bytes("E707K999900"))
        try check(SM2GenerateRequest(store: StoreTarget(index: 12, label: "sm2")), bytes("E707K001203sm2"))
        XCTAssertFalse(SM2GenerateRequest(store: StoreTarget(index: 9999, label: "")).stores)
        XCTAssertTrue(SM2GenerateRequest(store: StoreTarget(index: 12, label: "")).stores)
        try check(SM2LoadRequest(publicKeyDER: der, privateKeyUnderLMK: blob, store: StoreTarget(index: 7, label: "ab")),
                  bytes("E107", der, "0040", blob, "0007", "02ab"))
        try check(SM2PublicKeyRequest(privateKey: .stored(index: 7)), bytes("E2K0007"))
        try check(SM2PublicKeyRequest(privateKey: .carried(privateKey: blob)), bytes("E2K9999", "0040", blob))
        try check(SM2EncryptRequest(publicKey: .stored(index: 3), data: [1, 2, 3]), bytes("E3070003", [1, 2, 3], ";K0003", "0"))
        try check(SM2EncryptRequest(publicKey: .carried(der: der), data: [9]), bytes("E3070001", [9], ";K9999", der, "0"))
        try check(SM2DecryptRequest(privateKey: .stored(index: 3), ciphertext: [UInt8](repeating: 7, count: 98)),
                  bytes("E40700098", [UInt8](repeating: 7, count: 98), ";K0003"))
        try check(SM2DecryptRequest(privateKey: .carried(privateKey: blob), ciphertext: [5]), bytes("E40700001", [5], ";K9999", "0040", blob))
        try check(SM2SignRequest(key: .stored(index: 2), userID: Array("ID".utf8), data: [1]), bytes("E520070002ID;0001", [1], ";K0002", "0"))
        try check(SM2SignRequest(key: .carried(der: der, privateKey: blob), userID: [], data: []),
                  bytes("E520070000;0000;K9999", der, "0040", blob, "0"))
        let sig = [UInt8](repeating: 0x11, count: 64)
        try check(SM2VerifyRequest(publicKey: .stored(index: 2), userID: [], data: [8], signature: sig),
                  bytes("E620070000;00064", sig, ";0001", [8], ";K0002"))
        try check(SM2VerifyRequest(publicKey: .carried(der: der), userID: Array("A".utf8), data: [], signature: sig),
                  bytes("E620070001A;00064", sig, ";0000;K9999", der))
        let f = [UInt8](repeating: 0x22, count: 16)
        let tk = SM2TransportKey(mode: 1, keyType: .mkAC, key: .stored(index: 5), derive: DeriveField(factors: [f]))
        try check(SM2ExportByTKRequest(transportKey: tk, key: .stored(index: 8)), bytes("TT01109K0005", "01", String(repeating: "22", count: 16), "07", "0008"))
        let tk0 = SM2TransportKey(mode: 0, keyType: .zmk, key: .encrypted(scheme: .doubleX917, material: [UInt8](repeating: 0xAB, count: 16)))
        try check(SM2ExportByTKRequest(transportKey: tk0, key: .carried(der: der, privateKey: blob)),
                  bytes("TT00000X", String(repeating: "AB", count: 16), "0007", "9999", der, "0040", blob))
        try check(SM2ImportByTKRequest(transportKey: tk0, publicKeyDER: der, privateKeyUnderTK: [UInt8](repeating: 3, count: 32)),
                  bytes("TU00000X", String(repeating: "AB", count: 16), "0007", "9999", der, "0032", [UInt8](repeating: 3, count: 32)))
        try check(SM2ImportByTKRequest(transportKey: tk0, index: 44, label: "k", publicKeyDER: der, privateKeyUnderTK: [3]),
                  bytes("TU00000X", String(repeating: "AB", count: 16), "0007", "0044", der, "0001", [3], "01k"))
    }

    func testResponsesRoundTrip() throws {
        let der = Self.sampleDER
        for r in [SM2GenerateResponse(publicKeyDER: der, privateKeyUnderLMK: [1, 2])] {
            XCTAssertEqual(try r.fields(), der + Array("0002".utf8) + [1, 2])
            XCTAssertEqual(try SM2GenerateResponse.decodeAll(try r.fields()), r)
        }
        XCTAssertEqual(try SM2PublicKeyResponse.decodeAll(der), SM2PublicKeyResponse(publicKeyDER: der))
        XCTAssertEqual(try SM2EmptyResponse.decodeAll([]), SM2EmptyResponse())
        let e = SM2ExportByTKResponse(publicKeyDER: der, privateKeyUnderTK: [UInt8](repeating: 9, count: 32))
        XCTAssertEqual(try SM2ExportByTKResponse.decodeAll(try e.fields()), e)
        let i = SM2ImportByTKResponse(privateKeyUnderLMK: [UInt8](repeating: 9, count: 40))
        XCTAssertEqual(try SM2ImportByTKResponse.decodeAll(try i.fields()), i)
        XCTAssertThrowsError(try SM2PublicKeyResponse.decodeAll(Array(der.dropLast())))
        XCTAssertThrowsError(try SM2EmptyResponse.decodeAll([1]))
    }

    func code(_ body: [UInt8], _ decode: ([UInt8]) throws -> Any) -> HostErrorCode? {
        do { _ = try decode(body) } catch let e as FieldError { return e.hostError } catch { return nil }
        return .ok
    }

    func testMalformedRequests() {
        let der = Self.sampleDER
        XCTAssertEqual(code(bytes("08")) { try SM2GenerateRequest.decodeAll($0) }, .invalidInput, "curve 08")
        XCTAssertEqual(code(bytes("07K0000")) { try SM2GenerateRequest.decodeAll($0) }, .invalidInput, "index 0")
        XCTAssertEqual(code(bytes("070001", [1], "K0003", "0")) { try SM2EncryptRequest.decodeAll($0) }, .invalidInput, "no ;")
        XCTAssertEqual(code(bytes("070001", [1], ";K0003", "1")) { try SM2EncryptRequest.decodeAll($0) }, .invalidInput, "format 1")
        XCTAssertEqual(code(bytes("070001", [1], ";K0003")) { try SM2EncryptRequest.decodeAll($0) }, .lengthError, "no format")
        XCTAssertEqual(code(bytes("070001", [1], ";K9999", [0x31, 0x59], "0")) { try SM2EncryptRequest.decodeAll($0) }, .invalidInput, "not DER")
        XCTAssertEqual(code(bytes("070001", [1], ";K9999", Array(der.prefix(50)))) { try SM2EncryptRequest.decodeAll($0) }, .lengthError, "DER cut")
        XCTAssertEqual(code(bytes("070005", [1])) { try SM2EncryptRequest.decodeAll($0) }, .lengthError, "data cut")
        XCTAssertEqual(code(bytes("21070000;0000;K00010")) { try SM2SignRequest.decodeAll($0) }, .invalidInput, "hash 21")
        XCTAssertEqual(code(bytes("20070000;0000;K00010X")) { try SM2SignRequest.decodeAll($0) }, .lengthError, "trailing")
        XCTAssertEqual(code(bytes("02000K0001000700001")) { try SM2ExportByTKRequest.decodeAll($0) }, .invalidInput, "mode 02")
        XCTAssertEqual(code(bytes("00000K000101", "ZZ")) { try SM2ExportByTKRequest.decodeAll($0) }, .lengthError, "derive cut")
        XCTAssertEqual(code(bytes("00000K000101", String(repeating: "G", count: 32), "070001")) { try SM2ExportByTKRequest.decodeAll($0) }, .invalidInput, "derive not hex")
        XCTAssertEqual(code(bytes("E2")) { try SM2PublicKeyRequest.decodeAll($0.dropFirst(2)) }, .lengthError, "empty")
    }
}

/// `TQ`, `TX`, `TY` in the vendor layouts.
final class SM2SymmetricKeyCommandsTests: XCTestCase {
    func testRequestsInTheVendorLayout() throws {
        let der = SM2CommandsTests.sampleDER
        func wire(_ parts: [UInt8]...) -> [UInt8] { parts.flatMap { $0 } }
        func a(_ s: String) -> [UInt8] { Array(s.utf8) }
        let tq = SM2PublicKeyMACRequest(publicKeyDER: der, authData: a("auth"))
        XCTAssertEqual(try tq.payload(), wire(a("TQ07"), der, a("auth")))
        XCTAssertEqual(try SM2PublicKeyMACRequest.decodeAll(try tq.payload().dropFirst(2)), tq)
        XCTAssertThrowsError(try SM2PublicKeyMACRequest(publicKeyDER: der, authData: a("a;b")).payload())
        let zek = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0xCD, count: 24))
        let tx = SM2ExportSymmetricKeyRequest(keyType: .zek, key: zek, publicKey: .carried(der: der, authData: a("id"), mac: [1, 2, 3, 4]))
        XCTAssertEqual(try tx.payload(), wire(a("TX0700AR" + String(repeating: "CD", count: 24) + "00" + "9999"), der, a("id;"), [1, 2, 3, 4]))
        XCTAssertEqual(try SM2ExportSymmetricKeyRequest.decodeAll(try tx.payload().dropFirst(2)), tx)
        let tx2 = SM2ExportSymmetricKeyRequest(keyType: .mkAC, key: .stored(index: 3), derive: DeriveField(factors: [[UInt8](repeating: 0x11, count: 16)]),
                                               publicKey: .stored(index: 12))
        XCTAssertEqual(try tx2.payload(), a("TX07109K000301" + String(repeating: "11", count: 16) + "0012"))
        XCTAssertEqual(try SM2ExportSymmetricKeyRequest.decodeAll(try tx2.payload().dropFirst(2)), tx2)
        let c = [UInt8](repeating: 7, count: 113)
        let ty = SM2ImportSymmetricKeyRequest(keyType: .zek, scheme: .sm4, store: StoreTarget(index: 5, label: "k"), keyUnderSM2: c,
                                              privateKey: .carried(privateKey: [UInt8](repeating: 9, count: 40)))
        XCTAssertEqual(try ty.payload(), wire(a("TY0700ARK000501k" + String(repeating: "0", count: 16) + "0071"), c, a("99990040"), [UInt8](repeating: 9, count: 40)))
        XCTAssertEqual(try SM2ImportSymmetricKeyRequest.decodeAll(try ty.payload().dropFirst(2)), ty)
        let ty2 = SM2ImportSymmetricKeyRequest(keyType: .zmk, scheme: .doubleVariant, keyUnderSM2: [1], privateKey: .stored(index: 8))
        XCTAssertEqual(try ty2.payload(), wire(a("TY07000U" + String(repeating: "0", count: 16) + "0001"), [1], a("0008")))
        XCTAssertEqual(try SM2ImportSymmetricKeyRequest.decodeAll(try ty2.payload().dropFirst(2)), ty2)
        let rsp = SM2ExportSymmetricKeyResponse(keyUnderSM2: c, checkValue: [UInt8](repeating: 0xAB, count: 8))
        XCTAssertEqual(try SM2ExportSymmetricKeyResponse.decodeAll(try rsp.fields()), rsp)
        XCTAssertEqual(try SM2PublicKeyMACResponse.decodeAll([1, 2, 3, 4]), SM2PublicKeyMACResponse(mac: [1, 2, 3, 4]))
        XCTAssertThrowsError(try SM2PublicKeyMACResponse.decodeAll([1, 2, 3]))
    }
}
