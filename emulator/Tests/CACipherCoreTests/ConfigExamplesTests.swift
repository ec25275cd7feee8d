import XCTest
@testable import CACipherCore

/// The examples that must parse verbatim, and the syntax of both forms.
final class ConfigExamplesTests: XCTestCase {
    func testSeedFileForm() throws {
        let c = try ConfigParser.parse(content: ConfigFixtures.seedFile)
        XCTAssertEqual(c.logger.categories, .error)
        XCTAssertEqual(c.logger.path, "./")
        XCTAssertEqual(c.hosts.count, 2)
        for (i, h) in c.hosts.enumerated() {
            XCTAssertEqual(h.section, "HOST\(i + 1)")
            XCTAssertEqual(h.host, "127.0.0.\(i + 1)")
            XCTAssertEqual(h.port, 8018)
            XCTAssertEqual(h.hsmModel, "SJJ1310")
            XCTAssertEqual(h.linkNum, -15)
            XCTAssertEqual(h.connTimeoutMs, 5000)
            XCTAssertEqual(h.readTimeoutMs, 5000)
            XCTAssertEqual(h.socketProtocol, .tcp)
            XCTAssertEqual(h.headerLength, 0)
        }
        XCTAssertEqual(c.warnings, [])
    }

    func testSeedFileFormFromDisk() throws {
        let dir = try TempDir()
        let path = try dir.write("cacipher.ini", ConfigFixtures.seedFile)
        let fromFile = try ConfigParser.parse(file: path)
        XCTAssertEqual(fromFile.hosts, try ConfigParser.parse(content: ConfigFixtures.seedFile).hosts)
        XCTAssertEqual(try ConfigParser.parse(fileOrContent: path).hosts, fromFile.hosts)
    }

    func testSeedStringForm() throws {
        let c = try ConfigParser.parse(content: ConfigFixtures.seedString)
        XCTAssertEqual(c.hosts.map(\.host), ["127.0.0.1", "127.0.0.2"])
        for h in c.hosts {
            XCTAssertEqual(h.port, 8018)
            XCTAssertEqual(h.connTimeoutMs, 5000)
            XCTAssertEqual(h.readTimeoutMs, 6000, "read timeout falls back to the default")
            XCTAssertEqual(h.linkNum, -10, "linkNum default")
        }
        XCTAssertEqual(c.logger.categories, .error)
        XCTAssertEqual(try ConfigParser.parse(fileOrContent: ConfigFixtures.seedString).hosts, c.hosts)
    }

    func testSpecExampleWithoutClosingBrace() throws {
        let c = try ConfigParser.parse(fileOrContent: ConfigFixtures.specNoBrace)
        XCTAssertEqual(c.hosts.count, 1)
        let h = try XCTUnwrap(c.hosts.first)
        XCTAssertEqual(h.section, "HOST 1")
        XCTAssertEqual(h.linkNum, -3)
        XCTAssertEqual(h.connTimeoutMs, 3000)
        XCTAssertEqual(h.readTimeoutMs, 3000)
        XCTAssertEqual(h.encodeType, 0)
        XCTAssertEqual(h.headerLength, 0)
    }

    func testStringFormVariantsAreEquivalent() throws {
        let base = try ConfigParser.parse(content: "{[HOST1];host=127.0.0.1;port=8018}").hosts
        for text in [
            "{[HOST1];host=127.0.0.1;port=8018;}",
            "{[HOST1];host=127.0.0.1;port=8018;",
            "{[HOST1];host=127.0.0.1;port=8018",
            "  {  [HOST1] ; host = 127.0.0.1 ;\tport=8018 ; }  ",
            "\u{FEFF}{[HOST1];host=127.0.0.1;port=8018}",
            "{[HOST1];;;host=127.0.0.1;port=8018;;}",
            "{\n[HOST1]\nhost=127.0.0.1\r\nport=8018\n}\n",
            "{[host1];HOST=127.0.0.1;Port=8018}",
        ] {
            XCTAssertEqual(try ConfigParser.parse(content: text).hosts.map(\.host), base.map(\.host), text)
            XCTAssertEqual(try ConfigParser.parse(fileOrContent: text).hosts.map(\.port), [8018], text)
        }
    }

