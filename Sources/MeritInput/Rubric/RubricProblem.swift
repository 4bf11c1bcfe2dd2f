import MeritEngine

/// One thing wrong in a rubric file, where it is and what was expected (docs/reference.md §4, §15).
public struct RubricProblem: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    /// `FILE:LINE:COLUMN: message`, the form every rubric error is printed in (docs/reference.md §15).
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Why a rubric could not be loaded.
public enum RubricLoadError: Error, Sendable {
    /// The file does not exist or cannot be read (exit 66).
    case unreadable(path: String, reason: String)
    /// The file was read and is wrong; every problem found (exit 65).
    case invalid([RubricProblem])
}
