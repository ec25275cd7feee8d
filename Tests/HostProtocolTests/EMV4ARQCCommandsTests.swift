import XCTest
@testable import HostProtocol

/// `KW`/`KX` layout (docs/wire.md): encode then decode gives the same value; the wire text is
/// the payShield `KW` field order in this project's text encoding.
final class EMV4ARQCCommandsTests: XCTestCase {
    let mdk = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0xAB, count: 16))
    let mdkHex = "U" + String(repeating: "AB", count: 16)
    let pan = "0123456789012345"
    let q: [UInt8] = [0x4B, 0x46, 0x01, 0x33, 0x59, 0xB7, 0xA5, 0x8B]
    let r: [UInt8] = [0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56]

    func roundTrip(_ req: EMV4ARQCRequest, _ wire: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let p = try req.payload()
        if let w = wire { XCTAssertEqual(String(decoding: p, as: UTF8.self), w, file: file, line: line) }
        XCTAssertEqual(try EMV4ARQCRequest.decodeAll(p.dropFirst(2)), req, file: file, line: line)
    }

    func testModesAndSchemes() throws {
        try roundTrip(EMV4ARQCRequest(mode: .verifyAndARPCMethod2, scheme: .explicitR, mdk: mdk, pan: pan, atc: [0, 1], r: r,
                                      data: [0x01, 0x23], arqc: q, csu: [0, 0, 0, 0], proprietaryData: [0x12, 0x34]),
                      "KW32" + mdkHex + pan + "0001" + "00000000" + "1234567890123456" + "02" + "0123" + ";" + "4B46013359B7A58B"
                        + "00000000" + "2" + "1234")
        try roundTrip(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .atc, mdk: .stored(index: 3), pan: pan, atc: [0, 1], arqc: q,
                                      csu: [0x80, 0, 0, 0]),
                      "KW40" + "K0003" + pan + "0001" + "00000000" + "4B46013359B7A58B" + "80000000" + "0")
        try roundTrip(EMV4ARQCRequest(mode: .arpcMethod1, scheme: .atcAndUN, mdk: mdk, pan: pan, atc: [0, 1], un: [1, 2, 3, 4],
                                      arqc: q, arc: [0x30, 0x30]),
                      "KW21" + mdkHex + pan + "0001" + "01020304" + "4B46013359B7A58B" + "3030")
        try roundTrip(EMV4ARQCRequest(mode: .verify, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1],
                                      data: [UInt8](repeating: 0x55, count: 255), arqc: q))
        try roundTrip(EMV4ARQCRequest(mode: .verifyAndARPCMethod1, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], data: [1],
                                      arqc: q, arc: [0x30, 0x30]))
        XCTAssertEqual(try EMV4ARQCResponse.decodeAll(Array("4962B76C".utf8)), EMV4ARQCResponse(value: [0x49, 0x62, 0xB7, 0x6C]))
        XCTAssertEqual(try EMV4ARQCResponse.decodeAll(try EMV4ARQCResponse(value: q).fields()), EMV4ARQCResponse(value: q))
        XCTAssertEqual(try EMV4ARQCResponse.decodeAll([UInt8]()), EMV4ARQCResponse(value: nil))
        XCTAssertThrowsError(try EMV4ARQCResponse.decodeAll(Array("4962B7".utf8)))
    }

    func testEncodeRefusals() {
        func bad(_ req: EMV4ARQCRequest, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try req.payload(), file: file, line: line)
        }
        bad(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], arqc: q, csu: [0, 0, 0]))
        bad(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], arqc: q, csu: [0, 0, 0, 0],
                            proprietaryData: [UInt8](repeating: 0, count: 9)))
        bad(EMV4ARQCRequest(mode: .arpcMethod1, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], arqc: q, arc: [0x30, 0x30], csu: [0, 0, 0, 0]))
        bad(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .explicitR, mdk: mdk, pan: pan, atc: [0, 1], arqc: q, csu: [0, 0, 0, 0]))
        bad(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], r: r, arqc: q, csu: [0, 0, 0, 0]))
        bad(EMV4ARQCRequest(mode: .verify, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], data: [UInt8](repeating: 0, count: 256), arqc: q))
        bad(EMV4ARQCRequest(mode: .arpcMethod2, scheme: .atc, mdk: mdk, pan: pan, atc: [0, 1], un: [1], arqc: q, csu: [0, 0, 0, 0]))
    }
}
