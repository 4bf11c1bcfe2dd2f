import CXLSXWriter

/// One worksheet of an `XLSXWorkbook`: typed cells and the few sheet features
/// Merit's workbook uses. Rows and columns are 0-based, as in libxlsxwriter.
public struct XLSXWorksheet {
    let pointer: UnsafeMutablePointer<lxw_worksheet>
    unowned let workbook: XLSXWorkbook
    public let name: String
    /// Written in constant-memory mode: rows top to bottom, and a row's height set before the row is written.
    public let streamed: Bool

    init(_ pointer: UnsafeMutablePointer<lxw_worksheet>, workbook: XLSXWorkbook, name: String, streamed: Bool = false) {
        self.pointer = pointer
        self.workbook = workbook
        self.name = name
        self.streamed = streamed
    }

    private func location(_ row: Int, _ column: Int) -> String { "\(name)!\(XLSXWorksheet.cellName(row, column))" }

    /// A text cell. Always a string cell, never a formula, whatever the text starts with (docs/reference.md §14).
    public func write(text: String, row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        try XLSXError.check(
            worksheet_write_string(pointer, lxw_row_t(row), lxw_col_t(column), text, format?.pointer),
            "writing \(location(row, column))")
    }

    /// A numeric cell; non-finite values become empty cells.
    public func write(number: Double, row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        guard number.isFinite else { return try writeBlank(row: row, column: column, format: format) }
        try XLSXError.check(
            worksheet_write_number(pointer, lxw_row_t(row), lxw_col_t(column), number, format?.pointer),
            "writing \(location(row, column))")
    }

    /// A formula stored with its computed value, so readers that do not recalculate still see the number.
    public func write(formula: String, cachedValue: Double, row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        try XLSXError.check(
            worksheet_write_formula_num(pointer, lxw_row_t(row), lxw_col_t(column), formula, format?.pointer, cachedValue),
            "writing \(location(row, column))")
    }

    /// An empty cell that still carries a format (an empty cell without one is simply not written).
    public func writeBlank(row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        guard let format else { return }
        try XLSXError.check(
            worksheet_write_blank(pointer, lxw_row_t(row), lxw_col_t(column), format.pointer),
            "writing \(location(row, column))")
    }

    /// Optional text: a text cell, or nothing.
    public func write(optionalText: String?, row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        if let optionalText { try write(text: optionalText, row: row, column: column, format: format) }
    }

    /// Optional number: a number cell, or nothing.
    public func write(optionalNumber: Double?, row: Int, column: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        if let optionalNumber { try write(number: optionalNumber, row: row, column: column, format: format) }
    }

    /// Column width in characters.
    public func setColumn(_ column: Int, width: Double, format: XLSXFormat? = nil) throws(XLSXError) {
        try XLSXError.check(
            worksheet_set_column(pointer, lxw_col_t(column), lxw_col_t(column), width, format?.pointer),
            "sizing column \(column) of \(name)")
    }

    /// A row's height in points (a line of the default font is 15). In a streamed sheet, before the row is written.
    public func setRowHeight(_ row: Int, points: Double) throws(XLSXError) {
        try XLSXError.check(worksheet_set_row(pointer, lxw_row_t(row), points, nil), "sizing row \(row + 1) of \(name)")
    }

    /// One text over the cells `firstColumn...lastColumn` of `row`, merged (a group heading). Always a string cell.
    public func merge(text: String, row: Int, firstColumn: Int, lastColumn: Int, format: XLSXFormat? = nil) throws(XLSXError) {
        try XLSXError.check(
            worksheet_merge_range(
                pointer, lxw_row_t(row), lxw_col_t(firstColumn), lxw_row_t(row), lxw_col_t(lastColumn),
                text, format?.pointer),
            "merging \(location(row, firstColumn)):\(XLSXWorksheet.cellName(row, lastColumn))")
    }

    /// Keeps the first `rows` rows and `columns` columns in view while scrolling.
    public func freezePanes(rows: Int, columns: Int) {
        worksheet_freeze_panes(pointer, lxw_row_t(rows), lxw_col_t(columns))
    }

    public func autofilter(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws(XLSXError) {
        try XLSXError.check(
            worksheet_autofilter(pointer, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn)),
            "adding an autofilter to \(name)")
    }

