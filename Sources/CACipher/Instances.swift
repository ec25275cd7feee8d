import CACipherCore

/// The global instance (`CACipher_Init` ... `CACipher_Finalize`) and every handle that
/// `CACipher_Open` gave out and `CACipher_Close` has not taken back.
///
/// Locks: `lifecycle` serialises Init/Finalize (parsing and opening happen under it; no
/// network I/O: an instance connects lazily); `state` guards the references and is held
/// only to look one up. Both are taken by the fork handlers (`ForkRank.lifecycle`, then
/// `.runtime`): a fork waits for a running Init or Finalize to install or remove the global
/// instance, so a child sees the library initialised or not, never half way, and may call
/// Init / Finalize itself (its locks are fresh). A call resolves its
/// instance to a strong reference and then works without locks, so Finalize or Close on
/// another thread never frees an instance under a running call (that call finishes on the
/// closed instance).
enum Instances {
    struct State {
        var global: CACipherClient?
        /// Handle address -> instance. The handle is an `Unmanaged` retain of the instance.
        var handles: [UInt: CACipherClient] = [:]
    }

    /// Pthread mutexes the fork handlers take (a `Mutex` held at a fork stays held in the child).
    static let lifecycle = ForkSafeLocked<Int>(0, forkRank: .lifecycle)
    static let state = ForkSafeLocked<State>(State(), forkRank: .runtime)

    static func initGlobal(_ parse: () throws -> CACipherConfig) throws {
        try lifecycle.withLock { _ in
            if state.withLock({ $0.global }) != nil {
                throw CACipherError(.alreadyInitialized, "CACipher_Init: the library is already initialised (call CACipher_Finalize first)")
            }
            let client = try CACipherClient(config: parse())
            state.withLock { $0.global = client }
        }
    }

    static func finalizeGlobal() throws {
        let client: CACipherClient? = lifecycle.withLock { _ in
            state.withLock { s in
                let c = s.global
                s.global = nil
                return c
            }
        }
        guard let client else {
            throw CACipherError(.notInitialized, "CACipher_Finalize: the library is not initialised")
        }
        client.close()
    }

    static func open(_ client: CACipherClient) -> OpaquePointer {
        let raw = Unmanaged.passRetained(client).toOpaque()
        state.withLock { $0.handles[UInt(bitPattern: raw)] = client }
        return OpaquePointer(raw)
    }

    static func close(_ h: OpaquePointer) throws {
        let key = UInt(bitPattern: UnsafeMutableRawPointer(h))
        guard let client = state.withLock({ $0.handles.removeValue(forKey: key) }) else {
            throw CACipherError(.invalidArgument, "CACipher_Close: not an open handle (already closed, or not from CACipher_Open)")
        }
        Unmanaged<CACipherClient>.fromOpaque(UnsafeRawPointer(h)).release()
        client.close()
    }

    /// The instance a call works on: the handle's, or the global one for NULL.
    static func resolve(_ h: OpaquePointer?, _ function: String) throws -> CACipherClient {
        if let h {
            let key = UInt(bitPattern: UnsafeMutableRawPointer(h))
            guard let c = state.withLock({ $0.handles[key] }) else {
                throw CACipherError(.invalidArgument, "\(function): not an open handle (closed, or not from CACipher_Open)")
            }
            return c
        }
        guard let c = state.withLock({ $0.global }) else {
            throw CACipherError(.notInitialized, "\(function): the library is not initialised (call CACipher_Init first, or pass a handle)")
        }
        return c
    }
}
