/// Streams the `<sheetData>` of a worksheet part and hands each row with cells
/// to a callback as it ends (docs/reference.md §2: a dataset file may be `.xlsx`; §2.1
/// *Line numbers*: "for `.xlsx`, the sheet row number"). Nothing but the
/// current row is kept, and it is bounded (docs/reference.md §15, `InputLimits`): a cell's
/// text is kept only to `xlsxCellTextBytes` (then cut, still too long for a
/// cell), a row's text to `recordBytes`, row numbers to Excel's last row.
final class SheetXMLParser: XMLEventHandler {
    private let part: String
    private let sharedStrings: [String]
    private let dateStyles: [Bool]
    private let date1904: Bool
    private let onRow: (XLSXRow) throws -> Void

    private var depth = 0
    private var sheetDataDepth: Int?
    // The current row.
    private var inRow = false
    private var rowNumber = 0
    private var rowNumberGiven = false
    private var cells: [XLSXCellInfo] = []
    private var rowTextBytes = 0
    private var previousColumn = -1
    // The current cell.
    private var inCell = false
    private var cellColumn = 0
    private var cellReference: String?
    private var cellType: String?
    private var cellStyle = 0
    private var valueText: String?
    private var formulaText: String?
    private var inlineText: String?
    private var inInlineString = false
    private var phoneticDepth = 0
    private enum Target { case none, value, formula, inline }
    private var target = Target.none

    init(
        part: String, sharedStrings: [String], dateStyles: [Bool], date1904: Bool,
        onRow: @escaping (XLSXRow) throws -> Void
    ) {
        self.part = part
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.onRow = onRow
    }

    func start(_ name: String, _ attributes: [String: String]) throws {
        depth += 1
        guard let dataDepth = sheetDataDepth else {
            if name == "sheetData" { sheetDataDepth = depth }
            return
        }
        switch name {
        case "row" where depth == dataDepth + 1:
            inRow = true
            if let r = attributes["r"] {
                guard let number = Int(r), number >= 1 else { throw malformed("row \(InputLimits.quoted(r)): not a row number") }
                rowNumber = number
                rowNumberGiven = true
            } else {
                rowNumber += 1
                rowNumberGiven = false
            }
            guard rowNumber <= InputLimits.xlsxRows else { throw malformed("row \(rowNumber): past Excel's last row, \(InputLimits.xlsxRows)") }
            cells.removeAll(keepingCapacity: true)
            rowTextBytes = 0
            previousColumn = -1
        case "c" where inRow && depth == dataDepth + 2:
            inCell = true
            if let r = attributes["r"] {
                guard let (column, row) = CellReference.parse(r) else { throw malformed("\(InputLimits.quoted(r)): not a cell reference") }
                cellColumn = column
                cellReference = r
                if !rowNumberGiven, cells.isEmpty, let row {
                    guard row <= InputLimits.xlsxRows else { throw malformed("row \(row): past Excel's last row, \(InputLimits.xlsxRows)") }
                    rowNumber = row
                }
            } else {
                cellColumn = previousColumn + 1
                guard cellColumn <= CellReference.maxColumn else { throw malformed("row \(rowNumber): too many cells") }
                cellReference = nil
            }
            cellType = attributes["t"]
            cellStyle = attributes["s"].flatMap { Int($0) } ?? 0
            valueText = nil
            formulaText = nil
            inlineText = nil
            inInlineString = false
            phoneticDepth = 0
            target = .none
        case "v" where inCell:
            valueText = ""
            target = .value
        case "f" where inCell:
            formulaText = ""
            target = .formula
        case "is" where inCell:
            inInlineString = true
            inlineText = ""
        case "rPh" where inInlineString:
            phoneticDepth += 1
        case "t" where inInlineString && phoneticDepth == 0:
            target = .inline
        default:
            break
        }
    }

    func end(_ name: String) throws {
        defer { depth -= 1 }
        guard let dataDepth = sheetDataDepth else { return }
        switch name {
        case "sheetData" where depth == dataDepth:
            sheetDataDepth = nil
        case "row" where inRow && depth == dataDepth + 1:
            inRow = false
            if !cells.isEmpty {
                try onRow(XLSXRow(number: rowNumber, cells: cells))
            }
        case "c" where inCell && depth == dataDepth + 2:
            inCell = false
            target = .none
            try finishCell()
        case "v", "f", "t":
            target = .none
        case "is":
            inInlineString = false
        case "rPh" where inInlineString:
            phoneticDepth -= 1
        default:
            break
        }
    }

    /// Appends character data to the current value, formula or inline text,
    /// up to `InputLimits.xlsxCellTextBytes` each: a cell of gigabytes costs no
    /// more memory than one a little too long (docs/reference.md §15).
    func text(_ string: String) {
        let cap = InputLimits.xlsxCellTextBytes
        switch target {
        case .none: break
        case .value: if valueText!.utf8.count <= cap { valueText! += string }
        case .formula: if formulaText!.utf8.count <= cap { formulaText! += string }
        case .inline: if inlineText!.utf8.count <= cap { inlineText! += string }
        }
    }

