import Logging
import PostgresNIO

/// Applies the schema's migrations to a PostgreSQL database (issue 19, docs/postgresql.md "Migrations"), safely when
/// several Merit processes start at once.
///
/// The database records what it has in `merit_migrations(name, position, applied_at)`. `migrate` runs in ONE
/// transaction: it takes a transaction-scoped advisory lock (released by COMMIT or ROLLBACK, so a killed process
/// never leaves it held, and a pooled connection never carries it on), reads the applied names, refuses a history
/// that is not a prefix of this Merit's list, and applies the pending migrations, each recorded as it goes. A second
/// process waits on the lock and then finds nothing pending; a failure anywhere leaves the database as it was.
public struct PostgresMigrator: Sendable {
    /// The advisory lock every Merit takes around its migrations: "MERI" and 1, fixed for ever (another value would let
    /// two Merit releases migrate at once). Advisory locks are per database, so databases never wait on each other.
    public static let lockKey: Int64 = 0x4D45_5249_0000_0001

    public let migrations: [PostgresMigration]

    public init(migrations: [PostgresMigration] = PostgresSchema.migrations) {
        self.migrations = migrations
    }

    /// Brings the database up to date; returns the names applied now (empty when it already was).
    @discardableResult
    public func migrate(_ client: PostgresClient, logger: Logger) async throws(PostgresStoreError) -> [String] {
        try await mapErrors {
            try await client.withConnection { connection in
                try await Self.inTransaction(connection, logger: logger) {
                    // Each statement of a READ COMMITTED transaction sees what committed before it began, so what is
                    // read after the lock includes a migration another process committed while this one waited. Set
                    // here, not left to the server's default_transaction_isolation: under REPEATABLE READ the snapshot
                    // would date from before the wait, and the migrations would be applied twice.
                    try await connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", logger: logger)
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                    let applied = try await Self.history(connection, logger: logger, creating: true)
                    let pending = try self.pending(after: applied)
                    for (offset, migration) in pending.enumerated() {
                        for statement in migration.statements {
                            do {
                                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                            } catch {
                                throw PostgresStoreError.io("migration \(migration.name) failed: \(describePostgresError(error))")
                            }
                        }
                        let position = applied.count + offset + 1
                        try await connection.query(
                            "INSERT INTO merit_migrations (name, position, applied_at) VALUES (\(migration.name), \(position), now())",
                            logger: logger)
                    }
                    return pending.map(\.name)
                }
            }
        }
    }

    /// The migrations the database still lacks, without changing it (for every command but `merit init`, which
    /// migrates): refuses a database that is not Merit's or whose history differs, as `migrate` does.
    public func pending(_ client: PostgresClient, logger: Logger) async throws(PostgresStoreError) -> [String] {
        try await mapErrors {
            try await client.withConnection { connection in
                let applied = try await Self.history(connection, logger: logger, creating: false)
                return try self.pending(after: applied).map(\.name)
            }
        }
    }

    /// The names the database has applied, in order; `creating` makes the history table in a database with no table at
    /// all (a new workspace). A database with tables but no history is someone else's, and is refused either way.
    static func history(_ connection: PostgresConnection, logger: Logger, creating: Bool) async throws -> [String] {
        let exists =
            try await connection.query("SELECT to_regclass('merit_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        if !exists {
            let tables = try await connection.query(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() ORDER BY table_name LIMIT 4
                """, logger: logger
            ).collect().map { try $0.decode(String.self) }
            if !tables.isEmpty {
                throw PostgresStoreError.unusable(
                    "the database holds tables (\(tables.prefix(3).joined(separator: ", "))\(tables.count > 3 ? ", …" : "")) but no Merit migration history: "
                        + "it is not a Merit workspace; give Merit an empty database of its own")
            }
            guard creating else { return [] }
            try await connection.query(
                """
                CREATE TABLE merit_migrations (
                    name text COLLATE "C" PRIMARY KEY,
                    position int NOT NULL UNIQUE,
                    applied_at timestamptz NOT NULL
                )
                """, logger: logger)
            return []
        }
        var names: [String] = []
        for try await name in try await connection.query("SELECT name FROM merit_migrations ORDER BY position", logger: logger)
            .decode(String.self)
        {
            names.append(name)
        }
        return names
    }

    /// The migrations after `applied`, which must be a prefix of `migrations`: the first difference is named.
    func pending(after applied: [String]) throws(PostgresStoreError) -> ArraySlice<PostgresMigration> {
        for (index, name) in applied.enumerated() {
            guard index < migrations.count else {
                throw .unusable(
                    "the database has migration \(name) (number \(index + 1)), which this Merit does not know: "
                        + "a newer Merit wrote it; use that version or a later one")
            }
            if migrations[index].name != name {
                throw .unusable(
                    "the database's migration history differs from this Merit's at number \(index + 1): "
                        + "the database has \(name), this Merit expects \(migrations[index].name); "
                        + "it was not made by a Merit release, and Merit will not change it")
            }
        }
        return migrations[min(applied.count, migrations.count)...]
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, and its error rethrown as it was (postgres-nio's
    /// `withTransaction` wraps it in a `PostgresTransactionError`, which would hide a `PostgresStoreError`).
    static func inTransaction<Result: Sendable>(
        _ connection: PostgresConnection, logger: Logger, _ body: () async throws -> Result
    ) async throws -> Result {
        try await connection.query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body()
        } catch {
            // A failed rollback leaves nothing to undo: the server ends the transaction when the connection closes.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }

    private func mapErrors<Result>(_ body: () async throws -> Result) async throws(PostgresStoreError) -> Result {
        do {
            return try await body()
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw .io("PostgreSQL: \(describePostgresError(error))")
        }
    }
}
