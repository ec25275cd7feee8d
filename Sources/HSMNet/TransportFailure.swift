/// Why one exchange with one member failed at the transport level.
///
/// `notSent` is `true` only when the request provably never reached the HSM (no connection
/// could be made, no pooled connection became free, or the frame was not completely
/// written), so even a command that stores into the HSM may be re-sent elsewhere.
/// HSM error codes are never transport failures.
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. The raw values are those of the library's `CACipherError.Code`
    /// of the same name (the C ABI's `CACIPHER_E_*`), so the client converts by value.
    public enum Code: Int32, CaseIterable, Sendable {
        case invalidArgument = -1
        case notInitialized = -3
        case connect = -10
        case timeout = -11
        case badFrame = -13
        case io = -14
        case poolExhausted = -15
        case dmkMismatch = -16
        case tls = -20
        case tlsVerify = -21
        case `internal` = -99
    }

    public var code: Code
    public var message: String
    public var notSent: Bool
    /// Seen through others: a pool wait that ended because the member's busy connections
    /// got no answers. Those calls count their own failures; this one is not counted again.
    public var byProxy = false
    /// A `.badFrame` at the frame level: a length that cannot be read or is over the limit,
    /// bytes after the frame, a body shorter than header + codes, a header that does not
    /// echo the request's. Not set for a readable reply that answers another command or whose
    /// fields do not decode. The vendor's API reports the first as `HAR_SOCK_RECV`, the
    /// others as `HAR_MSG_RSPCODE`.
    public var frameUnreadable = false

    public init(_ code: Code, _ message: String, notSent: Bool) {
        self.code = code
        self.message = message
        self.notSent = notSent
    }

    public var description: String { message }
}
