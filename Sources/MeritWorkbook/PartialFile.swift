import CPartialFile
import Foundation

/// The temporary file an output is written to before it is renamed into place (spec §11: "Outputs are written
/// to a temporary file and renamed into place"), kept private and never left behind (docs: outputs).
///
/// - It is `.NAME.PID.partial` beside the destination, so the rename stays on one file system.
/// - It is created with mode 0600: a half-written workbook of pay figures is nobody else's to read. It gets the
///   usual mode (0666 less the umask) only when complete, just before the rename.
/// - A catchable signal (Ctrl-C, `kill`, a closed terminal, a closed pipe) removes it before the process ends.
/// - SIGKILL cannot be caught: the next write to the same destination removes the leftovers of processes that
///   no longer run.
struct PartialFile {
    let path: String
    let destination: String

    /// Creates the empty temporary file for `destination` (in `directory`), after clearing stale ones.
    static func create(for destination: URL, in directory: String) throws(ReviewWorkbook.Failure) -> PartialFile {
        let prefix = "." + destination.lastPathComponent + "."
        removeStale(in: directory, prefix: prefix)
        let path = directory + "/" + prefix + "\(getpid()).partial"
        unlink(path)  // this process's own earlier attempt, if any
        // Registered before it exists: a signal between creating and registering would leave it behind.
        _ = merit_partial_file_register(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            merit_partial_file_clear()
            throw .cannotCreate(path: destination.path, reason: "cannot create \(path): \(reason)")
        }
        close(fd)
        return PartialFile(path: path, destination: destination.path)
    }

    /// Gives the complete file the mode a new file gets and renames it into place; returns errno on failure.
    func commit() -> Int32? {
        let mask = umask(0)
        umask(mask)
        chmod(path, 0o666 & ~mask)
        let failed = rename(path, destination) != 0
        let error = errno
        merit_partial_file_clear()
        if failed { unlink(path); return error }
        return nil
    }

    /// Removes the temporary file (the write failed).
    func discard() {
        unlink(path)
        merit_partial_file_clear()
    }

    /// Removes `prefix` + PID + `.partial` files whose process is gone (a SIGKILL mid-write, a power cut).
    static func removeStale(in directory: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let pidText = name.dropFirst(prefix.count).dropLast(".partial".count)
            guard let pid = pid_t(pidText), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }
}