    func testSemicolonsAfterTheClosingBraceAreEmptyItems() throws {
        // Code that joins items with ';' and ends every one with it, the '}' included.
        for text in ["{[HOST1];host=127.0.0.1;port=8018;};", "{[HOST1];host=127.0.0.1;port=8018} ; ;\n", "{[HOST1];host=127.0.0.1;port=8018};;"] {
            let c = try ConfigParser.parse(content: text)
            XCTAssertEqual(c.hosts.map(\.port), [8018], text)
            XCTAssertEqual(c.warnings, [], text)
        }
        // Text after the '}' is still not ignored.
        assertConfigError(.config, mentions: ["port=8018}x"]) {
            try ConfigParser.parse(content: "{[HOST1];host=127.0.0.1;port=8018}x")
        }
    }

    func testStringFormAfterACommentLineIsAClearError() throws {
        // A '{' that is not the first non-blank character: the text is INI, and the line says so
        // (it was an unknown key '{[HOST1];host' and then "no host configured").
        let e = assertConfigError(.config, mentions: ["line 2", "'{'", "string form", "whole configuration"]) {
            try ConfigParser.parse(content: "# hsm\n{[HOST1];host=127.0.0.1;port=8018;sk=s3cr3t}\n")
        }
        XCTAssertFalse(e?.message.contains("s3cr3t") ?? true, "the line is not echoed")
        let dir = try TempDir()
        let path = try dir.write("commented.conf", "# hsm\n{[HOST1];host=127.0.0.1;port=8018}\n")
        assertConfigError(.config, mentions: ["\(path) line 2", "string form"]) { try ConfigParser.parse(file: path) }
    }

    func testTextAfterASectionHeaderNamesTheInlineComment() {
        assertConfigError(.config, mentions: ["line 1", "[HOST1] # main", "text after its ']'", "inline comments"]) {
            try ConfigParser.parse(content: "[HOST1] # main\nhost=127.0.0.1\nport=8018\n")
        }
    }

    func testFileSyntaxCommentsBlanksWhitespaceCRLFAndBOM() throws {
        let text = "\u{FEFF}# a comment\r\n\r\n  [ LOGGER ]  \r\n\tlogsw = error , info \r\n# logPath=/nope\r\n"
            + "[Host 1]\r\n  host\t=\t127.0.0.1  \r\n   port=8018\r\n   #port=1\r\n"
        let dir = try TempDir()
        let path = try dir.write("crlf.ini", text)
        let c = try ConfigParser.parse(file: path)
        XCTAssertEqual(c.logger.categories, [.error, .info])
        XCTAssertEqual(c.logger.path, "./")
        XCTAssertEqual(c.hosts.map(\.host), ["127.0.0.1"])
        XCTAssertEqual(c.hosts.map(\.port), [8018])
        XCTAssertEqual(c.hosts.first?.section, "Host 1")
        XCTAssertEqual(c.warnings, [])
    }

    func testCaseInsensitiveSectionsAndKeys() throws {
        let c = try ConfigParser.parse(content: "[logger]\nLOGSW=ERROR,Debug\nLOGPATH=/tmp\n[host1]\nHOST=127.0.0.1\nPORT=8018\nLINKNUM=-2\nCONNTIMEOUT=1\nReadTimeOut=2\nSOCKETPROTOCOL=tlsv1.3\nMsgHeadLength=8\nHSMMODEL=EHSM\n")
        XCTAssertEqual(c.logger.categories, [.error, .debug])
        XCTAssertEqual(c.logger.path, "/tmp")
        let h = try XCTUnwrap(c.hosts.first)
        XCTAssertEqual(h.linkNum, -2)
        XCTAssertEqual(h.connTimeoutMs, 1000)
        XCTAssertEqual(h.readTimeoutMs, 2000)
        XCTAssertEqual(h.socketProtocol, .tls13)
        XCTAssertEqual(h.headerLength, 8)
        XCTAssertEqual(h.hsmModel, "EHSM")
    }

