import MeritEngine

/// `quotas` rows (docs/reference.md §2.2): one quota per employee and period, greater than 0, in the employee's
/// currency.
struct QuotasRowFolder: RowFolder {
    static let dataset = Dataset.quotas
    static let uniqueKey: UniqueKeyColumns? = UniqueKeyColumns(
        column: "period", withEmployee: true, described: "quota for this employee and period")

    let period, quota: Column

    init(_ v: RowValidator, context: DatasetContext) { period = v.column("period"); quota = v.column("quota") }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        let who = row.employee(record)
        var period: Period?
        if let text = row.v.text(record, self.period, required: true) {
            period = Period(text)
            if period == nil { row.v.fail(self.period, "not a period id (YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM): '\(InputLimits.quoted(text))'") }
        }
        // The employee's currency is read before the validator is borrowed for the cell.
        let minorDigits = row.minorDigits(who), currency = row.currency(who)
        let amount = row.v.money(record, quota, minorDigits: minorDigits, currency: currency, currencyKnown: who != nil, required: true)
        if let amount, amount <= 0 { row.v.fail(quota, "quota must be greater than 0") }
        guard row.v.isValid, let slot = row.slot(who), let period, let amount else { return }
        let entry = QuotaEntry(slot: slot, period: period, quotaThousandths: amount)
        if row.holding { row.hold(.quota(entry)) } else { tallies.add(entry) }
    }
}
