/// A connected, ordered byte stream to one HSM: plain TCP (`TCPStream`) or TLS (`TLSClientStream`).
///
/// Every call is bounded by a deadline and reports failures as `TransportFailure`.
/// Implementations are used by one thread at a time (a connection is checked out of its
/// pool for the whole exchange).
public protocol ByteStream: AnyObject {
    /// Writes all bytes or throws. The failure's `notSent` is true when not every byte left.
    func sendAll(_ bytes: UnsafeRawBufferPointer, deadline: Deadline) throws
    /// Reads at least one byte into `buffer` and returns the count; throws on EOF, error or
    /// deadline.
    func receive(into buffer: UnsafeMutableRawBufferPointer, deadline: Deadline) throws -> Int
    /// Whether an idle connection has become unusable (peer closed it, or sent unexpected
    /// bytes). Never blocks.
    func isStale() -> Bool
    /// Orderly close (a TLS stream would send close_notify).
    func close()
    /// Drops the descriptor without any goodbye on the wire: used in a forked child for
    /// connections inherited from the parent, which the parent still uses.
    func abandon()
    /// Wakes a `send`/`receive` in progress on another thread (`shutdown(2)` of the socket,
    /// no goodbye): the exchange fails and its owner closes the stream. Safe from any
    /// thread while the owner has not closed it (`CallControl` guarantees that).
    func interrupt()
    /// Waits (after a request was sent) until reply bytes arrive or `deadline` passes;
    /// `true` when something is readable (or an error is pending). Reads nothing.
    func awaitReadable(until deadline: Deadline) -> Bool
}

extension ByteStream {
    public func awaitReadable(until deadline: Deadline) -> Bool { true }
}

/// A stream whose socket a `ReadinessReactor` can wait on (plain TCP): the async API's fast
/// path writes the request and reads the reply with calls that never wait, and leaves the
/// waiting to the reactor. TLS streams are not (their records need the blocking loop).
public protocol NonBlockingByteStream: ByteStream {
    /// The socket (`-1` once closed).
    var descriptor: Int32 { get }
    /// Sends what the socket takes now and returns the count (0: nothing fits now).
    /// Throws `TransportFailure(.io, notSent: true)` on an error.
    func sendNow(_ bytes: UnsafeRawBufferPointer) throws -> Int
    /// Reads what has arrived and returns the count (0: nothing yet). Throws
    /// `TransportFailure(.io)` on end of stream or an error.
    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Opens byte streams to one configured host.
public protocol StreamConnector: Sendable {
    /// Connects within `deadline`. Failures carry `notSent: true`.
    func connect(deadline: Deadline) throws -> ByteStream
}

/// A connector that always fails (a transport this build does not have).
public struct UnavailableConnector: StreamConnector {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public func connect(deadline: Deadline) throws -> ByteStream {
        throw TransportFailure(.tls, reason, notSent: true)
    }
}

extension ByteStream {
    /// Streams without a socket of their own (test doubles) cannot be interrupted.
    public func interrupt() {}
}
