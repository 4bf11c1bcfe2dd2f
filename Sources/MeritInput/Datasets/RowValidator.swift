import MeritEngine

/// Reads typed cells of one record and collects what is wrong with them (docs/reference.md §2.1 types).
///
/// Every parse failure is a row problem naming the dataset column; the caller
/// decides whether the row is an error (strict) or dropped (`--skip-invalid`).
/// A dataset column and where it sits in the file (-1 when the file lacks it),
/// resolved once per file so no row pays for a name lookup.
struct Column {
    let name: String
    let index: Int
}

struct RowValidator {
    let binding: HeaderBinding
    private(set) var problems: [(column: String, index: Int, message: String)] = []
    /// The row holds an amount too large to keep exactly: `--skip-invalid` may not drop it (`IssueLog.report`).
    private(set) var unskippable = false
    /// The last date cell parsed (see `DateMemo`).
    private var dateMemo = DateMemo()
    /// The last currency cell parsed (see `currency`).
    private var lastCurrency: Currency?
    /// The workspace zone, in which a timestamp without an offset is read (docs/reference.md §1).
    let zone: Int32
    /// File columns of the current record whose cell the outputs cannot hold
    /// (see `reset(_:)`); empty on every ordinary record.
    private var badCells: [Int] = []

    init(binding: HeaderBinding, zone: Int32 = 0) {
        self.binding = binding
        self.zone = zone
    }

    var isValid: Bool { problems.isEmpty }

    @inline(__always)
    mutating func reset() {
        if !problems.isEmpty { problems.removeAll(keepingCapacity: true) }
        unskippable = false
        if !badCells.isEmpty { badCells.removeAll(keepingCapacity: true) }
    }

    /// Starts a record: forgets the last one's problems, and reports each cell
    /// of a dataset column that holds a NUL or more than 32,767 characters (docs/reference.md
    /// §15 "Cells the outputs cannot hold") as the problem of its column. The
    /// reader marks the rare records that may hold one, so an ordinary record
    /// costs one test. Later problems of the same cell are not added: the
    /// cell's own problem says what to fix, and quoting it again would not help.
    @inline(__always)
    mutating func reset(_ record: borrowing CSVRecord) {
        reset()
        if record.mayHoldBadCell { checkCells(record) }
    }

    private mutating func checkCells(_ record: borrowing CSVRecord) {
        for name in binding.schema.columns {
            let i = binding.index(name)
            guard i >= 0, !badCells.contains(i), let problem = record.cellProblem(i) else { continue }
            badCells.append(i)
            problems.append((name, i, problem.message))
        }
    }

    mutating func fail(_ column: String, _ message: String) {
        fail(Column(name: column, index: binding.index(column)), message)
    }

    mutating func fail(_ column: Column, _ message: String) {
        if !badCells.isEmpty, badCells.contains(column.index) { return }
        problems.append((column.name, column.index, message))
    }

    func column(_ name: String) -> Column { Column(name: name, index: binding.index(name)) }

    // Name-based forms, for the small files (roster, pools) where clarity beats speed.
    mutating func text(_ record: borrowing CSVRecord, _ column: String, required: Bool = false) -> String? {
        text(record, self.column(column), required: required)
    }
    mutating func date(_ record: borrowing CSVRecord, _ column: String, required: Bool = false) -> CivilDate? {
        date(record, self.column(column), required: required)
    }
    mutating func money(_ record: borrowing CSVRecord, _ column: String, currency: Currency, required: Bool = false) -> Int64? {
        money(record, self.column(column), currency: currency, required: required)
    }
    mutating func currency(_ record: borrowing CSVRecord, _ column: String) -> Currency?? {
        currency(record, self.column(column))
    }

    /// The cell's text, nil when absent; a required column that is empty is a problem (docs/reference.md §15).
    mutating func text(_ record: borrowing CSVRecord, _ column: Column, required: Bool = false) -> String? {
        let value = record.string(column.index)
        if value == nil, required { fail(column, "\(column.name) is required but empty") }
        return value
    }

