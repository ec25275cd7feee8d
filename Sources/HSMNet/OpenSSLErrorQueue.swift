import COpenSSL

/// OpenSSL's per-thread error queue as text for messages: the one drain every TLS user
/// (client streams, the emulator's TLS ports and management channel) reads it with.
public enum OpenSSLErrorQueue {
    /// The queued errors of this thread (at most `limit`, oldest first, repeats dropped)
    /// joined by "; ", and clears the queue; nil when nothing was queued.
    public static func take(limit: Int = 3) -> String? {
        var parts: [String] = []
        while true {
            let e = ERR_get_error()
            if e == 0 { break }
            guard parts.count < limit else { continue }
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(e, &buf, buf.count)
            let text = String(cString: buf)
            if !parts.contains(text) { parts.append(text) }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// `take(limit:)`, or "no OpenSSL error reported" when the queue was empty.
    public static func drain(limit: Int = 3) -> String {
        take(limit: limit) ?? "no OpenSSL error reported"
    }
}
