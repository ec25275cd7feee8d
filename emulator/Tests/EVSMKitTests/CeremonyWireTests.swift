import Foundation
import HSMCrypto
import ManagementProtocol
import XCTest

/// The typed management protocol sends the bytes the operator's tools and the device have
/// always sent: each request and answer is compared with the dictionary the old code built
/// (kept here as it was) and with a golden JSON text.
final class CeremonyWireTests: XCTestCase {
    let set = AuthorisationSet(setID: "0011223344556677", threshold: 2, count: 3,
                               verifier: [0xAA, 0xAA, 0xAA, 0xAA], salt: [0x01, 0x02])
    var share: AuthorisationShare { AuthorisationShare(set: set, x: 1, y: [0x10, 0x11]) }
    var component: DMKComponent {
        DMKComponent(ceremonyID: "00112233445566AA", index: 1, count: 2, checkValue: "0123456789ABCDEF",
                     bytes: (0x20...0x2F).map { UInt8($0) })
    }
    let setJSON = #"{"count":3,"salt":"0102","setID":"0011223344556677","threshold":2,"verifier":"AAAAAAAA"}"#

    /// The JSON part of a frame and its secret part.
    func parts(_ m: ManagementMessage) throws -> (json: String, secrets: [UInt8]) {
        let frame = try m.encode()
        let j = Int(frame[4]) << 24 | Int(frame[5]) << 16 | Int(frame[6]) << 8 | Int(frame[7])
        return (String(decoding: frame[8..<8 + j], as: UTF8.self), Array(frame[(8 + j)...]))
    }

