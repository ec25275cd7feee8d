import XCTest
@testable import CACipherCore

/// Every key: its default, accepted values and rejected values (table-driven).
final class ConfigKeyTests: XCTestCase {
    private func host(_ extra: String, file: StaticString = #filePath, line: UInt = #line) throws -> HostConfig {
        let c = try ConfigParser.parse(content: ConfigFixtures.oneHost(extra))
        return try XCTUnwrap(c.hosts.first, file: file, line: line)
    }

    func testDefaults() throws {
        let c = try ConfigParser.parse(content: "{[HOST1];host=127.0.0.1;port=8018}")
        XCTAssertEqual(c.logger.categories, .error)
        XCTAssertEqual(c.logger.path, "./")
        let h = try XCTUnwrap(c.hosts.first)
        XCTAssertEqual(h.hsmModel, "SJJ1310")
        XCTAssertEqual(h.linkNum, -10)
        XCTAssertEqual(h.poolSize, 10)
        XCTAssertFalse(h.allowsOverflow)
        XCTAssertEqual(h.connTimeoutMs, 6000)
        XCTAssertEqual(h.readTimeoutMs, 6000)
        XCTAssertEqual(h.probeTimeoutMs, 2000)
        XCTAssertEqual(h.socketProtocol, .tcp)
        XCTAssertEqual(h.headerLength, 0)
        XCTAssertEqual(h.encodeType, 0)
        XCTAssertEqual(h.tls, TLSSettings())
        XCTAssertTrue(h.tls.verify)
    }

    func testAcceptedValues() throws {
        let cases: [(String, (HostConfig) -> Bool)] = [
            ("hsmModel=SJJ1303", { $0.hsmModel == "SJJ1303" }),
            ("hsmModel=SJY42A_IC", { $0.hsmModel == "SJY42A_IC" }),
            ("host=hsm-1.bank.example", { $0.host == "hsm-1.bank.example" }),
            ("host=::1", { $0.host == "::1" }),
            ("port=1", { $0.port == 1 }),
            ("port=65535", { $0.port == 65535 }),
            ("port=08018", { $0.port == 8018 }),
            ("linkNum=-1", { $0.linkNum == -1 && $0.poolSize == 1 && !$0.allowsOverflow }),
            ("linkNum=20", { $0.linkNum == 20 && $0.poolSize == 20 && $0.allowsOverflow }),
            // the vendor's short-connection mode: no pool, every exchange on a connection of its own
            ("linkNum=0", { $0.linkNum == 0 && $0.poolSize == 0 && $0.allowsOverflow }),
            ("linkNum=-1000", { $0.linkNum == -1000 }),
            ("timeout=5", { $0.connTimeoutMs == 5000 && $0.readTimeoutMs == 5000 }),
            ("timeout=0.5", { $0.connTimeoutMs == 500 && $0.readTimeoutMs == 500 }),
            ("timeout=1.25", { $0.connTimeoutMs == 1250 }),
            ("timeout=0.001", { $0.connTimeoutMs == 1 }),
            ("timeout=3600", { $0.readTimeoutMs == 3_600_000 }),
            ("connTimeout=2", { $0.connTimeoutMs == 2000 && $0.readTimeoutMs == 6000 }),
            ("readTimeout=9", { $0.connTimeoutMs == 6000 && $0.readTimeoutMs == 9000 }),
            ("timeout=4\nconnTimeout=2", { $0.connTimeoutMs == 2000 && $0.readTimeoutMs == 4000 }),
            ("connTimeout=2\ntimeout=4", { $0.connTimeoutMs == 2000 && $0.readTimeoutMs == 4000 }),
            ("readTimeout=7\ntimeout=4\nconnTimeout=1", { $0.connTimeoutMs == 1000 && $0.readTimeoutMs == 7000 }),
            ("probeTimeout=0.3", { $0.probeTimeoutMs == 300 && $0.readTimeoutMs == 6000 }),
            ("readTimeout=1", { $0.probeTimeoutMs == 1000 }),
            ("probeTimeout=9\nreadTimeout=1", { $0.probeTimeoutMs == 9000 }),
            ("socketProtocol=TCP", { $0.socketProtocol == .tcp }),
            ("socketProtocol=TLSv1.2", { $0.socketProtocol == .tls12 }),
            ("socketProtocol=tlsv1.3", { $0.socketProtocol == .tls13 }),
            ("msgheadlength=8", { $0.headerLength == 8 }),
            ("msgheadlength=32", { $0.headerLength == 32 }),
            ("msgheadlength=64", { $0.headerLength == 64 }),  // the vendor jar's maximum
            ("msgHeadLength=33", { $0.headerLength == 33 }),
            ("msgheadlen=4", { $0.headerLength == 4 }),
            ("encodetype=0", { $0.encodeType == 0 }),
            ("encodetype=1", { $0.encodeType == 1 }),
            ("protocol=0", { $0.socketProtocol == .tcp }),
            ("socketProtocol=TLSv1.2\ntlsCAFile=/etc/ca.pem", { $0.tls.caFile == "/etc/ca.pem" }),
            ("socketProtocol=TLSv1.2\ntlsCertFile=/c.pem\ntlsKeyFile=/k.pem", { $0.tls.certFile == "/c.pem" && $0.tls.keyFile == "/k.pem" }),
            ("socketProtocol=TLSv1.2\ntlsServerName=hsm1", { $0.tls.serverName == "hsm1" }),
            ("socketProtocol=TLSv1.2\ntlsVerify=0", { !$0.tls.verify }),
            ("socketProtocol=TLSv1.2\ntlsVerify=1", { $0.tls.verify }),
        ]
        for (extra, ok) in cases {
            let h = try host(extra)
            XCTAssertTrue(ok(h), "\(extra) -> \(h)")
        }
    }

