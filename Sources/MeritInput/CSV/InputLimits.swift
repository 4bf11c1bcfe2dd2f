/// The sizes a data file may not pass (docs/reference.md §15 *Exactness and hostile
/// input*). People's pay depends on the tool finishing: a hostile or broken
/// file (a zip bomb, a quote that never closes in a 1 GB export, `/dev/zero`
/// named `employees.csv`) must end in a clear error within bounded memory,
/// never in the machine running out of it.
///
/// - A **cell** holds at most 32,767 characters, counted as UTF-16 code units
///   — Excel's own limit and the way Excel counts (an emoji outside the basic
///   plane counts two), so every cell Merit accepts fits a workbook cell. A
///   longer cell, or one holding NUL (U+0000), is a row error on its line and
///   column: the outputs could not hold it.
/// - A **record** (one CSV record, quoted line breaks included, or one XLSX
///   row) holds at most 4 MiB. That is over 100 maximal cells of the widest
///   characters, far beyond any real export, and bounds what one record
///   costs in memory. A longer record is an error of the whole file (§11),
///   reported at the line where it starts: reading on would mean holding it.
/// - An **XLSX part** (one XML file inside the ZIP) inflates to at most
///   1 GiB, and to at most 100 times its compressed size once past 1 MiB
///   (deflate reaches about 1,000:1 only on degenerate input such as a zip
///   bomb; real sheets compress 5–30:1, and 100:1 is the usual guard,
///   e.g. Apache POI's). Checked while inflating, so a bomb stops after at
///   most 100 MiB of inflated bytes have been looked at.
/// - The **shared-string table** of a workbook holds at most 8,388,608
///   strings (eight per row of a full 1,048,576-row sheet) and 256 MiB of
///   text (it is held in memory while a sheet is read), and a sheet's row
///   numbers stop at Excel's 1,048,576.
/// - The **text of an XLSX dataset sheet**, converted to CSV for reading,
///   is at most 512 MiB.
public enum InputLimits {
    /// Characters (UTF-16 code units) a cell may hold: Excel's cell limit.
    public static let cellCharacters = 32_767
    /// Bytes a record may hold (4 MiB).
    public static let recordBytes = 4 << 20
    /// Bytes one XLSX part may inflate to (1 GiB).
    public static let xlsxPartBytes: UInt64 = 1 << 30
    /// How many times its compressed size an XLSX part may inflate to, once past `xlsxRatioGrace`.
    public static let xlsxCompressionRatio: UInt64 = 100
    /// Inflated bytes of a part below which the ratio is not judged (tiny parts compress extremely well).
    public static let xlsxRatioGrace: UInt64 = 1 << 20
    /// Strings an XLSX shared-string table may hold.
    public static let xlsxSharedStrings = 1 << 23
    /// Bytes of text an XLSX shared-string table may hold in all (256 MiB): the table is kept in memory.
    public static let xlsxSharedStringBytes = 256 << 20
    /// Bytes of one XLSX cell's text kept while parsing: four per character
    /// the cell may hold, so a cell cut here is still too long and becomes the
    /// row error it should be, without its whole text ever being held.
    static let xlsxCellTextBytes = 4 * (cellCharacters + 1)
    /// Excel's last row number.
    public static let xlsxRows = 1_048_576
    /// Bytes of CSV text an XLSX dataset sheet may convert to (512 MiB).
    public static let xlsxSheetTextBytes = 512 << 20

    /// `text` cut to its first `limit` characters with an ellipsis when longer,
    /// for quoting a value in a message (docs/reference.md §15: "Messages quote at most the
    /// first 60 characters of a value"): a 1 MB cell must not become a 1 MB
    /// error line.
    public static func quoted(_ text: String, limit: Int = 60) -> String {
        var count = 0
        for index in text.indices {
            if count == limit { return String(text[..<index]) + "…" }
            count += 1
        }
        return text
    }
}
