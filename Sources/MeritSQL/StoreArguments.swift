/// The values bound to a statement's `?` placeholders, in order: written as an array literal of Swift values
/// (`[period, version, nil]`), as GRDB's `StatementArguments` are, so a statement reads the same on both databases.
public struct StoreArguments: Sendable, ExpressibleByArrayLiteral {
    public var values: [StoreValue]

    public init(_ values: [StoreValue]) { self.values = values }

    public init(arrayLiteral elements: (any StoreValueConvertible)?...) {
        values = elements.map { $0?.storeValue ?? .null }
    }
}
