import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import HSMNet

/// Measures host commands per second against an in-process listener over loopback
/// (`evsm --bench`, `make bench-evsm`; a target of its own, apart from the servers). Not
/// part of the tests.
public enum HostBenchmark {
    /// Runs each command for `seconds` on 1 and on 8 connections, and handled directly on
    /// this thread, and prints a table.
    /// `only`: a row-name prefix (`"EW"`): only those commands (and their thread-pool rows).
    public static func run(seconds: Double = 2, connections: [Int] = [1, 8], only: String? = nil,
                           print out: (String) -> Void = { Swift.print($0) }) throws {
        let device = try Device(stateDirectory: nil, mode: .testLMK)
        let server = EVSMHostServer()
        let port = try server.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0)
        defer { server.stop() }
        // The same device behind a listener that runs every request on its thread pool (the
        // dispatch before requests ran on the event loop): the comparison rows.
        let poolServer = EVSMHostServer()
        let poolPort = try poolServer.start(device: device, host: "127.0.0.1", port: 0, headerLength: 0, dispatch: .threadPool)
        defer { poolServer.stop() }

        // Keys made by the device itself (no clear keys needed).
        func ask(_ payload: [UInt8]) throws -> [UInt8] {
            let r = device.handle(body: payload, headerLength: 0)
            guard r.count >= 4, r[2] == 0x30, r[3] == 0x30 else { throw BenchmarkError.setup }
            return Array(r[4...])
        }
        let zpk1 = try GenerateKeyResponse.decodeAll(try ask(try GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant).payload())).keyUnderLMK
        let zpk2 = try GenerateKeyResponse.decodeAll(try ask(try GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant).payload())).keyUnderLMK
        let zak = try GenerateKeyResponse.decodeAll(try ask(try GenerateKeyRequest(keyType: .zak, lmkScheme: .doubleVariant).payload())).keyUnderLMK
        // An SM4 ZAK: its LMK form carries an authenticator checked on every use.
        let sm4ZAK = try GenerateKeyResponse.decodeAll(try ask(try GenerateKeyRequest(keyType: .zak, lmkScheme: .sm4).payload())).keyUnderLMK
        let sm2 = try SM2GenerateResponse.decodeAll(try ask(try SM2GenerateRequest().payload()))
        let rsa = try RSAGenerateResponse.decodeAll(try ask(try RSAGenerateRequest(modulusBits: 2048).payload()))
        let rsaSign = RSASignRequest(hash: 6, data: [UInt8](repeating: 0x44, count: 32), privateKey: .inline(rsa.privateKeyUnderLMK))
        let rsaSig = try RSADataResponse.decodeAll(try ask(try rsaSign.payload())).data
        // A valid PIN block under zpk1: made with JG from a PIN under LMK.
        let acct = "123456789012"
        let pinLMK = try PINUnderLMKResponse.decodeAll(try ask(try EncryptPINRequest(pin: "1234", account: acct).payload())).pinUnderLMK
        let block = try PINBlockResponse.decodeAll(try ask(try PINFromLMKRequest(zpk: zpk1, format: 1, account: acct, pinUnderLMK: pinLMK).payload())).pinBlock

        // An MDK and a valid ARQC: the K4 script MAC of the same data is the ARQC (same session key and MAC).
        let mdk = try GenerateKeyResponse.decodeAll(try ask(try GenerateKeyRequest(keyType: .mkAC, lmkScheme: .doubleVariant).payload())).keyUnderLMK
        let txn = [UInt8](repeating: 0x44, count: 32)
        let arqc = try ScriptMACResponse.decodeAll(try ask(try ScriptMACRequest(IssuerScriptFields(mdk: mdk, pan: "1234567890123445", atc: [0, 1], data: txn)).payload())).mac

        let all: [(String, [UInt8])] = [
            ("B2 echo 16 bytes", try EchoRequest(data: [UInt8](repeating: 0x41, count: 16)).payload()),
            ("CC PIN ZPK->ZPK", try TranslatePINRequest(PINTranslation(sourceKey: zpk1, destinationKey: zpk2, maxPINLength: 12, pinBlock: block,
                                                                     sourceFormat: 1, destinationFormat: 1, account: acct)).payload()),
            ("M6 MAC 64 bytes", try GenerateMACRequest(MACFields(inputFormat: 0, macSize: 1, algorithm: 3, padding: 2, keyType: .zak, key: zak,
                                                                 data: [UInt8](repeating: 0x42, count: 64))).payload()),
            ("M6 MAC 64 B, SM4 ZAK", try GenerateMACRequest(MACFields(inputFormat: 0, macSize: 1, algorithm: 1, padding: 2, keyType: .zak, key: sm4ZAK,
                                                                      data: [UInt8](repeating: 0x42, count: 64))).payload()),
            ("A0 generate ZPK", try GenerateKeyRequest(keyType: .zpk, lmkScheme: .doubleVariant).payload()),
            ("K6 ARQC verify 32 B", try ARQCRequest(mode: .verify, mdk: mdk, pan: "1234567890123445", atc: [0, 1], data: txn, arqc: arqc).payload()),
            ("E5 SM2 sign", try SM2SignRequest(key: .carried(der: sm2.publicKeyDER, privateKey: sm2.privateKeyUnderLMK), userID: [], data: [UInt8](repeating: 0x43, count: 32)).payload()),
            ("EW RSA-2048 sign", try rsaSign.payload()),
            ("EY RSA-2048 verify", try RSAVerifyRequest(hash: 6, signature: rsaSig, data: rsaSign.data, publicKey: .inline(rsa.publicKey)).payload()),
        ]
        let commands = all.filter { only == nil || $0.0.hasPrefix(only!) }
        out("evsm host benchmark: in-process listener on 127.0.0.1:\(port), \(seconds)s per cell, commands/second")
        out("(direct: the command handled on the calling thread, no socket, per CPU second of that thread: the device's own cost)")
        out("command".padding(toLength: 22, withPad: " ", startingAt: 0) + connections.map { "\($0) conn".padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
            + "direct")
        for (name, payload) in commands {
            var row = name.padding(toLength: 22, withPad: " ", startingAt: 0)
            for n in connections {
                let rate = try measure(port: port, payload: payload, connections: n, seconds: seconds)
                row += String(format: "%-12.0f", rate)
            }
            row += String(format: "%.0f", try measureDirect(device: device, payload: payload, seconds: seconds))
            out(row)
        }
        // Comparison rows in the same run, for the cheapest and the costliest command (no
        // direct column: the handler is the same).
        let compared = [("B2", "B2 echo"), ("EW", "EW RSA-2048")]
        func rows(_ tag: String, _ heading: String, _ cells: ([UInt8]) throws -> [Double]) throws {
            out(heading)
            for (name, payload) in commands {
                guard let short = compared.first(where: { name.hasPrefix($0.0) })?.1 else { continue }
                out("\(tag): \(short)".padding(toLength: 22, withPad: " ", startingAt: 0)
                    + (try cells(payload)).map { String(format: "%-12.0f", $0) }.joined() + "-")
            }
        }
        // The thread-pool dispatch: what the event-loop dispatch saves.
        try rows("pool", "thread-pool dispatch (every request event loop -> pool -> event loop), same device:") { p in
            try connections.map { try measure(port: poolPort, payload: p, connections: $0, seconds: seconds) }
        }
        // One connection with two requests in flight (replies come in order): the reply's
        // round trip overlaps the next request's work, so this is the listener's own rate on
        // one connection (its event loop, one core), not the client's wake-up time.
        try rows("pipe2", "one connection, two requests in flight (pipelined), same listener:") { p in
            [try measurePipelined(port: port, payload: p, depth: 2, seconds: seconds)]
        }
        // The same listener with clients that busy-poll for the reply.
        try rows("spin", "spinning clients (busy-poll the socket for the reply, as a load generator does), same listener:") { p in
            try connections.map { try measure(port: port, payload: p, connections: $0, seconds: seconds, spinning: true) }
        }
    }

    /// Commands per CPU second of `device.handle` called in a loop on this thread (no socket,
    /// no event loop) for `seconds` of wall-clock time: what the command costs the device
    /// itself. Per CPU second of this thread (CLOCK_THREAD_CPUTIME_ID), as `openssl speed`
    /// counts by default, so other load on the machine does not lower it.
    static func measureDirect(device: Device, payload: [UInt8], seconds: Double) throws -> Double {
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let deadline = Date().addingTimeInterval(seconds)
        let cpu0 = cpu()
        var count = 0
        while Date() < deadline {
            let r = device.handle(body: payload, headerLength: 0)
            guard r.count >= 4, r[2] == 0x30, r[3] == 0x30 else { throw BenchmarkError.reply }
            count += 1
        }
        let used = cpu() - cpu0
        return used > 0 ? Double(count) / used : 0
    }

    enum BenchmarkError: Error { case setup, connect, reply }

    static func measure(port: Int, payload: [UInt8], connections: Int, seconds: Double, spinning: Bool = false) throws -> Double {
        var frame: [UInt8] = []
        try FrameCodec.encode(header: [UInt8](), payload: payload, into: &frame)
        let lock = NSLock()
        var total = 0
        var failed = false
        let deadline = Date().addingTimeInterval(seconds)
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: connections) { _ in
            if spinning {
                guard let c = SpinningClient(port: port) else { lock.withLock { failed = true }; return }
                var count = 0
                var reply = [UInt8](repeating: 0, count: 65_537)
                while Date() < deadline {
                    guard c.sendAll(frame), c.readFrame(&reply) else { lock.withLock { failed = true }; break }
                    count += 1
                }
                lock.withLock { total += count }
                return
            }
            guard let stream = connectLoopback(port: port) else { lock.withLock { failed = true }; return }
            defer { stream.close() }
            var count = 0
            var reply = [UInt8](repeating: 0, count: 65_537)
            while Date() < deadline {
                guard sendAll(stream, frame), readFrame(stream, &reply) else { lock.withLock { failed = true }; break }
                count += 1
            }
            lock.withLock { total += count }
        }
        if failed { throw BenchmarkError.reply }
        return Double(total) / Date().timeIntervalSince(start)
    }

    /// Replies per second on one connection that keeps `depth` requests in flight.
    static func measurePipelined(port: Int, payload: [UInt8], depth: Int, seconds: Double) throws -> Double {
        var frame: [UInt8] = []
        try FrameCodec.encode(header: [UInt8](), payload: payload, into: &frame)
        guard let stream = connectLoopback(port: port) else { throw BenchmarkError.connect }
        defer { stream.close() }
        var reply = [UInt8](repeating: 0, count: 65_537)
        for _ in 0..<depth { guard sendAll(stream, frame) else { throw BenchmarkError.reply } }
        let start = Date()
        let deadline = start.addingTimeInterval(seconds)
        var count = 0
        while Date() < deadline {
            guard readFrame(stream, &reply), sendAll(stream, frame) else { throw BenchmarkError.reply }
            count += 1
        }
        let elapsed = Date().timeIntervalSince(start)
        for _ in 0..<depth { guard readFrame(stream, &reply) else { throw BenchmarkError.reply } }
        return Double(count) / elapsed
    }

    /// Seconds a benchmark connection waits for its connect or one reply.
    static let timeoutMilliseconds = 5000

    /// A TCP connection to the listener (HSMNet's connector: TCP_NODELAY, close-on-exec).
    static func connectLoopback(port: Int) -> ByteStream? {
        try? TCPConnector(host: "127.0.0.1", port: port).connect(deadline: .after(milliseconds: timeoutMilliseconds))
    }

    static func sendAll(_ stream: ByteStream, _ b: [UInt8]) -> Bool {
        do {
            try b.withUnsafeBytes { try stream.sendAll($0, deadline: .after(milliseconds: timeoutMilliseconds)) }
            return true
        } catch {
            return false
        }
    }

    static func readExactly(_ stream: ByteStream, _ buf: inout [UInt8], _ n: Int) -> Bool {
        let deadline = Deadline.after(milliseconds: timeoutMilliseconds)
        var got = 0
        while got < n {
            do {
                got += try buf.withUnsafeMutableBytes { raw in
                    try stream.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[got..<n]), deadline: deadline)
                }
            } catch {
                return false
            }
        }
        return true
    }

    /// Reads one reply frame; true when its error code is `00`.
    static func readFrame(_ stream: ByteStream, _ buf: inout [UInt8]) -> Bool {
        guard readExactly(stream, &buf, 2) else { return false }
        let n = FrameCodec.bodyLength(buf[0], buf[1])
        guard n >= 4, readExactly(stream, &buf, n) else { return false }
        return buf[2] == 0x30 && buf[3] == 0x30
    }
}
