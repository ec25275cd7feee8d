import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HostProtocol

// Reading a member's DMK check value: `NC`, its reply checked by the connection and its
// check value decoded by the shared codec (`DeviceInfoResponse`'s first field). The guard
// that acts on the answer is `admit` (HostGroup+Health.swift).
extension GroupCore {
    static let ncPayload: [UInt8] = Array(DeviceInfoRequest.command.description.utf8)

    /// What a member answered to `NC`.
    enum NCAnswer {
        case checkValue(String)
        case hsmError(HostErrorCode)
    }

    /// Sends `NC` on `conn` and reads the DMK check value from the reply: the first field
    /// of the shared `ND` layout (`DeviceInfoResponse`: check value 16H, then version and
    /// serial, which the guard does not need, so a device that sends them short still
    /// passes), decoded by the shared `FieldReader`.
    func readDMK(on conn: Connection, timeoutMs: Int, hedgeAt: Deadline? = nil, onSlow: () -> Void = {}) throws -> NCAnswer {
        let reply = try conn.exchange(GroupCore.ncPayload, command: DeviceInfoRequest.command, timeoutMs: timeoutMs,
                                      hedgeAt: hedgeAt, onSlow: onSlow)
        guard reply.code == .ok else { return .hsmError(reply.code) }
        var reader = FieldReader(reply.fields)
        guard let checkValue = try? reader.hexBytes(16, "check value") else {
            throw TransportFailure(.badFrame, "NC reply has no 16-hex DMK check value", notSent: false)
        }
        // A device without a DMK answers NC with sixteen zeros: it is not initialised, and
        // must never define the group's value.
        guard checkValue != DeviceInfoResponse.noDMKCheckValue else { return .hsmError(.notInitialised) }
        var text: [UInt8] = []
        Hex.encode(checkValue, into: &text)
        return .checkValue(String(decoding: text, as: UTF8.self))
    }
}
