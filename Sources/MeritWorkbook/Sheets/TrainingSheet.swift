import MeritEngine

/// The `Training` sheet (docs/reference.md §14): one row per recommendation, highest
/// priority first. A band's plan (no priority) is the most urgent and comes
/// before every metric recommendation.
struct TrainingSheet {
    static let sheetName = "Training"
    static let headers = ["Employee ID", "Name", "Team", "Band", "Priority", "Metric", "Module", "Score", "Below"]

    static func write(_ evaluation: Evaluation, into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        // Sort light references, not the (large) results themselves.
        let employees = evaluation.employees
        var rows: [(employee: Int, recommendation: Int, priority: Double)] = []
        for (e, result) in employees.enumerated() {
            for (t, recommendation) in result.training.enumerated() { rows.append((e, t, recommendation.priority ?? .infinity)) }
        }
        rows.sort { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.employee != b.employee { return a.employee < b.employee }  // employees are already in id order
            return a.recommendation < b.recommendation  // and each list in metric-id order per priority
        }
        for (i, r) in rows.enumerated() {
            let row = i + 1
            let employee = employees[r.employee]
            let recommendation = employee.training[r.recommendation]
            try w.text(employee.entry.employeeID, row, 0)
            try w.text(employee.entry.name, row, 1)
            try w.text(employee.entry.team, row, 2)
            try w.text(employee.band?.id, row, 3)
            try w.number(recommendation.priority, row, 4, XLSXStyle(numberFormat: "0.00"))
            try w.text(recommendation.metricID ?? "(band)", row, 5)
            try w.text(recommendation.module, row, 6)
            try w.number(recommendation.score, row, 7, XLSXStyle(numberFormat: "0.0"))
            try w.number(recommendation.below, row, 8)
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(rows.count, 1), lastColumn: headers.count - 1)
        try w.applyWidths()
    }
}
