/// One `<Relationship>` of an OPC relationships part (docs/reference.md §2: how an `.xlsx`
/// workbook finds its sheets, shared strings, styles and tables).
struct Relationship: Sendable {
    /// The `Id` attribute (`rId1`).
    let id: String
    /// The `Type` URI.
    let type: String
    /// The target part, resolved against the source part (``PartPath/resolve(target:from:)``).
    let target: String

    /// Whether the type URI names this kind (`worksheet`, `sharedStrings`,
    /// `styles`, `table`, `officeDocument`, `core-properties`), in the
    /// transitional or the strict OOXML namespace.
    func isOfKind(_ kind: String) -> Bool {
        type.hasSuffix("/" + kind)
    }
}
