import Foundation
import XCTest
@testable import CACipherCore

/// Shared fixtures for the configuration tests: the seed's two examples (loopback
/// addresses instead of the seed's 192.168.19.x) and small helpers.
enum ConfigFixtures {
    /// seed/README.md, file form, verbatim except the addresses.
    static let seedFile = """
    [LOGGER]
    logsw=error
    logPath=./

    [HOST1]
    hsmModel=SJJ1310
    linkNum=-15
    host=127.0.0.1
    port=8018
    timeout=5
    [HOST2]
    hsmModel=SJJ1310
    linkNum=-15
    host=127.0.0.2
    port=8018
    timeout=5

    """

    /// seed/README.md, string form, as the Java concatenation produces it.
    static let seedString = "{"
        + "[LOGGER];"
        + "logsw=error;logPath=./;"
        + "[HOST1];"
        + "hsmModel=SJJ1310;"
        + "host=127.0.0.1;"
        + "port=8018;"
        + "connTimeout=5;"
        + "[HOST2];"
        + "hsmModel=SJJ1310;"
        + "host=127.0.0.2;"
        + "port=8018;"
        + "connTimeout=5;"
        + "}"

    /// spec/config.md: no closing brace.
    static let specNoBrace = "{[LOGGER];logsw=error;logPath=./;[HOST 1];hsmModel=SJJ1310;host=127.0.0.1;port=8018;linkNum=-3;timeout=3;encodetype=0;msgheadlength=0;"

    /// A one-host INI text with extra lines in the host section.
    static func oneHost(_ extra: String) -> String {
        "[HOST1]\nhost=127.0.0.1\nport=8018\n" + extra + "\n"
    }
}

/// Asserts that `body` throws a `CACipherError` with `code` whose message contains every
/// string of `mentions`; returns the error.
@discardableResult
func assertConfigError(_ code: CACipherError.Code, mentions: [String], file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> Any) -> CACipherError? {
    do {
        let value = try body()
        XCTFail("expected \(code) error, got \(value)", file: file, line: line)
        return nil
    } catch let e as CACipherError {
        XCTAssertEqual(e.code, code.rawValue, "\(e)", file: file, line: line)
        XCTAssertFalse(e.message.isEmpty, file: file, line: line)
        for m in mentions {
            XCTAssertTrue(e.message.contains(m), "'\(e.message)' does not mention '\(m)'", file: file, line: line)
        }
        return e
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
        return nil
    }
}
