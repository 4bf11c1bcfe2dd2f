import MeritReport

/// Writes cells to one worksheet and remembers how wide each column's content
/// is, so columns can be sized to fit (CJK names count double, docs/reference.md §14).
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
    /// Texts merged over a run of columns (a metric's name over its value, n and score columns): the columns and
    /// the width they need together.
    private var spans: [(columns: Range<Int>, width: Int)] = []
    /// Wrapped texts of a sheet that is not streamed, by row: `applyWidths` makes each row tall enough for them
    /// (spreadsheets do not grow a row for wrapped text on opening a file; LibreOffice does not, at least).
    private var wrappedTexts: [(row: Int, column: Int, text: String)] = []

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

    /// `shownAs` or `shownWidth`: how the cell's format shows it, when that is wider than two decimals.
    mutating func number(
        _ value: Double?, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil, shownAs: String? = nil,
        shownWidth: Int? = nil
    ) throws(XLSXError) {
        guard let value else { return try blank(row, column, style) }
        measure(column, width: shownWidth ?? shownAs.map(DisplayWidth.of) ?? SheetWriter.shortNumberWidth(value))
        try sheet.write(number: value, row: row, column: column, format: format(style))
    }

    mutating func formula(_ formula: String, cached: Double, _ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        measure(column, width: SheetWriter.shortNumberWidth(cached))
        try sheet.write(formula: formula, cachedValue: cached, row: row, column: column, format: format(style))
    }

    mutating func blank(_ row: Int, _ column: Int, _ style: XLSXStyle? = nil) throws(XLSXError) {
        try sheet.writeBlank(row: row, column: column, format: format(style))
    }

    /// A text that wraps within its column (`style` wraps): the column is made as wide as the text up to
    /// `within` display columns (at least its longest word), or as its longest word when `within` is nil.
    mutating func wrapped(_ text: String?, _ row: Int, _ column: Int, _ style: XLSXStyle, within: Int? = nil) throws(XLSXError) {
        guard let text else { return try blank(row, column, style) }
        let word = SheetWriter.longestWord(text)
        measure(column, width: within.map { min(DisplayWidth.of(text), max($0, word)) } ?? word)
        if !sheet.streamed { wrappedTexts.append((row, column, text)) }
        try self.text(text, row, column, style, sized: false)
    }

    /// A header row whose titles wrap at spaces, each column as wide as its title's longest word.
    mutating func wrappedHeader(_ titles: [String], row: Int) throws(XLSXError) {
        for (i, title) in titles.enumerated() { try wrapped(title, row, i, .wrappedHeader) }
    }

    /// A text over the merged cells of `columns` (a heading; `style` wraps): the columns together are made at
    /// least as wide as its longest word.
    mutating func merged(_ text: String, _ row: Int, columns: Range<Int>, _ style: XLSXStyle) throws(XLSXError) {
        spans.append((columns, SheetWriter.longestWord(text)))
        try sheet.merge(text: text, row: row, firstColumn: columns.lowerBound, lastColumn: columns.upperBound - 1, format: format(style))
    }

    /// The display width of the widest word of `text`.
    static func longestWord(_ text: String) -> Int {
        text.split(separator: " ").map { DisplayWidth.of(String($0)) }.max() ?? 0
    }

    /// The lines `text` takes wrapped at spaces into `width` display columns (a word wider than that takes its
    /// own lines), as a spreadsheet wraps it.
    static func lineCount(_ text: String, width: Int) -> Int {
        let width = max(width, 1)
        var lines = 1, used = 0
        for word in text.split(separator: " ") {
            let w = DisplayWidth.of(String(word))
            if used == 0 {
                used = w
            } else if used + 1 + w <= width {
                used += 1 + w
            } else {
                lines += 1
                used = w
            }
            while used > width { lines += 1; used -= width }
        }
        return lines
    }

    /// A header row in bold, from column 0.
    mutating func header(_ titles: [String], row: Int) throws(XLSXError) {
        for (i, title) in titles.enumerated() { try text(title, row, i, .header) }
    }

    /// Every column's width up to the last one written, in characters, once `applyWidths` has set them (a column
    /// with nothing measured keeps the default, `defaultColumnWidth`): what the page setup measures the sheet by.
    private(set) var columnWidths: [Double] = []

    /// Sizes every written column to its widest content, within limits.
    mutating func applyWidths(minimum: Int = 6, maximum: Int = 60) throws(XLSXError) {
        var sized = widths.map { $0 > 0 ? min(max($0 + 2, minimum), maximum) : 0 }
        for span in spans {
            if span.columns.upperBound > sized.count { sized += Array(repeating: 0, count: span.columns.upperBound - sized.count) }
            let present = span.columns.reduce(0) { $0 + (sized[$1] > 0 ? sized[$1] : Int(SheetWriter.defaultColumnWidth)) }
            let last = span.columns.upperBound - 1
            if span.width + 2 > present {
                sized[last] = (sized[last] > 0 ? sized[last] : Int(SheetWriter.defaultColumnWidth)) + span.width + 2 - present
            }
        }
        for (column, width) in sized.enumerated() where width > 0 { try sheet.setColumn(column, width: Double(width)) }
        columnWidths = sized.map { $0 > 0 ? Double($0) : SheetWriter.defaultColumnWidth }
        var lines: [Int: Int] = [:]
        for cell in wrappedTexts {
            let count = SheetWriter.lineCount(cell.text, width: SheetWriter.wrapWidth(ofColumn: columnWidths[cell.column]))
            if count > lines[cell.row, default: 1] { lines[cell.row] = count }
        }
        for (row, count) in lines.sorted(by: { $0.key < $1.key }) {
            try sheet.setRowHeight(row, points: SheetWriter.lineHeight * Double(count))
        }
    }

    /// The height of a line of the default font (Calibri 11), in points.
    static let lineHeight = 15.0

    /// How many display columns of text a wrapping cell of a column `width` characters wide holds on a line
    /// (a character less than the width, for the cell's padding and a wider substitute font).
    static func wrapWidth(ofColumn width: Double) -> Int { max(Int(width) - 1, 1) }

    /// Excel's width of a column nobody sized, in characters.
    static let defaultColumnWidth = 8.43

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
