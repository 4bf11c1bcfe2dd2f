import MeritEngine

/// One record dataset's rows (docs/reference.md §2.2): its columns, resolved
/// once per file, and how one row is checked and folded into the tallies.
///
/// `DatasetContext.readRecords` runs the loop every dataset shares (opening
/// the file, the unique-key check, reporting problems) and calls `fold` for
/// each row; it is generic over the folder, so each dataset gets its own
/// specialized loop with the row's work inlined: as fast as the one loop
/// that switched on the dataset per row (issue 15, docs/performance.md "Log").
protocol RowFolder {
    /// The dataset whose rows this folds.
    static var dataset: Dataset { get }
    /// The values that may not repeat in the file (docs/reference.md §2.2, §15), nil when any may.
    static var uniqueKey: UniqueKeyColumns? { get }

    /// Resolves the dataset's columns in the file `v` is bound to.
    init(_ v: RowValidator, context: DatasetContext)

    /// Checks one row, reporting problems through `row.v`, and folds it into
    /// `tallies` when it is valid and its employee is evaluated (docs/reference.md
    /// §2.3) — or, when `row.holding`, hands the record to `row.hold` instead.
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies)
}

/// A dataset's unique key (docs/reference.md §2.2, §15).
struct UniqueKeyColumns {
    /// The column whose values may not repeat.
    let column: String
    /// Whether the key is the row's employee with that column (quotas: one quota per employee and period).
    var withEmployee = false
    /// What a repeated key's message calls it; nil: the column's name.
    var described: String?
}

/// What every dataset's folder shares while one file is read: the row's
/// validator, the employee lookup (bare pointers, see
/// `EmployeeDirectory.withLookup`) and the rows held back until a repeated
/// key is settled.
struct RowReading {
    /// The validator of the current row: its problems are the row's.
    var v: RowValidator
    let roster: EmployeeLookup
    let employeeColumn: Column
    /// The currency of each employee entry, after the rubric's (index 0, for rows whose employee is unknown).
    let currencies: UnsafeBufferPointer<Currency>
    let rubricMinorDigits: Int
    /// The line of the current row.
    private(set) var line = 0
    /// Whether the current row's key may repeat an earlier one: its record waits in `held` (exact mode only).
    var holding = false
    /// Whether the current row's record went to `held`.
    private(set) var heldRecord = false
    /// The rows held back, in file order: only rows whose key may repeat, so no row pays for an optional record.
    var held: [(line: Int, problems: [(column: String, index: Int, message: String)], record: HeldRecord?)] = []

    init(v: RowValidator, roster: EmployeeLookup, currencies: UnsafeBufferPointer<Currency>, rubricMinorDigits: Int) {
        self.v = v
        self.roster = roster
        self.employeeColumn = v.column("employee_id")
        self.currencies = currencies
        self.rubricMinorDigits = rubricMinorDigits
    }

    /// Starts a row: forgets the last row's problems and held state.
    @inline(__always)
    mutating func start(_ record: borrowing CSVRecord) {
        v.reset(record)
        line = record.line
        heldRecord = false
    }

    /// Looks the row's employee up (entry and slot in `employees`); reports an unknown one (docs/reference.md §2.3).
    @inline(__always)
    mutating func employee(_ record: borrowing CSVRecord) -> EmployeeDirectory.Found? {
        let bytes = record.bytes(employeeColumn.index)
        if bytes.isEmpty {
            v.fail(employeeColumn, "employee_id is required but empty")
            return nil
        }
        if let found = roster.lookup(bytes) { return found }
        v.fail(employeeColumn, "employee_id '\(record.quoted(employeeColumn.index))' is not in employees")
        return nil
    }

    /// The population slot of a known employee, nil when not evaluated.
    @inline(__always)
    func slot(_ who: EmployeeDirectory.Found?) -> Int? {
        guard let who, who.slot >= 0 else { return nil }
        return Int(who.slot)
    }

    @inline(__always)
    func currency(_ who: EmployeeDirectory.Found?) -> Currency { currencies[(who?.entry ?? -1) + 1] }

    /// The minor digits money of this employee is written in, without touching the currency list.
    @inline(__always)
    func minorDigits(_ who: EmployeeDirectory.Found?) -> Int { who?.minorDigits ?? rubricMinorDigits }

    /// Holds a valid record back until its row's repeated key is settled (see `holding`).
    mutating func hold(_ record: HeldRecord) {
        held.append((line, v.problems, record))
        heldRecord = true
    }

    /// Holds the current row back whatever `fold` made of it: its problems are reported once its key is settled.
    mutating func holdRow() {
        if !heldRecord { held.append((line, v.problems, nil)) }
    }
}
