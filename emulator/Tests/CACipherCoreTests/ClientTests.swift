import Foundation
import XCTest
@testable import CACipherCore

/// `CACipherClient`: logging set up from the configuration, no network, idempotent close.
final class ClientTests: XCTestCase {
    func testLogsWarningsAndOneInfoLinePerHost() throws {
        var config = try ConfigParser.parse(content: "{[LOGGER];logsw=error,warn,info;[HOST1];host=127.0.0.1;port=8018;oddkey=1;[HOST2];host=127.0.0.2;port=8019;linkNum=3}")
        XCTAssertEqual(config.warnings.count, 1)
        let sink = MemoryLogSink()
        let client = CACipherClient(config: config, logSink: sink)
        XCTAssertEqual(client.hosts.map(\.port), [8018, 8019])
        let warns = sink.lines.filter { $0.category == .warn }.map(\.message)
        XCTAssertEqual(warns.count, 1)
        XCTAssertTrue(warns[0].contains("oddkey"))
        let infos = sink.lines.filter { $0.category == .info }.map(\.message)
        XCTAssertTrue(infos.contains { $0.contains("127.0.0.1:8018") && $0.contains("pool only") })
        XCTAssertTrue(infos.contains { $0.contains("127.0.0.2:8019") && $0.contains("short connections") })
        client.close()
        client.close()
        XCTAssertTrue(client.isClosed)
        XCTAssertEqual(sink.messages.filter { $0.contains("closed") }.count, 1, "close is idempotent")

        // With the default logsw=error the configuration warning is still written, once;
        // nothing else below error is.
        config.logger.categories = .error
        let quiet = MemoryLogSink()
        _ = CACipherClient(config: config, logSink: quiet)
        XCTAssertEqual(quiet.lines.count, 1)
        XCTAssertEqual(quiet.lines.first?.category, .warn)
        XCTAssertTrue(quiet.messages.first?.contains("oddkey") ?? false)

        // Logging off entirely (logsw=): nothing at all.
        config.logger.categories = []
        let off = MemoryLogSink()
        _ = CACipherClient(config: config, logSink: off)
        XCTAssertEqual(off.messages, [])
    }

    func testOpenWritesToTheConfiguredDirectory() throws {
        let dir = try TempDir()
        let client = try CACipherClient.open(fileOrContent: "{[LOGGER];logsw=info;logPath=\(dir.path);[HOST1];host=127.0.0.1;port=8018}")
        defer { client.close() }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(files.count, 1)
        let text = try String(contentsOfFile: dir.path + "/" + files[0], encoding: .utf8)
        XCTAssertTrue(text.contains("[info]") && text.contains("127.0.0.1:8018"), text)
    }

    func testBadLogPathFailsOpen() throws {
        let dir = try TempDir()
        // A directory that does not exist (the spec: a clear init error, nothing created).
        assertConfigError(.logSetup, mentions: ["nope", "does not exist"]) {
            try CACipherClient.open(fileOrContent: "{[LOGGER];logPath=\(dir.path)/nope;[HOST1];host=127.0.0.1;port=8018}")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/nope"))
        // One below a plain file.
        let file = try dir.write("plain", "x")
        assertConfigError(.logSetup, mentions: ["nope"]) {
            try CACipherClient.open(fileOrContent: "{[LOGGER];logPath=\(file)/nope;[HOST1];host=127.0.0.1;port=8018}")
        }
        assertConfigError(.config, mentions: ["port"]) {
            try CACipherClient.open(fileOrContent: "{[HOST1];host=127.0.0.1;port=x}")
        }
    }

    func testNoCategoriesNeedNoLogDirectory() throws {
        let client = try CACipherClient.open(fileOrContent: "{[LOGGER];logsw=;logPath=/does/not/exist;[HOST1];host=127.0.0.1;port=8018}")
        XCTAssertEqual(client.log.categories, [])
        client.close()
    }
}
