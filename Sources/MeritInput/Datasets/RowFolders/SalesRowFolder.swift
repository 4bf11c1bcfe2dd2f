import MeritEngine

/// `sales` rows (docs/reference.md §2.2): one order line each, an amount in the employee's currency; an
/// `order_id` may not repeat.
struct SalesRowFolder: RowFolder {
    static let dataset = Dataset.sales
    static let uniqueKey: UniqueKeyColumns? = UniqueKeyColumns(column: "order_id")

    let date, amount: Column

    init(_ v: RowValidator, context: DatasetContext) { date = v.column("date"); amount = v.column("amount") }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        let who = row.employee(record)
        let date = row.v.date(record, self.date, required: true)
        // The employee's currency is read before the validator is borrowed for the cell.
        let minorDigits = row.minorDigits(who), currency = row.currency(who)
        let amount = row.v.money(record, self.amount, minorDigits: minorDigits, currency: currency, currencyKnown: who != nil, required: true)
        guard row.v.isValid, let slot = row.slot(who), let date, let amount else { return }
        let saleLine = SaleLine(slot: slot, date: date, amountThousandths: amount)
        if row.holding { row.hold(.sale(saleLine)) } else { tallies.add(saleLine) }
    }
}
