import XCTest
import HostProtocol
@testable import EVSMKit

/// A reply split into its parts (header length 0).
struct Reply {
    var code: String
    var error: String
    var fields: [UInt8]
    var text: String { String(decoding: fields, as: UTF8.self) }
}

func testDevice(_ file: StaticString = #filePath, _ line: UInt = #line) -> Device {
    do { return try Device(stateDirectory: nil, mode: .testLMK) } catch {
        XCTFail("device: \(error)", file: file, line: line)
        fatalError("cannot make a test device")
    }
}

/// Sends a command (ASCII payload, no header) and splits the reply.
func send(_ d: Device, _ payload: String) -> Reply { send(d, Array(payload.utf8)) }

func send(_ d: Device, _ payload: [UInt8]) -> Reply {
    let body = d.handle(body: payload, headerLength: 0)
    guard body.count >= 4 else { return Reply(code: "??", error: "??", fields: []) }
    return Reply(code: String(decoding: body[0..<2], as: UTF8.self), error: String(decoding: body[2..<4], as: UTF8.self),
                 fields: Array(body[4...]))
}

/// Sends a typed request and decodes the typed reply; fails the test on an error code.
func call<Req: HostCommandRequest, Rsp: HostCommandResponse>(_ d: Device, _ r: Req, _ type: Rsp.Type,
                                                           file: StaticString = #filePath, line: UInt = #line) throws -> Rsp {
    let reply = send(d, try r.payload())
    XCTAssertEqual(reply.error, "00", "\(Req.command) failed", file: file, line: line)
    return try Rsp.decodeAll(reply.fields)
}

func hex(_ s: String) -> [UInt8] { Hex.decode(s) ?? [] }

/// A clear key put under the test LMK for a type (uses the emulator's LMK cipher).
func underLMK(_ d: Device, clear: String, type: KeyType, scheme: KeyScheme) throws -> KeyField {
    try d.keyUnderLMKForTests(hex(clear), type: type, scheme: scheme)
}
