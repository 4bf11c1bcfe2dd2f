/// Reads `xl/workbook.xml`: the sheets in workbook order and the date system
/// (docs/reference.md §2: "for `.xlsx`: the sheet named like the dataset, else the first
/// sheet"; docs/reference.md §2.1 "1900 date system").
final class WorkbookPartParser: XMLEventHandler {
    /// One `<sheet>`: its name and the relationship id of its part.
    struct SheetEntry: Sendable {
        let name: String
        let relationshipID: String?
    }

    private(set) var sheets: [SheetEntry] = []
    private(set) var uses1904Dates = false
    private var depth = 0
    private var inSheets = false

    func start(_ name: String, _ attributes: [String: String]) throws {
        depth += 1
        switch name {
        case "workbookPr" where depth == 2:
            uses1904Dates = XMLAttributes.flag(attributes["date1904"])
        case "sheets" where depth == 2:
            inSheets = true
        case "sheet" where inSheets && depth == 3:
            sheets.append(
                SheetEntry(
                    name: attributes["name"] ?? "",
                    relationshipID: XMLAttributes.relationshipID(attributes)))
        default:
            break
        }
    }

    func end(_ name: String) throws {
        if name == "sheets" && depth == 2 { inSheets = false }
        depth -= 1
    }
}
