import COpenSSL
import HostProtocol
import HSMNet

/// One connection to one HSM: sends a request frame, reads exactly one reply frame.
///
/// Buffers are kept for the life of the connection (no per-command allocation beyond the
/// returned reply). Any transport problem marks the connection `broken`; its owner closes
/// it and never reuses it.
final class Connection {
    private let stream: ByteStream
    let headerLength: Int
    /// Largest reply body accepted (length prefix excluded).
    let maxReplyLength: Int
    /// Whether it belongs to a pool (long-lived) or is a short-lived overflow connection.
    let pooled: Bool
    /// The pool generation it was opened in (a forked child starts a new generation).
    let generation: Int
    private(set) var broken = false
    /// Whether this connection's peer has passed the DMK guard (`NC`). A pooled connection
    /// is checked once, before its first command: a member restarted or re-initialised
    /// behind the client's back is caught on the new connections it needs. Only the thread
    /// that checked the connection out touches it.
    var dmkChecked = false

    // Only the thread that checked the connection out touches them, and only by swapping
    // them into locals for one exchange: no run-time exclusivity bookkeeping needed.
    // (`private(set)`: tests read them to check they hold no secret after an exchange.)
    @exclusivity(unchecked) private(set) var outBuffer: [UInt8] = []
    @exclusivity(unchecked) private(set) var inBuffer: [UInt8]
    private let header: [UInt8]
    /// The stream when it can be served by the reactor (`NonBlockingByteStream`).
    private let nonBlocking: NonBlockingByteStream?
    // The exchange in progress without waiting (the reactor path): its command, the bytes
    // of the frame sent and of the reply read so far.
    private var pendingCommand: CommandCode?
    private var pendingSent = 0
    private var pendingFilled = 0

    /// Interrupts an exchange in progress on another thread (see `ByteStream.interrupt`).
    func interrupt() { stream.interrupt() }

    init(stream: ByteStream, headerLength: Int, maxReplyLength: Int, pooled: Bool, generation: Int) {
        self.stream = stream
        self.nonBlocking = stream as? NonBlockingByteStream
        self.headerLength = headerLength
        self.maxReplyLength = max(4 + headerLength, min(maxReplyLength, FrameCodec.maxBodyLength))
        self.pooled = pooled
        self.generation = generation
        self.header = [UInt8](repeating: UInt8(ascii: "0"), count: headerLength)
        self.inBuffer = [UInt8](repeating: 0, count: 1024)
        outBuffer.reserveCapacity(256)
    }

    /// Sends `payload` (command code + fields) and returns the checked reply: the bytes from
    /// the response code on (`RSP ERR FIELDS`) and its error code, whatever it is.
    ///
    /// - Throws: `TransportFailure` (`.timeout`, `.io`, `.badFrame`: also a reply that does
    ///   not answer `command`); the connection is then broken.
    func exchange(_ payload: [UInt8], command: CommandCode, timeoutMs: Int) throws -> CheckedReply {
        try exchange(payload, command: command, timeoutMs: timeoutMs, hedgeAt: nil, onSlow: {})
    }

    /// The same; when `hedgeAt` is set and no reply byte has arrived by then, `onSlow` runs
    /// once (on this thread) and the wait goes on to the read timeout. Another thread may
    /// end that wait with `interrupt()`.
    func exchange(_ payload: [UInt8], command: CommandCode, timeoutMs: Int, hedgeAt: Deadline?,
                  onSlow: () -> Void) throws -> CheckedReply {
        guard !broken else { throw TransportFailure(.io, "connection is broken", notSent: true) }
        do {
            return try exchangeUnchecked(payload, command: command, deadline: .after(milliseconds: timeoutMs),
                                         timeoutMs: timeoutMs, hedgeAt: hedgeAt, onSlow: onSlow)
        } catch let f as TransportFailure {
            broken = true
            throw f
        } catch {
            broken = true
            throw TransportFailure(.internal, "\(error)", notSent: false)
        }
    }

