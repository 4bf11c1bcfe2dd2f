/// The `Audit` sheet of a stored review (docs/reference.md §10, after the six sheets of
/// §14): who did what to the review and its data, when, old, new and why.
struct AuditSheet {
    static let sheetName = "Audit"
    static let headers = ["When", "Who", "Action", "Period", "Version", "Employee ID", "Old", "New", "Reason"]

    static func write(_ rows: [ReviewWorkbook.AuditRow], into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        for (i, r) in rows.enumerated() {
            let row = i + 1
            try w.text(r.at, row, 0)
            try w.text(r.by, row, 1)
            try w.text(r.action, row, 2)
            try w.text(r.period, row, 3)
            try w.number(r.version.map(Double.init), row, 4)
            try w.text(r.employeeID, row, 5)
            try w.text(r.oldValue, row, 6)
            try w.text(r.newValue, row, 7)
            try w.text(r.reason, row, 8)
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.applyWidths(maximum: 80)
    }
}
