import XCTest

/// A minimal RFC 4180 reader of the tests' own, independent of Merit's CSV reader and writer, so a file Merit
/// writes (the payroll file, docs/payroll.md) is checked by a second opinion: fields separated by commas, quoted
/// fields with doubled quotes inside, records ending in CR LF or LF.
public enum CSVRecords {
    /// The records of `text`, each a list of fields; asserts that the text ends with a line end.
    public static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [[String]] {
        var out: [[String]] = [], record: [String] = [], field = "", quoted = false, wasQuote = false
        for c in text.unicodeScalars {
            if quoted {
                if c == "\"" { quoted = false; wasQuote = true } else { field.unicodeScalars.append(c) }
                continue
            }
            switch c {
            case "\"": if wasQuote { field += "\"" }; quoted = true
            case ",": record.append(field); field = ""
            case "\r": break
            case "\n": record.append(field); out.append(record); record = []; field = ""
            default: field.unicodeScalars.append(c)
            }
            wasQuote = false
        }
        XCTAssertTrue(record.isEmpty && field.isEmpty, "the file ends with a line end", file: file, line: line)
        return out
    }
}