    func testRejectedValuesNameSectionKeyValueAndLine() {
        let cases: [(String, [String])] = [
            ("port=abc", ["port=abc", "1 to 65535"]),
            ("port=0", ["port=0"]),
            ("port=65536", ["port=65536"]),
            ("port=-1", ["port=-1"]),
            ("port=80 80", ["port=80 80"]),
            ("port=99999999999999999999999", ["port=9999"]),
            ("port=", ["port="]),
            ("host=", ["host="]),
            ("host=two words", ["host=two words"]),
            ("host=" + String(repeating: "h", count: 256), ["host=hhh", "255"]),
            ("linkNum=ten", ["linkNum=ten"]),
            ("linkNum=1001", ["linkNum=1001"]),
            ("linkNum=-1001", ["linkNum=-1001"]),
            ("timeout=0", ["timeout=0", "greater than 0"]),
            ("probeTimeout=0", ["probeTimeout=0", "greater than 0"]),
            ("timeout=-1", ["timeout=-1"]),
            ("timeout=abc", ["timeout=abc"]),
            ("timeout=0.0001", ["timeout=0.0001"]),
            ("timeout=0.000", ["timeout=0.000"]),
            ("timeout=1e3", ["timeout=1e3"]),
            ("timeout=3601", ["timeout=3601"]),
            ("timeout=.5", ["timeout=.5"]),
            ("timeout=5.", ["timeout=5."]),
            ("timeout=", ["timeout="]),
            ("connTimeout=-5", ["connTimeout=-5"]),
            ("readTimeout=0", ["readTimeout=0"]),
            ("socketProtocol=SSLv3", ["socketProtocol=SSLv3", "TCP, TLSv1.2 or TLSv1.3"]),
            ("socketProtocol=", ["socketProtocol="]),
            ("msgheadlength=65", ["msgheadlength=65", "0 to 64"]),
            ("msgheadlength=-1", ["msgheadlength=-1"]),
            ("msgheadlen=x", ["msgheadlen=x"]),
            ("encodetype=utf8", ["encodetype=utf8"]),
            ("protocol=tcp", ["protocol=tcp"]),
            ("hsmModel=", ["hsmModel="]),
            ("hsmModel=" + String(repeating: "M", count: 32), ["hsmModel=MMM"]),
            ("tlsVerify=yes", ["tlsVerify=yes", "0 or 1"]),
            ("tlsCAFile=", ["tlsCAFile="]),
            ("host=127.0.0.1;127.0.0.2", ["section-less"]),
        ]
        for (extra, mentions) in cases {
            // The bad line is line 4 (after [HOST1], host=, port=).
            assertConfigError(.config, mentions: mentions + ["[HOST1]", "line 4"]) {
                try ConfigParser.parse(content: ConfigFixtures.oneHost(extra))
            }
        }
    }

    func testMissingRequiredKeysNameTheSection() {
        assertConfigError(.config, mentions: ["[HOST 2]", "host="]) {
            try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\nport=1\n[HOST 2]\nport=2\n")
        }
        assertConfigError(.config, mentions: ["[HOST1]", "port="]) {
            try ConfigParser.parse(content: "{[HOST1];host=127.0.0.1}")
        }
    }

