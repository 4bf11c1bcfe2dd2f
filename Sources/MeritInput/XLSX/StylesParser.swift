/// Reads `xl/styles.xml` far enough to know which cell formats (`s` indexes)
/// show dates or times, so their numbers read as ``XLSXCell/date(_:)`` (docs/reference.md
/// §2.1 "in XLSX also a date cell (1900 date system)").
final class StylesParser: XMLEventHandler {
    /// Custom number format codes by id (`<numFmts>`).
    private(set) var formatCodes: [Int: String] = [:]
    /// The number format id of each cell format (`<cellXfs>`), in order.
    private(set) var cellFormatIDs: [Int] = []
    private var depth = 0
    private var inNumFmts = false
    private var inCellXfs = false

    func start(_ name: String, _ attributes: [String: String]) throws {
        depth += 1
        switch name {
        case "numFmts" where depth == 2:
            inNumFmts = true
        case "numFmt" where inNumFmts && depth == 3:
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] {
                formatCodes[id] = code
            }
        case "cellXfs" where depth == 2:
            inCellXfs = true
        case "xf" where inCellXfs && depth == 3:
            cellFormatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
        default:
            break
        }
    }

    func end(_ name: String) throws {
        if depth == 2 {
            if name == "numFmts" { inNumFmts = false }
            if name == "cellXfs" { inCellXfs = false }
        }
        depth -= 1
    }

    /// For each cell format index, whether it is a date/time format.
    var dateStyles: [Bool] {
        cellFormatIDs.map { NumberFormatClassifier.isDateFormat(id: $0, code: formatCodes[$0]) }
    }
}
