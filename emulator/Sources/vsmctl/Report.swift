// What a vsmctl command prints. Text mode: result lines on stdout, progress on stdout,
// notes and warnings on stderr. `--json`: exactly one JSON object on stdout (keys in
// docs/ceremony.md, "JSON output"); progress, notes and warnings go to stderr.
import ArgumentParser
import Foundation
import VSMOperator

struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object on stdout (schema in docs/ceremony.md); progress and warnings go to stderr.")
    var json = false
}

final class Report {
    let command: String
    let json: Bool
    private var fields: [String: Any] = [:]

    init(_ command: String, _ output: OutputOptions) {
        self.command = command
        self.json = output.json
    }

    /// A result line (text mode only; the same facts are fields in JSON mode).
    func result(_ line: String) { if !json { print(line) } }

    /// A step of a ceremony (stdout in text mode, stderr with --json).
    func progress(_ line: String) { if json { Report.stderr(line) } else { print(line) } }

    /// A note or warning: always stderr.
    func note(_ line: String) { Report.stderr(line) }

    subscript(key: String) -> Any? {
        get { fields[key] }
        set { fields[key] = newValue ?? NSNull() }
    }

    /// Ends a successful command (prints the JSON object in JSON mode).
    func finish(ok: Bool = true, status: ExitStatus = .ok) -> Never {
        if json {
            fields["ok"] = ok
            fields["command"] = command
            fields["exitStatus"] = Int(status.rawValue)
            emit()
        }
        exit(status.rawValue)
    }

    /// Ends a failed command: the message on stderr, an `error` field in JSON mode, and the
    /// exit status of the failure's kind.
    func fail(_ e: Error) -> Never {
        let status = ExitStatus.of(e)
        let message = (e as? CeremonyError).map { "\($0.message) [\($0.code.rawValue)]" } ?? Report.plain(e)
        Report.stderr("vsmctl: \(message)")
        if json && status != .usage {  // a usage error is text on stderr only (docs/ceremony.md)
            fields["ok"] = false
            fields["command"] = command
            fields["exitStatus"] = Int(status.rawValue)
            fields["error"] = ["code": ExitStatus.code(of: e), "kind": status.name, "message": Report.plain(e)]
            emit()
        }
        exit(status.rawValue)
    }

    private func emit() {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            Report.stderr("vsmctl: cannot encode the JSON output")
            exit(ExitStatus.internal.rawValue)
        }
        print(String(decoding: data, as: UTF8.self))
    }

    static func stderr(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    /// The message without the code suffix (the code is its own field).
    static func plain(_ e: Error) -> String {
        if let c = e as? CeremonyError { return c.message }
        if let v = e as? ValidationError { return v.message }
        return "\(e)"
    }
}
