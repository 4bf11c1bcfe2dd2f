import MeritEngine

/// `accounts` rows (docs/reference.md §2.2): one spell of a customer's ownership each, from `since` to an
/// optional `until`, ended by churn or transfer; every valid spell counts, evaluated owner or not.
struct AccountsRowFolder: RowFolder {
    static let dataset = Dataset.accounts
    static let uniqueKey: UniqueKeyColumns? = nil

    let customer, since, until, endReason: Column

    init(_ v: RowValidator, context: DatasetContext) {
        customer = v.column("customer_id"); since = v.column("since"); until = v.column("until"); endReason = v.column("end_reason")
    }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        let customer = row.v.text(record, self.customer, required: true)
        let who = row.employee(record)
        let since = row.v.date(record, self.since, required: true)
        let until = row.v.date(record, self.until)
        var transfer = false
        if until != nil, let reason = row.v.text(record, endReason) {
            switch reason.lowercased() {
            case "churn": break
            case "transfer": transfer = true
            default: row.v.fail(endReason, "end_reason must be churn or transfer, not '\(InputLimits.quoted(reason))'")
            }
        }
        if let since, let until, until <= since { row.v.fail(self.until, "until \(until) must be after since \(since)") }
        // Every valid spell counts for first-ever customers, evaluated owner or not (docs/reference.md §15).
        if row.v.isValid, let who, let customer, let since {
            tallies.add(AccountSpell(slot: row.slot(who), customerID: customer, since: since, until: until, endsByTransfer: transfer))
        }
    }
}
