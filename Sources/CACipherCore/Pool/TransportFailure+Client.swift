import HSMNet

// The client's reading of a transport failure (`HSMNet.TransportFailure`): whom it blames
// and the library error it becomes.
extension TransportFailure {
    /// Whether the member caused it (ejection counts it). A full pool, a shut-down group or
    /// a bad argument is not the member's fault.
    var blamesMember: Bool {
        !byProxy && code != .poolExhausted && code != .notInitialized && code != .invalidArgument && code != .internal
    }

    func error(prefix: String) -> CACipherError {
        var e = CACipherError(CACipherError.Code(code), prefix + message)
        e.frameUnreadable = frameUnreadable
        return e
    }
}

extension CACipherError.Code {
    /// The library code of a transport failure (same name, same value).
    init(_ code: TransportFailure.Code) {
        self = CACipherError.Code(rawValue: code.rawValue) ?? .internal
    }
}
