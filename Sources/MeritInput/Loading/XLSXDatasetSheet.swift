import MeritEngine

/// Reads a dataset stored as `.xlsx` (docs/reference.md §2: the sheet named like the
/// dataset, else the first sheet) as the same CSV text a `.csv` file would
/// hold, so one set of validation rules serves both formats.
///
/// Each sheet row becomes the CSV line of the same number — missing rows
/// become empty lines, and line breaks inside a cell do not count as lines
/// (`CSVReader(sheetText:)`) — so messages name the sheet row (docs/reference.md §2.1 "for
/// `.xlsx`, the sheet row number", §15 *XLSX line numbers*). The text is held
/// in memory, so it is bounded by `InputLimits.xlsxSheetTextBytes`. Cells keep their meaning: text as text,
/// numbers in their shortest exact decimal form, booleans as `true`/`false`,
/// date cells (1900 or 1904 system) as `YYYY-MM-DD`, or a timestamp when they
/// carry a time of day.
enum XLSXDatasetSheet {
    /// A reader over a dataset file as written: a CSV file as is, an XLSX file
    /// as the CSV text of its dataset sheet. Problems are `FileIssue`s naming `file` (docs/reference.md §11).
    static func reader(source: DatasetSource, dataset: Dataset) throws(FileIssue) -> CSVReader {
        let file = source.name
        do {
            if source.isXLSX {
                return try CSVReader(sheetText: try csvBytes(source: source, dataset: dataset))
            }
            return try CSVReader(source: source.bytes, dataset: dataset)
        } catch let error as CSVError {
            throw CSVProblem.fileIssue(error, file: file)
        } catch let issue as FileIssue {
            throw issue
        } catch {
            throw FileIssue(file: file, line: nil, message: "\(error)")
        }
    }

    static func csvBytes(source: DatasetSource, dataset: Dataset) throws(FileIssue) -> [UInt8] {
        let file = source.name
        let workbook: XLSXWorkbookReader
        do {
            switch source.bytes {
            case .file(let path): workbook = try XLSXWorkbookReader(path: path)
            case .memory(let bytes): workbook = try XLSXWorkbookReader(bytes: bytes)
            case .chunks: throw XLSXReadError.notAZip(file)
            }
        } catch {
            throw FileIssue(file: file, line: nil, message: "not a readable XLSX workbook: \(error)")
        }
        let names = workbook.sheetNames
        guard let sheet = names.first(where: { $0.lowercased() == dataset.rawValue }) ?? names.first else {
            throw FileIssue(file: file, line: nil, message: "the workbook has no sheet")
        }
        let limit = InputLimits.xlsxSheetTextBytes
        var out: [UInt8] = []
        var line = 1
        do {
            try workbook.forEachRow(inSheet: sheet) { row in
                while line < row.number {
                    out.append(0x0A)
                    line += 1
                }
                var column = 0
                for cell in row.cells {
                    while column < cell.column {
                        if column > 0 { out.append(0x2C) }
                        column += 1
                    }
                    if column > 0 { out.append(0x2C) }
                    column = cell.column + 1
                    appendQuoted(text(cell.value, date1904: workbook.uses1904Dates), to: &out)
                }
                out.append(0x0A)
                line += 1
                if out.count > limit {
                    throw FileIssue(
                        file: file, line: row.number,
                        message:
                            "sheet '\(InputLimits.quoted(sheet))' holds more than \(limit >> 20) MiB of text by this row, the most Merit reads from a workbook (save it as CSV)"
                    )
                }
            }
        } catch let issue as FileIssue {
            throw issue
        } catch {
            throw FileIssue(file: file, line: nil, message: "cannot read sheet '\(InputLimits.quoted(sheet))': \(error)")
        }
        return out
    }

    /// A cell as the text a CSV export would hold.
    static func text(_ value: XLSXCell?, date1904: Bool) -> String {
        switch value {
        case nil: return ""
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .error(let e): return e
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
            return "\(n)"
        case .date(let serial):
            guard let c = ExcelDate.components(serial: serial, date1904: date1904) else { return "\(serial)" }
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            let day = "\(c.year)-\(two(c.month))-\(two(c.day))"
            guard c.secondOfDay > 0 || c.nanoseconds > 0 else { return day }
            let s = c.secondOfDay
            return "\(day)T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
        }
    }

    /// Always quoted: commas, quotes and line ends inside a cell stay content.
    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        guard !text.isEmpty else { return }
        out.append(0x22)
        for b in text.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}