    func testHostSectionWithSpaceEqualsWithout() throws {
        let spaced = try ConfigParser.parse(content: "[HOST 1]\nhost=127.0.0.1\nport=1\n[HOST  2]\nhost=127.0.0.2\nport=2\n")
        XCTAssertEqual(spaced.hosts.map(\.port), [1, 2])
        assertConfigError(.config, mentions: ["HOST1", "HOST 1"]) {
            try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\nport=1\n[HOST 1]\nhost=127.0.0.2\nport=2\n")
        }
    }

    func testHostsAreOrderedByNumberNotByPosition() throws {
        let c = try ConfigParser.parse(content: "[HOST2]\nhost=127.0.0.2\nport=2\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        XCTAssertEqual(c.hosts.map(\.section), ["HOST1", "HOST2"])
    }

    func testHostsStopAtTheFirstGapWithAWarning() throws {
        let c = try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\nport=1\n[HOST2]\nhost=127.0.0.2\nport=2\n[HOST4]\nhost=127.0.0.4\nport=4\n[HOST0]\nhost=127.0.0.9\nport=9\n")
        XCTAssertEqual(c.hosts.map(\.port), [1, 2])
        XCTAssertTrue(c.warnings.contains { $0.contains("[HOST4]") && $0.contains("gap") }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("HOST0") }, "\(c.warnings)")
        // A host section after a gap is not checked for required keys (it is not used).
        XCTAssertNoThrow(try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\nport=1\n[HOST3]\nport=3\n"))
        // No HOST1 at all: nothing is used, which is an error.
        assertConfigError(.config, mentions: ["no host"]) {
            try ConfigParser.parse(content: "[HOST2]\nhost=127.0.0.2\nport=2\n")
        }
    }

    func testUnknownKeysAndSectionsAreWarnings() throws {
        let c = try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\ncolour=blue\n[HOST1]\nhost=127.0.0.1\nport=8018\nmystery=42\n[EXTRA]\nx=1\nstray=1\n")
        XCTAssertEqual(c.hosts.count, 1)
        XCTAssertEqual(c.warnings.count, 3, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("colour") && $0.contains("[LOGGER]") && $0.contains("line 3") })
        XCTAssertTrue(c.warnings.contains { $0.contains("mystery") && $0.contains("[HOST1]") })
        XCTAssertTrue(c.warnings.contains { $0.contains("[EXTRA]") })
    }

    func testRepeatedKeyWarnsAndLastWins() throws {
        let c = try ConfigParser.parse(content: ConfigFixtures.oneHost("port=9000"))
        XCTAssertEqual(c.hosts.first?.port, 9000)
        XCTAssertTrue(c.warnings.contains { $0.contains("again") }, "\(c.warnings)")
    }

    func testRepeatedLoggerKeyWarnsAndLastWins() throws {
        // Inside [LOGGER], as in a host section: the last value, a warning naming both lines.
        let c = try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\nlogPath=/tmp/a\nLOGSW=info\nlogpath=/tmp/b\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        XCTAssertEqual(c.logger.categories, .info)
        XCTAssertEqual(c.logger.path, "/tmp/b")
        XCTAssertTrue(c.warnings.contains { $0.contains("line 4") && $0.contains("LOGSW again") && $0.contains("line 2") }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("line 5") && $0.contains("logpath again") && $0.contains("line 3") }, "\(c.warnings)")
        // Before any section and again in [LOGGER] (the string form too): one setting.
        let s = try ConfigParser.parse(content: "{logsw=error,debug;[LOGGER];logsw=warn;[HOST1];host=127.0.0.1;port=1}")
        XCTAssertEqual(s.logger.categories, .warn)
        XCTAssertTrue(s.warnings.contains { $0.contains("item 3") && $0.contains("[LOGGER] sets logsw again") && $0.contains("item 1") }, "\(s.warnings)")
        // Set once: no warning.
        XCTAssertEqual(try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\nlogPath=./\n[HOST1]\nhost=127.0.0.1\nport=1\n").warnings, [])
    }

