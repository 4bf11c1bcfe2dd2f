import Foundation
import MeritEngine

/// What every dataset reader shares while the sources of a review are read: the
/// rubric and period, the known employees, the issue log.
struct DatasetContext {
    let sources: DataSources
    let rubric: Rubric
    let period: Period
    let mapping: ColumnMapping
    let zone: Int32
    let log: IssueLog
    /// Employees named in the roster, valid rows or not (docs/reference.md §11: "known"), with the currency of their money.
    var known: [TextKey: Currency] = [:]
    /// The known employees with their currency and population slot, by id bytes; built once the population is known.
    var employees = EmployeeDirectory(capacity: 0)
    /// File column of `employees.currency`, for pool-currency errors found after the roster is read.
    var employeesCurrencyColumn = Int.max
    /// See `LoadOptions.foreignBoundaries`.
    var foreignBoundaries: [Double] = []

    init(sources: DataSources, rubric: Rubric, period: Period, mapping: ColumnMapping, zone: Int32, log: IssueLog) {
        self.sources = sources
        self.rubric = rubric
        self.period = period
        self.mapping = mapping
        self.zone = zone
        self.log = log
    }

    /// Opens a dataset's CSV and binds its header; file-level problems are `FileIssue`s (docs/reference.md §11).
    func open(_ dataset: Dataset, source: DatasetSource) throws(FileIssue) -> (CSVReader, HeaderBinding) {
        let file = source.name
        let reader = try XLSXDatasetSheet.reader(source: source, dataset: dataset)
        let binding = try HeaderBinding(header: reader.header, schema: .of(dataset), mapping: mapping, file: file)
        return (reader, binding)
    }

    /// Streams a file's records, translating reader failures into file issues.
    func stream(_ reader: CSVReader, file: String, _ body: (borrowing CSVRecord) throws -> Void) throws {
        do { try reader.forEachRecord(body) } catch let error as CSVError { throw CSVProblem.fileIssue(error, file: file) }
    }

    /// Indexes the known employees for byte lookups, with the slots of those evaluated.
    mutating func index(_ population: Population) {
        var directory = EmployeeDirectory(capacity: known.count)
        for (id, currency) in known { directory.insert(id.text, currency: currency) }
        directory.indexByNumber()
        for (slot, member) in population.members.enumerated() { directory.setSlot(slot, for: member.entry.employeeID) }
        employees = directory
    }
}

/// Messages for file-level CSV failures (docs/reference.md §2.1, §11).
enum CSVProblem {
    static func fileIssue(_ error: CSVError, file: String) -> FileIssue {
        switch error {
        case .cannotOpen(_, let reason): return FileIssue(file: file, line: nil, message: "cannot open: \(reason)")
        case .readFailed(let reason): return FileIssue(file: file, line: nil, message: "read failed: \(reason)")
        case .noHeader: return FileIssue(file: file, line: 1, message: "the file is empty: a header row is required")
        case .unclosedQuote(let line):
            return FileIssue(file: file, line: line, message: "a quoted field that starts in this record never closes (unbalanced '\"')")
        case .invalidUTF8(let line):
            return FileIssue(file: file, line: line, message: "the file is not valid UTF-8 text here (save it as UTF-8)")
        case .recordTooLong(let line, let inQuotes):
            let limit = "\(InputLimits.recordBytes >> 20) MiB"
            return FileIssue(
                file: file, line: line,
                message: inQuotes
                    ? "a quoted field that starts in this record runs on past \(limit) (an unbalanced '\"'?); a record may hold at most \(limit)"
                    : "this record runs on past \(limit) without a line end; a record may hold at most \(limit) (is this a CSV text file?)")
        }
    }
}

/// Formats numbers in messages without a needless `.0` (`[1, 5]`, `7`, `4.5`).
func plainNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return String(x)
}
