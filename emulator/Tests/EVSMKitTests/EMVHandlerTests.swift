import XCTest
import HostProtocol
@testable import EVSMKit

/// `K6`, `K2`, `K4`, `KX` in test-LMK mode: known answers and refusals.
///
/// The issuer master key (type 109) is 0123456789ABCDEFFEDCBA9876543210, PAN/PSN
/// 1234567890123445 (the rightmost 16 digits of PAN 99012345678901234 || PSN 45), whose option
/// A card key 67F8292358083E5EA7AB7FDA58D53B6B is published by knovichikhin/pyemv (MIT,
/// pyemv/kd.py). Everything after it (PBOC ATC session key for ATC 0001
/// 1004853764C2012F0ECB98A8C2B39110, KCV 7E572103ED70B2EC; ARQC, ARPC, script MAC and
/// cryptograms, PIN change data) was computed independently with the openssl command line
/// (scripts/emv-known-answers.py) and is pinned here.
final class EMVHandlerTests: XCTestCase {
    let clearMDK = "0123456789ABCDEFFEDCBA9876543210"
    let pan = "1234567890123445"
    let data = "0123456789ABCDEF0123456789ABCDEF"
    let arqc = "2C064758BA227276"

    func mdk(_ d: Device, _ type: KeyType = .mkAC, _ scheme: KeyScheme = .doubleVariant, clear: String? = nil) throws -> String {
        String(decoding: try underLMK(d, clear: clear ?? clearMDK, type: type, scheme: scheme).wire, as: UTF8.self)
    }

