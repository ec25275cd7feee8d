import XCTest
import Foundation
import HostProtocol

/// The `evsm` executable as scripts use it: ready line, host port, header echo, SIGTERM.
final class EVSMExecutableTests: XCTestCase {
    /// `evsm` sits next to the test bundle in the build directory.
    var evsmPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("evsm").path
    }

    /// Starts evsm, waits (bounded) for `evsm listening on 127.0.0.1:PORT`, returns the port.
    func launch(_ args: [String]) throws -> (Process, Int) {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: evsmPath), "build the evsm product first")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: evsmPath)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let fd = out.fileHandleForReading.fileDescriptor
        var line: [UInt8] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 200) > 0 else { continue }
            var b: UInt8 = 0
            guard read(fd, &b, 1) == 1 else { break }
            if b == 0x0A { break }
            line.append(b)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("evsm listening on 127.0.0.1:"), let port = Int(text.split(separator: ":").last ?? "") else {
            p.terminate()
            p.waitUntilExit()
            throw NSError(domain: "evsm", code: 1, userInfo: [NSLocalizedDescriptionKey: "no ready line: \(text)"])
        }
        return (p, port)
    }

    func stop(_ p: Process) {
        kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning, Date() < deadline { usleep(50_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
    }

    func testReadyLineHeaderEchoAndCleanSIGTERM() throws {
        let (p, port) = try launch(["--port", "0", "--test-lmk", "--header-length", "2"])
        let c = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c.send(header: Array("HD".utf8), payload: Array("NC".utf8)))
        let body = try XCTUnwrap(c.readFrame())
        XCTAssertEqual(String(decoding: body.prefix(6), as: UTF8.self), "HDND00")
        XCTAssertEqual(String(decoding: body[6..<22], as: UTF8.self), "08D7B4FB629D0885")
        stop(p)
        XCTAssertEqual(p.terminationReason, .exit)
        XCTAssertEqual(p.terminationStatus, 0)
    }

    func testStateDirectoryFactoryFreshDevice() throws {
        let dir = NSTemporaryDirectory() + "evsm-exe-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (p, port) = try launch(["--port", "0", "--state", dir])
        defer { stop(p) }
        let c = try XCTUnwrap(LoopbackClient(port: port))
        XCTAssertTrue(c.send(payload: Array("CR0008".utf8)))
        XCTAssertEqual(String(decoding: try XCTUnwrap(c.readFrame()), as: UTF8.self), "CS13")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/device.key"))
    }

    func testBadOptionsAreRefused() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: evsmPath)
        p.arguments = ["--header-length", "99"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertNotEqual(p.terminationStatus, 0)
    }
}