    /// An Excel table over a range whose first row holds `headers` (docs/reference.md §14 `BonusImport`).
    public func addTable(
        name tableName: String, firstRow: Int, firstColumn: Int, lastRow: Int, headers: [String],
        headerFormat: XLSXFormat? = nil
    ) throws(XLSXError) {
        let pool = workbook.strings
        let columns = UnsafeMutablePointer<lxw_table_column>.allocate(capacity: headers.count)
        let list = UnsafeMutablePointer<UnsafeMutablePointer<lxw_table_column>?>.allocate(capacity: headers.count + 1)
        defer { columns.deallocate(); list.deallocate() }
        for (i, header) in headers.enumerated() {
            columns[i] = lxw_table_column()
            columns[i].header = pool.copy(header)
            columns[i].header_format = headerFormat?.pointer
            list[i] = columns + i
        }
        list[headers.count] = nil
        var options = lxw_table_options()
        options.name = pool.copy(tableName)
        options.style_type = UInt8(LXW_TABLE_STYLE_TYPE_MEDIUM.rawValue)
        options.style_type_number = 2
        options.columns = list
        try XLSXError.check(
            worksheet_add_table(
                pointer, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow),
                lxw_col_t(firstColumn + headers.count - 1), &options),
            "adding table \(tableName) to \(name)")
    }

    /// A red–yellow–green colour scale over a column range (the totals on `Scorecards`).
    public func addColorScale(firstRow: Int, lastRow: Int, column: Int) throws(XLSXError) {
        var format = lxw_conditional_format()
        format.type = UInt8(LXW_CONDITIONAL_3_COLOR_SCALE.rawValue)
        format.min_color = 0xF8696B
        format.mid_color = 0xFFEB84
        format.max_color = 0x63BE7B
        try XLSXError.check(
            worksheet_conditional_format_range(pointer, lxw_row_t(firstRow), lxw_col_t(column), lxw_row_t(lastRow), lxw_col_t(column), &format),
            "adding a colour scale to \(name)")
    }

    /// Restricts a range to a list of values (band ids), with a prompt.
    public func addListValidation(firstRow: Int, lastRow: Int, column: Int, values: [String], title: String, message: String) throws(XLSXError) {
        var validation = lxw_data_validation()
        validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
        validation.value_list = workbook.strings.copyList(values)
        validation.input_title = workbook.strings.copy(String(title.prefix(32)))
        validation.input_message = workbook.strings.copy(String(message.prefix(255)))
        try XLSXError.check(
            worksheet_data_validation_range(pointer, lxw_row_t(firstRow), lxw_col_t(column), lxw_row_t(lastRow), lxw_col_t(column), &validation),
            "adding a data validation to \(name)")
    }

    /// Inserts `chart` with its top left corner at a cell; `size` in pixels (libxlsxwriter's default is 480 × 288).
    public func insertChart(_ chart: XLSXChart, row: Int, column: Int, size: (width: Int, height: Int)? = nil) throws(XLSXError) {
        var options = lxw_chart_options()
        options.x_scale = size.map { Double($0.width) / Double(XLSXChart.defaultSize.width) } ?? 1
        options.y_scale = size.map { Double($0.height) / Double(XLSXChart.defaultSize.height) } ?? 1
        try XLSXError.check(
            worksheet_insert_chart_opt(pointer, lxw_row_t(row), lxw_col_t(column), chart.pointer, &options),
            "inserting a chart into \(name)")
    }

    // MARK: Printing (docs/workbook.md "Printing")

    /// Landscape or portrait pages.
    public func setOrientation(landscape: Bool) {
        if landscape { worksheet_set_landscape(pointer) } else { worksheet_set_portrait(pointer) }
    }

    /// Scales the print to at most `width` pages across and `height` pages down; 0 leaves that direction unlimited.
    public func fitToPages(width: Int, height: Int) {
        worksheet_fit_to_pages(pointer, UInt16(width), UInt16(height))
    }

    /// Prints rows `first...last` at the top of every page (the `_xlnm.Print_Titles` defined name).
    public func repeatRows(_ first: Int, _ last: Int) throws(XLSXError) {
        try XLSXError.check(worksheet_repeat_rows(pointer, lxw_row_t(first), lxw_row_t(last)), "repeating the header rows of \(name)")
    }

    /// The page header, in Excel's `&L`/`&C`/`&R`, `&P`, `&N`, `&A` codes (a literal `&` is `&&`; at most 255 characters).
    public func setHeader(_ text: String) throws(XLSXError) {
        try XLSXError.check(worksheet_set_header(pointer, text), "setting the page header of \(name)")
    }

    /// The page footer, in the same codes as the header.
    public func setFooter(_ text: String) throws(XLSXError) {
        try XLSXError.check(worksheet_set_footer(pointer, text), "setting the page footer of \(name)")
    }

    /// Starts a new printed page at each of `rows` (0-based; row 0 cannot break).
    public func setPageBreaks(beforeRows rows: [Int]) throws(XLSXError) {
        var breaks = rows.filter { $0 > 0 }.map { lxw_row_t($0) } + [0]
        guard breaks.count > 1 else { return }
        try XLSXError.check(worksheet_set_h_pagebreaks(pointer, &breaks), "setting the page breaks of \(name)")
    }

    /// Prints only this range (the `_xlnm.Print_Area` defined name); 0-based, inclusive.
    public func printArea(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) throws(XLSXError) {
        try XLSXError.check(
            worksheet_print_area(pointer, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn)),
            "setting the print area of \(name)")
    }

    /// Prints the cell gridlines (they stay shown on screen).
    public func printGridlines() {
        worksheet_gridlines(pointer, UInt8(LXW_SHOW_ALL_GRIDLINES.rawValue))
    }

    /// `A1`-style name of a cell (0-based row and column).
    public static func cellName(_ row: Int, _ column: Int, absolute: Bool = false) -> String {
        let d = absolute ? "$" : ""
        return d + columnName(column) + d + String(row + 1)
    }

    /// `A`, `B`, …, `Z`, `AA`, … for a 0-based column.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
