/// The group's counters as Prometheus text exposition (format 0.0.4, which OpenMetrics
/// parsers also read): what an application serves on its `/metrics`.
///
/// Families (every member sample carries `member="HOST1"`):
/// `cacipher_calls_total`, `cacipher_call_failures_total`, `cacipher_resends_total`,
/// `cacipher_hedges_total`, `cacipher_call_duration_seconds` (histogram);
/// `cacipher_member_up`, `cacipher_member_state{state=...}`, `cacipher_member_in_flight`,
/// `cacipher_member_calls_total`, `cacipher_member_replies_total`,
/// `cacipher_member_failures_total`, `cacipher_member_resends_total`,
/// `cacipher_member_pool_waits_total`, `cacipher_member_ejections_total`,
/// `cacipher_member_standby_probes_total`, `cacipher_member_reply_duration_seconds`
/// (histogram). No secret and no free text (errors stay in `memberStatus()`).
public enum MetricsText {
    static let states: [MemberState] = [.unknown, .up, .ejected, .dmkMismatch, .notInitialized]

    public static func render(_ s: GroupMetricsSnapshot) -> String {
        var out = ""
        out.reserveCapacity(4096 + 3072 * s.members.count)
        family(&out, "cacipher_calls_total", "counter", "Calls through the group (transmit and typed calls).")
        sample(&out, "cacipher_calls_total", "", s.calls)
        family(&out, "cacipher_call_failures_total", "counter", "Calls that failed with a library error (HSM error codes are replies, not failures).")
        sample(&out, "cacipher_call_failures_total", "", s.failures)
        family(&out, "cacipher_resends_total", "counter", "Attempts that re-sent a call to another member after a transport failure.")
        sample(&out, "cacipher_resends_total", "", s.resends)
        family(&out, "cacipher_hedges_total", "counter", "Hedged requests (a second request sent before the first answered).")
        sample(&out, "cacipher_hedges_total", "", s.hedges)
        family(&out, "cacipher_call_duration_seconds", "histogram", "Time of successful calls, from the pick to the reply, re-sends included.")
        histogram(&out, "cacipher_call_duration_seconds", "", s.callTime)

        let labels = s.members.map { "member=\"\(escape($0.status.section))\"" }
        family(&out, "cacipher_member_up", "gauge", "1 when the member serves traffic (up), else 0.")
        for (m, l) in zip(s.members, labels) { sample(&out, "cacipher_member_up", l, m.status.state == .up ? 1 : 0) }
        family(&out, "cacipher_member_state", "gauge", "The member's state: 1 for the current one.")
        for (m, l) in zip(s.members, labels) {
            for st in states { sample(&out, "cacipher_member_state", l + ",state=\"\(st.rawValue)\"", m.status.state == st ? 1 : 0) }
        }
        family(&out, "cacipher_member_in_flight", "gauge", "Commands on the wire to the member now.")
        for (m, l) in zip(s.members, labels) { sample(&out, "cacipher_member_in_flight", l, m.status.inFlight) }
        let counters: [(String, String, (GroupMetricsSnapshot.Member) -> Int)] = [
            ("cacipher_member_calls_total", "Attempts sent to the member (first sends and re-sends).", { $0.calls }),
            ("cacipher_member_replies_total", "Replies received from the member (any HSM error code).", { $0.status.completed }),
            ("cacipher_member_failures_total", "Transport failures on the member (connect, timeout, I/O, bad frame).", { $0.status.failures }),
            ("cacipher_member_resends_total", "Re-sends of calls that failed on another member, sent to this one.", { $0.resends }),
            ("cacipher_member_pool_waits_total", "Calls that waited for a pooled connection of the member.", { $0.poolWaits }),
            ("cacipher_member_ejections_total", "Times the member was kept out (ejected, DMK mismatch, not initialised).", { $0.status.ejections }),
            ("cacipher_member_standby_probes_total", "Background NC checks of the member while it was live but idle.", { $0.standbyProbes }),
        ]
        for (name, help, value) in counters {
            family(&out, name, "counter", help)
            for (m, l) in zip(s.members, labels) { sample(&out, name, l, value(m)) }
        }
        family(&out, "cacipher_member_reply_duration_seconds", "histogram", "Time of one exchange with the member (request written to reply read).")
        for (m, l) in zip(s.members, labels) { histogram(&out, "cacipher_member_reply_duration_seconds", l, m.replyTime) }
        return out
    }

    private static func family(_ out: inout String, _ name: String, _ type: String, _ help: String) {
        out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private static func sample(_ out: inout String, _ name: String, _ labels: String, _ value: Int) {
        out += labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(labels)} \(value)\n"
    }

    private static func histogram(_ out: inout String, _ name: String, _ labels: String, _ h: HistogramSnapshot) {
        let prefix = labels.isEmpty ? "" : labels + ","
        var cumulative = 0
        for (i, le) in LatencyHistogram.boundLabels.enumerated() {
            cumulative += i < h.buckets.count ? h.buckets[i] : 0
            out += "\(name)_bucket{\(prefix)le=\"\(le)\"} \(cumulative)\n"
        }
        out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(h.count)\n"
        let sum = seconds(h.sumNs)
        out += labels.isEmpty ? "\(name)_sum \(sum)\n\(name)_count \(h.count)\n"
                              : "\(name)_sum{\(labels)} \(sum)\n\(name)_count{\(labels)} \(h.count)\n"
    }

    /// Nanoseconds as decimal seconds with 9 fractional digits (no floating-point formatting).
    static func seconds(_ ns: Int64) -> String {
        let whole = ns / 1_000_000_000
        let frac = String(ns % 1_000_000_000)
        return "\(whole)." + String(repeating: "0", count: 9 - frac.count) + frac
    }

    /// A label value: backslash, double quote and line feed escaped.
    static func escape(_ v: String) -> String {
        var r = ""
        for ch in v.unicodeScalars {
            switch ch {
            case "\\": r += "\\\\"
            case "\"": r += "\\\""
            case "\n": r += "\\n"
            default: r.unicodeScalars.append(ch)
            }
        }
        return r
    }
}

extension CACipherClient {
    /// The group's counters as Prometheus/OpenMetrics text (see `MetricsText`).
    public func metricsText() -> String { MetricsText.render(group.metricsSnapshot()) }

    /// Every counter of the group and its members.
    public func metricsSnapshot() -> GroupMetricsSnapshot { group.metricsSnapshot() }

    /// Calls `body` on the library's notifier thread for every member state change
    /// (ejected, rejoined, kept out), outside every lock. Returns a token for
    /// `removeStateObserver`.
    @discardableResult
    public func onStateChange(_ body: @escaping @Sendable (MemberStateChange) -> Void) -> StateObserver.Token {
        group.stateObserver.add(body)
    }

    public func removeStateObserver(_ token: StateObserver.Token) { group.stateObserver.remove(token) }

    /// Member state changes from now on as an `AsyncStream` (finishes when the client closes).
    public func stateChanges() -> AsyncStream<MemberStateChange> { group.stateObserver.changes() }
}
