// The frame deadline of one host connection (SwiftNIO): armed when a frame's first bytes
// are buffered and the frame is not complete, cancelled when it completes. When it fires,
// the frame took longer than `ServerLimits.frameTimeout` from its first byte (a slowloris
// client, a stalled partial frame) and the connection is closed. It does not run while evsm
// itself holds reads back (backpressure, `HostConnectionHandler`).
import Logging
import NIOCore

final class FrameDeadline {
    let timeout: TimeAmount?
    let logger: Logger
    /// The armed timer (event loop only).
    private var scheduled: Scheduled<Void>?
    /// True while evsm itself holds reads back (backpressure, `HostConnectionHandler`):
    /// a frame is then incomplete by evsm's doing, so the deadline does not run.
    private var suspended = false

    init(timeout: TimeAmount?, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    /// A frame is incomplete: arms the timer unless it runs already (the deadline counts
    /// from the frame's first byte, later bytes do not move it).
    func partial(_ context: ChannelHandlerContext) {
        guard scheduled == nil, !suspended, let timeout else { return }
        let channel = context.channel
        let logger = self.logger
        let seconds = Double(timeout.nanoseconds) / 1e9
        scheduled = context.eventLoop.scheduleTask(in: timeout) {
            logger.notice("host connection closed: a frame was still incomplete \(seconds) s after its first byte (--frame-timeout)",
                          metadata: ["peer": "\(channel.remoteAddress?.description ?? "?")"])
            channel.close(promise: nil)
        }
    }

    /// evsm stops reading this connection: disarms the timer until `resume`.
    func suspend() {
        suspended = true
        complete()
    }

    /// evsm reads again: the next incomplete frame arms the timer afresh.
    func resume() { suspended = false }

    /// The frame is complete (or the connection goes): disarms the timer.
    func complete() {
        guard let s = scheduled else { return }
        s.cancel()
        scheduled = nil
    }
}
