import MeritEngine

/// The `Data Quality` sheet (spec §14): every warning, with file, line, column
/// and message — dropped rows and pools that could not be paid.
struct DataQualitySheet {
    static let sheetName = "Data Quality"
    static let headers = ["File", "Line", "Column", "Message"]

    static func write(_ evaluation: Evaluation, into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        for (i, warning) in evaluation.warnings.enumerated() {
            try w.text(warning.file, i + 1, 0)
            try w.number(warning.line.map(Double.init), i + 1, 1)
            try w.text(warning.column, i + 1, 2)
            try w.text(warning.message, i + 1, 3)
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.applyWidths(maximum: 100)
    }
}
