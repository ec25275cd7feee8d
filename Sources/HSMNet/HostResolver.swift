#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One socket address a host resolved to, copied out of a `getaddrinfo` list (so it can
/// be cached after the list is freed).
public struct ResolvedAddress: Sendable {
    public var storage: sockaddr_storage
    public var length: socklen_t
    public var family: Int32
    public var socketType: Int32
    public var socketProtocol: Int32

    /// Copies one `addrinfo` entry; `nil` if it has no address or one that does not fit.
    public init?(_ ai: addrinfo) {
        guard let addr = ai.ai_addr, ai.ai_addrlen > 0,
              Int(ai.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size else { return nil }
        var s = sockaddr_storage()
        withUnsafeMutableBytes(of: &s) { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(start: addr, count: Int(ai.ai_addrlen)))
        }
        storage = s
        length = ai.ai_addrlen
        family = ai.ai_family
        socketType = ai.ai_socktype
        socketProtocol = ai.ai_protocol
    }

    /// The address as a `sockaddr` pointer, for `connect(2)`.
    public func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        try withUnsafePointer(to: storage) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}

/// Why a lookup failed (the resolver's own text, e.g. `gai_strerror`).
public struct ResolveError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Turns a member's `host` into socket addresses without ever blocking a caller past its
/// connect deadline.
///
/// - Numeric IPv4/IPv6 literals (`inet_pton`, an IPv6 one possibly with a `%scope`) are
///   converted on the caller's thread with `getaddrinfo(AI_NUMERICHOST)`: no lookup, no
///   thread, no cache.
/// - A name is looked up on a detached background thread; the caller waits on a condition
///   variable until the answer or its deadline, then gets `.connect` "resolving <host>
///   timed out" (`notSent`). The lookup finishes on its own and its answer is still cached.
/// - At most one lookup per (host, port) is in flight: concurrent callers wait for the same
///   one, so a hung resolver costs one thread per name, not one per call.
/// - Successful answers are cached, fresh for `freshNanoseconds` (30 s). An older entry is
///   returned at once while a new lookup runs in the background; if that lookup fails or
///   hangs, the old addresses stay in use (a DNS outage does not take down HSMs whose
///   addresses are known). Failures are never cached; with nothing cached they throw
///   "cannot resolve <host>: <reason>".
/// - Fork: a lookup in flight in the parent has no thread in a child; the child starts its
///   own (`ForkEpoch`).
///
/// The lock is held for bookkeeping only, never while resolving.
public final class HostResolver: @unchecked Sendable {
    public typealias Lookup = @Sendable (String, Int) -> Result<[ResolvedAddress], ResolveError>

    /// The process-wide resolver the connectors use.
    public static let shared = HostResolver()

    public static let defaultFreshNanoseconds: Int64 = 30_000_000_000
    /// Cache entries kept at most (names are configured hosts; this only bounds a process
    /// that keeps opening groups with new names).
    public static let maxEntries = 256

    private struct Key: Hashable {
        let host: String
        let port: Int
    }

    /// One lookup in flight; waiters keep a reference until it has a result.
    private final class Flight {
        let epoch: Int
        var result: Result<[ResolvedAddress], ResolveError>?
        init(epoch: Int) { self.epoch = epoch }
    }

    private struct Entry {
        /// The last successful answer (never empty), and when it arrived (`now`'s clock).
        var addresses: [ResolvedAddress]?
        var resolvedAt: Int64 = 0
        var flight: Flight?
    }

    private let lookup: Lookup
    private let freshNanoseconds: Int64
    private let now: @Sendable () -> Int64
    private let cond = ConditionLock(forkRank: .resolver)
    private var entries: [Key: Entry] = [:]  // guarded by `cond`
    private var lookupsStarted = 0           // guarded by `cond`

    /// - Parameters:
    ///   - lookup: the blocking lookup run on the background thread (`getaddrinfo` by default).
    ///   - freshNanoseconds: how long a successful answer is used without a new lookup.
    ///   - now: the clock for cache freshness (monotonic nanoseconds).
    public init(lookup: @escaping Lookup = HostResolver.systemLookup,
         freshNanoseconds: Int64 = HostResolver.defaultFreshNanoseconds,
         now: @escaping @Sendable () -> Int64 = { Deadline.nowNanoseconds() }) {
        self.lookup = lookup
        self.freshNanoseconds = freshNanoseconds
        self.now = now
        _ = ForkEpoch.start()
    }

    /// Lookups started so far (tests and status).
    public var lookupCount: Int { cond.withLock { lookupsStarted } }

    /// Whether a lookup of `host:port` is in flight (tests).
    public func isLookingUp(host: String, port: Int) -> Bool {
        cond.withLock { entries[Key(host: host, port: port)]?.flight != nil }
    }

