import HSMNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One change of a member's state, as observers see it.
public struct MemberStateChange: Sendable, Equatable {
    /// Position in the configuration (0 = `HOST1`).
    public var index: Int
    /// The member's section name (`HOST1`).
    public var section: String
    public var from: MemberState
    public var to: MemberState
    /// Why it was kept out (the last transport or DMK-guard problem); `nil` for a rejoin.
    public var reason: String?
}

/// Delivers member state changes (ejected, rejoined, kept out by the DMK guard) to
/// closures and `AsyncStream`s, in the order they happened, on a thread of its own: never
/// under the group's lock, never on the calling thread of the call that caused the change.
///
/// The group enqueues a change under its lock (a short append under this observer's own
/// lock, nothing when nobody observes); the notifier thread starts with the first
/// observer and ends at `shutdown`.
public final class StateObserver: @unchecked Sendable {
    /// A registration, to pass to `remove`.
    public struct Token: Hashable, Sendable { let id: Int }

    /// Internal for the fork tests (a lock held by another thread at the fork).
    let lock = ConditionLock(forkRank: .observer)
    private var closures: [(id: Int, body: @Sendable (MemberStateChange) -> Void)] = []
    private var nextID = 1
    private var queue: [MemberStateChange] = []
    private var thread: NativeThread?
    private var stopping = false
    /// Set while the notifier thread delivers (so `shutdown` from a callback does not join itself).
    private var delivering = false
    private var deliveredTotal = 0
    /// A forked child has no notifier thread (it was the parent's): `forkCheckLocked`.
    private var fork = ForkWatcher()

    init() {}

    /// Calls `body` for every later state change (on the notifier thread).
    @discardableResult
    public func add(_ body: @escaping @Sendable (MemberStateChange) -> Void) -> Token {
        lock.withLock {
            forkCheckLocked()
            let id = nextID
            nextID += 1
            closures.append((id, body))
            if thread == nil && !stopping {
                thread = NativeThread.start { [self] in loop() }
            }
            return Token(id: id)
        }
    }

    /// Sets or clears (nil) the one closure of this slot, replacing the previous one (the C
    /// API's `CACipher_SetStateCallback`, the Java listener). When it returns, the previous
    /// closure is not running and will not be called again (unless it is called from that
    /// closure itself, on the notifier thread: then the delivery in progress finishes).
    public func setCallback(_ body: (@Sendable (MemberStateChange) -> Void)?) {
        lock.withLock {
            forkCheckLocked()
            if let old = callbackID { closures.removeAll { $0.id == old } }
            callbackID = nil
            if let body {
                let id = nextID
                nextID += 1
                closures.append((id, body))
                callbackID = id
                if thread == nil && !stopping { thread = NativeThread.start { [self] in loop() } }
            }
            // Wait out a delivery that may still hold the previous closure.
            let onNotifier = thread.map { pthread_equal($0.handle, pthread_self()) != 0 } ?? false
            while delivering && !onNotifier { lock.wait() }
        }
    }
    private var callbackID: Int?

    /// Stops calling the closure of `token` (a delivery in progress may still finish).
    public func remove(_ token: Token) {
        lock.withLock { closures.removeAll { $0.id == token.id } }
    }

    /// The state changes from now on, as an async sequence (ends when the client closes).
    public func changes() -> AsyncStream<MemberStateChange> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1024)) { continuation in
            let token = add { continuation.yield($0) }
            lock.withLock { finishers.append((token.id, { continuation.finish() })) }
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.remove(token)
                self.lock.withLock { self.finishers.removeAll { $0.id == token.id } }
            }
        }
    }
    private var finishers: [(id: Int, finish: @Sendable () -> Void)] = []

    /// Called by the group under its lock.
    func memberChanged(_ m: GroupMember, from: MemberState, to: MemberState) {
        lock.withLock {
            forkCheckLocked()
            guard !closures.isEmpty, !stopping else { return }
            let reason = (to == .up || to == .unknown) ? nil : m.lastError
            queue.append(MemberStateChange(index: m.index, section: m.config.section, from: from, to: to, reason: reason))
            // A forked child's first change starts the child's own notifier.
            if thread == nil { thread = NativeThread.start { [self] in loop() } }
            lock.broadcast()  // the notifier (and perhaps a setCallback waiting) share the condition
        }
    }

    private func loop() {
        lock.lock()
        while true {
            if queue.isEmpty {
                if stopping { break }
                lock.wait()
                continue
            }
            let batch = queue
            queue.removeAll(keepingCapacity: true)
            let targets = closures.map(\.body)
            delivering = true
            lock.unlock()
            for change in batch {
                for t in targets { t(change) }
            }
            lock.lock()
            delivering = false
            deliveredTotal += batch.count
            lock.broadcast()
        }
        lock.unlock()
    }

    /// Changes handed to observers so far (tests).
    var delivered: Int { lock.withLock { deliveredTotal } }

    /// In a forked child (once): the notifier thread and a delivery in progress were the
    /// parent's, and so are the changes still queued (the parent delivers them); the
    /// child's next change starts a notifier of its own, and `shutdown` joins only that.
    private func forkCheckLocked() {
        guard !fork.isUnchanged, fork.forkedSinceLastCheck() else { return }
        thread = nil
        delivering = false
        queue.removeAll()
    }

    /// Delivers what is queued, ends every stream and stops the notifier thread.
    func shutdown() {
        let (t, fin): (NativeThread?, [@Sendable () -> Void]) = lock.withLock {
            forkCheckLocked()
            stopping = true
            let t = thread
            thread = nil
            lock.broadcast()
            let f = finishers.map(\.finish)
            finishers.removeAll()
            return (t, f)
        }
        if let t {
            if pthread_equal(t.handle, pthread_self()) != 0 {
                pthread_detach(t.handle)
            } else {
                t.join()
            }
        }
        for f in fin { f() }
    }
}
