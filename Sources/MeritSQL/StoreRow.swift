/// One row a query returned: its values by column name or position.
///
/// Reading a column as a type it does not hold (a NULL as a non-optional, text as a number) is a programming error
/// or a damaged store, and stops the process with the column's name, as GRDB's rows do: the schema is Merit's own, and
/// every value in it was written by the code that reads it.
public struct StoreRow: Sendable {
    public let columns: StoreColumns
    public let values: [StoreValue]

    public init(columns: StoreColumns, values: [StoreValue]) {
        self.columns = columns
        self.values = values
    }

    /// A column the row does not have reads as NULL (nil for an optional), as in GRDB: a store from before the
    /// migration that added a column answers its older queries the same way.
    public subscript<T: StoreValueConvertible>(_ name: String) -> T {
        guard let index = columns.index(of: name) else {
            guard let missing = T.fromStoreValue(.null) else { preconditionFailure("no column \(name) in the row (\(columns.names))") }
            return missing
        }
        return self[index]
    }

    public subscript<T: StoreValueConvertible>(_ index: Int) -> T {
        guard let value = T.fromStoreValue(values[index]) else {
            preconditionFailure("column \(columns.names[index]) holds \(values[index].kind), not \(T.self)")
        }
        return value
    }

    /// The stored value itself, whatever its type.
    public subscript(value name: String) -> StoreValue {
        guard let index = columns.index(of: name) else { return .null }
        return values[index]
    }

    public var count: Int { values.count }
}

/// A result's column names, shared by all its rows.
public final class StoreColumns: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        // The first of two columns with one name answers (SQLite's and GRDB's rule).
        for (i, n) in names.enumerated() where positions[n.lowercased()] == nil { positions[n.lowercased()] = i }
        self.positions = positions
    }

    public func index(of name: String) -> Int? { positions[name] ?? positions[name.lowercased()] }
}

extension StoreValue {
    /// The storage class, for messages.
    var kind: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "an integer"
        case .real: return "a real number"
        case .text: return "text"
        case .blob: return "a blob"
        }
    }
}
