import Foundation
import XCTest
@testable import CACipherCore
import HSMNet
import Synchronization

/// `fork()` + `exec` and `posix_spawn` while calls are in flight (a batch system that starts
/// programs from a process that uses the library): the program started inherits none of the
/// library's descriptors, neither an HSM connection nor the log file (sockets are made with
/// `SOCK_CLOEXEC`, files opened with `O_CLOEXEC`). The started program is `ls -l
/// /proc/self/fd/` (`listChildDescriptors`): it lists its own open descriptors.
final class ExecInheritanceTests: XCTestCase {
    /// The inodes of the TCP sockets connected to `port` on loopback (the library's side of
    /// its connections to the fake HSM), from /proc/net/tcp.
    static func clientSocketInodes(remotePort port: UInt16) -> Set<String> {
        // Read to the end (a /proc file reports size 0).
        let fd = open("/proc/net/tcp", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        var out: Set<String> = []
        let portHex = String(format: ":%04X", port)
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            // sl local rem st tx:rx tr:when retr uid timeout inode
            guard f.count > 9, f[2].hasSuffix(portHex) else { continue }
            out.insert(String(f[9]))
        }
        return out
    }

    func testExecAndSpawnWhileCallsAreInFlightInheritNoSocketOrLogFile() throws {
        let s = try FakeHSM()
        defer { s.close() }
        let dir = try TempDir()
        var cfg = CACipherConfig()
        cfg.logger.path = dir.path
        cfg.logger.categories = [.error, .debug]
        // Two pooled connections, then short-lived ones: sockets are opened all the time.
        cfg.hosts = [GroupTest.host(s, "HOST1", linkNum: 2, readMs: 2000)]
        let client = try CACipherClient(config: cfg, options: GroupTest.options())
        defer { client.close() }
        XCTAssertEqual(try client.transmit(GroupTest.echo("warm")), GroupTest.reply("warm"))

        let stop = Atomic<Bool>(false)
        let failures = Atomic<Int>(0)
        let callers = (0..<4).compactMap { i in
            NativeThread.start {
                var n = 0
                while !stop.load(ordering: .relaxed) && n < 100_000 {
                    if (try? client.transmit(GroupTest.echo("c\(i)-\(n)"))) != GroupTest.reply("c\(i)-\(n)") {
                        failures.add(1, ordering: .relaxed)
                    }
                    n += 1
                    usleep(200)  // calls all the time, leaving the two cores some room
                }
            }
        }
        XCTAssertEqual(callers.count, 4)
        defer {
            stop.store(true, ordering: .relaxed)
            for t in callers { t.join() }
        }
        var librarySockets: Set<String> = []
        var runs = 0
        let start = Date()
        for i in 0..<10 where Date().timeIntervalSince(start) < 60 {
            librarySockets.formUnion(Self.clientSocketInodes(remotePort: s.port))
            guard let listing = listChildDescriptors(spawn: i % 2 == 1) else {
                XCTFail("run \(i): the helper did not run")
                break
            }
            let targets = descriptorTargets(listing)
            XCTAssertGreaterThanOrEqual(targets.count, 3, "run \(i): the listing names stdin, stdout, stderr: \(listing)")
            let inherited = targets.filter { t in
                t.contains("cacipher-") || librarySockets.contains { t == "socket:[\($0)]" }
            }
            XCTAssertEqual(inherited, [], "run \(i) (\(i % 2 == 1 ? "posix_spawn" : "fork + exec")): the child holds the library's descriptors")
            if !inherited.isEmpty { break }
            runs += 1
        }
        XCTAssertEqual(runs, 10)
        XCTAssertFalse(librarySockets.isEmpty, "the library had connections open to the fake HSM meanwhile")
        let logs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("cacipher-") }
        XCTAssertEqual(logs.count, 1, "the log file was open meanwhile")
        XCTAssertEqual(failures.load(ordering: .relaxed), 0, "the calls in flight kept working")
    }
}
