// The host-command frame rules of both host ports, in one place: the SwiftNIO plain port
// (`HostFrameDecoder` + `HostConnectionHandler`) and the blocking TLS port (`HostTLSServer`)
// both ask `HostFrameRules` what to read of a frame and `HostFrameResponder` what to answer.
//
// - a zero-length frame: nothing to answer, the connection is closed;
// - a frame longer than the limit (`ServerLimits.maxFrameLength`): answered with error 80
//   (header and command code of its first bytes, where present) and skipped, so the
//   connection stays in step;
// - a body `HostRequest` cannot parse: answered with the device's error reply (15);
// - any other body: `Device.handle`.
import EVSMKit
import HostProtocol

/// What to read of a frame, from its 2-byte length.
struct HostFrameRules: Sendable, Equatable {
    /// Largest body answered (at most `FrameCodec.maxBodyLength`).
    let limit: Int
    let headerLength: Int

    init(limit: Int, headerLength: Int) {
        self.limit = max(1, min(limit, FrameCodec.maxBodyLength))
        self.headerLength = headerLength
    }

    enum Plan: Equatable {
        /// A zero-length frame.
        case empty
        /// A request of `length` body bytes: read them.
        case request(length: Int)
        /// Over the limit: read its first `prefix` bytes, skip all `length` (prefix included).
        case oversize(prefix: Int, length: Int)
    }

    /// The plan for a frame whose prefix announced `length` body bytes.
    func plan(length: Int) -> Plan {
        if length == 0 { return .empty }
        if length > limit { return .oversize(prefix: min(length, headerLength + 2), length: length) }
        return .request(length: length)
    }
}

/// What a host port read from a frame (the decoder's output).
enum HostFrame {
    /// A complete request body (header, command, fields).
    case request([UInt8])
    /// A frame longer than the limit: its first bytes (header + command, where present).
    /// The rest of the frame is skipped, so the connection stays in step.
    case oversize(prefix: [UInt8])
    /// A zero-length frame: nothing to answer; the connection is closed.
    case empty
}

/// Turns a frame into the reply frame both host ports send (or the decision to close).
struct HostFrameResponder: Sendable {
    let device: Device
    let headerLength: Int

    enum Action {
        /// Send these bytes (a whole reply frame, length prefix included).
        case reply([UInt8])
        /// Send nothing and close the connection, for `reason`.
        case close(reason: String)
    }

    /// Why `frame` closes the connection unanswered (an empty frame), or nil.
    static func closeReason(for frame: HostFrame) -> String? {
        if case .empty = frame { return "empty frame" }
        return nil
    }

    /// The answer to `frame`; a request runs `Device.handle` on the calling thread.
    func respond(to frame: HostFrame) -> Action {
        switch frame {
        case .empty:
            return .close(reason: Self.closeReason(for: frame) ?? "empty frame")
        case let .oversize(prefix):
            let rsp = Device.errorBody(for: prefix, headerLength: headerLength)
            return .reply(Self.frame(HostResponse(header: rsp.header, code: rsp.code, error: .lengthError, fields: [])))
        case let .request(body):
            let rsp: HostResponse
            do {
                rsp = device.handle(try HostRequest(body: body, headerLength: headerLength))
            } catch {
                rsp = Device.errorBody(for: body, headerLength: headerLength)
            }
            return .reply(Self.frame(rsp))
        }
    }

    /// Whether answering `frame` may block its thread for long (`Device.mayBlock`).
    func mayBlock(_ frame: HostFrame) -> Bool {
        if case let .request(body) = frame { return device.mayBlock(body: body, headerLength: headerLength) }
        return false
    }

    /// The reply frame to a request or oversize frame (none, `[]`, to an empty one).
    func reply(to frame: HostFrame) -> [UInt8] {
        if case .reply(let bytes) = respond(to: frame) { return bytes }
        return []
    }

    /// A whole reply frame; a reply too long for the 2-byte length becomes error 80.
    static func frame(_ rsp: HostResponse) -> [UInt8] {
        var body: [UInt8] = []
        rsp.encodeBody(into: &body)
        var out: [UInt8] = []
        do {
            try FrameCodec.encode(header: [UInt8](), payload: body, into: &out)
        } catch {
            out.removeAll()
            var short: [UInt8] = []
            HostResponse(header: rsp.header, code: rsp.code, error: .lengthError, fields: []).encodeBody(into: &short)
            try? FrameCodec.encode(header: [UInt8](), payload: short, into: &out)
        }
        return out
    }
}
