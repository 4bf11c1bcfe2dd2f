/// A cell value as stored in the sheet XML of an `.xlsx` file (docs/reference.md §2 "each
/// as `.csv` or `.xlsx`", §2.1 *Types*: "XLSX numeric cells are numbers", "in
/// XLSX also a date cell (1900 date system)"; §14 for the workbook Merit writes).
///
/// The value is what the file stores, not what a spreadsheet shows: a number
/// keeps its full binary value whatever its number format, and a text is the
/// string exactly as written (OOXML `_xHHHH_` escapes decoded).
public enum XLSXCell: Equatable, Sendable {
    /// A string: a shared string (`t="s"`), an inline string (`t="inlineStr"`),
    /// or the cached string result of a formula (`t="str"`; the formula itself
    /// is in ``XLSXCellInfo/formula``). Rich-text runs are concatenated and
    /// phonetic runs (`<rPh>`) left out (docs/reference.md §2.1 "Text is kept exactly as
    /// written").
    case text(String)
    /// A number (`t="n"` or no `t`) whose cell style is not a date/time
    /// format; for a formula cell, its cached result (docs/reference.md §2.1 "XLSX numeric
    /// cells are numbers").
    case number(Double)
    /// A boolean (`t="b"`, stored as `1` or `0`) (docs/reference.md §2.1 *bool*).
    case bool(Bool)
    /// An error value (`t="e"`), such as `#DIV/0!` or `#N/A` (docs/reference.md §2.1: a value
    /// that does not parse as its column's type is an error for that row).
    case error(String)
    /// A number whose cell style is a date/time number format — built-in ids
    /// 14–22 and 45–47 (and the East Asian built-in date ids 27–36 and 50–58),
    /// or a custom format whose code has `d`, `m`, `y`, `h` or `s` outside quotes
    /// and brackets — or an ISO 8601 cell (`t="d"`) converted to a serial.
    /// The payload is the raw serial in the workbook's date system (the 1900
    /// system unless ``XLSXWorkbookReader/uses1904Dates``); convert it with
    /// ``ExcelDate/components(serial:date1904:)`` (docs/reference.md §2.1 *date*, *timestamp*).
    case date(Double)
}