    /// The addresses of `host:port` (never empty), within `deadline`.
    /// Throws `TransportFailure(.connect, ..., notSent: true)`.
    public func resolve(host: String, port: Int, deadline: Deadline) throws -> [ResolvedAddress] {
        if HostResolver.isNumeric(host) {
            switch HostResolver.numericLookup(host, port) {
            case .success(let a): return a
            case .failure(let e):
                throw TransportFailure(.connect, "cannot resolve \(host): \(e.message)", notSent: true)
            }
        }
        return try resolveName(Key(host: host, port: port), deadline: deadline)
    }

    private func resolveName(_ key: Key, deadline: Deadline) throws -> [ResolvedAddress] {
        cond.lock()
        let entry = entries[key]
        if let e = entry, let cached = e.addresses, now() - e.resolvedAt < freshNanoseconds {
            cond.unlock()
            return cached
        }
        // A new lookup is needed: join the one in flight (started in this process) or start one.
        let epoch = ForkEpoch.current
        var flight: Flight
        var start = false
        if let f = entry?.flight, f.epoch == epoch, f.result == nil {
            flight = f
        } else {
            if entry == nil { evictLocked() }
            flight = Flight(epoch: epoch)
            entries[key, default: Entry()].flight = flight
            lookupsStarted += 1
            start = true
        }
        let stale = entry?.addresses
        cond.unlock()

        if start { startLookup(key, flight) }
        // Known (stale) addresses serve while the new lookup runs, fails or hangs.
        if let stale { return stale }

        cond.lock()
        while flight.result == nil {
            if !cond.wait(until: deadline) && flight.result == nil { break }
        }
        let result = flight.result
        cond.unlock()
        switch result {
        case .success(let a)?: return a
        case .failure(let e)?:
            throw TransportFailure(.connect, "cannot resolve \(key.host): \(e.message)", notSent: true)
        case nil:
            throw TransportFailure(.connect, "resolving \(key.host) timed out", notSent: true)
        }
    }

    private func startLookup(_ key: Key, _ flight: Flight) {
        let lookup = self.lookup
        let started = NativeThread.start { [self] in
            finish(key, flight, lookup(key.host, key.port))
        }
        if let t = started {
            pthread_detach(t.handle)
        } else {
            finish(key, flight, .failure(ResolveError("cannot start a resolver thread")))
        }
    }

    private func finish(_ key: Key, _ flight: Flight, _ answer: Result<[ResolvedAddress], ResolveError>) {
        var result = answer
        if case .success(let a) = answer, a.isEmpty { result = .failure(ResolveError("no address")) }
        cond.withLock {
            flight.result = result
            if var e = entries[key], e.flight === flight {
                e.flight = nil
                if case .success(let a) = result {
                    e.addresses = a
                    e.resolvedAt = now()
                }
                if e.addresses == nil {
                    entries[key] = nil  // a failure is not cached
                } else {
                    entries[key] = e
                }
            } else if case .success(let a) = result, flight.epoch == ForkEpoch.current {
                // Evicted meanwhile: still worth keeping.
                entries[key, default: Entry()].addresses = a
                entries[key]?.resolvedAt = now()
            }
            cond.broadcast()
        }
    }

    /// Keeps the cache bounded (lock held): drops entries with no lookup in flight.
    private func evictLocked() {
        guard entries.count >= HostResolver.maxEntries else { return }
        for (k, e) in entries where e.flight == nil {
            entries[k] = nil
            if entries.count < HostResolver.maxEntries / 2 { break }
        }
    }

    // MARK: - getaddrinfo

    /// Whether `host` is an IPv4 or IPv6 literal (an IPv6 one may carry a `%scope`).
    public static func isNumeric(_ host: String) -> Bool {
        var buffer = in6_addr()
        if inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1 { return true }
        guard let percent = host.firstIndex(of: "%") else { return false }
        return inet_pton(AF_INET6, String(host[..<percent]), &buffer) == 1
    }

    /// A numeric literal's address (no lookup).
    public static func numericLookup(_ host: String, _ port: Int) -> Result<[ResolvedAddress], ResolveError> {
        getaddrinfoAddresses(host, port, flags: AI_NUMERICHOST | AI_NUMERICSERV)
    }

    /// The real lookup: blocking `getaddrinfo`, any family, stream sockets.
    @Sendable
    public static func systemLookup(_ host: String, _ port: Int) -> Result<[ResolvedAddress], ResolveError> {
        getaddrinfoAddresses(host, port, flags: AI_NUMERICSERV)
    }

    private static func getaddrinfoAddresses(_ host: String, _ port: Int, flags: Int32) -> Result<[ResolvedAddress], ResolveError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = flags
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            if rc == 0 { return .failure(ResolveError("no address")) }
            if rc == EAI_SYSTEM { return .failure(ResolveError(errnoText())) }
            return .failure(ResolveError(String(cString: gai_strerror(rc))))
        }
        defer { freeaddrinfo(first) }
        var out: [ResolvedAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            if let a = ResolvedAddress(ai.pointee) { out.append(a) }
        }
        return out.isEmpty ? .failure(ResolveError("no address")) : .success(out)
    }
}
