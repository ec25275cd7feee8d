import Foundation
import HostProtocol
import XCTest
@testable import CACipherCore

/// `CACipherError.Code` is the C ABI: include/cacipher.h and docs/error-codes.md must list
/// exactly the same codes with the same values; the HSM table must match `HostErrorCode`.
final class ErrorCodeSyncTests: XCTestCase {
    private func repoFile(_ relative: String) throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // emulator/Tests/<target>/file
        return try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    /// `#define NAME (value)` lines whose name starts with `prefix`.
    private func defines(_ header: String, prefix: String) -> [String: Int32] {
        var out: [String: Int32] = [:]
        for line in header.split(separator: "\n") where line.hasPrefix("#define " + prefix) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3 else { continue }
            let value = parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            if let v = Int32(value) { out[String(parts[1])] = v }
        }
        return out
    }

    func testHeaderDefinesEveryLibraryCode() throws {
        let header = try repoFile("include/cacipher.h")
        var expected: [String: Int32] = [:]
        for c in CACipherError.Code.allCases { expected[c.cName] = c.rawValue }
        var found = defines(header, prefix: "CACIPHER_E_")
        found.merge(defines(header, prefix: "CACIPHER_OK")) { a, _ in a }
        XCTAssertEqual(found, expected)
        XCTAssertEqual(Set(expected.values).count, expected.count, "codes are distinct")
    }

    func testHeaderHSMCodesMatchHostErrorCode() throws {
        let header = try repoFile("include/cacipher.h")
        let hsm = Set(defines(header, prefix: "CACIPHER_HSM_").values)
        XCTAssertEqual(hsm, Set(HostErrorCode.all.filter { $0 != .ok }.map { Int32($0.rawValue) }))
    }

    func testDocsListEveryCode() throws {
        let doc = try repoFile("docs/error-codes.md")
        for c in CACipherError.Code.allCases {
            XCTAssertTrue(doc.contains("| `\(c.cName)` | \(c.rawValue) |"), "docs/error-codes.md lacks \(c.cName)")
        }
        for h in HostErrorCode.all where h != .ok {
            let two = h.rawValue < 10 ? "0\(h.rawValue)" : "\(h.rawValue)"
            XCTAssertTrue(doc.contains("| \(h.rawValue) | `\(two)` | \(h.message) |"), "docs/error-codes.md lacks HSM code \(two)")
        }
    }

    func testTextForEveryCode() {
        for c in CACipherError.Code.allCases {
            XCTAssertEqual(CACipherError.text(forCode: c.rawValue), c.text)
        }
        XCTAssertEqual(CACipherError.text(forCode: 23), "HSM error 23: invalid PIN block format code")
        XCTAssertEqual(CACipherError.text(forCode: 42), "HSM error 42")
        XCTAssertEqual(CACipherError.text(forCode: 5), "HSM error 05")
        XCTAssertEqual(CACipherError.text(forCode: 100), "unknown error code")
        XCTAssertEqual(CACipherError.text(forCode: -9), "unknown error code")
    }
}