    func testLoggerKeys() throws {
        let cases: [(String, LogCategories)] = [
            ("error", .error),
            ("error,debug,info,warn", [.error, .debug, .info, .warn]),
            (" Error , TRACE ", [.error, .trace]),
            ("warn,warn", .warn),
            ("error,", .error),
            ("", []),
        ]
        for (value, expected) in cases {
            let c = try ConfigParser.parse(content: "[LOGGER]\nlogsw=\(value)\nlogPath=/var/log/x\n[HOST1]\nhost=127.0.0.1\nport=1\n")
            XCTAssertEqual(c.logger.categories, expected, value)
            XCTAssertEqual(c.logger.path, "/var/log/x")
        }
        for bad in ["verbose", "error,verbose", "error;info", "err"] {
            assertConfigError(.config, mentions: ["[LOGGER]", "logsw=", "unknown log category", "line 2"]) {
                try ConfigParser.parse(content: "[LOGGER]\nlogsw=\(bad)\n[HOST1]\nhost=127.0.0.1\nport=1\n")
            }
        }
        assertConfigError(.config, mentions: ["logPath="]) {
            try ConfigParser.parse(content: "[LOGGER]\nlogPath=\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        }
    }

    func testWarningsForOddButAcceptedValues() throws {
        let unknownModel = try ConfigParser.parse(content: ConfigFixtures.oneHost("hsmModel=FOO9"))
        XCTAssertEqual(unknownModel.hosts.first?.hsmModel, "FOO9")
        XCTAssertTrue(unknownModel.warnings.contains { $0.contains("FOO9") })
        let tlsOnTCP = try ConfigParser.parse(content: ConfigFixtures.oneHost("tlsCAFile=/ca.pem"))
        XCTAssertTrue(tlsOnTCP.warnings.contains { $0.contains("tlsCAFile") && $0.contains("TCP") }, "\(tlsOnTCP.warnings)")
        let noVerify = try ConfigParser.parse(content: ConfigFixtures.oneHost("socketProtocol=TLSv1.3\ntlsVerify=0"))
        XCTAssertTrue(noVerify.warnings.contains { $0.contains("NOT verified") }, "\(noVerify.warnings)")
        let protocolOne = try ConfigParser.parse(content: ConfigFixtures.oneHost("protocol=1"))
        XCTAssertTrue(protocolOne.warnings.contains { $0.contains("protocol=1") })
        XCTAssertEqual(try ConfigParser.parse(content: ConfigFixtures.oneHost("protocol=0")).warnings, [])
    }

    func testFlatSectionlessVariant() throws {
        let c = try ConfigParser.parse(content: "logsw=error,info\nhost=127.0.0.1;127.0.0.2; 127.0.0.3\nport=8018;8019;8020\nlinkNum=-4\ntimeout=2\nprotocol=0\n")
        XCTAssertEqual(c.logger.categories, [.error, .info])
        XCTAssertEqual(c.hosts.map(\.host), ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
        XCTAssertEqual(c.hosts.map(\.port), [8018, 8019, 8020])
        XCTAssertEqual(c.hosts.map(\.section), ["HOST1", "HOST2", "HOST3"])
        XCTAssertTrue(c.hosts.allSatisfy { $0.linkNum == -4 && $0.connTimeoutMs == 2000 })
        let onePort = try ConfigParser.parse(content: "host=127.0.0.1;127.0.0.2\nport=8018\n")
        XCTAssertEqual(onePort.hosts.map(\.port), [8018, 8018])
        let dir = try TempDir()
        let path = try dir.write("flat.ini", "host=127.0.0.1;127.0.0.2\r\nport=1;2\r\n")
        XCTAssertEqual(try ConfigParser.parse(file: path).hosts.map(\.port), [1, 2])
    }

    func testFlatVariantErrors() {
        assertConfigError(.config, mentions: ["3 ports for 2 hosts"]) {
            try ConfigParser.parse(content: "host=127.0.0.1;127.0.0.2\nport=1;2;3\n")
        }
        assertConfigError(.config, mentions: ["no port"]) {
            try ConfigParser.parse(content: "host=127.0.0.1;127.0.0.2\n")
        }
        assertConfigError(.config, mentions: ["one form"]) {
            try ConfigParser.parse(content: "host=127.0.0.1\nport=1\n[HOST1]\nhost=127.0.0.2\nport=2\n")
        }
        assertConfigError(.config, mentions: ["port=1;x", "line 2"]) {
            try ConfigParser.parse(content: "host=127.0.0.1;127.0.0.2\nport=1;x\n")
        }
        // In the {} string form ';' separates lines, so a list cannot be written there.
        assertConfigError(.config, mentions: ["127.0.0.2", "item 2"]) {
            try ConfigParser.parse(content: "{host=127.0.0.1;127.0.0.2;port=8018}")
        }
    }

    func testSectionlessHostKeysWithoutHostAreIgnoredWithAWarning() throws {
        let c = try ConfigParser.parse(content: "timeout=3\n[HOST1]\nhost=127.0.0.1\nport=1\n")
        XCTAssertEqual(c.hosts.first?.connTimeoutMs, 6000)
        XCTAssertTrue(c.warnings.contains { $0.contains("outside any section") }, "\(c.warnings)")
    }

    func testMessagesDoNotEchoControlCharactersOrHugeValues() {
        let e = assertConfigError(.config, mentions: ["port=", "..."]) {
            try ConfigParser.parse(content: ConfigFixtures.oneHost("port=\u{1}" + String(repeating: "9", count: 500)))
        }
        XCTAssertFalse(e?.message.unicodeScalars.contains { $0.value < 0x20 } ?? true)
        XCTAssertLessThan(e?.message.count ?? 1000, 300)
    }
}
