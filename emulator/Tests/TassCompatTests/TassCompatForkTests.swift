import XCTest
import Synchronization
@testable import TassCompat
@testable import EVSMKit
import EVSMServer

/// The vendor API and `fork()`: a fork while another thread is inside `SDF_OpenDevice` (which
/// creates a device's client under the vendor layer's lifecycle lock, as `SDF_HsmApiInit`
/// does) waits for it, so the child can initialise, open a device and send commands.
final class TassCompatForkTests: XCTestCase {
    var device: Device!
    var server: EVSMHostServer!
    var port = 0

    override func setUpWithError() throws {
        device = try Device(stateDirectory: nil, mode: .testLMK)
        server = EVSMHostServer()
        port = try server.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0)
        let dir = FileManager.default.temporaryDirectory.path
        var ip = Array("127.0.0.1".utf8CString)
        var logDir = Array(dir.utf8CString)
        XCTAssertEqual(Tass_HsmApiInitByContent(&ip, UInt32(port), 5, &logDir), HAR.ok)
    }

    override func tearDown() {
        server?.stop()
        server = nil
        device = nil
    }

    private func exitStatus(_ pid: pid_t, seconds: Double) -> Int32? {
        var status: Int32 = 0
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        return nil
    }

    /// 20 forks (at most 60 s) while a thread loops opening a device outside the configured
    /// group (port 1 on 127.0.0.1: its client is made under the lifecycle lock, then the
    /// connect is refused) and closing it. Each child: `SDF_HsmApiInit` (already initialised:
    /// 0), a device on the evsm, a session, `SDF_GenerateRandom`, close; it exits 0 when all
    /// of that worked. A child that deadlocks on the lifecycle lock is killed after 10 s.
    func testForkWhileAnotherThreadOpensDevices() throws {
        let stop = Atomic<Bool>(false)
        let rounds = Atomic<Int>(0)
        let looper = Thread {
            var ip = Array("127.0.0.1".utf8CString)
            while !stop.load(ordering: .relaxed) {
                var d: Handle?
                if SDF_OpenDevice(&d, &ip, 1) == HAR.ok { _ = SDF_CloseDevice(d) }
                rounds.add(1, ordering: .relaxed)
            }
        }
        looper.start()
        defer {
            stop.store(true, ordering: .relaxed)
            while !looper.isFinished { usleep(1000) }
        }
        while rounds.load(ordering: .relaxed) < 5 { usleep(1000) }

        var ip = Array("127.0.0.1".utf8CString)
        var cfg = Array("{[HOST1];host=127.0.0.1;port=\(port);}".utf8CString)
        var random = [CChar](repeating: 0, count: 64)
        let port = Int32(self.port)
        let start = Date()
        var forks = 0
        for i in 0..<20 where Date().timeIntervalSince(start) < 60 {
            let pid = fork()
            if pid == 0 {
                guard SDF_HsmApiInit(&cfg) == HAR.ok else { _exit(2) }
                var d: Handle?, s: Handle?
                guard SDF_OpenDevice(&d, &ip, port) == HAR.ok else { _exit(3) }
                guard SDF_OpenSession(d, &s) == HAR.ok else { _exit(4) }
                guard SDF_GenerateRandom(s, 8, &random) == HAR.ok, strlen(random) == 16 else { _exit(5) }
                _ = SDF_CloseSession(s)
                _ = SDF_CloseDevice(d)
                _exit(0)
            }
            XCTAssertGreaterThan(pid, 0, "fork failed")
            guard pid > 0 else { break }
            let status = exitStatus(pid, seconds: 10)
            XCTAssertEqual(status, 0, "fork \(i): nil hung; 2 init, 3 open device, 4 session, 5 command failed")
            guard status == 0 else { break }
            forks += 1
            usleep(UInt32.random(in: 0...3000))
        }
        XCTAssertEqual(forks, 20, "every child opened a device and sent a command")
    }
}

/// `posix_spawn` and `fork` + `exec` while another thread reads the vendor's configuration
/// file (`GetKeyValue`, as `SDF_HsmApiInit` does): the program started never holds the file
/// (it is opened close-on-exec).
final class TassCompatExecTests: XCTestCase {
    func testSpawnWhileTheConfigurationIsReadInheritsNoFile() throws {
        let dir = try TempDir()
        let file = try dir.write("CfgTassHsmApi.ini", "logpath=./\nlogsw=error\ntimeout=5\nmsgheadlen=0\nhost1=127.0.0.1\nport1=8018\n")
        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let wrong = Atomic<Int>(0)
        let reader = Thread {
            var path = Array(file.utf8CString)
            var key = Array("port1".utf8CString)
            var value = [CChar](repeating: 0, count: 128)
            while !stop.load(ordering: .relaxed) {
                if GetKeyValue(&path, &key, &value) != HAR.ok || String(cString: value) != "8018" { wrong.add(1, ordering: .relaxed) }
                reads.add(1, ordering: .relaxed)
            }
        }
        reader.start()
        defer {
            stop.store(true, ordering: .relaxed)
            while !reader.isFinished { usleep(1000) }
        }
        while reads.load(ordering: .relaxed) < 5 { usleep(1000) }
        var runs = 0
        let start = Date()
        for i in 0..<40 where Date().timeIntervalSince(start) < 60 {
            guard let listing = listChildDescriptors(spawn: i % 2 == 0) else {
                XCTFail("run \(i): the helper did not run")
                break
            }
            let inherited = descriptorTargets(listing).filter { $0.hasSuffix("CfgTassHsmApi.ini") }
            XCTAssertEqual(inherited, [], "run \(i): the started program holds the configuration file")
            if !inherited.isEmpty { break }
            runs += 1
        }
        XCTAssertEqual(runs, 40)
        XCTAssertEqual(wrong.load(ordering: .relaxed), 0, "every read found the key")
    }
}
