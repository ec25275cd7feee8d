// The batch of new UKEYs of a two-phase step: the directory probed before the device is
// contacted, every UKEY written (atomically, fsync) before the commit, the ones written removed
// and the device's pending state aborted when a write or the commit fails.
import Foundation
import HSMCrypto
import ManagementProtocol
#if canImport(Glibc)
import Glibc
#endif

extension ManagementOperator {
    // MARK: the batch of new UKEYs (two-phase)

    /// One new UKEY to write: its path, a public description, and the write itself.
    struct PendingWrite {
        var path: String
        var what: String
        var write: () throws -> Void
    }

    /// Writes every new UKEY (each atomically, fsync). On the first failure removes the files
    /// written so far by this run, aborts the device's pending state and throws.
    func writeAll(_ writes: [PendingWrite], abortOp: ManagementRequest, unchanged: String) throws -> [String] {
        var written: [String] = []
        for w in writes {
            do {
                try beforeUKEYWrite?(w.path)
                try w.write()
            } catch {
                let removed = removeUKEYs(written)
                abortPending(abortOp)
                let why = (error as? CeremonyError)?.message ?? "\(error)"
                throw CeremonyError(.ukeyIO, "cannot write the UKEY \(w.path): \(why); \(unchanged); removed the \(removed) UKEY file(s) this run had written")
            }
            written.append(w.path)
            progress("wrote \(w.path) (\(w.what))")
        }
        return written
    }

    /// Sends the commit once every UKEY is on disk; returns the installed DMK check value.
    /// A refusal (the pending state is gone: session expired, ...) removes the UKEYs just
    /// written (their DMK or set is installed nowhere). A lost answer keeps them: the device
    /// may have installed, and then they are needed.
    func commit(_ request: ManagementRequest, expected cv: String, written: [String], unchanged: String) throws -> String {
        let op = request.op
        let rsp: ManagementMessage
        do {
            rsp = try client.send(request)
        } catch {
            let why = (error as? CeremonyError)?.message ?? "\(error)"
            throw CeremonyError(.channel, "every UKEY is written, but the answer to \(op) was lost (\(why)): the device may or may not have installed the DMK with check value \(cv). The UKEY files were kept; run `vsmctl dmk check`: if it shows \(cv) the ceremony is complete, otherwise delete \(written.joined(separator: ", ")) and run it again")
        }
        do { try rsp.throwIfFailure() } catch let e as CeremonyError {
            let removed = removeUKEYs(written)
            abortPending(op == .initCommit ? ManagementRequest.initAbort : .recoverAbort)
            throw CeremonyError(e.code, "the device refused \(op): \(e.message); \(unchanged); removed the \(removed) UKEY file(s) this run had written")
        }
        guard let done = rsp.string("dmkCheckValue") else {
            throw CeremonyError(.channel, "the device's answer to \(op) has no check value; run `vsmctl dmk check` (expected \(cv))")
        }
        if done != cv { progress("warning: the device reports DMK check value \(done) after \(op), but prepared \(cv)") }
        return done
    }

    /// Best effort: tells the device to drop its pending state (closing the connection does
    /// the same).
    func abortPending(_ request: ManagementRequest) {
        _ = try? client.send(request)
    }

    /// Removes UKEY files this run created; returns how many were removed.
    func removeUKEYs(_ paths: [String]) -> Int {
        var n = 0
        for p in paths where unlink(p) == 0 { n += 1 }
        if let dir = paths.first.map({ ($0 as NSString).deletingLastPathComponent }) {
            let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { _ = fsync(fd); close(fd) }
        }
        return n
    }

    func checkWritable(_ dir: String, _ paths: [String]) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) does not exist")
        }
        for p in paths where FileManager.default.fileExists(atPath: p) {
            throw CeremonyError(.ukeyIO, "\(p) already exists; a UKEY is never overwritten")
        }
        try probeWritable(dir)
    }

    /// Creates, syncs and removes a temporary file in `dir`, so a read-only or full directory
    /// is found before the device is contacted.
    func probeWritable(_ dir: String) throws {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let tmp = dir + "/.vsmctl-probe-" + suffix
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) is not writable: \(String(cString: strerror(errno))); the device was not contacted")
        }
        defer { unlink(tmp) }
        let probe = [UInt8](repeating: 0, count: 512)
        let n = probe.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let e = errno
        let synced = n == probe.count && fsync(fd) == 0
        let e2 = errno
        close(fd)
        guard synced else {
            throw CeremonyError(.ukeyIO, "UKEY directory \(dir) is not writable: \(String(cString: strerror(n < 0 ? e : e2))); the device was not contacted")
        }
    }
}
