import Foundation
import XCTest
@testable import CACipherCore

/// The configuration forms the vendor's SDK documents (spec: vendor-java-api.md §8), as
/// docs/config.md "Vendor forms" lists them: each is accepted, and what the library cannot
/// honour is reported once, naming the key.
final class ConfigVendorDialectTests: XCTestCase {
    private func host(_ extra: String, file: StaticString = #filePath, line: UInt = #line) throws -> (HostConfig, [String]) {
        let c = try ConfigParser.parse(content: ConfigFixtures.oneHost(extra))
        return (try XCTUnwrap(c.hosts.first, file: file, line: line), c.warnings)
    }

    /// The vendor's generic file example (§8.1), with a loopback address.
    func testTheVendorsGenericFileExampleParses() throws {
        let dir = try TempDir()
        let path = try dir.write("cacipher.ini", """
        # cacipher.ini as the vendor documents it
        [LOGGER]
        logsw = error
        logPath = ./log/
        [HOST 1]
        hsmModel = SJJ1310
        host = 127.0.0.1
        port = 8018
        linkNum = -10
        timeout = 3

        """)
        let c = try ConfigParser.parse(file: path)
        XCTAssertEqual(c.logger.path, "./log/")
        XCTAssertEqual(c.hosts.map(\.section), ["HOST 1"])
        XCTAssertEqual(c.hosts.first?.connTimeoutMs, 3000)
        XCTAssertEqual(c.hosts.first?.linkNum, -10)
        XCTAssertEqual(c.warnings, [])
    }

    func testMillisecondAndSecondSuffixesOfTimes() throws {
        let cases: [(String, (HostConfig) -> Bool)] = [
            ("timeout=500ms", { $0.connTimeoutMs == 500 && $0.readTimeoutMs == 500 && $0.probeTimeoutMs == 500 }),
            ("timeout=500MS", { $0.connTimeoutMs == 500 }),
            ("timeout=500 ms", { $0.connTimeoutMs == 500 }),
            ("timeout=1ms", { $0.connTimeoutMs == 1 }),
            ("timeout=3600000ms", { $0.readTimeoutMs == 3_600_000 }),
            ("connTimeout=250ms", { $0.connTimeoutMs == 250 && $0.readTimeoutMs == 6000 }),
            ("readTimeout=1500ms", { $0.readTimeoutMs == 1500 && $0.connTimeoutMs == 6000 }),
            ("probeTimeout=300ms", { $0.probeTimeoutMs == 300 }),
            ("timeout=3s", { $0.connTimeoutMs == 3000 }),
            ("timeout=0.5s", { $0.connTimeoutMs == 500 }),
            ("timeout=2 S", { $0.connTimeoutMs == 2000 }),
            ("timeout=2s\nconnTimeout=100ms", { $0.connTimeoutMs == 100 && $0.readTimeoutMs == 2000 }),
        ]
        for (extra, ok) in cases {
            let (h, warnings) = try host(extra)
            XCTAssertTrue(ok(h), "\(extra) -> \(h)")
            XCTAssertEqual(warnings, [], extra)
        }
        for bad in ["0ms", "1.5ms", "-5ms", "ms", "s", "3600001ms", "5mss", "5 m s", "5sms", "3601s", "0s", ".5s", "5msx"] {
            assertConfigError(.config, mentions: ["[HOST1]", "timeout=\(bad)", "line 4", "500ms"]) {
                try ConfigParser.parse(content: ConfigFixtures.oneHost("timeout=\(bad)"))
            }
        }
    }