    mutating func date(_ record: borrowing CSVRecord, _ column: Column, required: Bool = false) -> CivilDate? {
        let i = column.index
        if record.isAbsent(i) {
            if required { fail(column, "\(column.name) is required but empty") }
            return nil
        }
        if let d = DateParser.date(record.bytes(i), memo: &dateMemo) { return d }
        let text = record.string(i) ?? ""
        let quoted = InputLimits.quoted(text)
        fail(column, RowValidator.looksLikeDate(text) ? "not a valid calendar date: '\(quoted)'" : "not a date (YYYY-MM-DD): '\(quoted)'")
        return nil
    }

    mutating func timestamp(_ record: borrowing CSVRecord, _ column: Column, required: Bool = false) -> LocalTimestamp? {
        let i = column.index
        if record.isAbsent(i) {
            if required { fail(column, "\(column.name) is required but empty") }
            return nil
        }
        if let t = DateParser.timestamp(record.bytes(i), memo: &dateMemo) {
            // Years run 0001–9999, and so must the instant once the offset is applied (docs: exactness, "Years").
            let instant = t.instant(zoneOffsetSeconds: zone)
            if instant >= Instant.earliest && instant < Instant.pastLatest { return t }
            fail(column, "'\(record.quoted(i))' falls outside 0001-01-01..9999-12-31 in UTC")
            return nil
        }
        fail(column, "not a timestamp (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]): '\(record.quoted(i))'")
        return nil
    }

    mutating func number(_ record: borrowing CSVRecord, _ column: Column, required: Bool = false) -> Double? {
        let i = column.index
        if record.isAbsent(i) {
            if required { fail(column, "\(column.name) is required but empty") }
            return nil
        }
        if let v = NumberParser.parse(record.bytes(i)) { return v }
        fail(column, "not a number: '\(record.quoted(i))'")
        return nil
    }

    /// Money in `currency`, exact, in thousandths of the unit (docs/reference.md §2.1 money, §15).
    mutating func money(_ record: borrowing CSVRecord, _ column: Column, currency: Currency, required: Bool = false) -> Int64? {
        money(record, column, minorDigits: currency.minorDigits, currency: currency, required: required)
    }

    /// The same with the minor digits known beforehand; the currency itself is only looked up for a message.
    /// Without `currencyKnown` (the row's employee is not in the roster) the precision is not judged: the
    /// unknown employee is that row's one error (docs: exactness, "Unknown employee").
    mutating func money(
        _ record: borrowing CSVRecord, _ column: Column, minorDigits: Int, currency: @autoclosure () -> Currency,
        currencyKnown: Bool = true, required: Bool = false
    ) -> Int64? {
        let i = column.index
        if record.isAbsent(i) {
            if required { fail(column, "\(column.name) is required but empty") }
            return nil
        }
        switch MoneyParser.parse(record.bytes(i), minorDigits: minorDigits) {
        case .value(let thousandths):
            return thousandths
        case .malformed:
            fail(column, "not a money amount: '\(record.quoted(i))'")
        case .tooPrecise:
            guard currencyKnown else { return nil }
            fail(column, "'\(record.quoted(i))' has more than \(minorDigits) decimal(s), the minor unit of \(currency().code)")
        case .outOfRange:
            fail(
                column,
                "amount '\(record.quoted(i))' is too large for Merit to hold exactly (about ±9.2 × 10^15 at most); the evaluation stops rather than leave it out"
            )
            unskippable = true
        }
        return nil
    }

    mutating func bool(_ record: borrowing CSVRecord, _ column: Column) -> Bool? {
        let i = column.index
        if record.isAbsent(i) { return nil }
        if let b = BoolParser.parse(record.bytes(i)) { return b }
        fail(column, "not a boolean (true/false, yes/no, y/n, 1/0): '\(record.quoted(i))'")
        return nil
    }

    /// A currency code cell: three letters, stored upper case (docs/reference.md §15).
    mutating func currency(_ record: borrowing CSVRecord, _ column: Column) -> Currency?? {
        guard let text = text(record, column) else { return .some(nil) }
        // A roster names a handful of currencies: the last one read is taken again without re-validating it.
        if let last = lastCurrency, last.code == text { return .some(last) }
        if let c = Currency(text) { lastCurrency = c; return .some(c) }
        fail(column, "not a currency code (three letters, e.g. USD): '\(InputLimits.quoted(text))'")
        return nil
    }

    private static func looksLikeDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        return [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 }
    }
}