    private func exchangeUnchecked(_ payload: [UInt8], command: CommandCode, deadline: Deadline,
                                   timeoutMs: Int, hedgeAt: Deadline?, onSlow: () -> Void) throws -> CheckedReply {
        // Work on the buffers as locals (moved out, moved back whatever happens): no access
        // to a stored property spans a call into the stream, so the optimiser can drop the
        // run-time exclusivity checks on them.
        var out: [UInt8] = []
        swap(&out, &outBuffer)
        defer { swap(&out, &outBuffer) }
        var input: [UInt8] = []
        swap(&input, &inBuffer)
        defer { swap(&input, &inBuffer) }
        var filled = 0
        // Requests and replies may carry clear PINs (BA, NG) and these buffers live as long
        // as the connection: the bytes used are zeroed after every exchange (this defer runs
        // first, before the buffers are moved back).
        defer { SecureBytes.wipe(&out); SecureBytes.wipe(&input, prefix: filled) }

        out.removeAll(keepingCapacity: true)
        do {
            try FrameCodec.encode(header: header, payload: payload, into: &out)
        } catch {
            throw TransportFailure(.invalidArgument, "request too long: \(error)", notSent: true)
        }
        try out.withUnsafeBytes { try stream.sendAll($0, deadline: deadline) }
        if let h = hedgeAt, h < deadline, !stream.awaitReadable(until: h) { onSlow() }

        while true {
            try growIfFull(&input, filled)
            let n: Int
            do {
                n = try input.withUnsafeMutableBytes { raw in
                    try stream.receive(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]), deadline: deadline)
                }
            } catch var f as TransportFailure {
                if f.code == .timeout { f.message = Self.readTimeoutMessage(timeoutMs) }
                throw f
            }
            filled += n
            if let reply = try parsedReply(input, filled, answering: command) { return reply }
        }
    }

    static func readTimeoutMessage(_ timeoutMs: Int) -> String {
        "no complete reply within \(timeoutMs) ms (read timeout)"
    }

    /// Grows a full reply buffer to what the length prefix announced (at most the limit).
    private func growIfFull(_ input: inout [UInt8], _ filled: Int) throws {
        guard filled == input.count else { return }
        // Grow to what the prefix announced (split has checked it against the limit).
        let announced = filled >= 2 ? 2 + FrameCodec.bodyLength(input[0], input[1]) : 2
        let newCount = min(max(announced, input.count * 2), 2 + maxReplyLength)
        guard newCount > input.count else {
            throw TransportFailure(.badFrame, "reply longer than \(maxReplyLength) bytes", notSent: false)
        }
        input.append(contentsOf: repeatElement(0, count: newCount - input.count))
    }

    /// The checked reply once `input[..<filled]` holds a whole frame (`nil`: not yet). The
    /// one reply check of both the blocking and the reactor path.
    private func parsedReply(_ input: [UInt8], _ filled: Int, answering command: CommandCode) throws -> CheckedReply? {
        let frame: (body: Range<Int>, consumed: Int)?
        do {
            frame = try FrameCodec.split(input[0..<filled], limit: maxReplyLength)
        } catch {
            var f = TransportFailure(.badFrame, "bad reply frame: \(error)", notSent: false)
            f.frameUnreadable = true
            throw f
        }
        guard let frame else { return nil }
        guard frame.consumed == filled else {
            var f = TransportFailure(.badFrame, "\(filled - frame.consumed) unexpected bytes after the reply frame",
                                     notSent: false)
            f.frameUnreadable = true
            throw f
        }
        let code: HostErrorCode
        do {
            code = try HostResponse.check(body: input[frame.body], header: header, answering: command)
        } catch {
            var f = TransportFailure(.badFrame, "bad reply to \(command): \(error)\(Self.headerHint(error, headerLength))", notSent: false)
            switch error as? FrameError {
            case .unexpectedResponseCode?, .badErrorCode?: break
            default: f.frameUnreadable = true  // too short, header not echoed
            }
            throw f
        }
        return CheckedReply(code: code, bytes: Array(input[(frame.body.lowerBound + headerLength)..<frame.body.upperBound]))
    }

    // MARK: - Without waiting (the async API's reactor path)

    /// The socket a `ReadinessReactor` can wait on; `nil` for a stream without one (TLS,
    /// test doubles): such a connection takes the blocking path.
    var reactorDescriptor: Int32? {
        guard let s = nonBlocking, !broken else { return nil }
        let fd = s.descriptor
        return fd >= 0 ? fd : nil
    }

    /// Starts an exchange without waiting: encodes the frame into the connection's buffer
    /// and sends what the socket takes now. Returns `true` when the whole frame left
    /// (`continueSendNow` sends the rest after the socket became writable). Then
    /// `receiveNow` reads the reply as it arrives; `endExchangeNow` ends the exchange
    /// however it went. Only the connection's current owner calls these (the calling task's
    /// thread, then the reactor's, handed over by the reactor's lock).
    ///
    /// - Throws: `TransportFailure` (`.invalidArgument`, `.io`, all `notSent`); the
    ///   connection is then broken.
    func startExchangeNow(_ payload: [UInt8], command: CommandCode) throws -> Bool {
        guard !broken, nonBlocking != nil else { throw TransportFailure(.io, "connection is broken", notSent: true) }
        pendingCommand = command
        pendingSent = 0
        pendingFilled = 0
        outBuffer.removeAll(keepingCapacity: true)
        do {
            try FrameCodec.encode(header: header, payload: payload, into: &outBuffer)
        } catch {
            broken = true
            throw TransportFailure(.invalidArgument, "request too long: \(error)", notSent: true)
        }
        return try continueSendNow()
    }

    /// Sends more of the frame `startExchangeNow` began; `true` once all of it left.
    func continueSendNow() throws -> Bool {
        guard let s = nonBlocking else { throw TransportFailure(.io, "connection is broken", notSent: true) }
        do {
            let from = pendingSent
            pendingSent += try outBuffer.withUnsafeBytes { try s.sendNow(UnsafeRawBufferPointer(rebasing: $0[from...])) }
        } catch {
            broken = true
            throw error
        }
        return pendingSent == outBuffer.count
    }

    /// Reads what has arrived of the reply: the checked reply once complete, `nil` to wait
    /// for more. Throws as `exchange` does (the connection is then broken).
    func receiveNow() throws -> CheckedReply? {
        guard let s = nonBlocking, let command = pendingCommand else {
            throw TransportFailure(.io, "connection is broken", notSent: false)
        }
        do {
            while true {
                try growIfFull(&inBuffer, pendingFilled)
                let from = pendingFilled
                let n = try inBuffer.withUnsafeMutableBytes { try s.receiveNow(into: UnsafeMutableRawBufferPointer(rebasing: $0[from...])) }
                if n == 0 { return nil }
                pendingFilled += n
                if let reply = try parsedReply(inBuffer, pendingFilled, answering: command) { return reply }
            }
        } catch {
            broken = true
            throw (error as? TransportFailure) ?? TransportFailure(.internal, "\(error)", notSent: false)
        }
    }

    /// Ends the exchange begun by `startExchangeNow`: the bytes used in both buffers are
    /// zeroed (they may hold clear PINs). `broken`: it failed (the owner closes it).
    func endExchangeNow(broken failed: Bool) {
        if failed { broken = true }
        SecureBytes.wipe(&outBuffer)
        SecureBytes.wipe(&inBuffer, prefix: pendingFilled)
        pendingFilled = 0
        pendingSent = 0
        pendingCommand = nil
    }

    /// A reply whose header or reply code is off, or that is shorter than header + code +
    /// error code, is what an HSM with another message header length answers (it reads part
    /// of the header as the command, or the command as header): the message says which
    /// setting to compare.
    static func headerHint(_ error: Error, _ headerLength: Int) -> String {
        switch error as? FrameError {
        case .headerMismatch?, .unexpectedResponseCode?, .truncated?:
            return " (check that msgheadlength=\(headerLength) is the HSM's message header length)"
        default:
            return ""
        }
    }

    /// Whether an idle connection may carry another request.
    var isReusable: Bool { !broken && !stream.isStale() }

    func close() {
        broken = true
        stream.close()
    }

    /// Drops the descriptor without touching the wire (forked child).
    func abandon() {
        broken = true
        stream.abandon()
    }
}
