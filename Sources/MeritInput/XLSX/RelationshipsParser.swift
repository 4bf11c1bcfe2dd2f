/// Reads an OPC relationships part (`_rels/.rels`, `xl/_rels/workbook.xml.rels`,
/// `xl/worksheets/_rels/sheet1.xml.rels`) (docs/reference.md §2: how an `.xlsx` workbook
/// finds its parts). External targets (hyperlinks) are left out.
final class RelationshipsParser: XMLEventHandler {
    private let sourcePart: String
    private(set) var relationships: [Relationship] = []

    /// `sourcePart` is the part the relationships belong to (`""` for the package).
    init(sourcePart: String) {
        self.sourcePart = sourcePart
    }

    func start(_ name: String, _ attributes: [String: String]) throws {
        guard name == "Relationship", let id = attributes["Id"], let type = attributes["Type"],
            let target = attributes["Target"], attributes["TargetMode"] != "External"
        else { return }
        relationships.append(
            Relationship(
                id: id, type: type,
                target: PartPath.resolve(target: target, from: sourcePart)))
    }

    func end(_ name: String) throws {}

    /// The relationships of `sourcePart`, or none when it has no relationships part.
    static func read(_ package: OPCPackage, sourcePart: String) throws(XLSXReadError) -> [Relationship] {
        let relsPart = PartPath.relationshipsPart(of: sourcePart)
        guard package.contains(relsPart) else { return [] }
        let parser = RelationshipsParser(sourcePart: sourcePart)
        try package.parseTyped(relsPart, with: parser)
        return parser.relationships
    }
}
