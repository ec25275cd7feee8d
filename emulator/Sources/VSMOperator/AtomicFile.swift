// The ceremony's file access: UKEY files are written with HSMNet's `AtomicFile` (a reader
// sees the old or the new file, never a torn one; mode 0600) and read with a size limit;
// failures become `CeremonyError`s.
import Foundation
import HSMNet
import ManagementProtocol

enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        do {
            try HSMNet.AtomicFile.write(bytes, to: path, mode: mode)
        } catch let f as HSMNet.AtomicFile.Failure {
            throw CeremonyError(.ukeyIO, f.message)
        }
    }

    static func read(_ path: String, limit: Int = 1 << 20) throws -> [UInt8] {
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw CeremonyError(.ukeyIO, "cannot open \(path)")
        }
        defer { try? fh.close() }
        let data = (try? fh.read(upToCount: limit + 1)) ?? nil
        guard let data else { throw CeremonyError(.ukeyIO, "cannot read \(path)") }
        guard data.count <= limit else { throw CeremonyError(.ukeyFormat, "\(path) is too large to be a UKEY") }
        return [UInt8](data)
    }
}
