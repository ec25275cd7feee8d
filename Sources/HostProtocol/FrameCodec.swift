/// Framing of the host command protocol, shared by the client library and the emulator.
///
/// ```
/// request : LEN(2, big-endian, counts all that follows) HEADER(H) CMD(2) FIELDS
/// response: LEN HEADER(echoed) RSP(2) ERR(2) FIELDS
/// ```
/// `H` is the configured message-header length (`msgheadlength`); the client sends ASCII
/// `0`s and the HSM echoes what it received.
public enum FrameCodec {
    /// The largest body the 2-byte length prefix can describe.
    public static let maxBodyLength = 65_535
    /// The largest header length accepted anywhere (config, emulator flag): 64, the vendor
    /// jar's maximum of `msgHeadLength`.
    public static let maxHeaderLength = 64

    /// Appends one whole frame (length prefix, header, payload) to `out`.
    ///
    /// - Throws: `FrameError.oversize` when header + payload exceed `maxBodyLength`.
    @inlinable
    public static func encode<H: Collection, P: Collection>(
        header: H, payload: P, into out: inout [UInt8]
    ) throws where H.Element == UInt8, P.Element == UInt8 {
        let length = header.count + payload.count
        guard length <= maxBodyLength else { throw FrameError.oversize(length: length, limit: maxBodyLength) }
        out.reserveCapacity(out.count + 2 + length)
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(contentsOf: header)
        out.append(contentsOf: payload)
    }

    /// A frame with a header of `headerLength` ASCII zeros, as TASS clients send.
    public static func encode<P: Collection>(headerLength: Int, payload: P) throws -> [UInt8]
    where P.Element == UInt8 {
        precondition(headerLength >= 0 && headerLength <= maxHeaderLength)
        var out: [UInt8] = []
        try encode(header: repeatElement(UInt8(ascii: "0"), count: headerLength), payload: payload, into: &out)
        return out
    }

    /// Reads the body length announced by a 2-byte prefix.
    @inline(__always)
    public static func bodyLength(_ hi: UInt8, _ lo: UInt8) -> Int { Int(hi) << 8 | Int(lo) }

    /// Finds one complete frame at the start of `buffer`.
    ///
    /// - Returns: `nil` when more bytes are needed; otherwise the body's range inside
    ///   `buffer` and the number of bytes the frame occupies (prefix included).
    /// - Throws: `FrameError.oversize` when the announced length exceeds `limit`, and
    ///   `FrameError.empty` for a zero-length frame.
    @inlinable
    public static func split<B: RandomAccessCollection>(
        _ buffer: B, limit: Int = maxBodyLength
    ) throws -> (body: Range<B.Index>, consumed: Int)? where B.Element == UInt8 {
        guard buffer.count >= 2 else { return nil }
        let start = buffer.startIndex
        let length = bodyLength(buffer[start], buffer[buffer.index(after: start)])
        guard length > 0 else { throw FrameError.empty }
        guard length <= limit else { throw FrameError.oversize(length: length, limit: limit) }
        guard buffer.count >= 2 + length else { return nil }
        let bodyStart = buffer.index(start, offsetBy: 2)
        return (bodyStart..<buffer.index(bodyStart, offsetBy: length), 2 + length)
    }
}

/// What can be wrong with a frame; every case is a clean error, never a crash.
public enum FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    case oversize(length: Int, limit: Int)
    case empty
    case truncated(expected: Int, got: Int)
    case headerMismatch
    case unexpectedResponseCode(expected: String, got: String)
    case badErrorCode
    case badCommandCode

    public var description: String {
        switch self {
        case let .oversize(length, limit): return "frame of \(length) bytes exceeds the limit of \(limit)"
        case .empty: return "empty frame"
        case let .truncated(expected, got): return "frame too short: need \(expected) bytes, got \(got)"
        case .headerMismatch: return "reply header does not echo the request header"
        case let .unexpectedResponseCode(expected, got): return "reply code \(got) does not answer the request (expected \(expected))"
        case .badErrorCode: return "reply error code is not two decimal digits"
        case .badCommandCode: return "command code is not two printable ASCII characters"
        }
    }
}
