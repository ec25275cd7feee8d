/// Where the NIO host port runs a request (`EVSMHostServer.start(dispatch:)`).
public enum HostDispatch: Sendable, Equatable {
    /// On the connection's event loop when the connection has nothing on the thread pool, the
    /// command may not block (`Device.mayBlock`) and the read burst is within its inline
    /// budget; otherwise on the thread pool (`HostConnectionHandler`). The default.
    case adaptive
    /// Every request on the thread pool: two thread hand-offs per request. Kept for the
    /// benchmark's comparison (`evsm --bench`) and for a device whose every command is slow.
    case threadPool
}
