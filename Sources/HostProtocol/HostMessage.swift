/// A decoded request body (what follows the length prefix).
public struct HostRequest: Sendable {
    /// The message header as received (echoed in the reply).
    public var header: [UInt8]
    public var command: CommandCode
    /// The fields after the command code.
    public var fields: ArraySlice<UInt8>

    public init(header: [UInt8], command: CommandCode, fields: ArraySlice<UInt8>) {
        self.header = header
        self.command = command
        self.fields = fields
    }

    /// Parses a request body whose header is `headerLength` bytes.
    public init<B: Collection>(body: B, headerLength: Int) throws where B.Element == UInt8 {
        let bytes = Array(body)
        guard bytes.count >= headerLength + 2 else {
            throw FrameError.truncated(expected: headerLength + 2, got: bytes.count)
        }
        guard let code = CommandCode(wire: bytes[headerLength], bytes[headerLength + 1]) else {
            throw FrameError.badCommandCode
        }
        self.header = Array(bytes[0..<headerLength])
        self.command = code
        self.fields = bytes[(headerLength + 2)...]
    }
}

/// A decoded reply body: echoed header, response code, error code, fields.
public struct HostResponse: Sendable {
    public var header: [UInt8]
    public var code: CommandCode
    public var error: HostErrorCode
    public var fields: ArraySlice<UInt8>

    public init(header: [UInt8], code: CommandCode, error: HostErrorCode, fields: ArraySlice<UInt8>) {
        self.header = header
        self.code = code
        self.error = error
        self.fields = fields
    }

    /// Parses a reply body and checks that it answers `command` with the `header` sent.
    public init<B: Collection>(body: B, header: [UInt8], answering command: CommandCode) throws
    where B.Element == UInt8 {
        let bytes = Array(body)
        let h = header.count
        let err = try HostResponse.check(body: bytes[...], header: header, answering: command)
        self.header = header
        self.code = command.responseCode
        self.error = err
        self.fields = bytes[(h + 4)...]
    }

    /// The checks of `init(body:header:answering:)` without building a response (no copy
    /// of the body): the header is echoed, the response code answers `command`, the error
    /// code is two digits. Returns the error code.
    public static func check(body bytes: ArraySlice<UInt8>, header: [UInt8], answering command: CommandCode) throws
        -> HostErrorCode {
        let h = header.count
        let s = bytes.startIndex
        guard bytes.count >= h + 4 else { throw FrameError.truncated(expected: h + 4, got: bytes.count) }
        guard bytes[s..<(s + h)].elementsEqual(header) else { throw FrameError.headerMismatch }
        let expected = command.responseCode
        guard bytes[s + h] == expected.first, bytes[s + h + 1] == expected.second else {
            let got = String(decoding: bytes[(s + h)..<(s + h + 2)].map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw FrameError.unexpectedResponseCode(expected: expected.description, got: got)
        }
        guard let err = HostResponse.parseErrorCode(bytes[s + h + 2], bytes[s + h + 3]) else { throw FrameError.badErrorCode }
        return err
    }

    /// Two ASCII decimal digits to a code, or `nil`.
    public static func parseErrorCode(_ a: UInt8, _ b: UInt8) -> HostErrorCode? {
        guard a >= 0x30, a <= 0x39, b >= 0x30, b <= 0x39 else { return nil }
        return HostErrorCode(rawValue: (a - 0x30) * 10 + (b - 0x30))
    }

    /// The reply body: header, response code, error code, fields.
    public func encodeBody(into out: inout [UInt8]) {
        out.append(contentsOf: header)
        out.append(code.first)
        out.append(code.second)
        let e = error.wire
        out.append(e.0)
        out.append(e.1)
        out.append(contentsOf: fields)
    }
}
