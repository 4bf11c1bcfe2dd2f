import Logging
import MeritSQL
import PostgresNIO

/// One open transaction of a `PostgresStore` on its leased connection: the store's single interface
/// (`StoreTransaction`, docs/postgresql.md "One store, two databases") spoken in PostgreSQL. Used by the one thread
/// that runs the store's `write` or `read` body, which is why it is a plain class: every statement waits for its reply
/// on that thread (the EventLoopFuture API, see `PostgresLease`), so nothing here runs concurrently.
///
/// A statement that fails aborts the whole PostgreSQL transaction (unlike SQLite, where the transaction goes on): later
/// statements fail too, and the store rolls back. The store's operations never continue after a failed statement,
/// so no savepoint is paid for on every statement.
public final class PostgresTransaction: StoreTransaction {
    public var kind: StoreKind { .postgresql }

    let connection: PostgresConnection
    let logger: Logger

    /// Set when a statement failed in a way that trying the whole transaction again may cure (a serialization failure
    /// or a deadlock): `PostgresStore.write` retries then, whatever error the body turned it into.
    private(set) var retryable = false

    /// PostgreSQL binds at most 65,535 parameters per statement (a 16-bit count on the wire).
    static let maximumBinds = 65_535
    /// Rows per multi-row INSERT: beyond about a thousand the statement's parse and plan time grows faster than the
    /// round trips it saves.
    static let maximumRowsPerInsert = 1_000

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    @discardableResult
    public func execute(sql: String, arguments: StoreArguments) throws -> Int {
        try run(sql: sql, arguments: arguments).metadata.rows ?? 0
    }

    public func fetchAll(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
        try rows(of: run(sql: sql, arguments: arguments))
    }

    /// Fetches every row first, then hands them to `body` one at a time: the EventLoopFuture API that keeps queries off
    /// Swift's cooperative pool delivers a result whole. The store's largest results (a dataset's rows) fit in memory
    /// as the SQLite store's callers already hold them; a cursor (`DECLARE … FETCH`) can stream later if one does not.
    public func forEach(sql: String, arguments: StoreArguments, _ body: (StoreRow) throws -> Void) throws {
        for row in try fetchAll(sql: sql, arguments: arguments) { try body(row) }
    }

    /// A bulk insert `INSERT … VALUES (?, …, ?) [suffix]` goes as multi-row VALUES statements, up to a thousand rows
    /// (and 65,535 parameters) each, keeping any suffix such as `ON CONFLICT DO NOTHING`: one round trip per batch
    /// instead of one per row, which is what makes an import of a large dataset take seconds rather than minutes. Any
    /// other statement runs once per row.
    public func executeMany(sql: String, rows: [[StoreValue]]) throws {
        guard !rows.isEmpty else { return }
        guard let insert = MultiRowInsert(sql), insert.width > 0 else {
            for row in rows { try execute(sql: sql, arguments: StoreArguments(row)) }
            return
        }
        for (index, row) in rows.enumerated() where row.count != insert.width {
            throw PostgresStoreError.usage("executeMany: row \(index + 1) has \(row.count) values, the statement takes \(insert.width): \(sql)")
        }
        let batch = max(1, min(Self.maximumRowsPerInsert, Self.maximumBinds / insert.width))
        var fullBatchSQL: String?
        var start = 0
        while start < rows.count {
            let end = min(start + batch, rows.count)
            let statement: String
            if end - start == batch {
                if fullBatchSQL == nil { fullBatchSQL = insert.sql(rows: batch) }
                statement = fullBatchSQL!
            } else {
                statement = insert.sql(rows: end - start)
            }
            var binds = PostgresBindings(capacity: (end - start) * insert.width)
            for row in rows[start..<end] {
                for value in row { binds.append(store: value) }
            }
            _ = try send(PostgresQuery(unsafeSQL: statement, binds: binds), sql: sql)
            start = end
        }
    }

    // MARK: - Running statements

