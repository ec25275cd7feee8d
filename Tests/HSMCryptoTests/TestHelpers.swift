@testable import HSMCrypto
import XCTest

/// Decodes a hex fixture; fails the test (and returns []) on a malformed literal.
func h(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
    let cleaned = s.filter { $0 != " " }
    guard let b = Hex.decode(cleaned) else {
        XCTFail("bad hex fixture", file: file, line: line)
        return []
    }
    return b
}

/// ASCII bytes of a string fixture.
func a(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Asserts that `body` throws exactly `expected`.
func assertThrows<T>(_ expected: CryptoError, _ body: @autoclosure () throws -> T,
                     file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing thrown", file: file, line: line)
    } catch let e as CryptoError {
        XCTAssertEqual(e, expected, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
