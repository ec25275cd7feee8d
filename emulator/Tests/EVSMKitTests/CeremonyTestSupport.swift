import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest
@testable import EVSMKit
@testable import VSMOperator

/// PBKDF2 iterations for test UKEYs (the tool uses UKEYFile.defaultIterations).
let testIterations = 1_000

func pin(_ s: String) -> SecureBytes { SecureBytes(Array(s.utf8)) }

func makeTempDir(_ name: String = "ceremony") throws -> String {
    let path = NSTemporaryDirectory() + "evsm-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Asserts that `body` throws a CeremonyError with `code`, and returns its message.
@discardableResult
func assertCeremonyError(_ code: CeremonyError.Code, file: StaticString = #filePath, line: UInt = #line,
                         _ body: () throws -> Void) -> String {
    do {
        try body()
        XCTFail("expected \(code.rawValue), nothing thrown", file: file, line: line)
    } catch let e as CeremonyError {
        XCTAssertEqual(e.code, code, e.message, file: file, line: line)
        XCTAssertFalse(e.message.isEmpty, file: file, line: line)
        return e.message
    } catch {
        XCTFail("expected CeremonyError \(code.rawValue), got \(error)", file: file, line: line)
    }
    return ""
}

/// Every file under `dir` (recursively).
func allFiles(under dir: String) -> [String] {
    guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
    var out: [String] = []
    while let rel = e.nextObject() as? String {
        var isDir: ObjCBool = false
        let p = dir + "/" + rel
        if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
    }
    return out
}

/// True when `haystack` holds `secret` raw or as hex (either case).
extension SecureBytes {
    /// The bytes as an array (tests only: compare and search for a secret).
    var array: [UInt8] { withUnsafeBytes { Array($0) } }
}

/// Whether a secret buffer's bytes occur in `haystack`.
func contains(_ haystack: [UInt8], secret: SecureBytes) -> Bool { contains(haystack, secret: secret.array) }

func contains(_ haystack: [UInt8], secret: [UInt8]) -> Bool {
    func find(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<i + needle.count]) == needle { return true }
        }
        return false
    }
    let hex = secret.map { String(format: "%02X", $0) }.joined()
    return find(secret) || find(Array(hex.utf8)) || find(Array(hex.lowercased().utf8))
}
