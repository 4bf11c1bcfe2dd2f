import CXLSXWriter

/// The one owner of a libxlsxwriter workbook: created with a path, written
/// through worksheets, closed exactly once.
///
/// Not `Sendable`: a workbook is written synchronously by one owner (Swift 6
/// strict concurrency forbids sharing the C pointers anyway). Closing is what
/// writes the file; its result is always checked, because libxlsxwriter
/// reports an unwritable path only then.
public final class XLSXWorkbook {
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    let strings = CStringPool()
    private var formats: [XLSXStyle: XLSXFormat] = [:]

    /// Starts a workbook at `path` (nothing is written until `close`).
    public init(path: String, constantMemory: Bool = false) throws(XLSXError) {
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = 1
        guard let workbook = workbook_new_opt(path, &options) else {
            throw XLSXError(LXW_ERROR_MEMORY_MALLOC_FAILED, "creating a workbook for \(path)")
        }
        handle = workbook
    }

    deinit {
        if let handle { _ = workbook_close(handle) }
    }

    var pointer: UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { preconditionFailure("the workbook is already closed") }
        return handle
    }

    /// Adds a worksheet (names are unique and at most 31 characters in Excel).
    ///
    /// `streamed`: the sheet is written in libxlsxwriter's constant-memory
    /// mode — each row goes to the sheet's XML as soon as a later row is
    /// started, text is written inline instead of through the shared-string
    /// table, so its rows must be written top to bottom and it cannot hold a
    /// table. The library reads the workbook's `constant_memory` option when a
    /// sheet is added, so it is set for this one sheet only: a workbook can
    /// stream its big sheets and still give `Bonus` its `BonusImport` table
    /// (issue: company scale; ../shared/notes/libxlsxwriter-from-swift.md).
    public func addWorksheet(_ name: String, streamed: Bool = false) throws(XLSXError) -> XLSXWorksheet {
        let workbook = pointer
        let mode = workbook.pointee.options.constant_memory
        workbook.pointee.options.constant_memory = streamed ? 1 : 0
        defer { workbook.pointee.options.constant_memory = mode }
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw XLSXError(LXW_ERROR_SHEETNAME_ALREADY_USED, "adding worksheet '\(name)'")
        }
        return XLSXWorksheet(sheet, workbook: self, name: name, streamed: streamed)
    }

    /// A cell format, created once per distinct description and reused.
    public func format(_ style: XLSXStyle) -> XLSXFormat {
        if let existing = formats[style] { return existing }
        let format = XLSXFormat(workbook_add_format(pointer)!, style: style)
        formats[style] = format
        return format
    }

    /// Adds a chart to be inserted into a worksheet.
    public func addChart(_ type: XLSXChart.Kind) -> XLSXChart {
        XLSXChart(workbook_add_chart(pointer, type.chartType)!, workbook: self)
    }

    /// Title, subject, author and comments shown in the file's properties.
    ///
    /// `created` (seconds since 1970, UTC) is the creation time the file
    /// records; nil leaves it to the library, which takes the clock.
    public func setProperties(
        title: String, subject: String, author: String, comments: String, keywords: String,
        created: Int? = nil
    ) throws(XLSXError) {
        var properties = lxw_doc_properties()
        if let created { properties.created = time_t(created) }
        properties.title = strings.copy(title)
        properties.subject = strings.copy(subject)
        properties.author = strings.copy(author)
        properties.comments = strings.copy(comments)
        properties.keywords = strings.copy(keywords)
        try XLSXError.check(workbook_set_properties(pointer, &properties), "setting document properties")
    }

    /// Writes the file and releases the library's memory. Call exactly once.
    public func close() throws(XLSXError) {
        guard let handle else { return }
        self.handle = nil
        try XLSXError.check(workbook_close(handle), "writing the workbook")
    }
}
