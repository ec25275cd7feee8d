#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable pthread running a closure (the library has no Foundation `Thread`).
public struct NativeThread {
    public let handle: pthread_t

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread; `nil` if the system refused to create one.
    public static func start(_ body: @escaping () -> Void) -> NativeThread? {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return NativeThread(handle: tid)
    }

    public func join() { pthread_join(handle, nil) }

    /// Lets the thread's resources go when it ends (a thread nobody joins).
    public func detach() { pthread_detach(handle) }
}
