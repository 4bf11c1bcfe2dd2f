/// A file-level CSV problem (docs/reference.md §2.1, §11: "File-level errors (… undecodable
/// UTF-8, an unclosed quote …) always stop the command", even with
/// `--skip-invalid`). Line numbers are 1-based physical lines where the
/// offending record starts (§2.1 *Line numbers*).
public enum CSVError: Error, Equatable, Sendable {
    /// The file could not be opened (`reason` is the system's message).
    case cannotOpen(path: String, reason: String)
    /// A `read` failed part way (`reason` is the system's message).
    case readFailed(reason: String)
    /// The file has no header record: it is empty, or holds only a BOM,
    /// blank lines or records whose cells are all empty (§2.1 "The first row
    /// is the header").
    case noHeader
    /// A quoted field never closes (§2.1); `line` is where its record starts.
    case unclosedQuote(line: Int)
    /// The bytes are not valid UTF-8 (§2.1 "UTF-8 with or without BOM");
    /// `line` is where the record holding the first bad byte starts.
    case invalidUTF8(line: Int)
    /// A record runs past `InputLimits.recordBytes` (docs/reference.md §15 *Exactness and
    /// hostile input*); `line` is where it starts, `inQuotes` whether a quoted
    /// field was still open there (most likely a quote that never closes).
    case recordTooLong(line: Int, inQuotes: Bool)
}

extension CSVError: CustomStringConvertible {
    /// A short English message (callers prefix `FILE:LINE:` themselves, §11).
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .readFailed(reason): return "read failed: \(reason)"
        case .noHeader: return "no header row"
        case let .unclosedQuote(line): return "line \(line): quoted field never closes"
        case let .invalidUTF8(line): return "line \(line): invalid UTF-8"
        case let .recordTooLong(line, _): return "line \(line): record longer than \(InputLimits.recordBytes >> 20) MiB"
        }
    }
}