    func testCommentLinesAndNoInlineComments() throws {
        // Whole-line comments, in files (also indented) and in the string form.
        let file = try ConfigParser.parse(content: "# head\n[HOST1]\n  # indented\nhost=127.0.0.1\n\t#port=1\nport=8018\n")
        XCTAssertEqual(file.hosts.first?.port, 8018)
        let braces = try ConfigParser.parse(content: "{#head;[HOST 1];# a note;host=127.0.0.1;port=8018;#port=1}")
        XCTAssertEqual(braces.hosts.first?.port, 8018)
        XCTAssertEqual(braces.warnings, [])
        // The vendor has no inline comments: a number followed by one is an error that says so.
        assertConfigError(.config, mentions: ["port=8018 # main", "inline comments are not supported", "line 3"]) {
            try ConfigParser.parse(content: "[HOST1]\nhost=127.0.0.1\nport=8018 # main\n")
        }
        // A text value is taken as written, with a warning (never silently cut).
        let dir = try TempDir()
        let c = try ConfigParser.parse(content: "[LOGGER]\nlogPath=\(dir.path) # logs\n" + ConfigFixtures.oneHost(""))
        XCTAssertEqual(c.logger.path, "\(dir.path) # logs")
        XCTAssertTrue(c.warnings.contains { $0.contains("logPath=") && $0.contains("inline comments") && $0.contains("line 2") }, "\(c.warnings)")
        let (h, w) = try host("socketProtocol=TLSv1.2\ntlsCAFile=/ca.pem\t# our CA")
        XCTAssertEqual(h.tls.caFile, "/ca.pem\t# our CA")
        XCTAssertTrue(w.contains { $0.contains("tlsCAFile=") && $0.contains("inline comments") }, "\(w)")
        // '#' inside a value without a blank before it is just a character.
        XCTAssertEqual(try ConfigParser.parse(content: "[LOGGER]\nlogPath=/tmp/a#b\n" + ConfigFixtures.oneHost("")).warnings, [])
    }

    func testTLSSectionAndKeystorefile() throws {
        // One-way TLS as the vendor writes it: keystorefile present and empty, no warning.
        let oneWay = try ConfigParser.parse(content: "[TLS]\nkeystorefile =\n[HOST 1]\nhost=127.0.0.1\nport=8018\nsocketProtocol=TLSv1.2\n")
        XCTAssertEqual(oneWay.hosts.first?.socketProtocol, .tls12)
        XCTAssertEqual(oneWay.hosts.first?.tls.certFile, nil)
        XCTAssertEqual(oneWay.warnings, [])
        let braces = try ConfigParser.parse(content: "{[tls];KeyStoreFile=;[HOST1];host=127.0.0.1;port=8018;socketProtocol=TLSv1.2}")
        XCTAssertEqual(braces.warnings, [])
        // Mutual TLS through a PKCS#12 keystore: accepted, not used, said once.
        let mutual = try ConfigParser.parse(content: "[TLS]\nkeystorefile=/etc/hsm/client.pfx\n[HOST1]\nhost=127.0.0.1\nport=8018\nsocketProtocol=TLSv1.2\n")
        XCTAssertEqual(mutual.hosts.first?.tls.certFile, nil)
        XCTAssertEqual(mutual.warnings.count, 1, "\(mutual.warnings)")
        XCTAssertTrue(mutual.warnings[0].contains("keystorefile") && mutual.warnings[0].contains("tlsCertFile")
                      && mutual.warnings[0].contains("line 2"), mutual.warnings[0])
        // Other keys in [TLS]: the vendor's are noted as such, unknown ones as unknown.
        let other = try ConfigParser.parse(content: "[TLS]\ncipherSuites=X\nfoo=1\n" + ConfigFixtures.oneHost(""))
        XCTAssertTrue(other.warnings.contains { $0.contains("cipherSuites") && $0.contains("vendor's SDK") }, "\(other.warnings)")
        XCTAssertTrue(other.warnings.contains { $0.contains("unknown key 'foo' in [TLS]") }, "\(other.warnings)")
        XCTAssertFalse(other.warnings.contains { $0.contains("unknown section") }, "\(other.warnings)")
    }

    func testSocketProtocolValuesTheVendorLists() throws {
        let cases: [(String, SocketProtocol, String?)] = [
            ("TCP", .tcp, nil), ("tcp", .tcp, nil), ("TLSv1.2", .tls12, nil), ("TLSv1.3", .tls13, nil),
            ("TLS", .tls12, nil), ("tls", .tls12, nil),
            ("SSL", .tls12, "TLS 1.2 or later"),
            ("HTTP", .tcp, "HTTP framing"),
            ("HTTPS", .tls12, "HTTP framing"),
            ("HTTPS-DOUBLE", .tls12, "mutual TLS needs tlsCertFile"),
            ("GMSSL", .tls12, "GM (SM2/SM4) TLS"),
            ("gmssl-double", .tls12, "GM (SM2/SM4) TLS"),
        ]
        for (value, expected, warning) in cases {
            let (h, w) = try host("socketProtocol=\(value)")
            XCTAssertEqual(h.socketProtocol, expected, value)
            if let warning {
                XCTAssertEqual(w.count, 1, "\(value): \(w)")
                XCTAssertTrue(w.first.map { $0.contains("socketProtocol=\(value)") && $0.contains(warning) && $0.contains("line 4") } ?? false, "\(value): \(w)")
            } else {
                XCTAssertEqual(w, [], value)
            }
        }
        assertConfigError(.config, mentions: ["socketProtocol=SPDY", "TCP, TLSv1.2 or TLSv1.3", "GMSSL"]) {
            try ConfigParser.parse(content: ConfigFixtures.oneHost("socketProtocol=SPDY"))
        }
    }

