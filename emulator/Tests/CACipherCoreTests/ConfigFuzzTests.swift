import XCTest
@testable import CACipherCore
import HostProtocol

/// Bounded property test: random and mutated configurations never crash or hang the
/// parser; every input either parses into a configuration that satisfies the documented
/// ranges, or fails with a `CACipherError` (.config) carrying a message.
final class ConfigFuzzTests: XCTestCase {
    static let seed: UInt64 = 0xCAC1_F3E2_2026_1129
    static let iterations = 4000

    static let keys = ["hsmModel", "host", "port", "linkNum", "timeout", "connTimeout", "readTimeout",
                       "socketProtocol", "msgheadlength", "msgheadlen", "encodetype", "protocol", "tlsCAFile",
                       "tlsVerify", "logsw", "logPath", "LOGSW", "Port", "junk", ""]
    static let values = ["127.0.0.1", "8018", "-15", "0", "5", "0.5", "-1", "65536", "TCP", "TLSv1.2", "SSL",
                         "error,info", "trace", "nope", "", "1e9", "99999999999999999999", "a;b", "  ", "./",
                         "SJJ1310", "=", "[", "]", "{", "}", "\u{FEFF}", "\r", "\u{0}", "é", "🔑"]
    static let sections = ["[LOGGER]", "[HOST1]", "[HOST 2]", "[host3]", "[HOST5]", "[HOST]", "[", "[]", "[X]",
                           "[HOST1", "HOST1]", "# comment"]

    func line(_ r: inout SplitMix64) -> String {
        switch Int.random(in: 0..<10, using: &r) {
        case 0..<2: return Self.sections.randomElement(using: &r) ?? ""
        case 2: return ""
        default:
            let k = Self.keys.randomElement(using: &r) ?? ""
            let v = Self.values.randomElement(using: &r) ?? ""
            return Bool.random(using: &r) ? "\(k)=\(v)" : " \(k) = \(v)\t"
        }
    }

    func randomConfig(_ r: inout SplitMix64) -> String {
        let n = Int.random(in: 0..<14, using: &r)
        let lines = (0..<n).map { _ in line(&r) }
        switch Int.random(in: 0..<3, using: &r) {
        case 0: return "{" + lines.joined(separator: ";") + (Bool.random(using: &r) ? "}" : "")
        case 1: return lines.joined(separator: "\r\n")
        default: return lines.joined(separator: "\n")
        }
    }

    func mutate(_ text: String, _ r: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &r) {
            switch Int.random(in: 0..<5, using: &r) {
            case 0 where !bytes.isEmpty: bytes[Int.random(in: 0..<bytes.count, using: &r)] = UInt8.random(in: 0...255, using: &r)
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &r), at: Int.random(in: 0...bytes.count, using: &r))
            case 2 where !bytes.isEmpty: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &r))
            case 3 where !bytes.isEmpty: bytes.removeLast(Int.random(in: 0...bytes.count, using: &r))
            case 4:
                let special: [UInt8] = [0x3B, 0x3D, 0x5B, 0x5D, 0x7B, 0x7D, 0x0A, 0x0D, 0x23, 0x2C, 0x00]
                bytes.insert(special[Int.random(in: 0..<special.count, using: &r)], at: Int.random(in: 0...bytes.count, using: &r))
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func check(_ text: String, _ i: Int) {
        do {
            let c = try ConfigParser.parse(content: text)
            XCTAssertFalse(c.hosts.isEmpty, "iteration \(i): parsed without hosts")
            for h in c.hosts {
                XCTAssertTrue((1...65535).contains(h.port), "iteration \(i)")
                XCTAssertTrue(abs(h.linkNum) <= 1000, "iteration \(i)")  // 0: short connections
                XCTAssertTrue(h.connTimeoutMs > 0 && h.readTimeoutMs > 0, "iteration \(i)")
                XCTAssertTrue((0...FrameCodec.maxHeaderLength).contains(h.headerLength), "iteration \(i)")
                XCTAssertFalse(h.host.isEmpty, "iteration \(i)")
                XCTAssertLessThanOrEqual(h.host.utf8.count, 255, "iteration \(i)")
                XCTAssertLessThanOrEqual(h.hsmModel.utf8.count, 31, "iteration \(i)")
            }
        } catch let e as CACipherError {
            XCTAssertEqual(e.code, CACipherError.Code.config.rawValue, "iteration \(i): \(e)")
            XCTAssertFalse(e.message.isEmpty, "iteration \(i)")
        } catch {
            XCTFail("iteration \(i): non-CACipherError \(error)")
        }
    }

    func testRandomAndMutatedConfigurations() {
        print("ConfigFuzzTests seed: 0x\(String(Self.seed, radix: 16)), \(Self.iterations) iterations")
        var r = SplitMix64(state: Self.seed)
        var parsed = 0
        let corpus = [ConfigFixtures.seedFile, ConfigFixtures.seedString, ConfigFixtures.specNoBrace]
        for i in 0..<Self.iterations {
            let text: String
            switch i % 3 {
            case 0: text = randomConfig(&r)
            case 1: text = mutate(corpus[Int.random(in: 0..<corpus.count, using: &r)], &r)
            default: text = mutate(randomConfig(&r), &r)
            }
            if (try? ConfigParser.parse(content: text)) != nil { parsed += 1 }
            check(text, i)
        }
        // The generator must reach both outcomes, or it tests nothing.
        XCTAssertGreaterThan(parsed, 0)
        XCTAssertLessThan(parsed, Self.iterations)
        print("ConfigFuzzTests: \(parsed) of \(Self.iterations) inputs parsed")
    }
}
