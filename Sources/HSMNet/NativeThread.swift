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

    /// Starts `body` on a new thread (named `name`, at most 15 bytes shown by the system);
    /// `nil` if the system refused to create one.
    public static func start(name: String? = nil, _ body: @escaping () -> Void) -> NativeThread? {
        let run: () -> Void
        if let name {
            run = {
                #if canImport(Glibc) || canImport(Musl)
                _ = hsmnet_pthread_setname_np(pthread_self(), String(decoding: name.utf8.prefix(15), as: UTF8.self))
                #elseif canImport(Darwin)
                _ = pthread_setname_np(String(decoding: name.utf8.prefix(15), as: UTF8.self))
                #endif
                body()
            }
        } else {
            run = body
        }
        let box = Unmanaged.passRetained(Box(run)).toOpaque()
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

#if canImport(Glibc) || canImport(Musl)
/// `pthread_setname_np(3)`: a GNU extension the Glibc module does not import.
@_silgen_name("pthread_setname_np")
private func hsmnet_pthread_setname_np(_ thread: pthread_t, _ name: UnsafePointer<CChar>) -> Int32
#endif
