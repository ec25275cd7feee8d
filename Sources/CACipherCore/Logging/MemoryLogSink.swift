import HSMNet
import Synchronization

/// Keeps log lines in memory (tests, and callers that want to forward lines elsewhere).
public final class MemoryLogSink: LogSink, @unchecked Sendable {
    /// Internal for the fork tests (a lock held by another thread at the fork).
    let store = PThreadLocked<[(LogCategories, String)]>([], forkRank: .logSink)

    public init() {}

    public func write(_ category: LogCategories, _ line: String) {
        store.withLock { $0.append((category, line)) }
    }

    /// Every line written so far, in order.
    public var lines: [(category: LogCategories, message: String)] {
        store.withLock { $0.map { (category: $0.0, message: $0.1) } }
    }

    public var messages: [String] { store.withLock { $0.map(\.1) } }
}
