import MeritEngine

extension DatasetContext {
    /// Reads `pools` (docs/reference.md §2.2): one amount per group, in the pool's currency
    /// (or the rubric's); duplicate pools are errors.
    func readPools(source: DatasetSource) throws -> [TextKey: PoolEntry] {
        let file = source.name
        let (reader, binding) = try open(.pools, source: source)
        // Pool names are equal only as the same bytes (docs/reference.md §15, `TextKey`).
        var pools: [TextKey: PoolEntry] = [:]
        var firstLine: [TextKey: Int] = [:]
        var v = RowValidator(binding: binding)
        let rubricCurrency = rubric.currency
        let log = self.log
        try stream(reader, file: file) { record in
            v.reset(record)
            let pool = v.text(record, "pool", required: true)
            let currency = (v.currency(record, "currency") ?? nil) ?? rubricCurrency
            let amount = v.money(record, "amount", currency: currency, required: true)
            if let amount, amount < 0 { v.fail("amount", "a pool amount must not be negative") }
            if let pool {
                if let first = firstLine[TextKey(pool)] {
                    v.fail("pool", "duplicate pool '\(InputLimits.quoted(pool))' (first on line \(first))")
                } else {
                    firstLine[TextKey(pool)] = record.line
                }
            }
            if v.isValid, let pool, let amount {
                pools[TextKey(pool)] = PoolEntry(pool: pool, amountThousandths: amount, currency: currency, line: record.line)
            }
            log.report(v.problems, dataset: .pools, file: file, line: record.line, unskippable: v.unskippable)
        }
        return pools
    }
}
