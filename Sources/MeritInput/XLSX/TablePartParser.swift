/// Reads the root of a table part (`xl/tables/table1.xml`): the table's name
/// and range (docs/reference.md §14: "The range is an Excel table named `BonusImport`").
final class TablePartParser: XMLEventHandler {
    private(set) var name: String?
    private(set) var range: String?

    func start(_ name: String, _ attributes: [String: String]) throws {
        guard name == "table", self.name == nil else { return }
        self.name = attributes["displayName"] ?? attributes["name"] ?? ""
        self.range = attributes["ref"] ?? ""
    }

    func end(_ name: String) throws {}
}
