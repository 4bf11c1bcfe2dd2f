/// Reads `docProps/core.xml`: each child of the root (`dc:title`,
/// `dc:creator`, `dcterms:created`, …) by its name without prefix (docs/reference.md §14:
/// the HR workbook's document properties).
final class CorePropertiesParser: XMLEventHandler {
    private(set) var properties: [String: String] = [:]
    private var depth = 0
    private var current: String?
    private var buffer = ""

    func start(_ name: String, _ attributes: [String: String]) throws {
        depth += 1
        if depth == 2 {
            current = name
            buffer = ""
        }
    }

    func end(_ name: String) throws {
        if depth == 2, let current {
            if properties[current] == nil { properties[current] = buffer }
            self.current = nil
        }
        depth -= 1
    }

    func text(_ string: String) {
        if depth == 2, current != nil { buffer += string }
    }
}
