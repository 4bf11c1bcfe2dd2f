import MeritReport

/// Writes cells to one worksheet and remembers how wide each column's content
/// is, so columns can be sized to fit (CJK names count double, spec §14).
struct SheetWriter {
    let sheet: XLSXWorksheet
    let workbook: XLSXWorkbook
    private(set) var widths: [Int: Int] = [:]

    init(_ sheet: XLSXWorksheet, workbook: XLSXWorkbook) {
        self.sheet = sheet
        self.workbook = workbook
    }

    private mutating func measure(_ column: Int, _ text: String) {
        let w = DisplayWidth.of(text)
        if w > widths[column, default: 0] { widths[column] = w }
    }

    /// A text cell; `sized: false` leaves the column width alone (a long value that may spill into empty neighbours).
    mutating func text(_ text: String?, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil, sized: Bool = true) throws(XLSXError) {
        guard let text else { return try blank(row, column, style) }
        if sized { measure(column, text) }
        try sheet.write(text: text, row: row, column: column, format: style.map(workbook.format))
    }

    mutating func number(_ value: Double?, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil, shownAs: String? = nil) throws(XLSXError) {
        guard let value else { return try blank(row, column, style) }
        measure(column, shownAs ?? SheetWriter.shortNumber(value))
        try sheet.write(number: value, row: row, column: column, format: style.map(workbook.format))
    }

    mutating func formula(_ formula: String, cached: Double, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        measure(column, SheetWriter.shortNumber(cached))
        try sheet.write(formula: formula, cachedValue: cached, row: row, column: column, format: style.map(workbook.format))
    }

    mutating func blank(_ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        try sheet.writeBlank(row: row, column: column, format: style.map(workbook.format))
    }

    /// A header row in bold, from column 0.
    mutating func header(_ titles: [String], row: Int) throws(XLSXError) {
        for (i, title) in titles.enumerated() { try text(title, row, i, .header) }
    }

    /// Sizes every written column to its widest content, within limits.
    func applyWidths(minimum: Int = 6, maximum: Int = 60) throws(XLSXError) {
        for (column, width) in widths {
            try sheet.setColumn(column, width: Double(min(max(width + 2, minimum), maximum)))
        }
    }

    /// A rubric number as written: `3`, `4.8`, `0.5`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func shortNumber(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
