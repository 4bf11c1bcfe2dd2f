import MeritReport

/// Writes cells to one worksheet and remembers how wide each column's content
/// is, so columns can be sized to fit (CJK names count double, spec §14).
///
/// Written for sheets of tens of thousands of rows: widths are kept by column
/// in an array, numbers are measured without being formatted, and the last
/// few styles' formats are remembered, so a cell costs no hashing and no
/// `String` beyond what libxlsxwriter is given (issue: company scale).
struct SheetWriter {
    let sheet: XLSXWorksheet
    let workbook: XLSXWorkbook
    /// Widest content by column, in display columns.
    private(set) var widths: [Int] = []
    private var recentFormats: [(style: XLSXStyle, format: XLSXFormat)] = []

    init(_ sheet: XLSXWorksheet, workbook: XLSXWorkbook) {
        self.sheet = sheet
        self.workbook = workbook
    }

    private mutating func measure(_ column: Int, width: Int) {
        if column >= widths.count { widths += Array(repeating: 0, count: column + 1 - widths.count) }
        if width > widths[column] { widths[column] = width }
    }

    private mutating func measure(_ column: Int, _ text: String) {
        measure(column, width: DisplayWidth.of(text))
    }

    /// The workbook's format for `style`, remembered for the next cells.
    private mutating func format(_ style: XLSXStyle?) -> XLSXFormat? {
        guard let style else { return nil }
        if let hit = recentFormats.first(where: { $0.style == style }) { return hit.format }
        let format = workbook.format(style)
        if recentFormats.count == 8 { recentFormats.removeFirst() }
        recentFormats.append((style, format))
        return format
    }

    /// A text cell; `sized: false` leaves the column width alone (a long value that may spill into empty neighbours).
    mutating func text(_ text: String?, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil, sized: Bool = true) throws(XLSXError) {
        guard let text else { return try blank(row, column, style) }
        if sized { measure(column, text) }
        try sheet.write(text: text, row: row, column: column, format: format(style))
    }

    mutating func number(_ value: Double?, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil, shownAs: String? = nil) throws(XLSXError) {
        guard let value else { return try blank(row, column, style) }
        measure(column, width: shownAs.map(DisplayWidth.of) ?? SheetWriter.shortNumberWidth(value))
        try sheet.write(number: value, row: row, column: column, format: format(style))
    }

    mutating func formula(_ formula: String, cached: Double, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        measure(column, width: SheetWriter.shortNumberWidth(cached))
        try sheet.write(formula: formula, cachedValue: cached, row: row, column: column, format: format(style))
    }

    mutating func blank(_ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        try sheet.writeBlank(row: row, column: column, format: format(style))
    }

    /// A header row in bold, from column 0.
    mutating func header(_ titles: [String], row: Int) throws(XLSXError) {
        for (i, title) in titles.enumerated() { try text(title, row, i, .header) }
    }

    /// Sizes every written column to its widest content, within limits.
    func applyWidths(minimum: Int = 6, maximum: Int = 60) throws(XLSXError) {
        for (column, width) in widths.enumerated() where width > 0 {
            try sheet.setColumn(column, width: Double(min(max(width + 2, minimum), maximum)))
        }
    }

    /// A rubric number as written: `3`, `4.8`, `0.5`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func shortNumber(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() && abs(rounded) < 9e18 ? String(Int64(rounded)) : String(rounded)
    }

    /// The length of `shortNumber(value)` for the values a sheet holds (below
    /// 10^15), worked out without formatting it; the exact string otherwise.
    static func shortNumberWidth(_ value: Double) -> Int {
        let hundredths = (value * 100).rounded()
        guard hundredths.isFinite, abs(hundredths) < 1e15 else { return shortNumber(value).count }
        // k/100 prints as its shortest decimal: the whole part, then no, one or two decimals.
        let k = Int64(hundredths)
        var width = k < 0 ? 1 : 0
        var whole = abs(k) / 100
        repeat { width += 1; whole /= 10 } while whole > 0
        if k % 100 != 0 { width += k % 10 == 0 ? 2 : 3 }
        return width
    }
}