    func assertWire(_ typed: ManagementMessage, _ old: ManagementMessage, _ golden: String, secrets: [UInt8] = [],
                    file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try typed.encode(), try old.encode(), "typed and old encodings differ", file: file, line: line)
        let p = try parts(typed)
        XCTAssertEqual(p.json, golden, file: file, line: line)
        XCTAssertEqual(p.secrets, secrets, file: file, line: line)
    }

    func testRequestsAreByteIdenticalToTheOldEncoding() throws {
        for (req, name) in [(ManagementRequest.status, "status"), (.dmkCheckValue, "dmk-check-value"),
                            (.recoverCombine, "recover-combine"), (.initCommit, "init-commit"),
                            (.recoverCommit, "recover-commit"), (.initAbort, "init-abort"), (.recoverAbort, "recover-abort")] {
            try assertWire(req.message(), ManagementMessage(["op": name]), #"{"op":""# + name + #""}"#)
        }

        // What ManagementOperator built before the typed requests.
        var oldInit = ManagementMessage(["op": "init-original", "components": 2, "threshold": 2, "shares": 3,
                                         "confirmErase": true, "twoPhase": true])
        oldInit["authorising"] = [share].map { oldInit.encode(share: $0) }
        try assertWire(ManagementRequest.initOriginal(components: 2, threshold: 2, shares: 3, confirmErase: true,
                                                      authorising: [share]).message(), oldInit,
                       #"{"authorising":[{"secret":[0,2],"set":"# + setJSON + #","x":1}],"components":2,"confirmErase":true,"op":"init-original","shares":3,"threshold":2,"twoPhase":true}"#,
                       secrets: [0x10, 0x11])

        var oldBegin = ManagementMessage(["op": "recover-begin", "components": 3, "confirmErase": false])
        oldBegin["authorising"] = [AuthorisationShare]().map { oldBegin.encode(share: $0) }
        try assertWire(ManagementRequest.recoverBegin(components: 3, confirmErase: false, authorising: []).message(), oldBegin,
                       #"{"authorising":[],"components":3,"confirmErase":false,"op":"recover-begin"}"#)

        var oldImport = ManagementMessage(["op": "recover-import"])
        oldImport["component"] = oldImport.encode(component: component)
        try assertWire(ManagementRequest.recoverImport(component).message(), oldImport,
                       #"{"component":{"ceremonyID":"00112233445566AA","checkValue":"0123456789ABCDEF","count":2,"index":1,"secret":[0,16]},"op":"recover-import"}"#,
                       secrets: (0x20...0x2F).map { UInt8($0) })

        var oldSync = ManagementMessage(["op": "recover-sync-auth"])
        oldSync["share"] = oldSync.encode(share: share)
        try assertWire(ManagementRequest.recoverSyncAuth(share).message(), oldSync,
                       #"{"op":"recover-sync-auth","share":{"secret":[0,2],"set":"# + setJSON + #","x":1}}"#, secrets: [0x10, 0x11])

        try assertWire(ManagementRequest.recoverNewAuth(threshold: 2, shares: 3).message(),
                       ManagementMessage(["op": "recover-new-auth", "threshold": 2, "shares": 3, "twoPhase": true]),
                       #"{"op":"recover-new-auth","shares":3,"threshold":2,"twoPhase":true}"#)
    }

    func testAnswersAreByteIdenticalToTheOldEncoding() throws {
        // What ManagementConnection built before the typed answers.
        try assertWire(ManagementResponse.status(initialised: true, busy: false, dmkCheckValue: "0123456789ABCDEF",
                                                 authorisation: AuthorisationSummary(setID: "0011223344556677", threshold: 2, count: 3),
                                                 step: nil).message(),
                       .ok(["initialised": true, "busy": false, "dmkCheckValue": "0123456789ABCDEF",
                            "authorisation": ["setID": "0011223344556677", "threshold": 2, "count": 3]]),
                       #"{"authorisation":{"count":3,"setID":"0011223344556677","threshold":2},"busy":false,"dmkCheckValue":"0123456789ABCDEF","initialised":true,"ok":true}"#)
        // Not initialised: no check value even if one is known.
        try assertWire(ManagementResponse.status(initialised: false, busy: true, dmkCheckValue: "X", authorisation: nil,
                                                 step: "recovery").message(),
                       .ok(["initialised": false, "busy": true, "step": "recovery"]),
                       #"{"busy":true,"initialised":false,"ok":true,"step":"recovery"}"#)

        var oldPrepared = ManagementMessage.ok(["ceremonyID": "00112233445566AA", "dmkCheckValue": "0123456789ABCDEF",
                                                "authorisation": ManagementMessage.encode(set: set), "pending": true, "session": "S1"])
        let comps = [component].map { oldPrepared.encode(component: $0) }
        let shares = [share].map { oldPrepared.encode(share: $0) }
        oldPrepared["components"] = comps
        oldPrepared["shares"] = shares
        let typed = ManagementResponse.originalPrepared(ceremonyID: "00112233445566AA", dmkCheckValue: "0123456789ABCDEF",
                                                         authorisation: set, session: "S1", components: [component], shares: [share]).message()
        try assertWire(typed, oldPrepared,
                       #"{"authorisation":"# + setJSON + #","ceremonyID":"00112233445566AA","components":[{"ceremonyID":"00112233445566AA","checkValue":"0123456789ABCDEF","count":2,"index":1,"secret":[0,16]}],"dmkCheckValue":"0123456789ABCDEF","ok":true,"pending":true,"session":"S1","shares":[{"secret":[16,2],"set":"# + setJSON + #","x":1}]}"#,
                       secrets: (0x20...0x2F).map { UInt8($0) } + [0x10, 0x11])

        try assertWire(ManagementResponse.committed(dmkCheckValue: "0123456789ABCDEF", authorisation: set, ceremonyID: nil).message(),
                       .ok(["dmkCheckValue": "0123456789ABCDEF", "authorisation": ManagementMessage.encode(set: set)]),
                       #"{"authorisation":"# + setJSON + #","dmkCheckValue":"0123456789ABCDEF","ok":true}"#)
        try assertWire(ManagementResponse.componentImported(imported: 1, of: 2).message(), .ok(["imported": 1, "of": 2]),
                       #"{"imported":1,"of":2,"ok":true}"#)
        try assertWire(ManagementResponse.recoveryBegun(session: "S2", components: 3).message(), .ok(["session": "S2", "components": 3]),
                       #"{"components":3,"ok":true,"session":"S2"}"#)
        try assertWire(ManagementResponse.aborted.message(), .ok(), #"{"ok":true}"#)
        let e = CeremonyError(.noSession, "no ceremony session in progress on this connection")
        try assertWire(ManagementResponse.failure(e).message(), .failure(e),
                       #"{"code":"no-session","message":"no ceremony session in progress on this connection","ok":false}"#)
    }

    func testRequestsDecodeToTheirCase() throws {
        for req in [ManagementRequest.status, .dmkCheckValue, .recoverCombine, .initCommit, .recoverCommit, .initAbort, .recoverAbort,
                    .initOriginal(components: 2, threshold: 2, shares: 3, confirmErase: true, authorising: [share]),
                    .recoverBegin(components: 3, confirmErase: false, authorising: []), .recoverImport(component),
                    .recoverSyncAuth(share), .recoverNewAuth(threshold: 1, shares: 1)] {
            let body = Array(try req.message().encode().dropFirst(4))
            let back = try ManagementRequest(decoding: try ManagementMessage.decode(body: body))
            XCTAssertEqual(back.op, req.op)
            XCTAssertEqual(try back.message().encode(), try req.message().encode(), "\(req.op)")
        }
        guard case let .recoverImport(c) = try ManagementRequest(decoding: ManagementRequest.recoverImport(component).message()) else {
            return XCTFail("not an import")
        }
        XCTAssertEqual(c.bytes, component.bytes)
        XCTAssertEqual(ManagementOp.allCases.count, 12)
        XCTAssertEqual(Set(ManagementOp.allCases.map(\.rawValue)).count, 12)
    }

    func testMalformedRequestsGetTheDevicesMessages() {
        func message(_ m: ManagementMessage) -> String? {
            do { _ = try ManagementRequest(decoding: m); return nil } catch let e as CeremonyError {
                XCTAssertEqual(e.code, .badRequest)
                return e.message
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message(ManagementMessage(["nothing": 1])), "request without op")
        XCTAssertEqual(message(ManagementMessage(["op": String(repeating: "x", count: 50)])),
                       "unknown management operation '\(String(repeating: "x", count: 40))'")
        XCTAssertEqual(message(ManagementMessage(["op": "init-original", "components": "x"])),
                       "init-original needs components, threshold and shares")
        XCTAssertEqual(message(ManagementMessage(["op": "init-original", "components": 2, "threshold": 1, "shares": 1])),
                       "init-original needs \"twoPhase\": true: the device installs nothing until init-commit (a tool that does not send it is too old)")
        XCTAssertEqual(message(ManagementMessage(["op": "recover-new-auth", "threshold": 1, "shares": 1])),
                       "recover-new-auth needs \"twoPhase\": true: the device installs nothing until recover-commit (a tool that does not send it is too old)")
        XCTAssertEqual(message(ManagementMessage(["op": "recover-begin", "components": 2, "authorising": [["x": 1]]])),
                       "malformed authorising shares")
        XCTAssertEqual(message(ManagementMessage(["op": "recover-import", "component": ["secret": [5, 900]]])), "malformed component")
        XCTAssertEqual(message(ManagementMessage(["op": "recover-sync-auth"])), "malformed authorisation share")
        XCTAssertEqual(message(ManagementMessage(["op": "recover-begin"])), "recover-begin needs components")
    }

    func testPreparedAnswerDecodingNamesTheBadPart() throws {
        let good = ManagementResponse.originalPrepared(ceremonyID: "C", dmkCheckValue: "V", authorisation: set, session: "S",
                                                       components: [component], shares: [share]).message()
        let p = try ManagementResponse.originalPrepared(good, components: 1, shares: 1)
        XCTAssertEqual(p.components.first?.bytes, component.bytes)
        XCTAssertEqual(p.shares.first?.y, share.y)
        XCTAssertThrowsError(try ManagementResponse.originalPrepared(good, components: 2, shares: 1)) {
            XCTAssertEqual($0 as? ManagementResponse.Malformed, .answer)
        }
        var badComponent = component
        badComponent.index = 2
        let wrongIndex = ManagementResponse.originalPrepared(ceremonyID: "C", dmkCheckValue: "V", authorisation: set, session: "S",
                                                             components: [badComponent], shares: [share]).message()
        XCTAssertThrowsError(try ManagementResponse.originalPrepared(wrongIndex, components: 1, shares: 1)) {
            XCTAssertEqual($0 as? ManagementResponse.Malformed, .component(0))
        }
        var badShare = share
        badShare.x = 3
        let newAuth = ManagementResponse.newAuthorisationPrepared(dmkCheckValue: "V", authorisation: set, shares: [share, badShare]).message()
        XCTAssertThrowsError(try ManagementResponse.newAuthorisationPrepared(newAuth, shares: 2)) {
            XCTAssertEqual($0 as? ManagementResponse.Malformed, .share(1))
        }
    }

    func testLimits() {
        XCTAssertTrue(ManagementLimits.isAllowedScheme(threshold: 2, count: 3))
        XCTAssertTrue(ManagementLimits.isAllowedScheme(threshold: 9, count: 9))
        XCTAssertFalse(ManagementLimits.isAllowedScheme(threshold: 0, count: 3))
        XCTAssertFalse(ManagementLimits.isAllowedScheme(threshold: 4, count: 3))
        XCTAssertFalse(ManagementLimits.isAllowedScheme(threshold: 1, count: 10))
        XCTAssertFalse(ManagementLimits.isAllowedScheme(threshold: 1, count: 0))
        XCTAssertEqual(ManagementMessage.maxFrame, 1 << 20)
        XCTAssertEqual(ManagementLimits.componentCount, 2...9)
    }
}
