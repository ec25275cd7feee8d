// vsmctl: the DMK ceremony tool (the vendor's VsmManager "Key management" menu) for evsm
// devices, over the TLS management port. See docs/ceremony.md.
import ArgumentParser
import EVSMKit
import EVSMServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

setvbuf(stdout, nil, _IOLBF, 0)

struct VSMCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vsmctl",
        abstract: "DMK ceremony for evsm devices: original and recovery initialisation, UKEYs, DMK check values.",
        subcommands: [Init.self, DMK.self, UKEY.self, DeviceCmd.self])
}

/// How to reach a device's management port.
struct DeviceOptions: ParsableArguments {
    @Option(name: .long, help: "The device's management port, HOST:PORT (e.g. 127.0.0.1:9101).")
    var device: String

    @Option(name: [.customLong("pin"), .customLong("fingerprint")],
            help: "Pinned device certificate fingerprint, SHA256:<64 hex>. A device presenting another certificate is refused.")
    var fingerprint: String?

    func endpoint() throws -> (String, Int) {
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

    func connect(quiet: Bool = false) throws -> ManagementClient {
        let (h, p) = try endpoint()
        let c = try ManagementClient(host: h, port: p, pin: fingerprint)
        if !quiet {
            let how = fingerprint == nil ? "NOT pinned; check it against the one evsm printed, then pass --pin" : "pinned"
            FileHandle.standardError.write(Data("device \(device) certificate \(c.fingerprint) (\(how))\n".utf8))
        }
        return c
    }
}

struct PINOptions: ParsableArguments {
    @Option(name: .customLong("pin-fd"), help: "Read UKEY PINs from this file descriptor, one per line, in the order asked.")
    var pinFD: Int32?

    @Option(name: .customLong("pin-env"), help: "Read UKEY PINs from this environment variable, newline-separated, in the order asked.")
    var pinEnv: String?

    func source() throws -> PINSource { try PINSource(fd: pinFD, env: pinEnv) }
}

func fail(_ e: Error) -> Never {
    let text: String
    if let c = e as? CeremonyError { text = c.message + " [" + c.code.rawValue + "]" } else { text = "\(e)" }
    FileHandle.standardError.write(Data("vsmctl: \(text)\n".utf8))
    exit(1)
}

func say(_ s: String) { print(s) }

func parseScheme(_ s: String) throws -> (Int, Int) {
    guard let v = AuthorisationScheme.parse(s) else { throw ValidationError("authorisation scheme must be K-of-N, e.g. 2-of-3") }
    return (v.threshold, v.count)
}

/// Shows the device's state and asks before an erase (unless --yes).
func confirmErase(_ op: ManagementOperator, _ device: String, yes: Bool, what: String) throws -> Bool {
    let st = try op.status()
    let state = st.bool("initialised") ? "initialised, DMK check value \(st.string("dmkCheckValue") ?? "?")" : "not initialised"
    say("device \(device): \(state)")
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

        func run() throws {
            do {
                let (k, m) = try parseScheme(auth)
                let src = try pins.source()
                let op = ManagementOperator(client: try target.connect(), pinSource: src.pin, progress: say)
                _ = try confirmErase(op, target.device, yes: yes, what: "Original initialisation")
                let out = try op.originalInitialise(components: components, threshold: k, shares: m, ukeyDirectory: ukeyDir,
                                                    authorising: authorise, confirmErase: true)
                say("original initialisation done: ceremony \(out.ceremonyID ?? "-"), authorisation set \(out.authorisationSetID)")
                say("DMK check value \(target.device) \(out.dmkCheckValue)")
            } catch { fail(error) }
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

        func validate() throws {
            guard (syncAuth == nil) != (newAuth == nil) else { throw ValidationError("give exactly one of --sync-auth FILE or --new-auth K-of-N") }
            if newAuth != nil && ukeyDir == nil { throw ValidationError("--new-auth needs --ukey-dir DIR for the new UKEYs") }
        }

        func run() throws {
            do {
                let choice: ManagementOperator.AuthorisationChoice
                if let s = syncAuth { choice = .synchronise(s) } else {
                    let (k, m) = try parseScheme(newAuth ?? "")
                    choice = .new(threshold: k, shares: m, directory: ukeyDir ?? ".")
                }
                let src = try pins.source()
                let op = ManagementOperator(client: try target.connect(), pinSource: src.pin, progress: say)
                _ = try confirmErase(op, target.device, yes: yes, what: "Recovery initialisation")
                let out = try op.recover(components: component, authorisation: choice, authorising: authorise, confirmErase: true)
                say("recovery initialisation done: ceremony \(out.ceremonyID ?? "-"), authorisation set \(out.authorisationSetID)")
                say("DMK check value \(target.device) \(out.dmkCheckValue)")
            } catch { fail(error) }
        }
    }
}

struct DMK: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dmk", abstract: "DMK queries.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the device's DMK check value (compare it across devices).")
        @OptionGroup var target: DeviceOptions
        func run() throws {
            do {
                let op = ManagementOperator(client: try target.connect(quiet: true), pinSource: { _, _ in [] })
                say("DMK check value \(target.device) \(try op.dmkCheckValue())")
            } catch { fail(error) }
        }
    }
}

struct UKEY: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ukey", abstract: "UKEY files.", subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show UKEYs' public part (no PIN needed).")
        @Argument(help: "UKEY files.") var files: [String]
        func run() throws {
            var bad = false
            for f in files {
                do { say(try UKEYFile.status(f).description) } catch {
                    bad = true
                    FileHandle.standardError.write(Data("vsmctl: \((error as? CeremonyError)?.message ?? "\(f): \(error)")\n".utf8))
                }
            }
            if bad { throw ExitCode(1) }
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
        func run() throws {
            do {
                if let dir = state {
                    say(try ManagementIdentity.fingerprint(ofCertificateIn: dir))
                } else if let d = device {
                    var o = try DeviceOptions.parse(["--device", d])
                    o.fingerprint = nil
                    say(try o.connect(quiet: true).fingerprint)
                } else {
                    throw ValidationError("give --device HOST:PORT or --state DIR")
                }
            } catch let e as ValidationError { throw e } catch { fail(error) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the device is initialised, its DMK check value and authorisation set.")
        @OptionGroup var target: DeviceOptions
        func run() throws {
            do {
                let op = ManagementOperator(client: try target.connect(), pinSource: { _, _ in [] })
                let st = try op.status()
                say("device \(target.device): \(st.bool("initialised") ? "initialised" : "not initialised")")
                if let cv = st.string("dmkCheckValue") { say("DMK check value \(target.device) \(cv)") }
                if let a = st["authorisation"] as? [String: Any] {
                    say("authorisation set \(a["setID"] as? String ?? "?"), quorum \(a["threshold"] as? Int ?? 0)-of-\(a["count"] as? Int ?? 0)")
                }
                if st.bool("busy") { say("busy: \(st.string("step") ?? "ceremony session in progress")") }
            } catch { fail(error) }
        }
    }
}

VSMCtl.main()
