import HSMNet
import HostProtocol

/// A reply the connection has checked (`HostResponse.check`): it echoes the header sent,
/// its response code answers the command sent, and its error code is two digits, parsed
/// once here. The typed layer reads `code` and `fields` without parsing the header again.
package struct CheckedReply: Sendable {
    /// The HSM's error code (`ERR`), whatever it is: HSM errors are replies, not failures.
    package let code: HostErrorCode
    /// The reply from the response code on (`RSP ERR FIELDS`), as `transmit` returns it.
    package var bytes: [UInt8]

    package init(code: HostErrorCode, bytes: [UInt8]) {
        self.code = code
        self.bytes = bytes
    }

    /// The fields after the error code.
    package var fields: ArraySlice<UInt8> { bytes[4...] }
}
