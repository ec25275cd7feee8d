import XCTest
@testable import CACipherCore

/// A configuration FILE written in the `{...}` string form: its messages name the file
/// (and the line and item), while a brace string given directly keeps `item N`.
final class ConfigBraceFileTests: XCTestCase {
    func testBadValueInABraceFileNamesThePathLineAndItem() throws {
        let dir = try TempDir()
        let path = try dir.write("braces.conf", "{[LOGGER];logsw=error;logPath=./;[HOST1];host=127.0.0.1;port=8018;linkNum=ten;}")
        // linkNum=ten is the 7th item, on the file's only line.
        let e = assertConfigError(.config, mentions: ["\(path) line 1 item 7", "[HOST1]", "linkNum=ten"]) {
            try ConfigParser.parse(file: path)
        }
        XCTAssertNotNil(e)
        // The same choice through the entry point that decides by the first character.
        assertConfigError(.config, mentions: ["\(path) line 1 item 7", "linkNum=ten"]) {
            try ConfigParser.parse(fileOrContent: path)
        }
    }

    func testBraceFileOverSeveralLinesCountsLinesFromTheFileStart() throws {
        let dir = try TempDir()
        // A BOM, CRLF line ends and a `{` on its own line: the bad item is on line 4.
        let text = "\u{FEFF}{\r\n[LOGGER];logsw=error;\r\n[HOST1];host=127.0.0.1;\r\nport=8018;linkNum=ten;\r\n}\r\n"
        let path = try dir.write("multi.conf", text)
        assertConfigError(.config, mentions: ["\(path) line 4 item ", "linkNum=ten"]) { try ConfigParser.parse(file: path) }
    }

    func testSyntaxErrorInABraceFileNamesThePath() throws {
        let dir = try TempDir()
        let path = try dir.write("syntax.conf", "{[HOST1];=8018;host=127.0.0.1}")
        assertConfigError(.config, mentions: ["\(path) line 1 item 2", "no key"]) { try ConfigParser.parse(file: path) }
    }

    func testWarningsFromABraceFileNameThePath() throws {
        let dir = try TempDir()
        let path = try dir.write("warn.conf", "{[HOST1];host=127.0.0.1;port=8018;colour=blue}")
        let c = try ConfigParser.parse(file: path)
        XCTAssertTrue(c.warnings.contains { $0.contains("\(path) line 1 item 4") && $0.contains("colour") }, "\(c.warnings)")
    }

    func testBraceStringGivenDirectlyKeepsItemOnly() {
        let content = "{[LOGGER];logsw=error;logPath=./;[HOST1];host=127.0.0.1;port=8018;linkNum=ten;}"
        let e = assertConfigError(.config, mentions: ["item 7", "linkNum=ten"]) { try ConfigParser.parse(content: content) }
        XCTAssertFalse(e?.message.contains("line") ?? true, "\(e.map { $0.message } ?? "")")
        assertConfigError(.config, mentions: ["item 7"]) { try ConfigParser.parse(fileOrContent: content) }
    }
}
