import Foundation
import GRDB
import MeritSQL

/// The workspace's embedded SQLite store (docs/reference.md §10 "embedded by default"): WAL mode so
/// readers never block the writer, a busy timeout so a second `merit` process
/// waits for the first instead of failing with "database is locked", and every
/// change in one IMMEDIATE transaction, so a killed process leaves the store
/// exactly as it was before the command.
final class SQLiteDatabase: StoreDatabase, @unchecked Sendable {
    /// Set while a call must not wait for other processes (the busy handler gives up at once).
    private let impatient = Flag()

    let path: String
    /// A `DatabasePool` (WAL) for commands that write; a read-only `DatabaseQueue` for those that only read.
    let pool: any DatabaseWriter

    /// How long a command waits for another process's write to finish (a big import takes a while).
    static let busyTimeout: TimeInterval = Store.busyTimeout

    /// Opens the store at `path`; `create` makes a new one (for `merit init`).
    ///
    /// `readOnly` is for commands that only read (`history`, `audit`, `export`): they open a read-only connection,
    /// which takes no lock and writes nothing, so they never wait behind another command's open write transaction
    /// (opening for writing does, even to read) and work on a store they may not write (docs/workspace.md).
    init(path: String, create: Bool, readOnly: Bool) throws(StoreError) {
        self.path = path
        if !create {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .notFound("\(path): the workspace store is missing (run `merit init` to make a workspace)")
            }
            if isDirectory.boolValue { throw .unusable("\(path): expected the workspace's SQLite store, found a directory") }
            guard FileManager.default.isReadableFile(atPath: path) else { throw .io("\(path): permission denied") }
            try SQLiteDatabase.preflight(path: path)
        }
        var config = Configuration()
        // Another merit process writing: wait for it (saying so on a terminal), up to `busyTimeout`.
        let shown = isatty(STDERR_FILENO) == 1
        let impatient = self.impatient
        config.busyMode = .callback { tries in
            if impatient.value { return false }
            let waited = Double(tries) * 0.02
            if tries == 50, shown {
                FileHandle.standardError.write(Data("merit: waiting for another merit command to finish with this workspace …\n".utf8))
            }
            guard waited < Store.busyTimeout else { return false }
            usleep(20_000)
            return true
        }
        config.label = "merit"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A log emptied by a checkpoint is cut back to 64 MiB when it is next reused, not kept at its largest.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            // The row an INSERT OR REPLACE deletes fires the DELETE triggers too (docs/workspace.md "Tamper evidence"):
            // a second layer under the BEFORE INSERT triggers of migration v5-tamper-evident.
            try db.execute(sql: "PRAGMA recursive_triggers = ON")
        }
        do {
            if readOnly {
                // Readers of a WAL store never wait for a writer; a pool lets the server's requests read side by side.
                config.readonly = true
                if let readers = try? DatabasePool(path: path, configuration: config) {
                    pool = readers
                } else {
                    pool = try DatabaseQueue(path: path, configuration: config)
                }
            } else {
                pool = try DatabasePool(path: path, configuration: config)
            }
        } catch {
            throw SQLiteDatabase.describe(error, path: path)
        }
        try check()
        if readOnly {
            let current = try sqliteRead { db in try Schema.migrator.hasCompletedMigrations(db) }
            if !current {
                throw .unusable(
                    "\(path): this workspace store is from an earlier Merit; run a command that writes (merit review, merit import) once to upgrade it"
                )
            }
            return
        }
        do {
            // Only a store that needs a migration takes the write lock to migrate: commands that only read
            // (history, audit, export) never wait behind a long import.
            let migrator = Schema.migrator
            if try !pool.read({ db in try migrator.hasCompletedMigrations(db) }) {
                try migrator.migrate(pool)
            }
        } catch {
            throw SQLiteDatabase.describe(error, path: path)
        }
    }

    /// Looks at the file through a read-only connection before the store is opened for writing, which switches a
    /// file to WAL and may grow it: an empty file (a truncated store) or another application's database is refused
    /// and left byte for byte as it was (docs/workspace.md "The store").
    static func preflight(path: String) throws(StoreError) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 {
            throw .unusable("\(path): the workspace store is empty (0 bytes): it was truncated or never written; restore .merit/ from a backup")
        }
        var config = Configuration()
        config.readonly = true
        config.label = "merit-preflight"
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            let (applicationID, tables) = try queue.read { db -> (Int32, Int) in
                let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                return (id, tables)
            }
            if applicationID != Schema.applicationID {
                throw StoreError.unusable(
                    tables == 0 && applicationID == 0
                        ? "\(path): the workspace store holds no data (an SQLite file with no tables); restore .merit/ from a backup"
                        : "\(path): this SQLite file is not a Merit workspace store (it belongs to another application)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteDatabase.describe(error, path: path)
        }
    }

    /// Refuses a foreign SQLite file or one from a newer Merit before anything is written to it.
    /// (No full integrity scan on every open: it reads the whole file. Damage found later is
    /// SQLITE_CORRUPT, reported by `describe` as a plain message.)
    private func check() throws(StoreError) {
        do {
            let (applicationID, tables, superseded) = try pool.read { db -> (Int32, Int, Bool) in
                let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
                    ?? 0
                let superseded = try Schema.migrator.hasBeenSuperseded(db)
                return (id, tables, superseded)
            }
            if applicationID != Schema.applicationID, applicationID != 0 || tables > 0 {
                throw StoreError.unusable("\(path): this SQLite file is not a Merit workspace store (it belongs to another application)")
            }
            if superseded {
                throw StoreError.unusable("\(path): this workspace was written by a newer Merit; upgrade merit to open it")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw SQLiteDatabase.describe(error, path: path)
        }
    }

    /// A plain message for a database failure: never a crash, never a stack trace (docs/reference.md §11).
    static func describe(_ error: Error, path: String) -> StoreError {
        if let e = error as? StoreError { return e }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_NOTADB:
                return .unusable("\(path): not a Merit workspace store: not an SQLite database (\(db.message ?? "\(db.resultCode)"))")
            case .SQLITE_CORRUPT:
                return .unusable("\(path): the workspace store is damaged (\(db.message ?? "\(db.resultCode)")); restore .merit/ from a backup")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .io("\(path): another merit command kept the workspace busy for more than \(Int(busyTimeout) / 60) minutes; try again")
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return .io("\(path): cannot open the workspace store for writing (\(db.message ?? "\(db.resultCode)"))")
            case .SQLITE_FULL:
                return .io("\(path): the disk is full")
            case .SQLITE_CONSTRAINT:
                return .refused("\(path): \(db.message ?? "a rule of the store refused the change")")
            default:
                return .io("\(path): \(db.message ?? "\(db.resultCode)")")
            }
        }
        return .io("\(path): \(error)")
    }

    var kind: StoreKind { .sqlite }

    /// Runs `body` in one IMMEDIATE write transaction: all of it, or none of it.
    func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(SQLiteTransaction(db))
                return .commit
            }
            return result!
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteTransaction(db)) }
    }

    func readOne(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
        try read { db in try db.fetchAll(sql: sql, arguments: arguments) }
    }

    /// GRDB itself, for what only SQLite has (the migrator, PRAGMAs).
    func sqliteRead<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw SQLiteDatabase.describe(error, path: path) }
    }

    /// Copies the write-ahead log into the database and truncates it, so that a big import does not leave a log as
    /// large as itself beside the store (docs/workspace.md "How data is stored"). Best effort and without waiting:
    /// while another command reads an older state (a review computing), SQLite cannot truncate the log, and the
    /// checkpoint gives up at once instead of holding the write lock until that reader ends; `journal_size_limit`
    /// then trims the log at the next write.
    func checkpoint() {
        guard let pool = pool as? DatabasePool else { return }
        impatient.set(true)
        defer { impatient.set(false) }
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// The journal mode in force (`wal`).
    func journalMode() throws(StoreError) -> String {
        try sqliteRead { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
