import MeritEngine

/// A byte range of a record file read on its own, so one big file can use both cores (issue: company scale).
struct FilePart: Sendable {
    let range: Range<Int>
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
    func readRecords(_ dataset: Dataset, path: String, into tallies: inout MetricTallies, exactKeys: Bool = true) throws -> Bool {
        var unused = FilePart.Output()
        return try readRecords(dataset, path: path, part: nil, into: &tallies, exactKeys: exactKeys, output: &unused)
    }

    /// Reads `part` of a file (or the whole file when nil). For a part, keys
    /// are not checked here: their fingerprints go to `output` for a check over
    /// all the parts, and lines count from 1 at the part's start.
    func readRecords(
        _ dataset: Dataset, path: String, part: FilePart?, into tallies: inout MetricTallies, exactKeys: Bool,
        output: inout FilePart.Output
    ) throws -> Bool {
        // The tables are lent once per file, outside the row loop (see `EmployeeDirectory.withLookup`): a
        // row's closure then captures only bare pointers, nothing retained or copied per row. The currency
        // table starts with the rubric's, for rows whose employee is unknown.
        let currencyTable = [rubric.currency] + employees.currencies
        return try employees.withLookup { roster in
            try currencyTable.withUnsafeBufferPointer { currencies in
                try readRecords(
                    dataset, path: path, part: part, into: &tallies, exactKeys: exactKeys, output: &output,
                    roster: roster, currencies: currencies)
            }
        }
    }

