/// Why a demo company could not be written. `merit demo` maps these to exit
/// codes (docs/reference.md §11: a bad quarter list is a usage error, 64; a file that
/// cannot be created is 73).
public enum DemoError: Error, Equatable, CustomStringConvertible {
    /// `quarters` was empty.
    case noQuarters
    /// A quarter id is not of the form `YYYY-Qn` (docs/reference.md §1; the demo generates
    /// quarterly data only).
    case invalidQuarter(String)
    /// Quarters must be listed oldest first, without repeats.
    case quartersNotIncreasing(String)
    /// A file could not be created (the path is given).
    case cannotWrite(String)

    /// A one-line message for the terminal.
    public var description: String {
        switch self {
        case .noQuarters: return "demo company: no quarters given"
        case .invalidQuarter(let id): return "demo company: '\(id)' is not a quarter (YYYY-Qn)"
        case .quartersNotIncreasing(let id): return "demo company: quarter '\(id)' is out of order"
        case .cannotWrite(let path): return "demo company: cannot create \(path)"
        }
    }
}
