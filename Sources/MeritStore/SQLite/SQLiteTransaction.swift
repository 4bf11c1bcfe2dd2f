import GRDB
import GRDBSQLite
import MeritSQL

/// The store's interface (`StoreTransaction`) over one GRDB connection inside a transaction. Statements are prepared
/// once per connection (GRDB's statement cache): the server runs the same few for every request, and an import or a
/// review its inserts thousands of times. A kept statement is prepared again by SQLite itself when another
/// connection changed the schema (a migration); its column names and values are therefore read from SQLite after
/// each step, never from what GRDB noted when it was first prepared.
final class SQLiteTransaction: StoreTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }

    var kind: StoreKind { .sqlite }

    @discardableResult
    func execute(sql: String, arguments: StoreArguments) throws -> Int {
        if arguments.values.isEmpty, sql.contains(";") {
            // Several statements in one string (a test's or a repair's script): GRDB runs them one after another.
            try db.execute(sql: sql)
        } else {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments.values))
        }
        return db.changesCount
    }

    func fetchAll(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
        var rows: [StoreRow] = []
        try forEach(sql: sql, arguments: arguments) { rows.append($0) }
        return rows
    }

    func forEach(sql: String, arguments: StoreArguments, _ body: (StoreRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments.values))
        // The names are read once the first row is there: a statement prepared before another connection changed the
        // schema (a migration) is prepared again by SQLite when it first steps, and `SELECT *` may then have more
        // columns than when it was prepared.
        var columns: StoreColumns?
        let handle = statement.sqliteStatement
        while try cursor.next() != nil {
            let names = columns ?? Self.columns(of: statement)
            columns = names
            let values = (0..<CInt(names.names.count)).map { StoreValue(DatabaseValue(sqliteStatement: handle, index: $0)) }
            try body(StoreRow(columns: names, values: values))
        }
    }

    func executeMany(sql: String, rows: [[StoreValue]]) throws {
        let statement = try db.cachedStatement(sql: sql)
        for row in rows { try statement.execute(arguments: Self.arguments(row)) }
    }

    /// The statement's column names as SQLite has them now: GRDB's `columnNames` and its rows keep the first ones it
    /// read, so the values are read from SQLite directly too.
    static func columns(of statement: Statement) -> StoreColumns {
        let handle = statement.sqliteStatement
        return StoreColumns((0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) })
    }

    static func arguments(_ values: [StoreValue]) -> StatementArguments {
        StatementArguments(values.map(\.databaseValue))
    }
}

extension StoreValue {
    /// A GRDB value as the store's: SQLite's five storage classes, one for one.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let i): self = .integer(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob(let d): self = .blob(d)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let d): return d.databaseValue
        }
    }
}
