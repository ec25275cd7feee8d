import Foundation
import XCTest
import Logging
@testable import EVSMKit
@testable import EVSMServer

/// Collects log lines so tests can scan them for secrets.
final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var store: [String] = []
    func add(_ s: String) { lock.lock(); store.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return store }
}

struct CollectingLogHandler: LogHandler {
    let sink: LineCollector
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        sink.add("\(event.level) \(event.message) \(event.metadata ?? [:])")
    }
}

/// Base of the management-channel test classes: a temporary directory, management servers
/// on loopback over in-memory devices (stopped after each test), their log lines in `logs`.
class ManagementTestCase: XCTestCase {
    var dir = ""
    var servers: [ManagementServer] = []
    let logs = LineCollector()

    override func setUpWithError() throws { dir = try makeTempDir("mgmt") }
    override func tearDownWithError() throws {
        for s in servers { s.stop() }
        servers = []
        try? FileManager.default.removeItem(atPath: dir)
    }

    func startDevice(_ d: CeremonyDevice) throws -> ManagementServer {
        let svc = CeremonyService(device: d)
        svc.audit = { [logs] in logs.add("audit " + $0) }
        let s = ManagementServer(service: svc, identity: try ManagementIdentity.ephemeral(), host: "127.0.0.1", port: 0,
                                 logger: Logger(label: "test.mgmt") { _ in CollectingLogHandler(sink: self.logs) })
        try s.start()
        servers.append(s)
        return s
    }
}
