// CACipherBench: a microbenchmark of the library's call path (`make perf`, docs/performance.md).
//
// It forks a trivial echo HSM on 127.0.0.1 (an ephemeral port, a thread per connection,
// canned replies: `NC` with a fixed DMK check value, `B2` echoes, `M6` a fixed MAC), so
// nearly all the work measured in this process is the library's; under valgrind the
// server's counts land in the child's own output file. Then it runs N calls per thread
// through one of the paths and prints calls/s.
//
//   CACipherBench [--mode transmit|capi|mac|echo|capi-random|tass-random|async] [--threads T] [--calls N] [--warmup W]
//
// transmit: CACipherClient.transmit("B2" 16 bytes)   capi: CACipher_Transmit (same bytes)
// mac:      generateMAC (M6, 64 bytes, typed)         echo: echo() (B2, typed)
// async:    await CACipherClient.transmit (same bytes), one task per thread awaiting each call
//           in turn (the reactor path: request written on the task's thread, reply read by
//           the client's epoll thread, continuation, resume)
// capi-random: CACipher_Random (CR, 8 bytes)            tass-random: SDF_GenerateRandom (CR, 8 bytes as
//           hex, libcacipher-tass's vendor function on a session of a device of the same group)
//
// Instructions and allocations per call come from running it twice under valgrind with
// different N and dividing the difference by the difference in calls (mk/perf.mk).
import Glibc
import CACipher
import CACipherCore
import TassCompat
import HostProtocol

// MARK: - Arguments

var mode = "transmit"
var threads = 1
var calls = 10_000
var warmup = 200
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    guard let v = args.popFirst() else { fputs("missing value for \(a)\n", stderr); exit(2) }
    switch a {
    case "--mode": mode = v
    case "--threads": threads = Int(v) ?? 1
    case "--calls": calls = Int(v) ?? 10_000
    case "--warmup": warmup = Int(v) ?? 200
    default: fputs("unknown argument \(a)\n", stderr); exit(2)
    }
}
guard ["transmit", "capi", "mac", "echo", "capi-random", "tass-random", "async"].contains(mode), threads >= 1, calls >= 0, warmup >= 0 else {
    fputs("usage: CACipherBench [--mode transmit|capi|mac|echo|capi-random|tass-random|async] [--threads T] [--calls N] [--warmup W]\n", stderr)
    exit(2)
}

// MARK: - The echo HSM (child process)

func reply(to body: ArraySlice<UInt8>) -> [UInt8] {
    guard body.count >= 2, let code = CommandCode(wire: body[body.startIndex], body[body.startIndex + 1]) else {
        return Array("ZZ15".utf8)
    }
    let rsp = code.responseCode
    var out: [UInt8] = [rsp.first, rsp.second, 0x30, 0x30]
    let fields = body.dropFirst(2)
    switch code.description {
    case "NC":
        var w = FieldWriter()
        try? DeviceInfoResponse(dmkCheckValue: [1, 2, 3, 4, 5, 6, 7, 8], version: "bench", serial: "1").encode(into: &w)
        out += w.bytes
    case "B2":
        out += fields.dropFirst(4)
    case "M6":
        out += Array("0123456789ABCDEF".utf8)
    case "CR":
        out += [UInt8](repeating: 0x5A, count: Int(String(decoding: fields.prefix(4), as: UTF8.self)) ?? 0)
    default:
        break
    }
    return out
}

func serveConnection(_ fd: Int32) {
    var buf = [UInt8](repeating: 0, count: 70_000)
    var filled = 0
    var out: [UInt8] = []
    while true {
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, $0.count - filled, 0) }
        if n <= 0 { break }
        filled += n
        var start = 0
        while let frame = (try? FrameCodec.split(buf[start..<filled])) ?? nil {
            out.removeAll(keepingCapacity: true)
            try? FrameCodec.encode(header: [UInt8](), payload: reply(to: buf[frame.body]), into: &out)
            _ = out.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            start += frame.consumed
        }
        if start > 0 {
            buf.withUnsafeMutableBytes { b in _ = memmove(b.baseAddress!, b.baseAddress! + start, filled - start) }
            filled -= start
        }
    }
    close(fd)
}

final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
@discardableResult
func spawnThread(_ body: @escaping () -> Void) -> pthread_t {
    var tid = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    pthread_create(&tid, nil, { raw in
        Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
        return nil
    }, box)
    return tid
}

let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
var one: Int32 = 1
setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
var addr = sockaddr_in()
addr.sin_family = sa_family_t(AF_INET)
addr.sin_addr.s_addr = inet_addr("127.0.0.1")
addr.sin_port = 0
var len = socklen_t(MemoryLayout<sockaddr_in>.size)
let bound = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) == 0 && getsockname(listener, $0, &len) == 0 }
}
guard bound, listen(listener, 64) == 0 else { fputs("cannot listen on 127.0.0.1\n", stderr); exit(1) }
let port = Int(UInt16(bigEndian: addr.sin_port))

