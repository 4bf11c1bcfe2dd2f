/// Why a workspace command could not do what was asked, with the exit code it maps to (docs/reference.md §11).
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No workspace where one was looked for, or a file it needs is missing (exit 66).
    case notFound(String)
    /// The store or config is not what Merit wrote: a foreign or damaged file, or one from a newer Merit (exit 65).
    case unusable(String)
    /// A request the workspace's state refuses: adjusting a finalized review, an unknown band… (exit 65).
    case refused(String)
    /// A wrong use of a command (exit 64).
    case usage(String)
    /// A directory or file that cannot be created (exit 73).
    case cannotCreate(String)
    /// Reading or writing the store failed (exit 74).
    case io(String)
    /// Merit disagrees with itself: a stored review recomputed differently (exit 70).
    case internalError(String)

    public var description: String {
        switch self {
        case .notFound(let m), .unusable(let m), .refused(let m), .usage(let m), .cannotCreate(let m), .io(let m), .internalError(let m): return m
        }
    }

    /// The sysexits code of docs/reference.md §11.
    public var exitCode: Int32 {
        switch self {
        case .notFound: return 66
        case .unusable, .refused: return 65
        case .usage: return 64
        case .cannotCreate: return 73
        case .io: return 74
        case .internalError: return 70
        }
    }
}
