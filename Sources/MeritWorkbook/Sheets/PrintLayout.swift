/// How every sheet of the workbook prints (docs/workbook.md "Printing"): one page wide, as many pages down as its
/// rows need, landscape only when its columns are wider than a portrait page, a table's header rows and gridlines
/// on every page, the review's period, rubric and status in the page header, the sheet and "Page P of N" in the
/// footer.
struct PrintLayout {
    /// The page header's text, in Excel's header codes.
    let header: String
    /// The page footer's text.
    let footer: String

    /// The printable width of a portrait A4 page with the default 0.7-inch side margins (6.87 inches at 96 pixels
    /// an inch; a Letter page is a little wider): a sheet whose columns are wider prints landscape.
    static let portraitWidthPixels = 659
    /// Rows of the default height (15 points) a portrait page holds with the default 0.75-inch top and bottom
    /// margins: 45 on Letter, 48 on A4, less a row for safety.
    static let portraitRows = 44
    /// Excel (and libxlsxwriter) refuse a header or footer longer than this, codes included.
    static let headerFooterLimit = 255

    /// `period`: the review period; `rubric`: who the rubric is for and its id and version; `status`: preliminary,
    /// draft or final; `generatedAt`: when the workbook was written.
    init(period: String, rubric: String, status: String, generatedAt: String) {
        // Left, on two lines, the period and the rubric; right, the status: side by side they overlap on a
        // portrait page once both are long. Each piece is clipped before it is escaped, so the whole stays
        // within the limit (a `&` counted twice).
        header =
            "&L" + PrintLayout.escaped(PrintLayout.clipped("Merit review " + period, to: 40))
            + "\n" + PrintLayout.escaped(PrintLayout.clipped(rubric, to: 100))
            + "&R" + PrintLayout.escaped(PrintLayout.clipped(status, to: 60))
        footer = "&L&A&CPage &P of &N&R" + PrintLayout.escaped(PrintLayout.clipped("Generated " + generatedAt, to: 60))
    }

    /// Applies the page setup to `sheet`, whose columns are `columnWidths` wide (in characters). A table of a
    /// row per person or warning names its `headerRows` (0-based): they print at the top of every page, and the
    /// cell gridlines print too, so a long row can be followed across a scaled-down page.
    func apply(to sheet: XLSXWorksheet, columnWidths: [Double], headerRows: ClosedRange<Int>?) throws(XLSXError) {
        sheet.setOrientation(landscape: PrintLayout.isWide(columnWidths))
        sheet.fitToPages(width: 1, height: 0)
        if let headerRows {
            try sheet.repeatRows(headerRows.lowerBound, headerRows.upperBound)
            sheet.printGridlines()
        }
        try sheet.setHeader(header)
        try sheet.setFooter(footer)
    }

    /// Whether columns of these widths are wider than a portrait page, and so print landscape.
    static func isWide(_ columnWidths: [Double]) -> Bool {
        columnWidths.reduce(0) { $0 + pixels(ofColumnWidth: $1) } > portraitWidthPixels
    }

    /// A column `width` characters wide in pixels, as Excel draws it: 7 pixels a character of the default font
    /// plus 5 of padding (96 dpi).
    static func pixels(ofColumnWidth width: Double) -> Int {
        width <= 0 ? 0 : width < 1 ? Int(width * 12 + 0.5) : Int(width * 7 + 0.5) + 5
    }

    /// `text` with every `&` doubled, so it prints as written instead of starting a header code (`&P` would be
    /// the page number); control characters, which no header can show, become spaces.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&&"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` cut to at most `limit` UTF-8 bytes once escaped (whole characters, an ellipsis marking the cut):
    /// bytes, not characters, so the limit holds whichever way a reader counts.
    static func clipped(_ text: String, to limit: Int) -> String {
        func cost(_ c: Character) -> Int { c == "&" ? 2 : c.utf8.count }
        guard text.reduce(0, { $0 + cost($1) }) > limit else { return text }
        var out = "", used = 0
        let ellipsis = "…".utf8.count
        for c in text {
            if used + cost(c) + ellipsis > limit { break }
            out.append(c)
            used += cost(c)
        }
        return out + "…"
    }
}
