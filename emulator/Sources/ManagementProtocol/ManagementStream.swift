// Management frames over a blocking TLS stream (both ends: the device's listener and the
// operator's client): one length-prefixed message per frame (`ManagementMessage`).
import HSMCrypto
import HSMNet

extension BlockingTLSStream {
    /// Reads one management frame; nil when the peer closed cleanly before a frame.
    public func readMessage() throws -> ManagementMessage? {
        let prefix: [UInt8]
        deadline?.awaitFrame()
        do { prefix = try readExactly(4) } catch let e as TLSStreamError where e.message == "connection closed" { return nil }
        guard let n = ManagementMessage.frameLength(prefix) else { throw TLSStreamError("bad management frame length") }
        var body = try readExactly(n)
        defer { SecureBytes.wipe(&body) }
        return try ManagementMessage.decode(body: body)
    }

    /// Writes one management frame (the encoded bytes are wiped after the write).
    public func writeMessage(_ m: ManagementMessage) throws {
        var frame = try m.encode()
        defer { SecureBytes.wipe(&frame) }
        try writeAll(frame)
    }
}
