/// A text used as a key — an employee id, role, team, cost centre, pool name,
/// customer id, login — that is equal to another only when their UTF-8 bytes
/// are equal (docs: exactness, "Text compares byte for byte").
///
/// Swift's `String` compares and hashes by Unicode canonical equivalence: `É1`
/// written precomposed (U+00C9) and decomposed (`E` + U+0301) are one `String`
/// key, while the readers' byte-keyed lookups see two ids. Keyed by `String`,
/// the same id could then be a "duplicate" and yet "not in employees", and two
/// teams could share one pool. Every key of a dictionary, set or grouping over
/// input text is a `TextKey`, so all of Merit agrees with the readers, the store
/// (SQLite compares text by bytes) and the byte order of every output.
public struct TextKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let text: String

    @inline(__always)
    public init(_ text: String) { self.text = text }

    public static func == (a: TextKey, b: TextKey) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        var text = self.text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Byte order, the order of ids in every output (docs/reference.md §13).
    public static func < (a: TextKey, b: TextKey) -> Bool { a.text.utf8.lexicographicallyPrecedes(b.text.utf8) }

    public var description: String { text }
}

extension String {
    /// Whether two texts are the same bytes (not merely canonically equivalent; see `TextKey`).
    @inline(__always)
    public func sameBytes(as other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}
