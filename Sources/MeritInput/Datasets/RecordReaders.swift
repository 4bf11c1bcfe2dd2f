import MeritEngine

/// A part of a record source read on its own, so one big file can use both cores (issue: company scale): a byte
/// range of a file or of bytes in memory, or a range of stored chunks.
struct FilePart: Sendable {
    /// Bytes of a file or of memory; chunk indices of stored chunks.
    let range: Range<Int>
    /// How many bytes the part holds.
    let byteCount: Int
    let delimiter: UInt8
    let header: [String]

    /// What reading a part leaves for the file's assembly.
    struct Output: Sendable {
        var fingerprints = FingerprintLog(capacity: 0)
        /// Physical lines in the part (all of them: parts end after a LF).
        var lines = 0
    }
}

/// A valid record held back until a duplicate candidate on its row is settled.
enum HeldRecord {
    case survey(SurveyResponse)
    case complaint(ComplaintTicket)
    case sale(SaleLine)
    case quota(QuotaEntry)
}

extension MetricTallies {
    mutating func add(_ held: HeldRecord) {
        switch held {
        case .survey(let r): add(r)
        case .complaint(let r): add(r)
        case .sale(let r): add(r)
        case .quota(let r): add(r)
        }
    }
}

extension DatasetContext {
    /// Streams one record dataset into the tallies, validating every row
    /// whatever its date (docs/reference.md §2.1), and folding only the valid rows of
    /// evaluated employees (docs/reference.md §2.3).
    ///
    /// The hot path creates no `String` for a valid row: columns are resolved
    /// once, employee ids are looked up by their bytes, and unique keys
    /// (`exactKeys: false`) only append a fingerprint, checked for repeats
    /// after the file. When a repeat turns up the function returns false
    /// without trustworthy results, and the caller reads the file again with
    /// `exactKeys: true`, which holds back every candidate row and settles it
    /// exactly (see `UniqueKeySet`). Returns true when the results stand.
    func readRecords(_ dataset: Dataset, source: DatasetSource, into tallies: inout MetricTallies, exactKeys: Bool = true) throws -> Bool {
        var unused = FilePart.Output()
        return try readRecords(dataset, source: source, part: nil, into: &tallies, exactKeys: exactKeys, output: &unused)
    }

    /// Reads `part` of a file (or the whole file when nil). For a part, keys
    /// are not checked here: their fingerprints go to `output` for a check over
    /// all the parts, and lines count from 1 at the part's start.
    func readRecords(
        _ dataset: Dataset, source: DatasetSource, part: FilePart?, into tallies: inout MetricTallies, exactKeys: Bool,
        output: inout FilePart.Output
    ) throws -> Bool {
        // The tables are lent once per file, outside the row loop (see `EmployeeDirectory.withLookup`): a
        // row's closure then captures only bare pointers, nothing retained or copied per row. The currency
        // table starts with the rubric's, for rows whose employee is unknown.
        let currencyTable = [rubric.currency] + employees.currencies
        return try employees.withLookup { roster in
            try currencyTable.withUnsafeBufferPointer { currencies in
                func read<Folder: RowFolder>(_: Folder.Type) throws -> Bool {
                    try readRecords(
                        Folder.self, source: source, part: part, into: &tallies, exactKeys: exactKeys, output: &output,
                        roster: roster, currencies: currencies)
                }
                switch dataset {
                case .surveys: return try read(SurveysRowFolder.self)
                case .accounts: return try read(AccountsRowFolder.self)
                case .complaints: return try read(ComplaintsRowFolder.self)
                case .sales: return try read(SalesRowFolder.self)
                case .feedback: return try read(FeedbackRowFolder.self)
                case .quotas: return try read(QuotasRowFolder.self)
                case .employees, .pools: preconditionFailure("\(dataset.rawValue) is not a record dataset: see readEmployees and readPools")
                }
            }
        }
    }

