// vsmctl: the DMK ceremony tool (the vendor's VsmManager "Key management" menu) for evsm
// devices, over the TLS management port. See docs/ceremony.md.
import ArgumentParser
import Foundation
import VSMOperator
#if canImport(Glibc)
import Glibc
#endif

setvbuf(stdout, nil, _IOLBF, 0)

struct VSMCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vsmctl",
        abstract: "DMK ceremony for evsm devices: original and recovery initialisation, UKEYs, DMK check values.",
        discussion: "Exit statuses: 0 ok, 1 internal, 2 refused, 3 connect/timeout, 4 certificate/PIN/quorum, 5 file, 64 usage (docs/ceremony.md).",
        version: OperatorVersion.string,
        subcommands: [Init.self, DMK.self, UKEY.self, DeviceCmd.self])
}

/// How to reach a device's management port.
struct DeviceOptions: ParsableArguments {
    @Option(name: .long, help: "The device's management port, HOST:PORT (e.g. 127.0.0.1:9101).")
    var device: String

    @Option(name: [.customLong("pin"), .customLong("fingerprint")],
            help: "Pinned device certificate fingerprint, SHA256:<64 hex>. A device presenting another certificate is refused.")
    var fingerprint: String?

    @Option(help: "Seconds to wait for the connection, the TLS handshake and each answer (1...3600).")
    var timeout: Int = ManagementClient.defaultTimeoutSeconds

    func validate() throws {
        guard ManagementLimits.timeoutSeconds.contains(timeout) else { throw ValidationError("--timeout must be 1...3600 seconds") }
        _ = try Self.endpoint(device)  // a malformed --device is a usage error before anything else runs
    }

    /// HOST:PORT (or [IPv6]:PORT) of a `--device` value.
    static func endpoint(_ device: String) throws -> (String, Int) {
        var host = device, portText = ""
        if let i = device.lastIndex(of: ":") {
            host = String(device[..<i])
            portText = String(device[device.index(after: i)...])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else {
            throw ValidationError("--device must be HOST:PORT")
        }
        return (host, port)
    }

    func connect(_ report: Report) throws -> ManagementClient {
        try Self.connect(device: device, pin: fingerprint, timeout: timeout, report)
    }

    /// Connects; says on stderr (and in the report) which certificate the device presented
    /// and whether it was pinned, with a warning when it was not.
    static func connect(device: String, pin: String?, timeout: Int, _ report: Report) throws -> ManagementClient {
        let (h, p) = try endpoint(device)
        report["device"] = device
        let c = try ManagementClient(host: h, port: p, pin: pin, timeoutSeconds: timeout)
        report["certificate"] = ["fingerprint": c.fingerprint, "pinned": c.pinned]
        if c.pinned {
            report.note("device \(device) certificate \(c.fingerprint) (pinned)")
        } else {
            report.note("vsmctl: warning: device \(device) certificate \(c.fingerprint) is NOT pinned; check it against the one evsm printed, then pass --pin")
        }
        return c
    }
}

struct PINOptions: ParsableArguments {
    @Option(name: .customLong("pin-fd"), help: "Read UKEY PINs from this file descriptor, one per line, in the order asked.")
    var pinFD: Int32?

    @Option(name: .customLong("pin-env"), help: "Read UKEY PINs from this environment variable, newline-separated, in the order asked.")
    var pinEnv: String?

    func validate() throws {
        if pinFD != nil && pinEnv != nil { throw ValidationError("give --pin-fd or --pin-env, not both") }
    }

    func source() throws -> PINSource { try PINSource(fd: pinFD, env: pinEnv) }
}

func parseScheme(_ s: String) throws -> (Int, Int) {
    guard let v = ManagementLimits.parseScheme(s) else { throw ValidationError("authorisation scheme must be K-of-N, e.g. 2-of-3") }
    return (v.threshold, v.count)
}

/// Shows the device's state and asks before an erase (unless --yes).
func confirmErase(_ op: ManagementOperator, _ device: String, yes: Bool, what: String, _ report: Report) throws -> Bool {
    let st = try op.status()
    let state = st.initialised ? "initialised, DMK check value \(st.dmkCheckValue ?? "?")" : "not initialised"
    report.progress("device \(device): \(state)")
    if yes { return true }
    guard Terminal.confirm("\(what) ERASES EVERY KEY in device \(device).") else {
        throw CeremonyError(.eraseNotConfirmed, "erase not confirmed (answer 'yes' on the terminal, or pass --yes in scripts); nothing was changed")
    }
    return true
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Initialise a device (erases every key in it).",
                                                    subcommands: [Original.self, Recover.self])