    private func finishCell() throws {
        let reference = cellReference ?? CellReference.name(column: cellColumn, row: rowNumber)
        // An empty `<v/>` (openpyxl writes one for a formula it did not
        // compute) is no value, except for a formula's string result.
        if cellType != "str", let raw = valueText, raw.trimmingASCIIWhitespace().isEmpty { valueText = nil }
        let value: XLSXCell?
        switch cellType {
        case "s":
            if let raw = valueText {
                let trimmed = raw.trimmingASCIIWhitespace()
                guard let index = Int(trimmed), sharedStrings.indices.contains(index) else {
                    throw malformed("\(reference): shared string \(InputLimits.quoted(trimmed)) does not exist")
                }
                value = .text(sharedStrings[index])
            } else {
                value = nil
            }
        case "inlineStr":
            if let inlineText {
                value = .text(OOXMLText.capped(OOXMLText.unescape(inlineText)))
            } else {
                value = valueText.map { .text(OOXMLText.capped(OOXMLText.unescape($0))) }
            }
        case "str":
            value = valueText.map { .text(OOXMLText.capped(OOXMLText.unescape($0))) }
        case "b":
            if let raw = valueText {
                switch raw.trimmingASCIIWhitespace() {
                case "1", "true", "TRUE": value = .bool(true)
                case "0", "false", "FALSE": value = .bool(false)
                default: throw malformed("\(reference): \u{201C}\(InputLimits.quoted(raw))\u{201D} is not a boolean")
                }
            } else {
                value = nil
            }
        case "e":
            value = valueText.map { .error(OOXMLText.capped($0.trimmingASCIIWhitespace())) }
        case "d":
            if let raw = valueText {
                let trimmed = raw.trimmingASCIIWhitespace()
                value = Self.isoSerial(trimmed, date1904: date1904).map { .date($0) } ?? .text(OOXMLText.capped(trimmed))
            } else {
                value = nil
            }
        case nil, "n":
            if let raw = valueText {
                let trimmed = raw.trimmingASCIIWhitespace()
                guard let number = Double(trimmed), number.isFinite else {
                    throw malformed("\(reference): \u{201C}\(InputLimits.quoted(raw))\u{201D} is not a number")
                }
                let isDate = cellStyle >= 0 && cellStyle < dateStyles.count && dateStyles[cellStyle]
                value = isDate ? .date(number) : .number(number)
            } else {
                value = nil
            }
        case let other?:
            throw malformed("\(reference): unknown cell type \u{201C}\(InputLimits.quoted(other))\u{201D}")
        }
        var formula = formulaText.map(OOXMLText.capped)
        if let f = formula, f.hasPrefix("=") { formula = String(f.dropFirst()) }
        switch value {
        case .text(let text)?, .error(let text)?: rowTextBytes += text.utf8.count
        default: rowTextBytes += 24
        }
        rowTextBytes += formula?.utf8.count ?? 0
        guard rowTextBytes <= InputLimits.recordBytes else {
            throw XLSXReadError.tooLarge(
                part: part, reason: "row \(rowNumber) holds more than \(InputLimits.recordBytes >> 20) MiB of text, the most a record may hold")
        }
        cells.append(
            XLSXCellInfo(
                reference: reference, column: cellColumn, value: value, formula: formula,
                rawType: cellType, styleIndex: cellStyle))
        previousColumn = cellColumn
    }

    private func malformed(_ message: String) -> XLSXReadError {
        .malformedXML(part: part, message: message)
    }

    /// The serial of an ISO 8601 cell value (`t="d"`): `YYYY-MM-DD`, optionally
    /// followed by `THH:MM[:SS[.fraction]]` and a zone designator (ignored:
    /// spreadsheet dates have no zone), or a bare time `HH:MM[:SS[.fraction]]`
    /// (a serial below 1).
    static func isoSerial(_ text: String, date1904: Bool) -> Double? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= bytes.count else { return nil }
            var value = 0
            for b in bytes[i..<(i + count)] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            i += count
            return value
        }
        func expect(_ c: Character) -> Bool {
            guard i < bytes.count, bytes[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        var date: (Int, Int, Int)?
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-") {
            guard let y = number(4), expect("-"), let m = number(2), expect("-"), let d = number(2) else { return nil }
            date = (y, m, d)
            guard i == bytes.count || expect("T") || expect(" ") else { return nil }
            if i == bytes.count {
                return ExcelDate.serial(year: y, month: m, day: d, date1904: date1904)
            }
        }
        guard let hh = number(2), expect(":"), let mm = number(2), hh < 24, mm < 60 else { return nil }
        var ss = 0
        var nanos = 0
        if expect(":") {
            guard let s = number(2), s < 60 else { return nil }
            ss = s
            if expect(".") || expect(",") {
                var scale = 100_000_000
                var digits = 0
                while i < bytes.count, bytes[i] >= 48 && bytes[i] <= 57 {
                    nanos += Int(bytes[i] - 48) * scale
                    scale /= 10
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
            }
        }
        // A zone designator (Z, ±HH:MM) is allowed and ignored.
        if i < bytes.count {
            guard bytes[i] == UInt8(ascii: "Z") || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") else {
                return nil
            }
        }
        let secondOfDay = hh * 3600 + mm * 60 + ss
        if let (y, m, d) = date {
            return ExcelDate.serial(
                year: y, month: m, day: d, secondOfDay: secondOfDay, nanoseconds: nanos,
                date1904: date1904)
        }
        return (Double(secondOfDay) + Double(nanos) / 1e9) / 86_400
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    fileprivate func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
