/// Reads the shared-string table (`xl/sharedStrings.xml`) that `t="s"` cells
/// index (spec §2.1 "Text is kept exactly as written"): each `<si>` is the
/// concatenation of its `<t>` texts — one plain `<t>`, or the `<t>` of each
/// rich-text run `<r>` — with phonetic guides (`<rPh>`) left out, whitespace
/// kept, entities and `_xHHHH_` escapes decoded.
final class SharedStringsParser: XMLEventHandler {
    private(set) var strings: [String] = []
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
            strings.append(OOXMLText.unescape(buffer))
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
        if collecting { buffer += string }
    }
}
