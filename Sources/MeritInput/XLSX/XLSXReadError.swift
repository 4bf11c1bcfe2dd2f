/// Why an `.xlsx` file could not be read (docs/reference.md §2: a dataset may be an `.xlsx`
/// file; docs/reference.md §11: a file that cannot be read is an error of the whole file).
public enum XLSXReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened at all (`reason` is the system's message)
    /// (docs/reference.md §11: a file-level error).
    case cannotOpen(path: String, reason: String)
    /// The file is not a ZIP archive, so not an `.xlsx` workbook (for example
    /// a CSV file renamed, an old binary `.xls`, or a password-protected
    /// workbook, which is an OLE compound file); the payload is the path (docs/reference.md §2:
    /// dataset files are `.csv` or `.xlsx`).
    case notAZip(String)
    /// A part the workbook needs is missing from the package (e.g.
    /// `xl/workbook.xml`, or the worksheet a sheet name points to) (docs/reference.md §11).
    case missingPart(String)
    /// A part is not well-formed XML, or holds a value that its schema does not
    /// allow (e.g. a shared-string index out of range); `message` says where
    /// (docs/reference.md §11: a file-level error, even with `--skip-invalid`).
    case malformedXML(part: String, message: String)
    /// The workbook has no sheet of that name (docs/reference.md §2: "the sheet named like
    /// the dataset, else the first sheet").
    case noSuchSheet(String)
    /// A part passes one of `InputLimits`' bounds (docs/reference.md §15 *Exactness and
    /// hostile input*: a zip bomb, a shared-string table of millions of empty
    /// strings, a row of gigabytes); `reason` says which, and what to do.
    case tooLarge(part: String, reason: String)

    /// A short English message (callers prefix the file name themselves, §11).
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open \(path): \(reason)"
        case let .notAZip(path): return "\(path) is not an XLSX workbook (not a ZIP archive)"
        case let .missingPart(part): return "the workbook has no part \(part)"
        case let .malformedXML(part, message): return "\(part): \(message)"
        case let .noSuchSheet(name): return "the workbook has no sheet named \u{201C}\(InputLimits.quoted(name))\u{201D}"
        case let .tooLarge(part, reason): return "\(part): \(reason)"
        }
    }
}