    struct Original: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Original initialisation: fresh DMK, n component UKEYs and k-of-m authorisation UKEYs.",
            discussion: "PINs are asked in this order: authorising UKEYs (--authorise), new component UKEYs 1..n, new authorisation UKEYs 1..m.")
        @OptionGroup var target: DeviceOptions
        @OptionGroup var pins: PINOptions
        @Option(help: "Number of DMK component UKEYs (2...9).") var components: Int = 2
        @Option(help: "Authorisation scheme K-of-N.") var auth: String = "2-of-3"
        @Option(name: .customLong("ukey-dir"), help: "Directory for the new UKEY files.") var ukeyDir: String
        @Option(name: .customLong("authorise"), parsing: .upToNextOption,
                help: "Authorisation UKEYs of the device's current set (needed to re-initialise an initialised device).")
        var authorise: [String] = []
        @Flag(help: "Do not ask before erasing (scripts).") var yes = false
        @OptionGroup var output: OutputOptions

        func validate() throws { _ = try parseScheme(auth) }

        func run() throws {
            let report = Report("init original", output)
            do {
                let (k, m) = try parseScheme(auth)
                let src = try pins.source()
                // Connects only after the local steps (directory probe, UKEYs opened, PINs collected).
                let op = ManagementOperator(connect: { try target.connect(report) }, pinSource: src.pin, progress: report.progress)
                let out = try op.originalInitialise(components: components, threshold: k, shares: m, ukeyDirectory: ukeyDir,
                                                    authorising: authorise, confirmErase: true, confirm: {
                    _ = try confirmErase(op, target.device, yes: yes, what: "Original initialisation", report)
                })
                report.result("original initialisation done: ceremony \(out.ceremonyID ?? "-"), authorisation set \(out.authorisationSetID)")
                report.result("DMK check value \(target.device) \(out.dmkCheckValue)")
                outcome(out, report)
            } catch { report.fail(error) }
        }
    }

    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recovery initialisation: the DMK from the component UKEYs, then synchronised or new authorisation.",
            discussion: "PINs are asked in this order: authorising UKEYs (--authorise), component UKEYs in the order given, then the --sync-auth UKEY or the new authorisation UKEYs 1..m.")
        @OptionGroup var target: DeviceOptions
        @OptionGroup var pins: PINOptions
        @Option(name: .customLong("component"), parsing: .upToNextOption, help: "DMK component UKEY files (all n, any order).")
        var component: [String] = []
        @Option(name: .customLong("sync-auth"), help: "Synchronise authorisation from this authorisation UKEY of the existing set.")
        var syncAuth: String?
        @Option(name: .customLong("new-auth"), help: "Make a new authorisation set K-of-N for this device (e.g. 1-of-1).")
        var newAuth: String?
        @Option(name: .customLong("ukey-dir"), help: "Directory for the new authorisation UKEYs (with --new-auth).")
        var ukeyDir: String?
        @Option(name: .customLong("authorise"), parsing: .upToNextOption,
                help: "Authorisation UKEYs of the device's current set (needed when the device is initialised).")
        var authorise: [String] = []
        @Flag(help: "Do not ask before erasing (scripts).") var yes = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (syncAuth == nil) != (newAuth == nil) else { throw ValidationError("give exactly one of --sync-auth FILE or --new-auth K-of-N") }
            if newAuth != nil && ukeyDir == nil { throw ValidationError("--new-auth needs --ukey-dir DIR for the new UKEYs") }
            if let n = newAuth { _ = try parseScheme(n) }
        }

        func run() throws {
            let report = Report("init recover", output)
            do {
                let choice: ManagementOperator.AuthorisationChoice
                if let s = syncAuth { choice = .synchronise(s) } else {
                    let (k, m) = try parseScheme(newAuth ?? "")
                    choice = .new(threshold: k, shares: m, directory: ukeyDir ?? ".")
                }
                let src = try pins.source()
                // Connects only after the local steps (components opened and checked, PINs collected).
                let op = ManagementOperator(connect: { try target.connect(report) }, pinSource: src.pin, progress: report.progress)
                let out = try op.recover(components: component, authorisation: choice, authorising: authorise, confirmErase: true,
                                         confirm: {
                    _ = try confirmErase(op, target.device, yes: yes, what: "Recovery initialisation", report)
                })
                report.result("recovery initialisation done: ceremony \(out.ceremonyID ?? "-"), authorisation set \(out.authorisationSetID)")
                report.result("DMK check value \(target.device) \(out.dmkCheckValue)")
                outcome(out, report)
            } catch { report.fail(error) }
        }
    }
}

