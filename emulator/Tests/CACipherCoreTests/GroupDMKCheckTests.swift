import Foundation
import XCTest
@testable import CACipherCore
import HostProtocol

/// The group's DMK check reads the first field of the shared `ND` layout
/// (`DeviceInfoResponse`), decoded by the shared codec.
final class GroupDMKCheckTests: XCTestCase {
    private func group(_ peer: ScriptedPeer, pinned: String) -> HostGroup {
        var h = HostConfig(section: "HOST1", host: "127.0.0.1", port: Int(peer.port))
        h.linkNum = -1
        h.connTimeoutMs = 2000
        h.readTimeoutMs = 2000
        return HostGroup(hosts: [h], log: .off, options: GroupTest.options { $0.expectedDMKCheckValue = pinned })
    }

    /// A device that answers `NC` with the check value only (no version, no serial), in
    /// lower case, still passes: the guard needs the check value, which compares upper case.
    func testTheCheckValueAloneIsEnough() throws {
        let peer = try ScriptedPeer { c in
            guard c.readFrame() != nil else { return }
            c.write(Array("ND000123456789abcdef".utf8))
            guard c.readFrame() != nil else { return }
            c.write(GroupTest.reply("x"))
            c.waitForRelease()
        }
        defer { peer.close() }
        let g = group(peer, pinned: "0123456789ABCDEF")
        defer { g.shutdown() }
        XCTAssertEqual(try g.transmit(GroupTest.echo("x")), GroupTest.reply("x"))
        let st = g.memberStatus()[0]
        XCTAssertEqual(st.state, .up)
        XCTAssertEqual(st.dmkCheckValue, "0123456789ABCDEF")
        XCTAssertEqual(peer.commands, ["NC", "XE"])
    }

    /// Sixteen zeros (`DeviceInfoResponse.noDMKCheckValue`): a device without a DMK is kept
    /// out as not initialised, and the command is never sent to it.
    func testAllZeroCheckValueIsNotInitialised() throws {
        let peer = try ScriptedPeer { c in
            guard c.readFrame() != nil else { return }
            c.write(Array("ND000000000000000000".utf8) + Array("NO-DMK".utf8).padded(to: 24) + Array("SN0000000003".utf8))
            c.waitForRelease()
        }
        defer { peer.close() }
        let g = group(peer, pinned: "0123456789ABCDEF")
        defer { g.shutdown() }
        XCTAssertThrowsError(try g.transmit(GroupTest.echo("x"))) { e in
            XCTAssertEqual((e as? CACipherError)?.code, CACipherError.Code.dmkMismatch.rawValue, "\(e)")
        }
        XCTAssertEqual(g.memberStatus()[0].state, .notInitialized)
        XCTAssertEqual(peer.commands.first, "NC")
        XCTAssertFalse(peer.commands.contains("XE"), "the command never went to a device without a DMK")
    }
}