    private func readRecords(
        _ dataset: Dataset, path: String, part: FilePart?, into tallies: inout MetricTallies, exactKeys: Bool,
        output: inout FilePart.Output, roster: EmployeeLookup,
        currencies: UnsafeBufferPointer<Currency>
    ) throws -> Bool {
        let file = directory.fileName(dataset)
        let reader: CSVReader
        let binding: HeaderBinding
        if let part {
            do { reader = try CSVReader(path: path, range: part.range, delimiter: part.delimiter, header: part.header) } catch {
                throw CSVProblem.fileIssue(error, file: file)
            }
            binding = try HeaderBinding(header: part.header, schema: .of(dataset), mapping: mapping, file: file)
        } else {
            (reader, binding) = try open(dataset, path: path)
        }
        var v = RowValidator(binding: binding, zone: zone)
        let log = self.log
        let zone = self.zone
        let employeeColumn = v.column("employee_id")

        // Unique keys (docs/reference.md §2.2, §15): the column whose values may not repeat (for quotas, with the employee).
        let keyColumn: Column? =
            switch dataset {
            case .surveys: v.column("response_id")
            case .complaints: v.column("ticket_id")
            case .sales: v.column("order_id")
            case .quotas: v.column("period")
            default: nil
            }
        var keys = UniqueKeySet(expected: exactKeys ? 1 << 12 : 1)
        let fingerprints = FingerprintLog(capacity: !exactKeys && keyColumn != nil ? (part?.range.count ?? FileSystemProbe.size(path)) / 24 : 0)
        var candidates = Set<UInt64>()
        var held: [(line: Int, problems: [(column: String, index: Int, message: String)], record: HeldRecord?)] = []
        var quotaKey: [UInt8] = []

        /// Looks the row's employee up (entry and slot in `employees`); reports an unknown one (docs/reference.md §2.3).
        func employee(_ record: borrowing CSVRecord, in roster: EmployeeLookup) -> EmployeeDirectory.Found? {
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
        func slot(_ who: EmployeeDirectory.Found?) -> Int? {
            guard let who, who.slot >= 0 else { return nil }
            return Int(who.slot)
        }
        func currency(_ who: EmployeeDirectory.Found?) -> Currency { currencies[(who?.entry ?? -1) + 1] }
        let rubricMinorDigits = rubric.currency.minorDigits
        /// The minor digits money of this employee is written in, without touching the currency list.
        func minorDigits(_ who: EmployeeDirectory.Found?) -> Int { who?.minorDigits ?? rubricMinorDigits }

        /// The fingerprint of the row's unique key, or nil when it has none.
        func keyFingerprint(_ record: borrowing CSVRecord) -> UInt64? {
            guard let keyColumn, !record.isAbsent(keyColumn.index) else { return nil }
            if dataset == .quotas {
                // (employee_id, period): both cells, separated by a byte no text contains.
                quotaKey.removeAll(keepingCapacity: true)
                quotaKey.append(contentsOf: record.bytes(employeeColumn.index))
                quotaKey.append(0)
                quotaKey.append(contentsOf: record.bytes(keyColumn.index))
                return quotaKey.withUnsafeBufferPointer { UniqueKeySet.fingerprint($0) }
            }
            return UniqueKeySet.fingerprint(record.bytes(keyColumn.index))
        }

        let survey = SurveyColumns(v)
        let complaint = ComplaintColumns(v)
        let sale = SaleColumns(v)
        let feedback = FeedbackColumns(v)
        let quota = QuotaColumns(v)
        let account = AccountColumns(v)
        let dimensions = SurveyDimensionMatcher(rubric: rubric)
        // The numbers a survey score is compared with (scale ends, top-box thresholds): a score whose double
        // ties one of them is settled by its written decimal (docs: exactness; `WrittenDecimal`).
        let scoreBoundaries = rubric.metrics.filter { $0.kind == .satisfactionMean || $0.kind == .topBoxRate }.flatMap {
            [$0.parameters.scale?.lowerBound, $0.parameters.scale?.upperBound, $0.parameters.threshold].compactMap { $0 }
        }

        try stream(reader, file: file) { record in
            v.reset(record)
            let line = record.line
            // A row whose key may repeat an earlier one is held back until that is settled (exact mode only).
            var heldFingerprint: UInt64?
            if let fingerprint = keyFingerprint(record) {
                if !exactKeys {
                    fingerprints.append(fingerprint)
                } else if !keys.insert(fingerprint) {
                    heldFingerprint = fingerprint
                }
            }
            let holding = heldFingerprint != nil
            // A held row's record waits in `held` (only rows whose key may repeat: no per-row optional to destroy).
            var heldRecord = false
            func hold(_ record: HeldRecord) {
                held.append((line, v.problems, record))
                heldRecord = true
            }
            switch dataset {
            case .surveys:
                let evaluated = slot(employee(record, in: roster))
                if let evaluated { tallies.prefetchSurveyCounters(slot: evaluated) }
                let at = v.timestamp(record, survey.respondedAt, required: true)
                let score = v.number(record, survey.score).map {
                    WrittenDecimal.ordered($0, written: record.bytes(survey.score.index), boundaries: scoreBoundaries)
                }
                var recommend: Int?
                if let r = v.number(record, survey.recommend) {
                    // Integer-valued as written (`9.0` is, `9.00000000000000001` is not), then 0–10 (docs/reference.md §15).
                    if r == r.rounded(), (0...10).contains(r), WrittenDecimal.isInteger(record.bytes(survey.recommend.index)) {
                        recommend = Int(r)
                    } else {
                        v.fail(survey.recommend, "recommend must be an integer from 0 to 10, not \(record.quoted(survey.recommend.index))")
                    }
                }
                guard v.isValid, let slot = evaluated, let at else { break }
                let response = SurveyResponse(
                    slot: slot, date: at.date(inZoneOffsetSeconds: zone), score: score, recommend: recommend,
                    normalizedDimension: dimensions.match(record.bytes(survey.dimension.index)))
                if let violation = tallies.scaleViolation(response) {
                    v.fail(
                        survey.score,
                        "score \(record.quoted(survey.score.index)) is outside the scale [\(plainNumber(violation.scale.lowerBound)), \(plainNumber(violation.scale.upperBound))] of metric '\(violation.metricID)'"
                    )
                } else if holding {
                    hold(.survey(response))
                } else {
                    tallies.add(response)
                }
            case .accounts:
                let customer = v.text(record, account.customer, required: true)
                let who = employee(record, in: roster)
                let since = v.date(record, account.since, required: true)
                let until = v.date(record, account.until)
                var transfer = false
                if until != nil, let reason = v.text(record, account.endReason) {
                    switch reason.lowercased() {
                    case "churn": break
                    case "transfer": transfer = true
                    default: v.fail(account.endReason, "end_reason must be churn or transfer, not '\(InputLimits.quoted(reason))'")
                    }
                }
                if let since, let until, until <= since { v.fail(account.until, "until \(until) must be after since \(since)") }
                // Every valid spell counts for first-ever customers, evaluated owner or not (docs/reference.md §15).
                if v.isValid, let who, let customer, let since {
                    tallies.add(AccountSpell(slot: slot(who), customerID: customer, since: since, until: until, endsByTransfer: transfer))
                }
            case .complaints:
                if record.isAbsent(complaint.ticket.index) { v.fail(complaint.ticket, "ticket_id is required but empty") }
                let who = employee(record, in: roster)
                let opened = v.timestamp(record, complaint.openedAt, required: true)
                let resolved = v.timestamp(record, complaint.resolvedAt)
                let fcr = v.bool(record, complaint.firstContact)
                let escalated = v.bool(record, complaint.escalated)
                let openedInstant = opened?.instant(zoneOffsetSeconds: zone)
                let resolvedInstant = resolved?.instant(zoneOffsetSeconds: zone)
                if let o = openedInstant, let r = resolvedInstant, r < o {
                    v.fail(complaint.resolvedAt, "resolved_at is earlier than opened_at")
                }
                guard v.isValid, let slot = slot(who), let opened, let openedInstant else { break }
                let ticket = ComplaintTicket(
                    slot: slot, openedDate: opened.date(inZoneOffsetSeconds: zone), opened: openedInstant,
                    resolved: resolvedInstant, firstContactResolved: fcr, escalated: escalated)
                if holding { hold(.complaint(ticket)) } else { tallies.add(ticket) }
            case .sales:
                let who = employee(record, in: roster)
                let date = v.date(record, sale.date, required: true)
                let amount = v.money(
                    record, sale.amount, minorDigits: minorDigits(who), currency: currency(who), currencyKnown: who != nil,
                    required: true)
                guard v.isValid, let slot = slot(who), let date, let amount else { break }
                let saleLine = SaleLine(slot: slot, date: date, amountThousandths: amount)
                if holding { hold(.sale(saleLine)) } else { tallies.add(saleLine) }
            case .feedback:
                let who = employee(record, in: roster)
                let at = v.timestamp(record, feedback.receivedAt, required: true)
                let sentiment = SentimentParser.parse(record.bytes(feedback.sentiment.index))
                if sentiment == nil {
                    if let text = record.string(feedback.sentiment.index) {
                        v.fail(feedback.sentiment, "sentiment must be positive, neutral or negative, not '\(InputLimits.quoted(text))'")
                    } else {
                        v.fail(feedback.sentiment, "sentiment is required but empty")
                    }
                }
                guard v.isValid, let slot = slot(who), let at, let sentiment else { break }
                tallies.add(FeedbackItem(slot: slot, date: at.date(inZoneOffsetSeconds: zone), sentiment: sentiment))
            case .quotas:
                let who = employee(record, in: roster)
                var period: Period?
                if let text = v.text(record, quota.period, required: true) {
                    period = Period(text)
                    if period == nil { v.fail(quota.period, "not a period id (YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM): '\(InputLimits.quoted(text))'") }
                }
                let amount = v.money(
                    record, quota.quota, minorDigits: minorDigits(who), currency: currency(who), currencyKnown: who != nil,
                    required: true)
                if let amount, amount <= 0 { v.fail(quota.quota, "quota must be greater than 0") }
                guard v.isValid, let slot = slot(who), let period, let amount else { break }
                let entry = QuotaEntry(slot: slot, period: period, quotaThousandths: amount)
                if holding { hold(.quota(entry)) } else { tallies.add(entry) }
            case .employees, .pools:
                break
            }
            if let heldFingerprint {
                candidates.insert(heldFingerprint)
                if !heldRecord { held.append((line, v.problems, nil)) }
                return
            }
            if !v.isValid { log.report(v.problems, dataset: dataset, file: file, line: line, unskippable: v.unskippable) }
        }

        if part != nil {
            output.fingerprints = fingerprints
            output.lines = reader.linesRead
            return true
        }
        if !exactKeys { return !FingerprintDuplicates.containsRepeat(in: [fingerprints]) }
        guard !held.isEmpty, let keyColumn else { return true }
        let duplicates = try settleDuplicates(candidates, dataset: dataset, path: path, keyColumn: keyColumn, employeeColumn: employeeColumn)
        for row in held {
            var problems = row.problems
            if let first = duplicates[row.line] {
                let what = dataset == .quotas ? "quota for this employee and period" : keyColumn.name
                problems.append((keyColumn.name, keyColumn.index, "duplicate \(what) (first on line \(first))"))
            }
            log.report(problems, dataset: dataset, file: file, line: row.line)
            if problems.isEmpty, let record = row.record { tallies.add(record) }
        }
        return true
    }

    /// Re-reads a file for the exact texts of the keys whose fingerprints repeated (rare: repeated keys are errors).
    private func settleDuplicates(
        _ candidates: Set<UInt64>, dataset: Dataset, path: String,
        keyColumn: Column, employeeColumn: Column
    ) throws -> [Int: Int] {
        var occurrences: [(line: Int, fingerprint: UInt64, text: String)] = []
        var key: [UInt8] = []
        let (reader, _) = try open(dataset, path: path)
        try stream(reader, file: directory.fileName(dataset)) { record in
            key.removeAll(keepingCapacity: true)
            if dataset == .quotas {
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

/// Matches a survey's `dimension` against the dimensions the rubric's metrics
/// read, case-insensitively (docs/reference.md §15), returning the rubric's lower-cased
/// spelling — so matching rows share one string and others get none.
struct SurveyDimensionMatcher {
    private let wanted: [(text: String, bytes: [UInt8])]

    init(rubric: Rubric) {
        let names = Set(rubric.metrics.compactMap(\.parameters.dimension))
        wanted = names.sorted().map { ($0, Array($0.utf8)) }
    }

    /// nil when no metric filters by dimension (the value is never read) or the cell is empty;
    /// the matching wanted dimension; or `""` for a dimension no metric reads.
    func match(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !wanted.isEmpty, !bytes.isEmpty else { return nil }
        if bytes.contains(where: { $0 >= 0x80 }) {
            let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
            return wanted.first { $0.text == lowered }?.text ?? ""
        }
        for w in wanted where w.bytes.count == bytes.count {
            var same = true
            for (a, b) in zip(w.bytes, bytes) where a != (b >= 0x41 && b <= 0x5A ? b + 32 : b) { same = false; break }
            if same { return w.text }
        }
        return ""
    }
}

/// `positive`, `neutral` or `negative`, ASCII case-insensitive, from cell bytes (docs/reference.md §2.2 feedback).
///
/// The cell is read as one word and lowered in a register, letters only (any
/// other byte rejects it), so a feedback row allocates nothing.
enum SentimentParser {
    private static let positive = word("positive"), neutral = word("neutral"), negative = word("negative")

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Sentiment? {
        guard bytes.count == 7 || bytes.count == 8, let base = bytes.baseAddress else { return nil }
        let raw = loadPartialWord(UnsafeRawPointer(base), count: bytes.count)
        // Only letters may be folded: a byte must be A-Z or a-z for the lowered word to be trusted.
        var folded: UInt64 = 0
        for i in 0..<bytes.count {
            let b = UInt8(truncatingIfNeeded: raw >> UInt64(8 * i))
            let lower = b | 0x20
            guard lower >= 0x61, lower <= 0x7A else { return nil }
            folded |= UInt64(lower) << UInt64(8 * i)
        }
        switch folded {
        case positive: return .positive
        case neutral: return .neutral
        case negative: return .negative
        default: return nil
        }
    }

    private static func word(_ text: StaticString) -> UInt64 {
        loadPartialWord(UnsafeRawPointer(text.utf8Start), count: text.utf8CodeUnitCount)
    }
}

/// Each record dataset's columns, resolved once per file.
struct SurveyColumns {
    let respondedAt, score, recommend, dimension: Column
    init(_ v: RowValidator) {
        respondedAt = v.column("responded_at"); score = v.column("score"); recommend = v.column("recommend"); dimension = v.column("dimension")
    }
}

struct ComplaintColumns {
    let ticket, openedAt, resolvedAt, firstContact, escalated: Column
    init(_ v: RowValidator) {
        ticket = v.column("ticket_id"); openedAt = v.column("opened_at"); resolvedAt = v.column("resolved_at")
        firstContact = v.column("first_contact_resolved"); escalated = v.column("escalated")
    }
}

struct SaleColumns {
    let date, amount: Column
    init(_ v: RowValidator) { date = v.column("date"); amount = v.column("amount") }
}

struct FeedbackColumns {
    let receivedAt, sentiment: Column
    init(_ v: RowValidator) { receivedAt = v.column("received_at"); sentiment = v.column("sentiment") }
}

struct QuotaColumns {
    let period, quota: Column
    init(_ v: RowValidator) { period = v.column("period"); quota = v.column("quota") }
}

struct AccountColumns {
    let customer, since, until, endReason: Column
    init(_ v: RowValidator) {
        customer = v.column("customer_id"); since = v.column("since"); until = v.column("until"); endReason = v.column("end_reason")
    }
}
