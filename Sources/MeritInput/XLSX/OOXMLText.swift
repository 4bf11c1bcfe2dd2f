/// Decoding of the `_xHHHH_` escapes of OOXML strings (ECMA-376 `ST_Xstring`):
/// writers use them for characters XML cannot hold, such as control
/// characters (libxlsxwriter writes U+0007 as `_x0007_`), and `_x005F_` for a
/// literal underscore that starts such a sequence. Spreadsheet applications
/// decode them, so text cells read as they show (docs/reference.md §2.1 "Text is kept
/// exactly as written").
enum OOXMLText {
    /// `text` with every `_xHHHH_` replaced by the UTF-16 code unit it names
    /// (surrogate pairs written as two escapes are joined; a lone surrogate
    /// becomes U+FFFD).
    static func unescape(_ text: String) -> String {
        guard text.utf8.count >= 7, text.contains("_x") else { return text }
        let units = Array(text.utf16)
        var out: [UInt16] = []
        out.reserveCapacity(units.count)
        var i = 0
        var changed = false
        while i < units.count {
            if units[i] == 0x5F, i + 6 < units.count, units[i + 1] == 0x78, units[i + 6] == 0x5F,
                let value = hexValue(units[(i + 2)...(i + 5)])
            {
                out.append(value)
                i += 7
                changed = true
            } else {
                out.append(units[i])
                i += 1
            }
        }
        return changed ? String(decoding: out, as: UTF16.self) : text
    }

    /// `text` cut to one character more than a cell may hold when it passed
    /// `InputLimits.xlsxCellTextBytes` while being read (the parsers stop
    /// appending there): still too long, so still a row error (docs/reference.md §15), and
    /// never more than about 128 KiB whatever the file holds.
    static func capped(_ text: String) -> String {
        guard text.utf8.count > InputLimits.xlsxCellTextBytes else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(InputLimits.cellCharacters + 1)))
    }

    private static func hexValue(_ digits: ArraySlice<UInt16>) -> UInt16? {
        var value: UInt16 = 0
        for unit in digits {
            let digit: UInt16
            switch unit {
            case 0x30...0x39: digit = unit - 0x30
            case 0x41...0x46: digit = unit - 0x41 + 10
            case 0x61...0x66: digit = unit - 0x61 + 10
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
