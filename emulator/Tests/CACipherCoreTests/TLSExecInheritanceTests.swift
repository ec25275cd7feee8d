import Foundation
import HSMNet
import Synchronization
import XCTest

/// A program started (`posix_spawn`, `fork` + `exec`) while another thread builds a TLS
/// client context (an instance with `socketProtocol=TLSv1.2` being opened) inherits neither
/// the CA file nor the client certificate nor its private key: the library reads them
/// close-on-exec and gives them to OpenSSL from memory (`TLSPEMFiles`); OpenSSL's own
/// `*_file` functions opened them without close-on-exec.
final class TLSExecInheritanceTests: XCTestCase {
    func testProgramStartedWhileAContextIsBuiltInheritsNoCertificateOrKeyFile() throws {
        let dir = try TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let settings = TLSClientSettings(host: "127.0.0.1", label: "[HOST1]", minimumVersion: .tls12,
                                         caFile: dir + "/ca.pem", certFile: dir + "/client.pem",
                                         keyFile: dir + "/client-key.pem")
        XCTAssertNoThrow(try TLSClientContext.make(settings), "the test material loads")
        let stop = Atomic<Bool>(false)
        let built = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        let builder = Thread {
            while !stop.load(ordering: .relaxed) {
                if (try? TLSClientContext.make(settings)) == nil { failed.add(1, ordering: .relaxed) }
                built.add(1, ordering: .relaxed)
            }
        }
        builder.start()
        defer {
            stop.store(true, ordering: .relaxed)
            while !builder.isFinished { usleep(1000) }
        }
        while built.load(ordering: .relaxed) < 5 { usleep(1000) }
        var runs = 0
        let start = Date()
        for i in 0..<40 where Date().timeIntervalSince(start) < 60 {
            guard let listing = listChildDescriptors(spawn: i % 2 == 0) else {
                XCTFail("run \(i): the helper did not run")
                break
            }
            let inherited = descriptorTargets(listing).filter { $0.hasPrefix(dir) }
            XCTAssertEqual(inherited, [], "run \(i): the started program holds TLS material")
            if !inherited.isEmpty { break }
            runs += 1
        }
        XCTAssertEqual(runs, 40)
        XCTAssertEqual(failed.load(ordering: .relaxed), 0, "every context was built")
    }
}
