// evsm: the emulated TASS/payShield-family HSM. Argument parsing and wiring only.
import ArgumentParser
import CACipherCore
import EVSMBench
import EVSMKit
import EVSMServer
import Foundation
import HostProtocol
import Logging

struct EVSM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evsm",
        abstract: "An emulated financial HSM (TASS SJJ1310 / payShield host commands).",
        discussion: "Prints 'evsm listening on HOST:PORT' when ready; SIGTERM or SIGINT stops it cleanly.",
        version: CACipherVersion.string)

    @Option(help: "Host port (0 = an ephemeral port, printed when ready).")
    var port: Int = 8018

    @Option(help: "Address to bind the host port to.")
    var bind: String = "127.0.0.1"

    @Option(name: .customLong("header-length"), help: "Message header length H (echoed in replies), 0...32.")
    var headerLength: Int = 0

    @Option(help: "State directory (sealed secure memory, device key). Without it the state is kept in memory only.")
    var state: String?

    @Flag(name: .customLong("test-lmk"), help: "Use the public payShield test LMK set (3DES results identical to a payShield test unit).")
    var testLMK = false

    @Option(name: .customLong("mgmt-port"), help: "Management port for vsmctl (TLS; 0 = ephemeral, printed when ready).")
    var mgmtPort: Int?

    @Option(name: .customLong("mgmt-bind"), help: "Address to bind the management port to.")
    var mgmtBind: String = "127.0.0.1"

    @Option(name: .customLong("tls-port"), help: "TLS host port beside the plain one (same protocol; 0 = ephemeral, printed when ready). Needs --tls-cert and --tls-key.")
    var tlsPort: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate (chain) of the TLS host port.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: "PEM CAs for client certificates: clients of the TLS port must present one (mutual TLS).")
    var tlsClientCA: String?

    // Connection limits (docs/evsm.md "Connection limits", docs/hardening.md).
    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection (host, TLS host, management port) may stay without traffic before evsm closes it; 0 = never.")
    var idleTimeout: Double = ServerLimits.host.idleTimeout

    @Option(name: .customLong("frame-timeout"), help: "Seconds from a frame's first byte to its last; a slower frame (slowloris, stalled partial frame) closes the connection; 0 = no limit.")
    var frameTimeout: Double = ServerLimits.host.frameTimeout

    @Option(name: .customLong("max-connections"), help: "Most connections open at once on each host port (plain, TLS); one more is accepted and closed at once, open ones keep being served.")
    var maxConnections: Int = ServerLimits.host.maxConnections

    @Option(name: .customLong("mgmt-max-connections"), help: "Most connections open at once on the management port.")
    var mgmtMaxConnections: Int = ServerLimits.management.maxConnections

    @Option(help: "Listen backlog of the host ports (the kernel caps it at net.core.somaxconn).")
    var backlog: Int = Int(ServerLimits.host.backlog)

    /// The limits of the host ports and of the management port from the flags above.
    var hostLimits: ServerLimits {
        ServerLimits(idleTimeout: idleTimeout, frameTimeout: frameTimeout, maxConnections: maxConnections, backlog: Int32(backlog))
    }
    var managementLimits: ServerLimits {
        ServerLimits(idleTimeout: idleTimeout, frameTimeout: frameTimeout, maxConnections: mgmtMaxConnections,
                     backlog: ServerLimits.management.backlog)
    }

    func validateLimits() throws {
        guard idleTimeout >= 0, idleTimeout <= 86400 else { throw ValidationError("--idle-timeout must be 0...86400 seconds") }
        guard frameTimeout >= 0, frameTimeout <= 3600 else { throw ValidationError("--frame-timeout must be 0...3600 seconds") }
        guard (1...1_000_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1...1000000") }
        guard (1...10_000).contains(mgmtMaxConnections) else { throw ValidationError("--mgmt-max-connections must be 1...10000") }
        guard (1...65535).contains(backlog) else { throw ValidationError("--backlog must be 1...65535") }
    }
    // End of the connection limits.

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    // metrics: evsm's own counters over HTTP GET /metrics (docs/evsm.md).
    @Option(name: .customLong("metrics-port"), help: "Serve evsm's counters (commands, errors, connections) as Prometheus text on HTTP GET /metrics (0 = ephemeral, printed when ready).")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-bind"), help: "Address to bind the metrics port to.")
    var metricsBind: String = "127.0.0.1"

    @Flag(help: "Benchmark mode: measure commands/second of B2, CC, M6, A0, K6, SM2 sign and RSA-2048 sign/verify on 1 and 8 connections against an in-process listener, then exit.")
    var bench = false

    @Option(name: .customLong("bench-seconds"), help: "Seconds per benchmark cell.")
    var benchSeconds: Double = 2

    @Option(name: .customLong("bench-only"), help: "Benchmark only the commands whose row name starts with this (e.g. EW), and their thread-pool rows.")
    var benchOnly: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...FrameCodec.maxHeaderLength).contains(headerLength) else {
            throw ValidationError("--header-length must be 0...\(FrameCodec.maxHeaderLength)")
        }
        if let m = mgmtPort { guard (0...65535).contains(m) else { throw ValidationError("--mgmt-port must be 0...65535") } }
        if let t = tlsPort {
            guard (0...65535).contains(t) else { throw ValidationError("--tls-port must be 0...65535") }
            guard tlsCert != nil, tlsKey != nil else { throw ValidationError("--tls-port needs --tls-cert and --tls-key") }
        } else if tlsCert != nil || tlsKey != nil || tlsClientCA != nil {
            throw ValidationError("--tls-cert, --tls-key and --tls-client-ca need --tls-port")
        }
        try validateLimits()
        if let m = metricsPort { guard (0...65535).contains(m) else { throw ValidationError("--metrics-port must be 0...65535") } }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() throws {
        if bench {
            LoggingSystem.bootstrap { label in
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = .warning
                return h
            }
            try HostBenchmark.run(seconds: max(0.1, benchSeconds), only: benchOnly)
            return
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "evsm")
        let device: Device
        do {
            device = try Device(stateDirectory: state, mode: testLMK ? .testLMK : .normal)
        } catch {
            throw ValidationError("cannot open the device state: \(error)")
        }
        logger.info("device ready", metadata: [
            "mode": "\(device.mode.rawValue)",
            "initialised": "\(device.isInitialised)",
            "dmk-check-value": "\(device.dmkCheckValue ?? "-")",
        ])
        let server = EVSMHostServer(logger: Logger(label: "evsm.host"))
        let bound = try server.start(device: device, host: bind, port: port, headerLength: headerLength,
                                     limits: hostLimits)

        // Management listener (ceremony module): TLS, device certificate kept in the state
        // directory (in memory only without --state); its fingerprint is printed for pinning.
        var management: ManagementServer?
        if let m = mgmtPort {
            do {
                let identity = try state.map { try ManagementIdentity.loadOrCreate(directory: $0) } ?? ManagementIdentity.ephemeral()
                let service = CeremonyService(device: device)
                let audit = Logger(label: "evsm.ceremony")
                service.audit = { audit.notice("\($0)") }
                let ms = ManagementServer(service: service, identity: identity, host: mgmtBind, port: m,
                                          logger: Logger(label: "evsm.mgmt"))
                ms.limits = managementLimits
                let mp = try ms.start()
                management = ms
                print("evsm management on \(mgmtBind):\(mp) certificate \(identity.fingerprint)")
            } catch {
                server.stop()
                throw ValidationError("cannot start the management listener: \(error)")
            }
        }

        // TLS host port (docs/tls.md): same protocol, device and header length as the plain port.
        var tlsServer: HostTLSServer?
        if let t = tlsPort, let cert = tlsCert, let key = tlsKey {
            do {
                let ts = HostTLSServer(logger: Logger(label: "evsm.tls"))
                ts.limits = hostLimits
                let tp = try ts.start(device: device, options: HostTLSOptions(certFile: cert, keyFile: key, clientCAFile: tlsClientCA),
                                      host: bind, port: t, headerLength: headerLength)
                tlsServer = ts
                print("evsm tls listening on \(bind):\(tp)")
            } catch {
                management?.stop()
                server.stop()
                throw ValidationError("cannot start the TLS host port: \(error)")
            }
        }

        // metrics: --metrics-port, HTTP GET /metrics with the device's counters.
        var metricsServer: MetricsHTTPServer?
        if let m = metricsPort {
            do {
                let ms = MetricsHTTPServer(text: { [device] in device.metrics.text() })
                let mp = try ms.start(host: metricsBind, port: m)
                metricsServer = ms
                print("evsm metrics on http://\(metricsBind):\(mp)/metrics")
            } catch {
                tlsServer?.stop()
                management?.stop()
                server.stop()
                throw ValidationError("cannot start the metrics port: \(error)")
            }
        }

        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { done.signal() }
            s.resume()
            sources.append(s)
        }
        // Ready line last, once SIGTERM/SIGINT are handled: scripts may signal right after it.
        print("evsm listening on \(bind):\(bound)")
        fflush(stdout)
        done.wait()
        logger.info("stopping")
        metricsServer?.stop()
        tlsServer?.stop()
        management?.stop()
        server.stop()
        sources.forEach { $0.cancel() }
    }
}

EVSM.main()