let server = fork()
if server == 0 {
    // The child: accept until the parent goes away (it closes the listener by exiting; we
    // also stop when our parent changes).
    let parent = getppid()
    while getppid() == parent {
        var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 200) > 0 else { continue }
        let fd = accept(listener, nil, nil)
        if fd < 0 { continue }
        var nd: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &nd, socklen_t(MemoryLayout<Int32>.size))
        spawnThread { serveConnection(fd) }
    }
    _exit(0)
}
close(listener)
guard server > 0 else { fputs("fork failed\n", stderr); exit(1) }

// MARK: - The client

let config = "{[LOGGER];logsw=;[HOST1];host=127.0.0.1;port=\(port);linkNum=-\(threads);timeout=5}"
let client: CACipherClient
do {
    client = try CACipherClient.open(fileOrContent: config)
} catch {
    fputs("open: \(error)\n", stderr)
    kill(server, SIGTERM)
    exit(1)
}
var handle: OpaquePointer?
guard CACipher_Open(config, &handle) == 0, handle != nil else {
    fputs("CACipher_Open failed\n", stderr)
    kill(server, SIGTERM)
    exit(1)
}

// The vendor API on the same group: initialised with the same configuration, a device on
// the member's address (served by the group), one session.
var tassDevice: UnsafeMutableRawPointer?
var tassSession: UnsafeMutableRawPointer?
if mode == "tass-random" {
    var cfg = Array(config.utf8CString)
    var ip = Array("127.0.0.1".utf8CString)
    guard SDF_HsmApiInit(&cfg) == 0, SDF_OpenDevice(&tassDevice, &ip, Int32(port)) == 0,
          SDF_OpenSession(tassDevice, &tassSession) == 0 else {
        fputs("SDF_HsmApiInit / SDF_OpenDevice / SDF_OpenSession failed\n", stderr)
        kill(server, SIGTERM)
        exit(1)
    }
}

let data16 = Array("0123456789ABCDEF".utf8)
let b2Payload = Array("B20010".utf8) + data16
let expected = Array("B300".utf8) + data16
let macKey = KeyField.encrypted(scheme: .doubleVariant, material: [UInt8](repeating: 0x11, count: 16))
let macData = [UInt8](repeating: 0x42, count: 64)

/// One call of the chosen path; false when the reply is not what the server sends.
@inline(never)
func oneCall(_ rsp: UnsafeMutableRawPointer) -> Bool {
    switch mode {
    case "transmit":
        guard let r = try? client.transmit(b2Payload) else { return false }
        return r == expected
    case "capi":
        var n = 64
        let rc = b2Payload.withUnsafeBufferPointer { CACipher_Transmit(handle, $0.baseAddress, $0.count, rsp, &n) }
        return rc == 0 && n == expected.count
    case "capi-random":
        var n = 64
        return CACipher_Random(handle, 8, rsp, &n) == 0 && n == 8
    case "tass-random":
        let out = rsp.assumingMemoryBound(to: CChar.self)
        return SDF_GenerateRandom(tassSession, 8, out) == 0 && out[16] == 0
    case "mac":
        guard let m = try? client.generateMAC(key: macKey, algorithm: .alg3, padding: .zeros, data: macData) else { return false }
        return m.count == 8
    default:
        guard let e = try? client.echo(data16) else { return false }
        return e == data16
    }
}

/// `count` awaited transmits from one task; the calling thread waits for it (async mode).
func runAsync(_ count: Int) -> Int {
    let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    sem_init(done, 0, 0)
    defer { sem_destroy(done); done.deallocate() }
    let bad = Counter()
    Task.detached {
        var n = 0
        for _ in 0..<count where (try? await client.transmit(b2Payload)) != expected { n += 1 }
        bad.add(n)
        sem_post(done)
    }
    while sem_wait(done) != 0 {}
    return bad.value
}

func run(_ count: Int) -> Int {
    if mode == "async" { return runAsync(count) }
    let rsp = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 8)
    defer { rsp.deallocate() }
    var bad = 0
    for _ in 0..<count where !oneCall(rsp) { bad += 1 }
    return bad
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

// Warm-up on every thread's connection (opens the pool, runs the DMK check).
final class Counter: @unchecked Sendable {
    var value = 0
    let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    init() { pthread_mutex_init(m, nil) }
    func add(_ n: Int) { pthread_mutex_lock(m); value += n; pthread_mutex_unlock(m) }
}

func runThreads(_ count: Int) -> Int {
    let failures = Counter()
    if threads == 1 { return run(count) }
    let ids = (0..<threads).map { _ in spawnThread { failures.add(run(count)) } }
    for t in ids { pthread_join(t, nil) }
    return failures.value
}

_ = runThreads(warmup)
let t0 = now()
let bad = runThreads(calls)
let seconds = now() - t0
let total = calls * threads
print("mode=\(mode) threads=\(threads) calls=\(total) seconds=\(format3(seconds)) calls/s=\(Int(Double(total) / max(seconds, 1e-9))) failed=\(bad)")

func format3(_ x: Double) -> String {
    let ms = Int((x * 1000).rounded())
    let frac = ms % 1000
    return "\(ms / 1000)." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + "\(frac)"
}

_ = CACipher_Close(handle)
client.close()
kill(server, SIGTERM)
var status: Int32 = 0
waitpid(server, &status, 0)
exit(bad == 0 ? 0 : 1)
