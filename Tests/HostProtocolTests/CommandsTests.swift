import XCTest
@testable import HostProtocol

/// The shared command layouts: encode then decode gives the same value; wire text is as
/// documented in docs/wire.md.
final class CommandsTests: XCTestCase {
    let zpk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    /// An SM4 key under the LMK: 16 bytes of key, 8 of authenticator.
    let sm4 = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0x01, count: 24))
    /// An SM4 key under a ZMK: 16 bytes.
    let sm4ZMK = KeyField.encrypted(scheme: .sm4, material: [UInt8](repeating: 0x02, count: 16))

    func roundTrip<R: HostCommandRequest & Equatable>(_ r: R, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try r.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(Array(p.prefix(2)), R.command.bytes, file: file, line: line)
        XCTAssertEqual(try R.decodeAll(p.dropFirst(2)), r, file: file, line: line)
    }

    func roundTripResponse<R: HostCommandResponse & Equatable>(_ r: R, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try R.decodeAll(try r.fields()), r, file: file, line: line)
    }

    func testRequestsRoundTrip() throws {
        try roundTrip(DeviceInfoRequest(), "NC")
        try roundTrip(EchoRequest(data: Array("hello".utf8)), "B20005hello")
        try roundTrip(RandomRequest(count: 8), "CR0008")
        try roundTrip(HashRequest(algorithm: 20, data: Array("abc".utf8)), "3C200003abc")
        try roundTrip(HashRequest(algorithm: 20, data: [1], userID: Array("id".utf8), publicKey: [UInt8](repeating: 4, count: 64)))
        try roundTrip(GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant), "A00001U")
        try roundTrip(GenerateKeyRequest(keyType: .zak, lmkScheme: .sm4, zmk: .stored(index: 3), zmkScheme: .sm4,
                                         store: StoreTarget(index: 12, label: "mac key")), "A01008RK0003RK001207mac key")
        try roundTrip(ImportKeyRequest(keyType: .zpk, zmk: zpk, keyUnderZMK: sm4ZMK, lmkScheme: .sm4, store: StoreTarget(index: 1, label: "")))
        try roundTrip(ImportKeyRequest(keyType: .zpk, zmk: sm4, keyUnderZMK: sm4ZMK, lmkScheme: .sm4),
                      "A6001R" + String(repeating: "01", count: 24) + "R" + String(repeating: "02", count: 16) + "R")
        try roundTrip(ExportKeyRequest(keyType: .tak, zmk: zpk, key: .stored(index: 9), zmkScheme: .doubleX917))
        try roundTrip(FormKeyRequest(keyType: .zmk, lmkScheme: .doubleVariant, components: [zpk, zpk, zpk]))
        try roundTrip(CheckValueRequest(keyType: .cvk, key: zpk))
        try roundTrip(CheckValueRequest(typeCode: 0x01, lengthFlag: 1, key: zpk), "BU011U" + String(repeating: "AB", count: 16))
        let t = PINTranslation(sourceKey: zpk, destinationKey: sm4, maxPINLength: 12, pinBlock: [UInt8](repeating: 7, count: 16),
                               sourceFormat: 1, destinationFormat: 47, account: "123456789012")
        try roundTrip(TranslatePINRequest(t))
        try roundTrip(TranslatePINFromTPKRequest(t))
        try roundTrip(PINBlockToLMKRequest(zpk: .stored(index: 2), pinBlock: [UInt8](repeating: 1, count: 8), format: 5, account: "000000000001"))
        try roundTrip(PINFromLMKRequest(zpk: zpk, format: 3, account: "000000000001", pinUnderLMK: [UInt8](repeating: 9, count: 8)))
        try roundTrip(EncryptPINRequest(pin: "1234", account: "000000000001", paddedTo: 6), "BA1234FF000000000001")
        try roundTrip(DecryptPINRequest(account: "000000000001", pinUnderLMK: [UInt8](repeating: 9, count: 8)))
        let mac = MACFields(mode: 2, inputFormat: 1, macSize: 1, algorithm: 3, padding: 2, keyType: .zak, key: .stored(index: 5),
                            iv: [UInt8](repeating: 3, count: 8), data: Array("0011".utf8))
        try roundTrip(GenerateMACRequest(mac))
        var macSM4 = mac
        macSM4.key = .stored(index: 6)
        macSM4.iv = [UInt8](repeating: 3, count: 16)
        try roundTrip(GenerateMACRequest(macSM4))
        var m0 = mac
        m0.mode = 0
        m0.iv = nil
        try roundTrip(VerifyMACRequest(m0, mac: [1, 2, 3, 4, 5, 6, 7, 8]))
        try roundTrip(EncryptDataRequest(DataCipherFields(mode: 1, inputFormat: 0, outputFormat: 1, keyType: .zek, key: sm4,
                                                          iv: [UInt8](repeating: 0, count: 16), data: [1, 2, 3])))
        try roundTrip(DecryptDataRequest(DataCipherFields(mode: 0, inputFormat: 1, outputFormat: 0, keyType: .tek, key: .stored(index: 1), data: Array("AB".utf8))))
        // SM2 in the vendor layouts (SM2CommandsTests pins the bytes).
        let der = SM2PublicKeyDER.encode([UInt8](repeating: 6, count: 64))!
        try roundTrip(SM2GenerateRequest(store: StoreTarget(index: 4, label: "sm2")), "E707K000403sm2")
        try roundTrip(SM2LoadRequest(publicKeyDER: der, privateKeyUnderLMK: [UInt8](repeating: 5, count: 40), store: StoreTarget(index: 4, label: "x")))
        try roundTrip(SM2PublicKeyRequest(privateKey: .stored(index: 4)), "E2K0004")
        try roundTrip(SM2EncryptRequest(publicKey: .carried(der: der), data: [1, 2]))
        try roundTrip(SM2DecryptRequest(privateKey: .carried(privateKey: [UInt8](repeating: 6, count: 40)), ciphertext: [UInt8](repeating: 1, count: 99)))
        try roundTrip(SM2SignRequest(key: .stored(index: 1), userID: Array("1234567812345678".utf8), data: [0]))
        try roundTrip(SM2VerifyRequest(publicKey: .stored(index: 1), userID: [], data: [1], signature: [UInt8](repeating: 2, count: 64)))
    }

    func testResponsesRoundTrip() throws {
        try roundTripResponse(DeviceInfoResponse(dmkCheckValue: [1, 2, 3, 4, 5, 6, 7, 8], version: "EVSM", serial: "ABC"))
        try roundTripResponse(GenerateKeyResponse(keyUnderLMK: zpk, keyUnderZMK: zpk, checkValue: [UInt8](repeating: 1, count: 8)))
        try roundTripResponse(GenerateKeyResponse(keyUnderLMK: sm4, keyUnderZMK: sm4ZMK, checkValue: [UInt8](repeating: 1, count: 8)))
        try roundTripResponse(GenerateKeyResponse(keyUnderLMK: zpk, keyUnderZMK: nil, checkValue: [UInt8](repeating: 1, count: 8)))
        try roundTripResponse(ImportKeyResponse(key: sm4, checkValue: [UInt8](repeating: 2, count: 8)))
        try roundTripResponse(ExportKeyResponse(key: sm4ZMK, checkValue: [UInt8](repeating: 2, count: 8)))
        // An SM4 key under the LMK is not a key under a ZMK (and the other way round).
        XCTAssertThrowsError(try ExportKeyResponse.decodeAll(try ImportKeyResponse(key: sm4, checkValue: [UInt8](repeating: 2, count: 8)).fields()))
        XCTAssertThrowsError(try ImportKeyResponse.decodeAll(try ExportKeyResponse(key: sm4ZMK, checkValue: [UInt8](repeating: 2, count: 8)).fields()))
        try roundTripResponse(TranslatePINResponse(pinLength: 4, pinBlock: [UInt8](repeating: 1, count: 16), destinationFormat: 1))
        try roundTripResponse(DataCipherResponse(ivOut: [UInt8](repeating: 1, count: 8), data: Array("ABCD".utf8)))
        try roundTripResponse(DataCipherResponse(ivOut: nil, data: [1, 2, 3, 4, 5, 6, 7, 8]))
        try roundTripResponse(SM2GenerateResponse(publicKeyDER: SM2PublicKeyDER.encode([UInt8](repeating: 1, count: 64))!, privateKeyUnderLMK: [UInt8](repeating: 2, count: 40)))
        try roundTripResponse(SM2DataResponse(data: [1, 2, 3]))
        try roundTripResponse(DecryptPINResponse(pin: "123456"))
        try roundTripResponse(HashResponse(hash: [UInt8](repeating: 3, count: 32)))
    }

    func testMalformedRequestsThrowFieldErrors() {
        XCTAssertThrowsError(try GenerateKeyRequest.decodeAll(Array("0001Q".utf8))) { XCTAssertEqual(($0 as? FieldError)?.hostError, .invalidKeyScheme) }
        XCTAssertThrowsError(try EchoRequest.decodeAll(Array("0010ab".utf8))) { XCTAssertEqual(($0 as? FieldError)?.hostError, .lengthError) }
        XCTAssertThrowsError(try RandomRequest.decodeAll(Array("00x1".utf8))) { XCTAssertEqual(($0 as? FieldError)?.hostError, .invalidInput) }
        XCTAssertThrowsError(try RandomRequest.decodeAll(Array("00011".utf8))) { XCTAssertEqual($0 as? FieldError, .trailingData(1)) }
        XCTAssertThrowsError(try SM2PublicKeyRequest.decodeAll(Array("K0000".utf8)))
        XCTAssertThrowsError(try TranslatePINRequest.decodeAll(Array("U00".utf8)))
    }
}
