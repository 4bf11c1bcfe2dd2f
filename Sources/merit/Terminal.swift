import Foundation
import MeritReport

/// Standard output and error, written directly (large documents, no buffering surprises).
///
/// Text goes out with its control characters escaped, but for Merit's own colours (`TerminalText`): names,
/// reasons and values quoted in messages come from files, and a file must not drive the terminal.
enum Terminal {
    /// Where a command's output goes instead of the process's own standard output and error: set by `merit serve`
    /// around a command it runs for a token holder (`RemoteRunner`), whose client prints it (issue 18).
    @TaskLocal static var capture: OutputCapture?

    static func printError(_ text: String) {
        let line = TerminalText.escaped(text, keepingColors: true) + "\n"
        if let capture { capture.append(stderr: line) } else { FileHandle.standardError.write(Data(line.utf8)) }
    }

    static func write(_ text: String) {
        let escaped = TerminalText.escaped(text, keepingColors: true)
        if let capture { capture.append(stdout: escaped) } else { FileHandle.standardOutput.write(Data(escaped.utf8)) }
    }

    /// Writes UTF-8 bytes to standard output as they are (a large JSON document is not copied again on its way out).
    static func write(utf8 bytes: [UInt8]) {
        if let capture { return capture.append(stdout: String(decoding: bytes, as: UTF8.self)) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = writeToStandardOutput(buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}

/// A command's standard output and error, kept while `merit serve` runs it (`Terminal.capture`).
final class OutputCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var out = "", err = ""

    func append(stdout text: String) { lock.withLock { out += text } }
    func append(stderr text: String) { lock.withLock { err += text } }
    var stdout: String { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
}

/// `write(2)` to standard output (outside `Terminal`, whose own `write` would shadow it).
private func writeToStandardOutput(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(STDOUT_FILENO, bytes, count)
}