    func testRepeatedGroupKeyWarnsAndLastWins() throws {
        let c = try ConfigParser.parse(content: "[GROUP]\nhedgeDelay=off\ndmkCheckValue=0123456789ABCDEF\nhedgedelay=20\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        XCTAssertEqual(c.hedgeDelay, .fixed(milliseconds: 20))
        XCTAssertEqual(c.warnings.count, 1, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("line 4") && $0.contains("[GROUP] sets hedgedelay again") && $0.contains("line 2") }, "\(c.warnings)")
    }

    func testRepeatedGroupSectionIsAnError() {
        // As [LOGGER]: a second [GROUP] is refused, not merged silently.
        assertConfigError(.config, mentions: ["line 3", "[GROUP]", "twice", "line 1"]) {
            try ConfigParser.parse(content: "[GROUP]\nhedgeDelay=off\n[GROUP]\nhedgeDelay=auto\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        }
    }

    func testRepeatedLoggerSectionIsAnError() {
        assertConfigError(.config, mentions: ["[LOGGER]", "twice"]) {
            try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\n[LOGGER]\nlogsw=info\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        }
    }

    /// Every section that may appear once ([LOGGER], [GROUP], [TLS], [GLOBAL]), in any case
    /// and in each form: a second one is an error naming both places ([TLS] and [GLOBAL]
    /// were merged silently). The sections once each still parse.
    func testEverySingletonSectionTwiceIsAnError() throws {
        let body: [String: String] = ["LOGGER": "logsw=error", "GROUP": "hedgeDelay=off", "TLS": "keystorefile =", "GLOBAL": "retryTime=3"]
        for name in ["LOGGER", "GROUP", "TLS", "GLOBAL"] {
            let b = body[name] ?? ""
            for second in [name, name.lowercased()] {
                assertConfigError(.config, mentions: ["line 6", "[\(name)]", "twice", "first at line 1"]) {
                    try ConfigParser.parse(content: "[\(name)]\n\(b)\n[HOST1]\nhost=127.0.0.1\nport=1\n[\(second)]\n\(b)\n")
                }
                assertConfigError(.config, mentions: ["item 6", "[\(name)]", "twice", "item 1"]) {
                    try ConfigParser.parse(content: "{[\(name)];\(b);[HOST1];host=127.0.0.1;port=1;[\(second)];\(b)}")
                }
            }
            // An empty second section is a duplicate too.
            assertConfigError(.config, mentions: ["[\(name)]", "twice"]) {
                try ConfigParser.parse(content: "[\(name)]\n[\(name)]\n[HOST1]\nhost=127.0.0.1\nport=1\n")
            }
        }
        let once = try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\n[GROUP]\nhedgeDelay=off\n[TLS]\nkeystorefile =\n[GLOBAL]\nretryTime=3\n"
                                          + "[HOST1]\nhost=127.0.0.1\nport=1\n")
        XCTAssertEqual(once.hosts.count, 1)
    }

    func testFileWhoseTextIsTheStringForm() throws {
        let dir = try TempDir()
        let path = try dir.write("inline.conf", "  " + ConfigFixtures.seedString + "\n")
        XCTAssertEqual(try ConfigParser.parse(file: path).hosts.count, 2)
    }

    func testFileOrContentDecidesByFirstNonBlankCharacter() throws {
        // Not '{' -> a path; this one does not exist.
        assertConfigError(.configFile, mentions: ["[HOST1];host=x"]) {
            try ConfigParser.parse(fileOrContent: "[HOST1];host=x;port=1")
        }
        XCTAssertEqual(try ConfigParser.parse(fileOrContent: " \t\r\n{[HOST1];host=127.0.0.1;port=1").hosts.count, 1)
    }

    func testFileErrors() throws {
        let dir = try TempDir()
        assertConfigError(.configFile, mentions: ["\(dir.path)/missing.ini", "No such file"]) {
            try ConfigParser.parse(file: dir.path + "/missing.ini")
        }
        assertConfigError(.configFile, mentions: ["directory"]) { try ConfigParser.parse(file: dir.path) }
        assertConfigError(.configFile, mentions: ["empty"]) { try ConfigParser.parse(file: "") }
        assertConfigError(.configFile, mentions: ["empty"]) { try ConfigParser.parse(fileOrContent: "") }
        let big = try dir.write("big.ini", String(repeating: "# padding\n", count: 120_000))
        assertConfigError(.configFile, mentions: ["larger"]) { try ConfigParser.parse(file: big) }
    }

    func testEmptyAndHostlessConfigurationsAreErrors() {
        for text in ["{}", "{", "{;;;}", "[LOGGER]\nlogsw=error\n", "# only a comment\n", "{[LOGGER];logsw=error}"] {
            assertConfigError(.config, mentions: ["no host"]) { try ConfigParser.parse(content: text) }
        }
    }

    func testVendorCIniGivenToThisLibrarySaysWhatItIs() throws {
        // The vendor C library's CfgTassHsmApi.ini (spec/vendor-c-api.md section 6), loopback address.
        let ini = "logsw=trace\nlogpath=./log/\ntimeout=2\nmsgheadlen=8\nhost1=127.0.0.1\nport1=8018\n"
        assertConfigError(.config, mentions: ["no host configured", "[HOST1]", "CfgTassHsmApi.ini", "SDF_HsmApiInit"]) {
            try ConfigParser.parse(content: ini)
        }
        // Without such keys the message stays the plain one.
        let plain = assertConfigError(.config, mentions: ["no host configured"]) {
            try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\nhostname=x\n")
        }
        XCTAssertFalse(plain?.message.contains("CfgTassHsmApi") ?? true)
        XCTAssertTrue(ConfigParser.vendorCIniKey("host1") && ConfigParser.vendorCIniKey("port12"))
        XCTAssertFalse(ConfigParser.vendorCIniKey("host") || ConfigParser.vendorCIniKey("hostx") || ConfigParser.vendorCIniKey("port1a"))
    }

    func testSyntaxErrorsNameTheLine() {
        assertConfigError(.config, mentions: ["line 2", "[HOST1", "']'"]) {
            try ConfigParser.parse(content: "# x\n[HOST1\nhost=127.0.0.1\n")
        }
        assertConfigError(.config, mentions: ["line 3", "justtext", "key=value"]) {
            try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\njusttext\n")
        }
        assertConfigError(.config, mentions: ["item 2", "no key"]) {
            try ConfigParser.parse(content: "{[HOST1];=8018;host=127.0.0.1}")
        }
        assertConfigError(.config, mentions: ["empty section"]) {
            try ConfigParser.parse(content: "{[ ];host=127.0.0.1}")
        }
    }

    func testErrorLinesCountFromTheFileStartWithCRLFAndBOM() throws {
        let dir = try TempDir()
        let path = try dir.write("bad.ini", "\u{FEFF}[LOGGER]\r\nlogsw=error\r\n\r\n[HOST1]\r\nhost=127.0.0.1\r\nport=8018\r\nlinkNum=ten\r\n")
        assertConfigError(.config, mentions: ["\(path) line 7", "[HOST1]", "linkNum=ten"]) { try ConfigParser.parse(file: path) }
    }
}

extension ConfigExamplesTests {
    func testBraceFormDetection() {
        XCTAssertTrue(ConfigText.isBraceForm("{".utf8))
        XCTAssertTrue(ConfigText.isBraceForm(" \t\r\n{x".utf8))
        XCTAssertTrue(ConfigText.isBraceForm([0xEF, 0xBB, 0xBF, 0x20, 0x7B]))
        XCTAssertFalse(ConfigText.isBraceForm([0xEF, 0x7B]), "a lone BOM byte is not a BOM")
        XCTAssertFalse(ConfigText.isBraceForm([0xEF, 0xBB, 0x7B]))
        XCTAssertFalse(ConfigText.isBraceForm("".utf8))
        XCTAssertFalse(ConfigText.isBraceForm("  ".utf8))
        XCTAssertFalse(ConfigText.isBraceForm("/etc/cacipher.ini".utf8))
        XCTAssertFalse(ConfigText.isBraceForm("x{".utf8))
    }
}
