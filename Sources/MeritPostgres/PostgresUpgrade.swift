import Logging

/// The schema check every command makes when it opens a PostgreSQL store, for Merit's synchronous commands
/// (docs/postgresql.md "Migrations").
extension PostgresStore {
    /// Applies the pending migrations when `apply` (a command that writes, `merit init`) and returns none; otherwise
    /// returns the pending ones without changing anything. Refuses a database whose history is not this Merit's. Runs
    /// on the store's own pool: opening a store connects once, not once more for the check.
    public func migrations(apply: Bool) throws(PostgresStoreError) -> [String] {
        let client = self.client, logger = self.logger
        do {
            return try runBlocking {
                let migrator = PostgresMigrator()
                let pending = try await migrator.pending(client, logger: logger)
                guard apply, !pending.isEmpty else { return apply ? [] : pending }
                try await migrator.migrate(client, logger: logger)
                return []
            }
        } catch let error as PostgresStoreError {
            throw error
        } catch {
            throw .io("\(location): \(describePostgresError(error))")
        }
    }
}
