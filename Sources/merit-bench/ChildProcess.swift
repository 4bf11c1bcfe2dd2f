import Foundation

/// A command run in a child process, as a user runs it, with the child's own wall time and peak memory.
///
/// It is `posix_spawnp` and `wait4` rather than Foundation's `Process`: `wait4` hands back the child's own
/// `rusage`, whose `ru_maxrss` is that one child's peak resident set size. `Process` does not expose it, and
/// `getrusage(RUSAGE_CHILDREN)` is the largest peak of every child waited for so far, so a small step after a big
/// one would inherit the big one's figure. Standard output and error go to temporary files (no pipe to drain while
/// the child runs, so a chatty child never blocks), read back once it has ended.
struct ChildProcess {
    let pid: pid_t
    let argv: [String]
    private let outputPath: String
    private let errorPath: String
    private let started: UInt64

    /// A child that has ended.
    struct Finished {
        let argv: [String]
        /// The exit code, or minus the signal that ended it.
        let status: Int32
        let seconds: Double
        let peakMB: Double
        let stdout: String
        let stderr: String

        /// Itself when it exited 0; otherwise the failure, with the child's standard error (the reason a
        /// step failed is in it, and a benchmark that hides it sends people to rerun by hand).
        func checked() throws -> Finished {
            guard status != 0 else { return self }
            let how = status < 0 ? "was killed by signal \(-status)" : "exited \(status)"
            let error = stderr.count > 4000 ? "…" + String(stderr.suffix(4000)) : stderr
            throw BenchFailure("\(argv.joined(separator: " ")) \(how)\n\(error.isEmpty ? "(no standard error)" : error)")
        }
    }

    private static let counter = Counter()

    /// Starts `argv` (the first element looked up on PATH unless it holds a slash).
    static func start(_ argv: [String]) throws -> ChildProcess {
        let n = counter.next()
        let base = NSTemporaryDirectory() + "merit-bench-\(getpid())-\(n)"
        let outputPath = base + ".out", errorPath = base + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for p in cArguments { free(p) } }
        var pid: pid_t = 0
        let started = DispatchTime.now().uptimeNanoseconds
        let result = posix_spawnp(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard result == 0 else { throw BenchFailure("cannot run \(argv[0]): \(String(cString: strerror(result)))") }
        return ChildProcess(pid: pid, argv: argv, outputPath: outputPath, errorPath: errorPath, started: started)
    }

    /// Runs `argv` to its end.
    static func run(_ argv: [String]) throws -> Finished { try start(argv).wait() }

    /// Waits for the child to end.
    func wait() -> Finished { reap(blocking: true)! }

    /// The child's result if it has ended, without waiting (nil while it runs).
    func poll() -> Finished? { reap(blocking: false) }

    /// What the child has written to standard output so far (a server's first line says where it listens).
    func outputSoFar() -> String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(pid, number) }

    private func reap(blocking: Bool) -> Finished? {
        var status: Int32 = 0
        var usage = rusage()
        var result: pid_t
        repeat { result = wait4(pid, &status, blocking ? 0 : WNOHANG, &usage) } while result < 0 && errno == EINTR
        if result == 0 { return nil }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f)
        let stdout = outputSoFar()
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        unlink(outputPath)
        unlink(errorPath)
        return Finished(
            argv: argv, status: result < 0 ? -1 : code, seconds: seconds, peakMB: Double(usage.ru_maxrss) / 1024, stdout: stdout,
            stderr: stderr)
    }

    /// Distinct temporary file names for the children of this process.
    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }
}

/// A step of a benchmark that failed (not a target missed: that is a figure, reported in the table).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
