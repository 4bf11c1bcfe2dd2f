/// Reads the shared-string table (`xl/sharedStrings.xml`) that `t="s"` cells
/// index (docs/reference.md §2.1 "Text is kept exactly as written"): each `<si>` is the
/// concatenation of its `<t>` texts — one plain `<t>`, or the `<t>` of each
/// rich-text run `<r>` — with phonetic guides (`<rPh>`) left out, whitespace
/// kept, entities and `_xHHHH_` escapes decoded.
///
/// The table is held in memory, so it is bounded (docs/reference.md §15, `InputLimits`):
/// at most `xlsxSharedStrings` strings and `xlsxSharedStringBytes` of text,
/// else `.tooLarge`; a string is kept only to `xlsxCellTextBytes` while it is
/// read and then cut to one character more than a cell may hold, so a cell
/// that uses it is still the row error it should be.
final class SharedStringsParser: XMLEventHandler {
    private(set) var strings: [String] = []
    private var totalBytes = 0
    private let part: String

    init(part: String = "xl/sharedStrings.xml") { self.part = part }
    private var inItem = false
    private var phoneticDepth = 0
    private var collecting = false
    private var buffer = ""

    func start(_ name: String, _ attributes: [String: String]) throws {
        switch name {
        case "sst":
            if let count = attributes["uniqueCount"].flatMap(Int.init), count > 0 {
                strings.reserveCapacity(min(count, 1 << 20))
            }
        case "si":
            inItem = true
            buffer = ""
        case "rPh":
            phoneticDepth += 1
        case "t" where inItem && phoneticDepth == 0:
            collecting = true
        default:
            break
        }
    }

    func end(_ name: String) throws {
        switch name {
        case "si":
            guard strings.count < InputLimits.xlsxSharedStrings else {
                throw XLSXReadError.tooLarge(
                    part: part, reason: "the shared-string table holds more than \(InputLimits.xlsxSharedStrings) strings, the most Merit reads")
            }
            let text = OOXMLText.capped(OOXMLText.unescape(buffer))
            totalBytes += text.utf8.count
            guard totalBytes <= InputLimits.xlsxSharedStringBytes else {
                throw XLSXReadError.tooLarge(
                    part: part,
                    reason: "the shared-string table holds more than \(InputLimits.xlsxSharedStringBytes >> 20) MiB of text, the most Merit reads")
            }
            strings.append(text)
            inItem = false
            collecting = false
        case "rPh":
            phoneticDepth -= 1
        case "t":
            collecting = false
        default:
            break
        }
    }

    func text(_ string: String) {
        if collecting, buffer.utf8.count <= InputLimits.xlsxCellTextBytes { buffer += string }
    }
}
