/// What a part parser does with the SAX events of one XML part of an `.xlsx`
/// package (docs/reference.md §2: `.xlsx` inputs are read as a stream, never as a DOM).
/// Element names arrive without their namespace prefix (`x:c` → `c`);
/// attribute names arrive as written.
protocol XMLEventHandler: AnyObject {
    /// An element starts. Throwing stops the parse; the error reaches the caller.
    func start(_ name: String, _ attributes: [String: String]) throws
    /// An element ends. Throwing stops the parse; the error reaches the caller.
    func end(_ name: String) throws
    /// Character data (entities decoded; one text node may come in pieces).
    func text(_ string: String)
}

extension XMLEventHandler {
    func text(_ string: String) {}
}

/// Attribute look-ups that ignore namespace prefixes.
enum XMLAttributes {
    /// The value of the relationship id attribute (`r:id`, whatever the prefix).
    static func relationshipID(_ attributes: [String: String]) -> String? {
        if let value = attributes["r:id"] { return value }
        for (key, value) in attributes where key.hasSuffix(":id") && !key.hasPrefix("xmlns") { return value }
        return nil
    }

    /// A boolean attribute as OOXML writes it (`1`/`0`, `true`/`false`).
    static func flag(_ value: String?) -> Bool {
        guard let value else { return false }
        return value == "1" || value.lowercased() == "true"
    }

    /// The element name without its namespace prefix.
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