struct DMK: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dmk", abstract: "DMK queries.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the device's DMK check value (compare it across devices).")
        @OptionGroup var target: DeviceOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = Report("dmk check", output)
            do {
                let op = ManagementOperator(client: try target.connect(report), pinSource: { _, _ in [] })
                let cv = try op.dmkCheckValue()
                report["dmkCheckValue"] = cv
                report.result("DMK check value \(target.device) \(cv)")
            } catch { report.fail(error) }
            report.finish()
        }
    }
}

struct UKEY: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ukey", abstract: "UKEY files.", subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show UKEYs' public part (no PIN needed).")
        @Argument(help: "UKEY files.") var files: [String]
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = Report("ukey status", output)
            var worst = ExitStatus.ok
            var list: [[String: Any]] = []
            for f in files {
                do {
                    let st = try UKEYFile.status(f)
                    report.result(st.description)
                    list.append(ukeyJSON(st))
                } catch {
                    let status = ExitStatus.of(error)
                    if worst == .ok { worst = status }
                    report.note("vsmctl: \((error as? CeremonyError)?.message ?? "\(f): \(error)")")
                    let e: [String: Any] = ["code": ExitStatus.code(of: error), "kind": status.name, "message": Report.plain(error)]
                    if report["error"] == nil { report["error"] = e }  // the first failure, as its exit status
                    list.append(["file": f, "ok": false, "error": e])
                }
            }
            report["ukeys"] = list
            report.finish(ok: worst == .ok, status: worst)
        }
    }
}

struct DeviceCmd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "device", abstract: "Device management port.",
                                                    subcommands: [Fingerprint.self, Status.self])

    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a device's management certificate fingerprint (from the port, or from its state directory).")
        @Option(help: "The device's management port, HOST:PORT.") var device: String?
        @Option(help: "The device's state directory (reads mgmt-cert.pem there).") var state: String?
        @Option(help: "Seconds to wait for the connection, the TLS handshake and each answer (1...3600).")
        var timeout: Int = ManagementClient.defaultTimeoutSeconds
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (state == nil) != (device == nil) else { throw ValidationError("give --device HOST:PORT or --state DIR") }
            guard ManagementLimits.timeoutSeconds.contains(timeout) else { throw ValidationError("--timeout must be 1...3600 seconds") }
            if let d = device { _ = try DeviceOptions.endpoint(d) }
        }

        func run() throws {
            let report = Report("device fingerprint", output)
            do {
                let fp: String
                if let dir = state {
                    fp = try DeviceCertificate.fingerprint(ofCertificateIn: dir)
                    report["source"] = "state"
                    report["state"] = dir
                } else {
                    fp = try DeviceOptions.connect(device: device ?? "", pin: nil, timeout: timeout, report).fingerprint
                    report["source"] = "device"
                }
                report["fingerprint"] = fp
                report.result(fp)
            } catch { report.fail(error) }
            report.finish()
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the device is initialised, its DMK check value and authorisation set.")
        @OptionGroup var target: DeviceOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            let report = Report("device status", output)
            do {
                let op = ManagementOperator(client: try target.connect(report), pinSource: { _, _ in [] })
                let st = try op.status()
                report["initialised"] = st.initialised
                report["dmkCheckValue"] = st.dmkCheckValue
                report["busy"] = st.busy
                report["step"] = st.step
                report.result("device \(target.device): \(st.initialised ? "initialised" : "not initialised")")
                if let cv = st.dmkCheckValue { report.result("DMK check value \(target.device) \(cv)") }
                if let a = st.authorisation {
                    let setID = a.setID, k = a.threshold, n = a.count
                    report["authorisation"] = ["setID": setID, "threshold": k, "count": n]
                    report.result("authorisation set \(setID), quorum \(k)-of-\(n)")
                } else {
                    report["authorisation"] = nil
                }
                if st.busy { report.result("busy: \(st.step ?? "ceremony session in progress")") }
            } catch { report.fail(error) }
            report.finish()
        }
    }
}

/// The JSON fields of a finished initialisation.
func outcome(_ out: ManagementOperator.Outcome, _ report: Report) -> Never {
    report["dmkCheckValue"] = out.dmkCheckValue
    report["ceremonyID"] = out.ceremonyID
    report["authorisationSetID"] = out.authorisationSetID
    report["written"] = out.written
    report.finish()
}

/// The public part of a UKEY (what `ukey status` shows), as JSON.
func ukeyJSON(_ st: UKEYStatus) -> [String: Any] {
    ["file": st.path, "ok": true, "kind": st.kind.rawValue, "id": st.id, "index": st.index, "count": st.count,
     "threshold": st.threshold.map { $0 as Any } ?? NSNull(), "checkValue": st.checkValue.map { $0 as Any } ?? NSNull(),
     "failedTries": st.failedTries, "maxTries": st.maxTries, "triesLeft": st.triesLeft, "locked": st.locked,
     "iterations": st.iterations]
}

VSMCtl.main()
