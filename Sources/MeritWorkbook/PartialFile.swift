import CPartialFile
import Foundation

/// The temporary file an output is written to before it is renamed into place (docs/reference.md §11: "Outputs are written
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

    /// Why an output cannot be created (exit 73): its folder is missing or not writable, or it is a folder.
    struct Refusal: Error {
        let reason: String
    }

    /// Creates the empty temporary file for the output `path`, after checking that its folder exists and is
    /// writable and that `path` is not itself a folder.
    static func create(for path: String) throws(Refusal) -> PartialFile {
        let destination = URL(fileURLWithPath: path)
        let directory = destination.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Refusal(reason: "the folder \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else { throw Refusal(reason: "the folder \(directory) is not writable") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Refusal(reason: "it is a directory")
        }
        return try create(for: destination, in: directory)
    }

    /// Creates the empty temporary file for `destination` (in `directory`), after clearing stale ones.
    private static func create(for destination: URL, in directory: String) throws(Refusal) -> PartialFile {
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
            throw Refusal(reason: "cannot create \(path): \(reason)")
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
