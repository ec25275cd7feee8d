import XCTest
@testable import HostProtocol

/// `decodeAll` reads the caller's bytes in place (a reply's fields are a slice of the reply
/// buffer, which starts at the response code): slices that do not start at index 0 decode as
/// the same bytes in an array do, and trailing or missing bytes are still refused.
final class DecodeInPlaceTests: XCTestCase {
    func testReplySliceAfterTheErrorCodeDecodes() throws {
        let rsp = PINUnderLMKResponse(pinUnderLMK: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])
        let reply = Array("JF00".utf8) + (try rsp.fields())
        let fields = reply[4...]
        XCTAssertEqual(fields.startIndex, 4)
        XCTAssertEqual(try PINUnderLMKResponse.decodeAll(fields), rsp)
        XCTAssertEqual(try PINUnderLMKResponse.decodeAll(Array(fields)), rsp)
        XCTAssertThrowsError(try PINUnderLMKResponse.decodeAll(reply[3...]))                    // a byte too many
        XCTAssertThrowsError(try PINUnderLMKResponse.decodeAll(reply[4..<(reply.count - 1)]))   // one short
    }

    func testRequestSliceDecodes() throws {
        let req = DecryptPINRequest(account: "987654321098", pinUnderLMK: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])
        let payload = try req.payload()   // command code, then fields
        XCTAssertEqual(try DecryptPINRequest.decodeAll(payload[2...]), req)
        XCTAssertThrowsError(try DecryptPINRequest.decodeAll(payload[1...]))
    }
}
