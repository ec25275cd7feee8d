import HSMNet
import XCTest
@testable import CACipherCore
import HostProtocol

/// A byte stream that answers every request with a scripted reply frame (whole, or in two
/// pieces) and records what was sent.
private final class ScriptedStream: ByteStream {
    var reply: [UInt8]
    private var pending: [UInt8] = []
    private(set) var sent: [UInt8] = []

    init(reply: [UInt8]) { self.reply = reply }

    func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws {
        sent.append(contentsOf: bytes)
        pending = reply
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int {
        guard !pending.isEmpty else { throw TransportFailure(.io, "closed", notSent: false) }
        let n = min(buffer.count, max(1, pending.count / 2))   // at least two reads per reply
        for i in 0..<n { buffer[i] = pending[i] }
        pending.removeFirst(n)
        return n
    }

    func isStale() -> Bool { false }
    func close() {}
    func abandon() {}
}

/// Clear PINs do not stay in a pooled connection's buffers after the exchange
/// (docs/hardening.md, "Secrets").
final class HardeningSecretsTests: XCTestCase {
    private func frame(_ s: String) -> [UInt8] {
        let b = Array(s.utf8)
        return [UInt8(b.count >> 8), UInt8(b.count & 0xFF)] + b
    }

    private func contains(_ hay: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard hay.count >= n.count else { return false }
        return (0...(hay.count - n.count)).contains { Array(hay[$0..<($0 + n.count)]) == n }
    }

    func testDecryptedPINIsNotLeftInTheReplyBuffer() throws {
        let stream = ScriptedStream(reply: frame("NH00918273"))
        let c = Connection(stream: stream, headerLength: 0, maxReplyLength: 65_535, pooled: true, generation: 0)
        let r = try c.exchange(Array("NG9876543210980123456789ABCDEF".utf8), command: CommandCode("NG"), timeoutMs: 1000).bytes
        XCTAssertEqual(String(decoding: r, as: UTF8.self), "NH00918273")   // the caller gets it ...
        XCTAssertFalse(contains(c.inBuffer, "918273"), "clear PIN left in the connection's reply buffer")
        XCTAssertTrue(c.inBuffer.allSatisfy { $0 == 0 })
    }

    func testClearPINIsNotLeftInTheRequestBuffer() throws {
        let stream = ScriptedStream(reply: frame("00BB000123456789ABCDEF"))   // header "00" echoed
        let c = Connection(stream: stream, headerLength: 2, maxReplyLength: 65_535, pooled: true, generation: 0)
        _ = try c.exchange(Array("BA55443F987654321098".utf8), command: CommandCode("BA"), timeoutMs: 1000)
        XCTAssertTrue(contains(stream.sent, "BA55443F"))                    // ... it went on the wire ...
        XCTAssertFalse(contains(c.outBuffer, "55443"), "clear PIN left in the connection's request buffer")
        XCTAssertTrue(c.outBuffer.allSatisfy { $0 == 0 })
    }

    func testBuffersAreZeroedWhenTheReplyIsMalformed() throws {
        // a reply with a response code that does not answer NG: a bad frame, but the PIN
        // it carried is wiped too
        let stream = ScriptedStream(reply: frame("ZZ00918273"))
        let c = Connection(stream: stream, headerLength: 0, maxReplyLength: 65_535, pooled: true, generation: 0)
        XCTAssertThrowsError(try c.exchange(Array("NG9876543210980123456789ABCDEF".utf8), command: CommandCode("NG"), timeoutMs: 1000))
        XCTAssertTrue(c.broken)
        XCTAssertFalse(contains(c.inBuffer, "918273"))
        XCTAssertFalse(contains(c.outBuffer, "0123456789ABCDEF"))
    }
}
