import Foundation
import XCTest
@testable import CACipherCore

/// Every configuration throw site reports its `ConfigErrorKind` (set where it is raised, not
/// read from the wording), with the code the kind implies; no configuration code builds a
/// configuration error without a kind; the C header lists the kinds with the same values.
final class ConfigErrorKindTests: XCTestCase {
    private func repoFile(_ relative: String) -> URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // emulator/Tests/<target>/file
        return url.appendingPathComponent(relative)
    }

    /// The error `body` throws; fails when it throws none or another type.
    private func configError(_ what: String, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Any) -> CACipherError? {
        do {
            let v = try body()
            XCTFail("\(what): no error, got \(v)", file: file, line: line)
        } catch let e as CACipherError {
            return e
        } catch {
            XCTFail("\(what): unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    private func check(_ kind: ConfigErrorKind, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                       _ body: () throws -> Any) {
        guard let e = configError(what, file: file, line: line, body) else { return }
        XCTAssertEqual(e.configKind, kind, "\(what): \(e)", file: file, line: line)
        XCTAssertEqual(e.code, kind.code.rawValue, "\(what): \(e)", file: file, line: line)
        XCTAssertFalse(e.message.isEmpty, what, file: file, line: line)
    }

    private static let host = "[HOST1]\nhost=127.0.0.1\nport=8018\n"

    /// One input per throw site of ConfigLexer, ConfigParser and HostDraft (each row names the
    /// rule it breaks), parsed as INI text and, where the rule is not about lines, also in the
    /// `{...}` string form.
    static let textCases: [(ConfigErrorKind, String, String)] = [
        // ConfigLexer
        (.syntax, "a '{' line inside INI text", host + "{[HOST2];host=x"),
        (.syntax, "text after ']'", "[HOST1] # the first\nhost=127.0.0.1\nport=8018\n"),
        (.syntax, "no closing ']'", "[HOST1\nhost=127.0.0.1\nport=8018\n"),
        (.syntax, "empty section name", "[]\n" + host),
        (.syntax, "neither [SECTION] nor key=value", host + "this is not a setting\n"),
        (.syntax, "no key before '='", host + "=3\n"),
        // ConfigParser: sections
        (.syntax, "[LOGGER] twice", "[LOGGER]\nlogsw=error\n[LOGGER]\nlogsw=error\n" + host),
        (.syntax, "[GROUP] twice", "[GROUP]\n[GROUP]\n" + host),
        (.syntax, "[TLS] twice", "[TLS]\n[TLS]\n" + host),
        (.syntax, "[GLOBAL] twice", "[GLOBAL]\n[GLOBAL]\n" + host),
        (.syntax, "[HOST1] and [HOST 1]", host + "[HOST 1]\nhost=127.0.0.2\nport=8018\n"),
        (.syntax, "both host forms", "host=127.0.0.1\nport=8018\n" + host),
        (.noHost, "no host section", "[LOGGER]\nlogsw=error\n"),
        (.noHost, "numbering starts at 2", "[HOST2]\nhost=127.0.0.1\nport=8018\n"),
        // ConfigParser: [GROUP] and [LOGGER] values
        (.badValue, "dmkCheckValue", "[GROUP]\ndmkCheckValue=XYZ\n" + host),
        (.badValue, "standbyCheckInterval", "[GROUP]\nstandbyCheckInterval=-1\n" + host),
        (.badValue, "hedgeDelay", "[GROUP]\nhedgeDelay=soon\n" + host),
        (.unknownLogCategory, "logsw", "[LOGGER]\nlogsw=error,verbose\n" + host),
        (.badValue, "empty logPath", "[LOGGER]\nlogPath=\n" + host),
        (.badValue, "logPath too long", "[LOGGER]\nlogPath=" + String(repeating: "d", count: 4000) + "\n" + host),
        // HostDraft: values
        (.badValue, "hsmModel with a blank", host + "hsmModel=SJJ 1310\n"),
        (.badValue, "host with '['", "[HOST1]\nhost=a[b\nport=8018\n"),
        (.badValue, "port=abc", "[HOST1]\nhost=127.0.0.1\nport=abc\n"),
        (.badValue, "port=0", "[HOST1]\nhost=127.0.0.1\nport=0\n"),
        (.badValue, "linkNum not a number", host + "linkNum=many\n"),
        (.badValue, "linkNum out of range", host + "linkNum=5000\n"),
        (.badValue, "timeout", host + "timeout=-1\n"),
        (.badValue, "timeout in ms", host + "timeout=0ms\n"),
        (.badValue, "connTimeout decimals", host + "connTimeout=1.2345\n"),
        (.badValue, "readTimeout", host + "readTimeout=x\n"),
        (.badValue, "probeTimeout", host + "probeTimeout=0\n"),
        (.badValue, "socketProtocol", host + "socketProtocol=FTP\n"),
        (.badValue, "msgheadlength", host + "msgheadlength=65\n"),
        (.badValue, "encodetype", host + "encodetype=x\n"),
        (.badValue, "protocol", host + "protocol=x\n"),
        (.badValue, "empty tlsCAFile", host + "socketProtocol=TLSv1.2\ntlsCAFile=\n"),
        (.badValue, "tlsVerify", host + "socketProtocol=TLSv1.2\ntlsVerify=2\n"),
        (.badValue, "empty host=", "[HOST1]\nhost=\nport=8018\n"),
        (.badValue, "a ';' list in a section", "[HOST1]\nhost=127.0.0.1;127.0.0.2\nport=8018\n"),
        (.badValue, "a section-less host= list of nothing", "host=;;\nport=8018\n"),
        (.badValue, "more ports than hosts", "host=127.0.0.1;127.0.0.2\nport=1;2;3\n"),
        // HostDraft: missing keys
        (.noHost, "no host=", "[HOST1]\nport=8018\n"),
        (.noHost, "no port=", "[HOST1]\nhost=127.0.0.1\n"),
        (.noHost, "a host= list without port=", "host=127.0.0.1;127.0.0.2\n"),
    ]

    func testEveryTextRuleReportsItsKind() throws {
        for (kind, what, text) in Self.textCases {
            check(kind, what) { try ConfigParser.parse(content: text) }
        }
        // the same rules in the {...} string form (line-level rules need lines, ';' lists a file)
        for (kind, what, text) in Self.textCases where !text.contains("{") && !text.contains(";") && !what.contains("']'") {
            let braces = "{" + text.split(separator: "\n").joined(separator: ";") + "}"
            check(kind, "\(what) (string form)") { try ConfigParser.parse(content: braces) }
        }
        check(.syntax, "text over the size limit") {
            try ConfigParser.parse(content: String(repeating: "#", count: ConfigFileReader.maxBytes + 1))
        }
    }

    func testEveryFileRuleReportsItsKind() throws {
        let dir = try TempDir()
        check(.noConfiguration, "an empty path") { try ConfigParser.parse(file: "") }
        check(.fileUnreadable, "a missing file") { try ConfigParser.parse(file: dir.path + "/missing.ini") }
        check(.notAFile, "a directory") { try ConfigParser.parse(file: dir.path) }
        let big = try dir.write("big.ini", String(repeating: "#", count: ConfigFileReader.maxBytes + 1))
        check(.fileUnreadable, "a file over the size limit") { try ConfigParser.parse(file: big) }
        let bad = try dir.write("bad.ini", Self.host + "port=abc\n")
        check(.badValue, "a rule inside a file") { try ConfigParser.parse(file: bad) }
        let braces = try dir.write("braces.ini", "{[HOST1];host=127.0.0.1;port=8018;[HOST1];host=127.0.0.2;port=8018}")
        check(.syntax, "a rule inside a file in the string form") { try ConfigParser.parse(fileOrContent: braces) }
    }

    func testLogDirectoryRulesReportTheirKind() throws {
        let dir = try TempDir()
        let file = try dir.write("plain", "x")
        check(.logPathUnusable, "an empty directory name") { try FileLogSink(directory: "") }
        check(.logPathUnusable, "a missing directory") { try FileLogSink(directory: dir.path + "/no-such") }
        check(.logPathUnusable, "a file, not a directory") { try FileLogSink(directory: file) }
        check(.logPathUnusable, "a directory under a file (createMissing)") {
            try FileLogSink(directory: file + "/sub", createMissing: true)
        }
        // today's log file name taken by a directory: the file cannot be opened
        let taken = dir.path + "/taken"
        try FileManager.default.createDirectory(atPath: FileLogSink.path(taken, LogClock.now()), withIntermediateDirectories: true)
        check(.logPathUnusable, "the log file cannot be opened") { try FileLogSink(directory: taken) }
        // through the configuration, as CACipher_Open sees it
        var config = try ConfigParser.parse(content: Self.host)
        config.logger.path = dir.path + "/no-such"
        check(.logPathUnusable, "logPath that does not exist, at open") { try CACipherClient(config: config) }
    }

    func testAGroupWithoutMembersIsNoHost() {
        let client = CACipherClient(config: CACipherConfig(), logSink: nil)
        defer { client.close() }
        check(.noHost, "a call on a group without members") { try client.transmit(Array("NC".utf8)) }
    }

    func testUnknownModelIsAKindOnlyWhenAskedFor() throws {
        let text = Self.host + "[HOST2]\nhost=127.0.0.1\nport=8019\nhsmModel=NOPE\n"
        let config = try ConfigParser.parse(content: text)
        XCTAssertTrue(config.warnings.contains { $0.contains("NOPE") }, "\(config.warnings)")
        check(.unknownModel, "an unknown model on the second host") { try config.requireKnownModels() }
        let e = configError("the message") { try config.requireKnownModels() }
        XCTAssertTrue(e?.message.contains("[HOST2] hsmModel=NOPE") == true, "\(String(describing: e))")
        // the parser's own lists: every model it knows and every other family passes, any case
        for m in ConfigParser.knownModels.union(VendorDialect.otherFamilyModels) {
            XCTAssertTrue(ConfigParser.servesModel(m.lowercased()), m)
            let c = try ConfigParser.parse(content: Self.host + "hsmModel=" + m.lowercased() + "\n")
            XCTAssertNoThrow(try c.requireKnownModels(), m)
        }
        XCTAssertFalse(ConfigParser.servesModel("ACME9000"))
        XCTAssertNoThrow(try ConfigParser.parse(content: Self.host).requireKnownModels(), "the default model")
    }

    /// A configuration error built without a kind would reach the C API as kind 0 and the Java
    /// drop-in as the generic -300: configuration code builds them only with `init(config:_:)`.
    func testNoConfigurationErrorWithoutAKind() throws {
        let root = repoFile("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        XCTAssertTrue(files.contains("CACipherCore/Config/ConfigParser.swift"), "\(files.count) files")
        let plain = try NSRegularExpression(pattern: #"CACipherError\(\s*(\.|CACipherError\.Code\.)(config|configFile|logSetup)\s*,"#)
        for f in files {
            let text = try String(contentsOf: root.appendingPathComponent(f), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line)
                if s.trimmingCharacters(in: .whitespaces).hasPrefix("///") { continue }
                let hit = plain.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
                XCTAssertFalse(hit, "Sources/\(f):\(n + 1) builds a configuration error without a kind; use CACipherError(config: .kind, ...): \(s)")
            }
        }
    }

    func testHeaderDefinesEveryKind() throws {
        let header = try String(contentsOf: repoFile("include/cacipher.h"), encoding: .utf8)
        var found: [String: Int32] = [:]
        for line in header.split(separator: "\n") where line.hasPrefix("#define CACIPHER_CONFIG_") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 3, let v = Int32(parts[2]) { found[String(parts[1])] = v }
        }
        var expected = ["CACIPHER_CONFIG_NONE": Int32(0)]
        for k in ConfigErrorKind.allCases { expected[k.cName] = k.rawValue }
        XCTAssertEqual(found, expected)
        XCTAssertEqual(Set(expected.values).count, expected.count, "kinds are distinct")
        XCTAssertFalse(ConfigErrorKind.allCases.contains { $0.rawValue == 0 }, "0 is 'no kind' in C")
    }

    func testEveryKindIsRaisedSomewhere() {
        var seen = Set(Self.textCases.map(\.0))
        seen.formUnion([.noConfiguration, .fileUnreadable, .notAFile, .unknownModel, .logPathUnusable])
        XCTAssertEqual(seen, Set(ConfigErrorKind.allCases))
    }
}
