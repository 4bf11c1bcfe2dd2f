import Foundation
import MeritPostgres
import MeritSQL

/// The workspace's store (docs/reference.md §10, docs/postgresql.md "One store, two databases"): the embedded SQLite
/// file by default (`SQLiteDatabase`), or a PostgreSQL database (`PostgresStore`). Every operation of MeritStore is
/// written once, against `StoreTransaction`, and runs inside `write` or `read`; this type only opens the right
/// database and turns each database's failures into the same `StoreError`s.
public final class Store: @unchecked Sendable {
    /// How long a command waits for another command's write to finish (a big import takes a while).
    public static let busyTimeout: TimeInterval = 600

    /// Where the store is, for messages: the SQLite file's path, or the PostgreSQL location (never with a password).
    public let path: String
    let database: any StoreDatabase

    public var kind: StoreKind { database.kind }

    /// Opens the SQLite store at `path`; `create` makes a new one (for `merit init`).
    ///
    /// `readOnly` is for commands that only read (`history`, `audit`, `export`): they open a read-only connection,
    /// which takes no lock and writes nothing, so they never wait behind another command's open write transaction
    /// (opening for writing does, even to read) and work on a store they may not write (docs/workspace.md).
    public init(path: String, create: Bool = false, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        database = try SQLiteDatabase(path: path, create: create, readOnly: readOnly)
    }

    init(database: any StoreDatabase, path: String) {
        self.database = database
        self.path = path
    }

    /// Runs `body` in one write transaction: all of it, or none of it. Writers take turns; a second one waits.
    @discardableResult
    public func write<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
        do { return try database.write(body) } catch { throw Store.describe(error, path: path) }
    }

    /// Runs `body` on a consistent snapshot, which no writer blocks.
    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws(StoreError) -> T {
        do { return try database.read(body) } catch { throw Store.describe(error, path: path) }
    }

    /// Runs one query on its own snapshot (`StoreDatabase.readOne`): the server's per-request reads.
    public func readOne(sql: String, arguments: StoreArguments = []) throws(StoreError) -> [StoreRow] {
        do { return try database.readOne(sql: sql, arguments: arguments) } catch { throw Store.describe(error, path: path) }
    }

    /// Gives a big import's SQLite write-ahead log back to the file system (docs/workspace.md "How data is stored");
    /// nothing to do on PostgreSQL, whose server manages its own.
    public func checkpoint() {
        (database as? SQLiteDatabase)?.checkpoint()
    }

    /// SQLite's journal mode in force (`wal`); `postgresql` for a PostgreSQL store.
    public func journalMode() throws(StoreError) -> String {
        guard let sqlite = database as? SQLiteDatabase else { return kind.rawValue }
        return try sqlite.journalMode()
    }

    /// A plain message for a database failure: never a crash, never a stack trace (docs/reference.md §11).
    static func describe(_ error: Error, path: String) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? PostgresStoreError {
            switch e {
            case .usage(let m): return .usage(m)
            case .unusable(let m): return .unusable(m)
            case .refused(let m): return .refused("\(path): \(m)")
            case .busy(let m): return .io("\(path): \(m)")
            case .io(let m): return .io(m)
            }
        }
        return SQLiteDatabase.describe(error, path: path)
    }
}