    func assertReply(_ r: Reply, _ code: String, _ error: String, _ text: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.code, code, file: file, line: line)
        XCTAssertEqual(r.error, error, file: file, line: line)
        XCTAssertEqual(r.text, text, file: file, line: line)
    }

    func testK6KnownAnswers() throws {
        let d = testDevice()
        let k = try mdk(d)
        assertReply(send(d, "K60" + k + pan + "0001" + "10" + data + ";" + arqc), "K7", "00")
        assertReply(send(d, "K61" + k + pan + "0001" + "10" + data + ";" + arqc + "3030"), "K7", "00", "DCEEDD0B828A19A2")
        assertReply(send(d, "K62" + k + pan + "0001" + arqc + "3030"), "K7", "00", "DCEEDD0B828A19A2")
        // mismatch: 01 with the diagnostic (the session key's check value), modes 0 and 1
        assertReply(send(d, "K60" + k + pan + "0001" + "10" + data + ";" + "2C064758BA227277"), "K7", "01", "7E572103ED70B2EC")
        assertReply(send(d, "K61" + k + pan + "0001" + "10" + data + ";" + "2C064758BA227277" + "3030"), "K7", "01", "7E572103ED70B2EC")
        XCTAssertNotEqual(send(d, "K60" + k + pan + "0002" + "10" + data + ";" + arqc).text, "7E572103ED70B2EC")
        // lower-case transaction data is hex too
        assertReply(send(d, "K60" + k + pan + "0001" + "10" + data.lowercased() + ";" + arqc), "K7", "00")
    }

    func testK2K4KnownAnswers() throws {
        let d = testDevice()
        let k = try mdk(d)
        assertReply(send(d, "K4" + k + pan + "0001" + "00C" + "842400000811223344556677"), "K5", "00", "0C09BA4F207F23BC")
        assertReply(send(d, "K2" + k + pan + "0001" + "00C" + "842400000811223344556677"), "K3", "00", "38C365A7800B00CF71ED9BF920DD17CA")
        assertReply(send(d, "K2" + k + pan + "0001" + "008" + "0011223344556677"), "K3", "00", "8ACE538CBB81BC2F")
        // the script MAC of the transaction data is its ARQC (same session key, MAC and padding;
        // evsm --bench relies on it for a valid K6 request)
        assertReply(send(d, "K4" + k + pan + "0001" + "010" + data), "K5", "00", arqc)
    }

    func testKXKnownAnswers() throws {
        let d = testDevice()
        let k = try mdk(d)
        let head = "KX9109" + k + pan + "0001"
        assertReply(send(d, head + "41" + "1" + "1234;" + "000000000000"), "KY", "00", "0010" + "7B53BA0118A692DDA3EA3A7C1C85E24A")
        assertReply(send(d, head + "42" + "1" + "1234;9876;" + "000000000000"), "KY", "00", "0010" + "CFCA41E649D98BACA3EA3A7C1C85E24A")
        // the same PIN as an ISO format 0 block under a ZPK (harness fixture C967C8198151A458:
        // PIN 1234, account 987654321098, under the MDK's clear value as ZPK)
        let zpk = try mdk(d, .zpk)
        assertReply(send(d, head + "41" + "2" + "01" + "C967C8198151A458" + zpk + "987654321098"), "KY", "00",
                    "0010" + "7B53BA0118A692DDA3EA3A7C1C85E24A")
        let tpk = try mdk(d, .tpk)
        assertReply(send(d, head + "41" + "3" + "01" + "C967C8198151A458" + tpk + "987654321098"), "KY", "00",
                    "0010" + "7B53BA0118A692DDA3EA3A7C1C85E24A")
    }

    func testSM4MDKRoundTrip() throws {
        let d = testDevice()
        let k = try mdk(d, .mkAC, .sm4)
        // the ARPC of mode 2 is deterministic; verify an ARQC computed with the same primitives
        let arpc = send(d, "K62" + k + pan + "0001" + arqc + "3030")
        XCTAssertEqual(arpc.error, "00")
        XCTAssertEqual(arpc.fields.count, 16)
        XCTAssertNotEqual(arpc.text, "DCEEDD0B828A19A2")
        let wrong = send(d, "K60" + k + pan + "0001" + "10" + data + ";" + arqc)
        XCTAssertEqual(wrong.error, "01")
        XCTAssertEqual(wrong.fields.count, 16)
        let enc = send(d, "K2" + k + pan + "0001" + "00C" + "842400000811223344556677")
        XCTAssertEqual(enc.error, "00")
        XCTAssertEqual(enc.fields.count, 32)   // one 16-byte SM4 block
        XCTAssertEqual(send(d, "KX9109" + k + pan + "0001" + "41" + "1" + "1234;" + "000000000000").error, "26")
    }

    func testRefusals() throws {
        let d = testDevice()
        let k = try mdk(d)
        let card = pan + "0001"
        // a key of another type, a stored key of another type, a single-length MDK
        XCTAssertEqual(send(d, "K60" + (try mdk(d, .zpk)) + card + "10" + data + ";" + arqc).error, "10")
        XCTAssertEqual(send(d, "K4" + (try mdk(d, .zak)) + card + "001" + "00").error, "10")
        XCTAssertEqual(send(d, "A00001UK000100").error, "00")
        XCTAssertEqual(send(d, "K2" + "K0001" + card + "001" + "00").error, "27")
        XCTAssertEqual(send(d, "K2" + "K0002" + card + "001" + "00").error, "12")
        XCTAssertEqual(send(d, "K2" + (try mdk(d, .mkAC, .singleDES, clear: "0123456789ABCDEF")) + card + "001" + "00").error, "26")
        // MDKs from a device with another DMK (3DES parity, SM4 authenticator)
        let other = try Device(stateDirectory: nil, mode: .normal)
        try other.install(dmk: [UInt8](repeating: 0x5B, count: 16),
                          authorisation: AuthorisationRecord(setID: "s", threshold: 2, shares: 3, verifier: [1], salt: [2]))
        XCTAssertEqual(send(other, "K62" + k + card + arqc + "3030").error, "10")
        XCTAssertEqual(send(other, "K62" + (try mdk(d, .mkAC, .sm4)) + card + arqc + "3030").error, "10")
        // bad lengths and input
        XCTAssertEqual(send(d, "K60" + k + card + "00" + ";" + arqc).error, "80")           // empty data
        XCTAssertEqual(send(d, "K2" + k + card + "000").error, "80")
        XCTAssertEqual(send(d, "K4" + k + card + "FFF" + "0011").error, "80")               // length beyond the data
        XCTAssertEqual(send(d, "K60" + k + card + "10" + data + ";" + "2C064758BA22727Z").error, "15")
        XCTAssertEqual(send(d, "K60" + k + "123456789012344A0001" + "10" + data + ";" + arqc).error, "15")
        XCTAssertEqual(send(d, "K60" + k + card + "10" + data + arqc).error, "15")          // no ';'
        XCTAssertEqual(send(d, "K63" + k + card + arqc + "3030").error, "15")
        XCTAssertEqual(send(d, "K62" + k + card + arqc + "30303").error, "80")              // trailing data
        // KX: scheme, key type, format, PIN length, source keys
        let head = k + card
        XCTAssertEqual(send(d, "KX8109" + head + "411" + "1234;" + "000000000000").error, "15")
        XCTAssertEqual(send(d, "KX9001" + head + "411" + "1234;" + "000000000000").error, "27")
        XCTAssertEqual(send(d, "KX9109" + head + "431" + "1234;" + "000000000000").error, "23")
        XCTAssertEqual(send(d, "KX9109" + head + "411" + "123;" + "000000000000").error, "24")
        XCTAssertEqual(send(d, "KX9109" + head + "412" + "02" + "C967C8198151A458" + (try mdk(d, .zpk)) + "987654321098").error, "23")
        XCTAssertEqual(send(d, "KX9109" + head + "412" + "01" + "C967C8198151A458" + (try mdk(d, .tak)) + "987654321098").error, "10")
        XCTAssertEqual(send(d, "KX9109" + head + "412" + "01" + "C967C8198151A458" + (try mdk(d, .zpk)) + "123456789012").error, "20")
        XCTAssertEqual(send(d, "KX9109" + (try mdk(d, .zpk)) + card + "412" + "01" + "C967C8198151A458" + (try mdk(d, .zpk)) + "987654321098").error, "11")
        XCTAssertEqual(send(d, "KX9109" + (try mdk(d, .zpk)) + card + "411" + "1234;" + "000000000000").error, "10")
    }
}