    func testWarningsAboutTheVendorsFormsComeOncePerKey() throws {
        var text = ""
        for n in 1...3 { text += "[HOST \(n)]\nhost=127.0.0.\(n)\nport=8018\nsocketProtocol=HTTPS\nifHeart=yes\nmaxParallel=8\n" }
        let c = try ConfigParser.parse(content: text)
        XCTAssertEqual(c.hosts.count, 3)
        XCTAssertEqual(c.warnings.filter { $0.contains("socketProtocol=HTTPS") }.count, 1, "\(c.warnings)")
        let heart = c.warnings.filter { $0.contains("ifHeart") }
        XCTAssertEqual(heart.count, 1, "\(c.warnings)")
        XCTAssertTrue(heart[0].contains("[HOST 1]") && heart[0].contains("line 5") && heart[0].contains("also in 2 more places"), heart[0])
        XCTAssertEqual(c.warnings.filter { $0.contains("maxParallel") }.count, 1)
        XCTAssertEqual(c.warnings.count, 3, "\(c.warnings)")
    }

    func testTheVendorsOtherKeysAreAcceptedAndNamedButNeverTheirValues() throws {
        let secretish = "S3cr3tValue"
        let keys = ["msgHead", "msgTail", "msgTailLength", "ifHeart", "ifStaticLinkNum", "maxParallel", "retryTime",
                    "workType", "cipherSuites", "UrlPath", "gmtlsCACertPath", "gmtlsSignPfxPath", "gmtlsSignPfxPwd",
                    "gmtlsEncPfxPath", "gmtlsEncPfxPwd", "appId", "ak", "sk", "hmacAlgorithm", "validateType", "signAlgorithm"]
        let extra = keys.map { "\($0)=\(secretish)" }.joined(separator: "\n")
        let (h, w) = try host(extra)
        XCTAssertEqual(h.host, "127.0.0.1")
        for k in keys {
            XCTAssertEqual(w.filter { $0.contains(" \(k) is a setting of the vendor's SDK") }.count, 1, "\(k): \(w)")
        }
        XCTAssertFalse(w.contains { $0.contains(secretish) }, "\(w)")
        XCTAssertFalse(w.contains { $0.contains("unknown key") }, "\(w)")
        // [LOGGER] rotation keys and the [GLOBAL] section.
        let c = try ConfigParser.parse(content: "[LOGGER]\nlogsw=error\nMaxFileLength=10M\nBackupNum=5\n[GLOBAL]\nretryTime=3\nbar=1\n" + ConfigFixtures.oneHost(""))
        XCTAssertTrue(c.warnings.contains { $0.contains("[LOGGER] MaxFileLength") && $0.contains("one file per day") }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("[LOGGER] BackupNum") }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("[GLOBAL] retryTime") }, "\(c.warnings)")
        XCTAssertTrue(c.warnings.contains { $0.contains("unknown key 'bar' in [GLOBAL]") }, "\(c.warnings)")
        XCTAssertFalse(c.warnings.contains { $0.contains("unknown section") }, "\(c.warnings)")
    }

    func testKeyNamesInTheVendorsCase() throws {
        let (h, w) = try host("HsmModel=EHSM\nLINKNUM=-3\nConnTimeout=2\nReadTimeout=4\nmsgHeadLength=8\nencodeType=0\nSocketProtocol=TLSv1.2")
        XCTAssertEqual(h.hsmModel, "EHSM")
        XCTAssertEqual(h.linkNum, -3)
        XCTAssertEqual(h.connTimeoutMs, 2000)
        XCTAssertEqual(h.readTimeoutMs, 4000)
        XCTAssertEqual(h.headerLength, 8)
        XCTAssertEqual(h.encodeType, 0)
        XCTAssertEqual(h.socketProtocol, .tls12)
        XCTAssertEqual(w, [])
        let c = try ConfigParser.parse(content: "[Logger]\nLogSw=error,warn\nLOGPATH=/tmp\n[host 1]\nHOST=127.0.0.1\nPORT=8018\n")
        XCTAssertEqual(c.logger.categories, [.error, .warn])
        XCTAssertEqual(c.logger.path, "/tmp")
        XCTAssertEqual(c.hosts.map(\.section), ["host 1"])
    }

    func testEncodetypeAndMsgheadlength() throws {
        let (zero, w0) = try host("encodetype=0\nmsgheadlength=0")
        XCTAssertEqual(zero.encodeType, 0)
        XCTAssertEqual(zero.headerLength, 0)
        XCTAssertEqual(w0, [])
        let (h8, w8) = try host("msgHeadLength=8")
        XCTAssertEqual(h8.headerLength, 8)
        XCTAssertEqual(w8, [])
        // The older name is the same setting: both given is a key given twice (last wins).
        let (both, wb) = try host("msgheadlength=8\nmsgheadlen=4")
        XCTAssertEqual(both.headerLength, 4)
        XCTAssertTrue(wb.contains { $0.contains("msgheadlen again") && $0.contains("line 4") }, "\(wb)")
        // Only ASCII commands exist here: another encoding is kept but said.
        let (one, w1) = try host("encodeType=1")
        XCTAssertEqual(one.encodeType, 1)
        XCTAssertEqual(w1.count, 1, "\(w1)")
        XCTAssertTrue(w1[0].contains("encodeType=1") && w1[0].contains("ASCII"), w1[0])
    }

    func testHsmModelValuesTheVendorLists() throws {
        for model in ["SJJ1310", "EHSM", "EVSM", "GHSM", "GVSM", "sjj1310", "evsm", "SJJ1303", "KMS", "SJY42A_IC"] {
            let (h, w) = try host("hsmModel=\(model)")
            XCTAssertEqual(h.hsmModel, model)
            XCTAssertEqual(w, [], model)
        }
        for model in ["SJJ19151", "SJJ1507", "SRJ1933", "SHSM", "SVSM", "TASKMS", "shsm"] {
            let (h, w) = try host("hsmModel=\(model)")
            XCTAssertEqual(h.hsmModel, model)
            XCTAssertEqual(w.count, 1, "\(model): \(w)")
            XCTAssertTrue(w[0].contains("hsmModel=\(model)") && w[0].contains("other device families"), w[0])
        }
    }

    /// The vendor documents `logPath` as a directory that must exist and be writable (the
    /// specification: a missing one is a clear init error); nothing is created.
    func testOpeningWithAMissingLogPathIsALogSetupError() throws {
        let dir = try TempDir()
        let logs = dir.path + "/var/log/hsm/"
        assertConfigError(.logSetup, mentions: ["var/log/hsm", "does not exist"]) {
            try CACipherClient.open(fileOrContent: "{[LOGGER];logsw=error;logPath=\(logs);[HOST 1];host=127.0.0.1;port=8018;timeout=500ms}")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/var"))
        // Once it exists, the log file is made there.
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        let client = try CACipherClient.open(fileOrContent: "{[LOGGER];logsw=error;logPath=\(logs);[HOST 1];host=127.0.0.1;port=8018;timeout=500ms}")
        client.close()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasPrefix("cacipher-") }.count, 1)
        // With logging off the directory is not looked at.
        let off = try CACipherClient.open(fileOrContent: "{[LOGGER];logsw=;logPath=\(dir.path)/off;[HOST1];host=127.0.0.1;port=8018}")
        off.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/off"))
    }

    func testSpaceInHostSectionNames() throws {
        let c = try ConfigParser.parse(content: "{[HOST 1];host=127.0.0.1;port=1;[HOST 2];host=127.0.0.2;port=2;[ HOST\t3 ];host=127.0.0.3;port=3}")
        XCTAssertEqual(c.hosts.map(\.port), [1, 2, 3])
        XCTAssertEqual(c.hosts.map(\.section), ["HOST 1", "HOST 2", "HOST\t3"])
    }
}
