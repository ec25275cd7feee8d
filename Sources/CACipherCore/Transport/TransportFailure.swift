/// Why one exchange with one member failed at the transport level.
///
/// `notSent` is `true` only when the request provably never reached the HSM (no connection
/// could be made, no pooled connection became free, or the frame was not completely
/// written), so even a command that stores into the HSM may be re-sent elsewhere.
/// HSM error codes are never transport failures.
struct TransportFailure: Error, Sendable, CustomStringConvertible {
    var code: CACipherError.Code
    var message: String
    var notSent: Bool
    /// Seen through others: a pool wait that ended because the member's busy connections
    /// got no answers. Those calls count their own failures; this one is not counted again.
    var byProxy = false

    init(_ code: CACipherError.Code, _ message: String, notSent: Bool) {
        self.code = code
        self.message = message
        self.notSent = notSent
    }

    /// Whether the member caused it (ejection counts it). A full pool, a shut-down group or
    /// a bad argument is not the member's fault.
    var blamesMember: Bool {
        !byProxy && code != .poolExhausted && code != .notInitialized && code != .invalidArgument && code != .internal
    }

    var description: String { message }

    func error(prefix: String) -> CACipherError { CACipherError(code, prefix + message) }
}
