import Logging

/// The schema check every command makes when it opens a PostgreSQL store, for Merit's synchronous commands
/// (docs/postgresql.md "Migrations").
public enum PostgresUpgrade {
    /// Applies the pending migrations when `apply` (a command that writes, `merit init`) and returns none; otherwise
    /// returns the pending ones without changing anything. Refuses a database whose history is not this Merit's.
    public static func check(_ location: PostgresLocation, password: String?, apply: Bool) throws(PostgresStoreError) -> [String] {
        do {
            return try runBlocking {
                try await withPostgres(location, password: password, maximumConnections: 1) { client in
                    let migrator = PostgresMigrator()
                    let logger = Logger(label: "merit.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
                    let pending = try await migrator.pending(client, logger: logger)
                    guard apply, !pending.isEmpty else { return apply ? [] : pending }
                    try await migrator.migrate(client, logger: logger)
                    return []
                }
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw .io("\(location): \(describePostgresError(error))")
        }
    }
}
