// What a consumer of the CACipherCore product sees with `import CACipherCore` alone:
// the HostProtocol types (re-exported) and CACipherError matchable by case. This file
// deliberately imports nothing else from the package.
import CACipherCore
import Foundation
import XCTest

final class PublicSurfaceTests: XCTestCase {
    func testHostProtocolTypesAreReachableThroughCACipherCore() {
        XCTAssertEqual(KeyType.zpk.description, "001")
        XCTAssertEqual(KeyType("402"), KeyType.cvk)
        XCTAssertEqual(HostErrorCode.verificationFailed.rawValue, 1)
        XCTAssertEqual(FrameCodec.maxBodyLength, 65_535)
    }

    func testCatchByCodePattern() {
        var caught = "none"
        do {
            _ = try CACipherClient.open(fileOrContent: "{[HOST1];host=127.0.0.1;port=x}")
        } catch CACipherError.timeout {
            caught = "timeout"
        } catch CACipherError.config {
            caught = "config"
        } catch {
            caught = "other \(error)"
        }
        XCTAssertEqual(caught, "config")
    }

    func testCatchWithCodeComparison() {
        func fails(_ c: CACipherError.Code) throws { throw CACipherError(c, "test") }
        var seen: [String] = []
        for c in [CACipherError.Code.timeout, .dmkMismatch, .connect] {
            do { try fails(c) }
            catch let e as CACipherError where e.code == .timeout { seen.append("timeout") }
            catch let e as CACipherError where e.code != .connect { seen.append("not-connect \(e.code)") }
            catch { seen.append("rest") }
        }
        XCTAssertEqual(seen, ["timeout", "not-connect -16", "rest"])
    }

    func testSwitchOnCodeAndLibraryCode() {
        let lib = CACipherError(.allMembersDown, "down")
        let hsm = CACipherError(hsm: 15, "HSM says 15")
        XCTAssertEqual(lib.libraryCode, .allMembersDown)
        XCTAssertNil(hsm.libraryCode, "an HSM code is not a library Code")
        XCTAssertTrue(hsm.isHSMError)
        func kind(_ e: CACipherError) -> String {
            switch e {
            case CACipherError.allMembersDown: return "down"
            case CACipherError.timeout: return "timeout"
            default: return e.isHSMError ? "hsm" : "other"
            }
        }
        XCTAssertEqual(kind(lib), "down")
        XCTAssertEqual(kind(hsm), "hsm")
        switch lib.code {
        case CACipherError.allMembersDown: break
        default: XCTFail("Int32 code did not match its Code case")
        }
        // A non-CACipherError never matches a code pattern.
        struct Other: Error {}
        XCTAssertFalse(CACipherError.Code.internal ~= (Other() as any Error))
    }

    func testEveryLibraryCodeHasAPattern() {
        let patterns: [(CACipherError.Code, CACipherError.Code)] = [
            (CACipherError.invalidArgument, .invalidArgument),
            (CACipherError.bufferTooSmall, .bufferTooSmall),
            (CACipherError.notInitialized, .notInitialized),
            (CACipherError.alreadyInitialized, .alreadyInitialized),
            (CACipherError.config, .config),
            (CACipherError.configFile, .configFile),
            (CACipherError.logSetup, .logSetup),
            (CACipherError.noMemory, .noMemory),
            (CACipherError.connect, .connect),
            (CACipherError.timeout, .timeout),
            (CACipherError.allMembersDown, .allMembersDown),
            (CACipherError.badFrame, .badFrame),
            (CACipherError.io, .io),
            (CACipherError.poolExhausted, .poolExhausted),
            (CACipherError.dmkMismatch, .dmkMismatch),
            (CACipherError.retryBudgetExhausted, .retryBudgetExhausted),
            (CACipherError.tls, .tls),
            (CACipherError.tlsVerify, .tlsVerify),
            (CACipherError.`internal`, .`internal`)
        ]
        XCTAssertEqual(Set(patterns.map(\.1)), Set(CACipherError.Code.allCases.filter { $0 != .ok }))
        for (p, c) in patterns {
            XCTAssertEqual(p, c)
            XCTAssertTrue(p ~= (CACipherError(c, "x") as any Error))
        }
    }

    /// Every `import Glibc` in Sources is guarded (`#if canImport(Glibc)`), and in the
    /// library targets (no Foundation there) followed by the Musl and Darwin alternatives,
    /// so the library compiles on macOS and musl.
    func testEveryGlibcImportIsGuarded() throws {
        // emulator/Tests/<target>/file; the library's Sources and the emulator package's
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var files: [(dir: URL, path: String)] = []
        for sources in [root.appendingPathComponent("Sources"), root.appendingPathComponent("emulator/Sources")] {
            files += try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
                .filter { $0.hasSuffix(".swift") }.map { (sources, $0) }
        }
        XCTAssertGreaterThan(files.count, 50)
        var importing = 0
        for (sources, f) in files {
            let lines = try String(contentsOfFile: sources.appendingPathComponent(f).path, encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.trimmingCharacters(in: .whitespaces) == "import Glibc" {
                importing += 1
                XCTAssertTrue(i > 0 && lines[i - 1].contains("#if canImport(Glibc)"), "\(f):\(i + 1): import Glibc without #if canImport(Glibc)")
                let library = ["CACipher/", "CACipherCore/", "TassCompat/", "HSMCrypto/", "HSMSecrets/", "HostProtocol/", "HSMNet/"].contains { f.hasPrefix($0) }
                if library {
                    let next = lines[(i + 1)...].prefix(4).joined(separator: "\n")
                    XCTAssertTrue(next.contains("#elseif canImport(Darwin)"), "\(f):\(i + 1): no Darwin alternative")
                }
            }
        }
        XCTAssertGreaterThan(importing, 20)
    }
}
