/// A1-style cell references (`"B3"`, `"$AA$10"`) as used in sheet XML (docs/reference.md
/// §2.1 *Line numbers*: for `.xlsx`, the sheet row number).
enum CellReference {
    /// The largest column Excel allows (`XFD`), 0-based.
    static let maxColumn = 16_383

    /// The 0-based column and 1-based row of a reference, or `nil` when it is
    /// not one. A reference without digits (a whole column, `"C"`) has row `nil`.
    static func parse(_ reference: String) -> (column: Int, row: Int?)? {
        var column = 0
        var letters = 0
        var row = 0
        var digits = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z") where digits == 0:
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9") where letters > 0:
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if digits > 9 { return nil }
            default:
                return nil
            }
            if letters > 3 { return nil }
        }
        guard letters > 0, column - 1 <= maxColumn else { return nil }
        if digits == 0 { return (column - 1, nil) }
        guard row >= 1 else { return nil }
        return (column - 1, row)
    }

    /// The letters of a 0-based column (`0` → `"A"`, `26` → `"AA"`).
    static func columnName(_ column: Int) -> String {
        var n = column + 1
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `"B3"` for column 1, row 3.
    static func name(column: Int, row: Int) -> String {
        columnName(column) + String(row)
    }
}
