import MeritEngine

/// A problem with one row of a data file: where it is and what is wrong (docs/reference.md §11).
///
/// In strict mode every issue is printed as `FILE:LINE: COLUMN: message`; with
/// `--skip-invalid` the row is dropped and its first issue becomes a warning.
public struct DataIssue: Sendable, Equatable, CustomStringConvertible {
    public let dataset: Dataset
    /// Base name of the data file (`surveys.csv`).
    public let file: String
    public let line: Int
    /// The spec's column name (`score`), never the source header (docs/reference.md §15).
    public let column: String
    /// Position of the column in the file, for ordering issues within a row.
    public let columnIndex: Int
    public let message: String

    public init(dataset: Dataset, file: String, line: Int, column: String, columnIndex: Int, message: String) {
        self.dataset = dataset
        self.file = file
        self.line = line
        self.column = column
        self.columnIndex = columnIndex
        self.message = message
    }

    public var description: String { "\(file):\(line): \(column): \(message)" }

    /// The order strict mode prints in: dataset (employees, surveys, …, pools), line, column (docs/reference.md §15).
    public static func reportOrder(_ a: DataIssue, _ b: DataIssue) -> Bool {
        if a.dataset != b.dataset { return a.dataset < b.dataset }
        if a.line != b.line { return a.line < b.line }
        return a.columnIndex < b.columnIndex
    }
}

/// A problem with a whole input file that stops the command even with
/// `--skip-invalid` (docs/reference.md §11): a missing column, undecodable text, an
/// unclosed quote, a bad mapping.
public struct FileIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