    /// The row loop every record dataset shares: the file or part, unique keys, problems; `Folder` does each row.
    private func readRecords<Folder: RowFolder>(
        _: Folder.Type, source: DatasetSource, part: FilePart?, into tallies: inout MetricTallies, exactKeys: Bool,
        output: inout FilePart.Output, roster: EmployeeLookup,
        currencies: UnsafeBufferPointer<Currency>
    ) throws -> Bool {
        let dataset = Folder.dataset
        let file = source.name
        let reader: CSVReader
        let binding: HeaderBinding
        if let part {
            do { reader = try CSVReader(part: source.bytes, range: part.range, delimiter: part.delimiter, header: part.header) } catch {
                throw CSVProblem.fileIssue(error, file: file)
            }
            binding = try HeaderBinding(header: part.header, schema: .of(dataset), mapping: mapping, file: file)
        } else {
            (reader, binding) = try open(dataset, source: source)
        }
        let validator = RowValidator(binding: binding, zone: zone)
        let folder = Folder(validator, context: self)
        var row = RowReading(v: validator, roster: roster, currencies: currencies, rubricMinorDigits: rubric.currency.minorDigits)
        let log = self.log
        let employeeColumn = row.employeeColumn

        // Unique keys (docs/reference.md §2.2, §15): the column whose values may not repeat (for quotas, with the employee).
        let keyColumn = Folder.uniqueKey.map { validator.column($0.column) }
        let keyWithEmployee = Folder.uniqueKey?.withEmployee ?? false
        var keys = UniqueKeySet(expected: exactKeys ? 1 << 12 : 1)
        let fingerprints = FingerprintLog(capacity: !exactKeys && keyColumn != nil ? (part?.byteCount ?? source.byteCount) / 24 : 0)
        var candidates = Set<UInt64>()
        var pairedKey: [UInt8] = []

        /// The fingerprint of the row's unique key, or nil when it has none.
        func keyFingerprint(_ record: borrowing CSVRecord) -> UInt64? {
            guard let keyColumn, !record.isAbsent(keyColumn.index) else { return nil }
            if keyWithEmployee {
                // (employee_id, key), as for quotas' (employee_id, period): both cells, separated by a byte no text contains.
                pairedKey.removeAll(keepingCapacity: true)
                pairedKey.append(contentsOf: record.bytes(employeeColumn.index))
                pairedKey.append(0)
                pairedKey.append(contentsOf: record.bytes(keyColumn.index))
                return pairedKey.withUnsafeBufferPointer { UniqueKeySet.fingerprint($0) }
            }
            return UniqueKeySet.fingerprint(record.bytes(keyColumn.index))
        }

        try stream(reader, file: file) { record in
            row.start(record)
            // A row whose key may repeat an earlier one is held back until that is settled (exact mode only).
            var heldFingerprint: UInt64?
            if let fingerprint = keyFingerprint(record) {
                if !exactKeys {
                    fingerprints.append(fingerprint)
                } else if !keys.insert(fingerprint) {
                    heldFingerprint = fingerprint
                }
            }
            row.holding = heldFingerprint != nil
            folder.fold(record, &row, into: &tallies)
            if let heldFingerprint {
                candidates.insert(heldFingerprint)
                row.holdRow()
                return
            }
            if !row.v.isValid { log.report(row.v.problems, dataset: dataset, file: file, line: row.line, unskippable: row.v.unskippable) }
        }

        if part != nil {
            output.fingerprints = fingerprints
            output.lines = reader.linesRead
            return true
        }
        if !exactKeys { return !FingerprintDuplicates.containsRepeat(in: [fingerprints]) }
        guard !row.held.isEmpty, let keyColumn else { return true }
        let duplicates = try settleDuplicates(
            candidates, dataset: dataset, source: source, keyColumn: keyColumn, withEmployee: keyWithEmployee, employeeColumn: employeeColumn)
        let what = Folder.uniqueKey?.described ?? keyColumn.name
        for held in row.held {
            var problems = held.problems
            if let first = duplicates[held.line] {
                problems.append((keyColumn.name, keyColumn.index, "duplicate \(what) (first on line \(first))"))
            }
            log.report(problems, dataset: dataset, file: file, line: held.line)
            if problems.isEmpty, let record = held.record { tallies.add(record) }
        }
        return true
    }

    /// Re-reads a file for the exact texts of the keys whose fingerprints repeated (rare: repeated keys are errors).
    private func settleDuplicates(
        _ candidates: Set<UInt64>, dataset: Dataset, source: DatasetSource,
        keyColumn: Column, withEmployee: Bool, employeeColumn: Column
    ) throws -> [Int: Int] {
        var occurrences: [(line: Int, fingerprint: UInt64, text: String)] = []
        var key: [UInt8] = []
        let (reader, _) = try open(dataset, source: source)
        try stream(reader, file: source.name) { record in
            key.removeAll(keepingCapacity: true)
            if withEmployee {
                key.append(contentsOf: record.bytes(employeeColumn.index))
                key.append(0)
            }
            key.append(contentsOf: record.bytes(keyColumn.index))
            guard !record.isAbsent(keyColumn.index) else { return }
            let fingerprint = key.withUnsafeBufferPointer { UniqueKeySet.fingerprint($0) }
            if candidates.contains(fingerprint) {
                occurrences.append((record.line, fingerprint, String(decoding: key, as: UTF8.self)))
            }
        }
        return DuplicateResolver.resolve(occurrences)
    }
}
