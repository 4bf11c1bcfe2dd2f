/// Which database holds the workspace's store (docs/postgresql.md).
public enum StoreKind: String, Sendable {
    case sqlite
    case postgresql
}

/// One open transaction on the workspace's store: the single interface every store operation is written against, so
/// that an import, a review, an adjustment or the audit log behave the same on the embedded SQLite store and on
/// PostgreSQL (docs/postgresql.md "One store, two databases").
///
/// Statements use `?` placeholders and the SQL both databases understand: `INSERT … ON CONFLICT DO NOTHING` rather
/// than `INSERT OR IGNORE`, `RETURNING id` rather than the last inserted row id. The rare statement that must differ
/// asks `kind`.
///
/// A transaction is used by one thread at a time and never outlives the closure it was given to.
public protocol StoreTransaction: AnyObject {
    var kind: StoreKind { get }

    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(sql: String, arguments: StoreArguments) throws -> Int

    /// Runs a query and returns all its rows.
    func fetchAll(sql: String, arguments: StoreArguments) throws -> [StoreRow]

    /// Runs a query and hands its rows to `body` one at a time, without holding them all: for results as large as a
    /// dataset or a company's results.
    func forEach(sql: String, arguments: StoreArguments, _ body: (StoreRow) throws -> Void) throws

    /// Runs one statement once per element of `rows` (a bulk insert): prepared once on SQLite, sent in batches on
    /// PostgreSQL.
    func executeMany(sql: String, rows: [[StoreValue]]) throws
}

extension StoreTransaction {
    @discardableResult
    public func execute(sql: String) throws -> Int { try execute(sql: sql, arguments: []) }

    public func fetchAll(sql: String) throws -> [StoreRow] { try fetchAll(sql: sql, arguments: []) }

    public func fetchOne(sql: String, arguments: StoreArguments = []) throws -> StoreRow? {
        var first: StoreRow?
        for row in try fetchAll(sql: sql, arguments: arguments) {
            first = row
            break
        }
        return first
    }

    /// Runs an `INSERT` into a table numbered by `id` and returns the new row's id (`RETURNING id`, which both
    /// databases have).
    public func insertReturningID(sql: String, arguments: StoreArguments) throws -> Int64 {
        guard let row = try fetchOne(sql: sql + " RETURNING id", arguments: arguments), let id = Int64.fromStoreValue(row.values[0]) else {
            preconditionFailure("INSERT … RETURNING id returned no id")
        }
        return id
    }
}

extension StoreRow {
    public static func fetchAll(_ db: any StoreTransaction, sql: String, arguments: StoreArguments = []) throws -> [StoreRow] {
        try db.fetchAll(sql: sql, arguments: arguments)
    }

    public static func fetchOne(_ db: any StoreTransaction, sql: String, arguments: StoreArguments = []) throws -> StoreRow? {
        try db.fetchOne(sql: sql, arguments: arguments)
    }
}

extension StoreValueConvertible {
    /// The first column of the first row, nil when there is no row or the value is NULL.
    public static func fetchOne(_ db: any StoreTransaction, sql: String, arguments: StoreArguments = []) throws -> Self? {
        guard let row = try db.fetchOne(sql: sql, arguments: arguments), let first = row.values.first else { return nil }
        return fromStoreValue(first)
    }

    /// The first column of every row (NULLs and values of another type left out).
    public static func fetchAll(_ db: any StoreTransaction, sql: String, arguments: StoreArguments = []) throws -> [Self] {
        try db.fetchAll(sql: sql, arguments: arguments).compactMap { $0.values.first.flatMap(fromStoreValue) }
    }
}