    /// Runs `sql` (with `?` placeholders) and returns its whole result.
    func run(sql: String, arguments: StoreArguments) throws(PostgresStoreError) -> PostgresQueryResult {
        let translation = try PostgresPlaceholders.translate(sql)
        guard translation.count == arguments.values.count else {
            throw .usage("the statement takes \(translation.count) arguments, \(arguments.values.count) were given: \(sql)")
        }
        var binds = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values { binds.append(store: value) }
        return try send(PostgresQuery(unsafeSQL: translation.sql, binds: binds), sql: sql)
    }

    /// Sends one statement and waits for its reply on this thread.
    func send(_ query: PostgresQuery, sql: String) throws(PostgresStoreError) -> PostgresQueryResult {
        do {
            let reply: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
            return try reply.wait()
        } catch {
            let mapped = PostgresErrors.map(error)
            if mapped.retryable { retryable = true }
            throw mapped.error
        }
    }

    /// The result's rows as the store's, all sharing one `StoreColumns` made from the row description.
    func rows(of result: PostgresQueryResult) throws(PostgresStoreError) -> [StoreRow] {
        guard let first = result.rows.first else { return [] }
        let columns = StoreColumns(first.map(\.columnName))
        var rows: [StoreRow] = []
        rows.reserveCapacity(result.rows.count)
        for row in result.rows {
            var values: [StoreValue] = []
            values.reserveCapacity(columns.names.count)
            for cell in row { values.append(try PostgresValues.decode(cell)) }
            rows.append(StoreRow(columns: columns, values: values))
        }
        return rows
    }
}

/// An `INSERT … VALUES (?, …, ?) [suffix]` taken apart so that many rows can go in one statement.
struct MultiRowInsert: Equatable {
    /// Everything up to and including `VALUES`, with no placeholder in it.
    var head: String
    /// How many placeholders one row has.
    var width: Int
    /// What follows the row (`ON CONFLICT DO NOTHING`, `RETURNING id`), with no placeholder in it.
    var tail: String

    /// nil when `sql` is not of that shape (then the rows go one statement each).
    init?(_ sql: String) {
        guard let values = Self.valuesKeyword(in: sql) else { return nil }
        let afterValues = sql[values.upperBound...]
        guard let open = afterValues.firstIndex(where: { !$0.isWhitespace }), afterValues[open] == "(",
            let close = afterValues[open...].firstIndex(of: ")")
        else { return nil }
        let inside = afterValues[afterValues.index(after: open)..<close]
        let items = inside.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard !items.isEmpty, items.allSatisfy({ $0 == "?" }) else { return nil }
        head = String(sql[..<values.upperBound])
        tail = String(afterValues[afterValues.index(after: close)...])
        width = items.count
        // A placeholder in the head or tail (`ON CONFLICT … DO UPDATE SET x = ?`) would be numbered once, not per row.
        guard (try? PostgresPlaceholders.scan(head + tail).count) == 0 else { return nil }
    }

    /// `head (…), (…), … tail` for `rows` rows, numbered `$1…$n` in row order.
    func sql(rows: Int) -> String {
        var text = head
        text.reserveCapacity(head.utf8.count + tail.utf8.count + rows * width * 7)
        var n = 1
        for r in 0..<rows {
            text += r == 0 ? " (" : ", ("
            for c in 0..<width {
                if c > 0 { text += ", " }
                text += "$\(n)"
                n += 1
            }
            text += ")"
        }
        return text + tail
    }

    /// The `VALUES` keyword outside strings, identifiers and comments (a column named "values" is quoted).
    private static func valuesKeyword(in sql: String) -> Range<String.Index>? {
        var searchFrom = sql.startIndex
        while let found = sql.range(of: "values", options: .caseInsensitive, range: searchFrom..<sql.endIndex) {
            let before = found.lowerBound == sql.startIndex ? nil : sql[sql.index(before: found.lowerBound)]
            let after = found.upperBound == sql.endIndex ? nil : sql[found.upperBound]
            let isWord =
                !(before.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "\"" } ?? false)
                && !(after.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "\"" } ?? false)
            if isWord, (try? PostgresPlaceholders.scan(String(sql[..<found.lowerBound]) + "?").count) == 1 {
                // Outside any quote or comment: a `?` appended after the text before it still counts as a placeholder.
                return found
            }
            searchFrom = found.upperBound
        }
        return nil
    }
}
