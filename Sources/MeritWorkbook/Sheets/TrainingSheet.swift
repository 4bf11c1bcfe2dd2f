import MeritEngine

/// The `Training` sheet (spec §14): one row per recommendation, highest
/// priority first. A band's plan (no priority) is the most urgent and comes
/// before every metric recommendation.
struct TrainingSheet {
    static let sheetName = "Training"
    static let headers = ["Employee ID", "Name", "Team", "Band", "Priority", "Metric", "Module", "Score", "Below"]

    static func write(_ evaluation: Evaluation, into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        var rows: [(employee: EmployeeResult, recommendation: TrainingRecommendation)] = []
        for e in evaluation.employees { for t in e.training { rows.append((e, t)) } }
        rows.sort { a, b in
            let pa = a.recommendation.priority ?? .infinity, pb = b.recommendation.priority ?? .infinity
            if pa != pb { return pa > pb }
            if a.employee.entry.employeeID != b.employee.entry.employeeID {
                return Population.byteOrder(a.employee.entry.employeeID, b.employee.entry.employeeID)
            }
            return (a.recommendation.metricID ?? "").utf8.lexicographicallyPrecedes((b.recommendation.metricID ?? "").utf8)
        }
        for (i, r) in rows.enumerated() {
            let row = i + 1
            try w.text(r.employee.entry.employeeID, row, 0)
            try w.text(r.employee.entry.name, row, 1)
            try w.text(r.employee.entry.team, row, 2)
            try w.text(r.employee.band?.id, row, 3)
            try w.number(r.recommendation.priority, row, 4, XLSXStyle(numberFormat: "0.00"))
            try w.text(r.recommendation.metricID ?? "(band)", row, 5)
            try w.text(r.recommendation.module, row, 6)
            try w.number(r.recommendation.score, row, 7, XLSXStyle(numberFormat: "0.0"))
            try w.number(r.recommendation.below, row, 8)
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: max(rows.count, 1), lastColumn: headers.count - 1)
        try w.applyWidths()
    }
}
