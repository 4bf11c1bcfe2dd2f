import Foundation
import MeritReport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text for a person that is taller than their terminal goes through their pager, as git does
/// (docs/scorecard.md "Paging"):
///
/// - only when standard output is a terminal and the text does not fit on it (less one line, for the pager's prompt);
/// - the command is `$PAGER`, or `less` when PAGER is unset; an empty PAGER or `cat` means no pager;
/// - it runs through `/bin/sh -c`, with `LESS=FRX` when LESS is unset (quit when it fits, keep colours, leave the
///   text on screen) and `LV=-c` likewise;
/// - merit waits for it to end; its exit status is not merit's. A pager that cannot be started (or a shell that
///   cannot find it, status 126 or 127) makes merit write the text directly instead.
///
/// While the pager runs, merit ignores SIGINT and SIGQUIT (they belong to the pager: Ctrl-C in `less` must not leave
/// it orphaned on the terminal) and SIGPIPE (a pager quit early is not an error); the pager starts with the default
/// handlers.
enum Pager {
    /// The size of the terminal on standard output, nil when it is not a terminal.
    static func terminalSize() -> (columns: Int, rows: Int)? {
        guard isatty(STDOUT_FILENO) == 1 else { return nil }
        var size = winsize()
        let status = withUnsafeMutablePointer(to: &size) { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }
        guard status == 0 else { return (0, 0) }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    /// A positive number from the environment (`COLUMNS`, `LINES`), as git and most tools honour them.
    private static func setting(_ name: String, in environment: [String: String]) -> Int? {
        guard let value = environment[name].flatMap({ Int($0) }), value > 0 else { return nil }
        return value
    }

    /// The columns to lay text out in: COLUMNS when set, else the terminal's width, else 80.
    static func columns(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let columns = setting("COLUMNS", in: environment) { return columns }
        if let size = terminalSize(), size.columns > 0 { return size.columns }
        return 80
    }

    /// The pager command to show `text` through, or nil to write it directly.
    /// - Parameters:
    ///   - size: the terminal's size, nil when standard output is not a terminal (0 for a size it cannot tell).
    static func command(for text: String, size: (columns: Int, rows: Int)?, environment: [String: String]) -> String? {
        guard let size else { return nil }
        let pager = environment["PAGER"] ?? "less"
        let trimmed = pager.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed != "cat" else { return nil }
        let rows = setting("LINES", in: environment) ?? (size.rows > 0 ? size.rows : 24)
        let columns = setting("COLUMNS", in: environment) ?? (size.columns > 0 ? size.columns : 80)
        return screenLines(text, columns: columns) < rows ? nil : pager
    }

    /// How many terminal lines `text` takes at `columns` (a longer line wraps), colours not counted.
    static func screenLines(_ text: String, columns: Int) -> Int {
        var count = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
            let width = DisplayWidth.of(String(line).replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression))
            count += max(1, (width + columns - 1) / columns)
        }
        return count
    }

    /// Shows `text` for a person: through the pager when the rules above call for one, else on standard output.
    static func show(_ text: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let command = command(for: text, size: terminalSize(), environment: environment) else {
            Terminal.write(text)
            return
        }
        let shown = Data(TerminalText.escaped(text, keepingColors: true).utf8)
        if let status = run(command, input: shown, environment: environment), status != 126, status != 127 { return }
        Terminal.printError("merit: the pager '\(command)' could not be started; set PAGER to another one, or PAGER=cat for none")
        Terminal.write(text)
    }

    /// Runs `sh -c command` with `input` on its standard input and waits for it; its exit status, or nil when it could
    /// not be started.
    private static func run(_ command: String, input: Data, environment: [String: String]) -> Int32? {
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "FRX" }
        if env["LV"] == nil { env["LV"] = "-c" }

        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        // Signals the pager owns while it runs; restored afterwards.
        let owned = [SIGINT, SIGQUIT, SIGPIPE]
        let saved = owned.map { signal($0, SIG_IGN) }
        defer { for (sig, handler) in zip(owned, saved) { signal(sig, handler) } }

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in owned { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attributes, &noMask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let arguments: [String] = ["sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }

        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return nil
        }
        // Write everything, or until the pager stops reading (EPIPE: it quit early, which is fine).
        input.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { break }
            }
        }
        close(writeEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return nil }
        }
        // Exited normally: its status; ended by a signal: 128 + the signal, as a shell reports it.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }
}
