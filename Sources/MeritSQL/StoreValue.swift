import Foundation

/// One value as the workspace's store holds it, whichever database holds the store (docs/postgresql.md "One store,
/// two databases"): the five storage classes SQLite has, which PostgreSQL's `bigint`, `double precision`, `text` and
/// `bytea` columns hold exactly. The audit log's hash chain and a finalized review's seal hash these values, so a value
/// must read back from either database as the very value written.
public enum StoreValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .text(let s): return s
        case .blob(let d): return "<\(d.count) bytes>"
        }
    }
}

/// A Swift type stored as a `StoreValue`: written as arguments, read back from rows.
public protocol StoreValueConvertible {
    var storeValue: StoreValue { get }
    /// The value, or nil when the stored value is not of this type (a NULL, or text where a number was expected).
    static func fromStoreValue(_ value: StoreValue) -> Self?
}

extension StoreValue: StoreValueConvertible {
    public var storeValue: StoreValue { self }
    public static func fromStoreValue(_ value: StoreValue) -> StoreValue? { value }
}

extension Int64: StoreValueConvertible {
    public var storeValue: StoreValue { .integer(self) }
    public static func fromStoreValue(_ value: StoreValue) -> Int64? {
        switch value {
        case .integer(let i): return i
        case .real(let d): return Int64(exactly: d)
        default: return nil
        }
    }
}

extension Int: StoreValueConvertible {
    public var storeValue: StoreValue { .integer(Int64(self)) }
    public static func fromStoreValue(_ value: StoreValue) -> Int? { Int64.fromStoreValue(value).flatMap { Int(exactly: $0) } }
}

extension Int32: StoreValueConvertible {
    public var storeValue: StoreValue { .integer(Int64(self)) }
    public static func fromStoreValue(_ value: StoreValue) -> Int32? { Int64.fromStoreValue(value).flatMap { Int32(exactly: $0) } }
}

/// A flag is stored as 0 or 1 (SQLite has no boolean; the PostgreSQL schema keeps the same `bigint` columns).
extension Bool: StoreValueConvertible {
    public var storeValue: StoreValue { .integer(self ? 1 : 0) }
    public static func fromStoreValue(_ value: StoreValue) -> Bool? { Int64.fromStoreValue(value).map { $0 != 0 } }
}

extension Double: StoreValueConvertible {
    public var storeValue: StoreValue { .real(self) }
    public static func fromStoreValue(_ value: StoreValue) -> Double? {
        switch value {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }
}

extension String: StoreValueConvertible {
    public var storeValue: StoreValue { .text(self) }
    public static func fromStoreValue(_ value: StoreValue) -> String? {
        switch value {
        case .text(let s): return s
        case .blob(let d): return String(data: d, encoding: .utf8)
        default: return nil
        }
    }
}

extension Data: StoreValueConvertible {
    public var storeValue: StoreValue { .blob(self) }
    public static func fromStoreValue(_ value: StoreValue) -> Data? {
        switch value {
        case .blob(let d): return d
        case .text(let s): return Data(s.utf8)
        default: return nil
        }
    }
}

extension Optional: StoreValueConvertible where Wrapped: StoreValueConvertible {
    public var storeValue: StoreValue { self?.storeValue ?? .null }
    /// NULL reads as nil, and so does a value of another type: `merit audit` reads rows that may have been edited by
    /// hand (text where a number belongs), and must report them, not stop on them.
    public static func fromStoreValue(_ value: StoreValue) -> Wrapped?? {
        .some(Wrapped.fromStoreValue(value))
    }
}
