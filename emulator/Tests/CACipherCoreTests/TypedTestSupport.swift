import XCTest
@testable import CACipherCore
import HostProtocol
@testable import EVSMKit
import EVSMServer

/// A client wired to an in-process evsm (test-LMK mode) on an ephemeral loopback port.
///
/// Known answers come from published payShield test-LMK results (leachbj/hsm-emulator,
/// MIT: GenerateZpkSuite, ImportDesKeySuite, TranslatePinZpkToAnotherSuite,
/// GenerateMacSuite), GB/T 32905 (SM3), GB/T 32907 (SM4), FIPS 180-2 (SHA-256 "abc"),
/// ISO/IEC 9797-1 annex B and ISO 9564 format 0, the same values as Tests/EVSMKitTests.
class TypedTestCase: XCTestCase {
    var device: Device!
    var server: EVSMHostServer!
    var client: CACipherClient!

    /// ZMK under test LMK 04-05 (scheme U) and its clear value [LB].
    let zmk = KeyField(text: "UE13D662B185F5F3B08594F89F1FF903A")!
    let zmkClear = "8A7C04A1CD916464D6B361B05BBF6780"

    override func setUpWithError() throws {
        device = try Device(stateDirectory: nil, mode: .testLMK)
        server = EVSMHostServer()
        let port = try server.start(device: device, host: "127.0.0.1", port: 0, headerLength: 2)
        var c = CACipherConfig()
        c.logger.categories = []
        var h = HostConfig(section: "HOST1", host: "127.0.0.1", port: port)
        h.linkNum = -2
        h.connTimeoutMs = 2000
        h.readTimeoutMs = 5000
        h.headerLength = 2
        c.hosts = [h]
        client = CACipherClient(config: c, logSink: nil)
    }

    override func tearDown() {
        client?.close()
        server?.stop()
        client = nil
        server = nil
        device = nil
    }

    /// Replies the group received so far (to prove a refused call sent nothing).
    var completed: Int { client.memberStatus().map { Int($0.completed) }.reduce(0, +) }

    /// A clear key put under the test LMK for a type (the emulator's own LMK cipher).
    func underLMK(_ clear: String, _ type: KeyType, _ scheme: KeyScheme) throws -> KeyField {
        try device.keyUnderLMKForTests(bytes(clear), type: type, scheme: scheme)
    }

    func bytes(_ hex: String) -> [UInt8] { Hex.decode(hex) ?? [] }

    /// A PIN block made and encrypted locally (emulator primitives) under a clear key.
    func pinBlock(_ pin: String, account: String, format: Int, key: String, cipher: Prim.Cipher) throws -> [UInt8] {
        let clear = try PINBlock.make(pin: pin.utf8.map { $0 - 0x30 }, format: format, account: account, blockSize: Prim.blockSize(cipher))
        return try Prim.crypt(cipher, key: bytes(key), data: clear, encrypt: true)
    }

    func openPINBlock(_ block: [UInt8], account: String, format: Int, key: String, cipher: Prim.Cipher) throws -> [UInt8] {
        try PINBlock.parse(try Prim.crypt(cipher, key: bytes(key), data: block, encrypt: false), format: format, account: account)
    }

    /// Asserts a CACipherError with `code`, and that the message names `mentions`.
    func assertCode(_ code: Int32, _ mentions: String? = nil, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        do {
            try body()
            XCTFail("no error, expected \(code)", file: file, line: line)
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, code, e.message, file: file, line: line)
            if let m = mentions { XCTAssertTrue(e.message.contains(m), "\(e.message) does not mention \(m)", file: file, line: line) }
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func assertInvalid(_ mentions: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
        assertCode(CACipherError.Code.invalidArgument.rawValue, mentions, file: file, line: line, body)
    }
}
