import Foundation
import HostProtocol

/// The emulator's own counters, served by `evsm --metrics-port` as Prometheus text:
/// commands answered per command code, replies with an error code per code, and
/// connections (open now, accepted in total). Counted in `Device.handle` (every listener
/// goes through it) and by the listeners for connections. No request data is kept.
public final class DeviceMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var commands: [String: Int] = [:]
    private var errors: [String: Int] = [:]
    private var openConnections = 0
    private var acceptedConnections = 0

    public init() {}

    /// One answered command (`error` is the reply's code; `00` is no error).
    func record(command: CommandCode, error: HostErrorCode) {
        let c = command.description
        let e = error == .ok ? nil : Self.code(error)
        lock.withLock {
            commands[c, default: 0] += 1
            if let e { errors[e, default: 0] += 1 }
        }
    }

    public func connectionOpened() { lock.withLock { openConnections += 1; acceptedConnections += 1 } }
    public func connectionClosed() { lock.withLock { openConnections -= 1 } }

    static func code(_ e: HostErrorCode) -> String {
        let w = e.wire
        return String(decoding: [w.0, w.1], as: UTF8.self)
    }

    /// The counters as Prometheus text exposition (format 0.0.4).
    public func text() -> String {
        let (cmds, errs, open, accepted) = lock.withLock { (commands, errors, openConnections, acceptedConnections) }
        var out = "# HELP evsm_commands_total Host commands answered, by command code.\n# TYPE evsm_commands_total counter\n"
        for (k, v) in cmds.sorted(by: { $0.key < $1.key }) { out += "evsm_commands_total{command=\"\(Self.label(k))\"} \(v)\n" }
        out += "# HELP evsm_command_errors_total Replies with an error code other than 00, by code.\n# TYPE evsm_command_errors_total counter\n"
        for (k, v) in errs.sorted(by: { $0.key < $1.key }) { out += "evsm_command_errors_total{code=\"\(Self.label(k))\"} \(v)\n" }
        out += "# HELP evsm_connections_open Host connections open now.\n# TYPE evsm_connections_open gauge\nevsm_connections_open \(open)\n"
        out += "# HELP evsm_connections_total Host connections accepted.\n# TYPE evsm_connections_total counter\nevsm_connections_total \(accepted)\n"
        return out
    }

    /// Command codes are two printable characters; anything else is shown as `?`.
    private static func label(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value >= 0x21 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" ? Character($0) : "?" })
    }
}
