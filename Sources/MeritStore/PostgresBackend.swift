import Foundation
import MeritPostgres

extension Store {
    /// Opens the store in the PostgreSQL database at `location` (docs/postgresql.md), with the password from
    /// `PGPASSWORD` or `~/.pgpass`.
    ///
    /// As with the SQLite store, a command that writes brings the schema up to date (the migrations take an advisory
    /// lock, so several processes starting at once apply them once); `create` (`merit init`) does too. A command that
    /// only reads refuses a database whose schema is behind, rather than change it. A database whose migration history
    /// is not this Merit's — another application's, or a newer Merit's — is refused by both.
    public convenience init(postgres location: PostgresLocation, create: Bool = false, readOnly: Bool = false) throws(StoreError) {
        let password = PostgresPassword.resolve(for: location, environment: ProcessInfo.processInfo.environment)
        for warning in password.warnings { FileHandle.standardError.write(Data("merit: \(warning)\n".utf8)) }
        let shown = isatty(STDERR_FILENO) == 1
        let database: PostgresStore
        do {
            database = try PostgresStore(
                location: location, password: password.password,
                waitingNotice: {
                    if shown {
                        FileHandle.standardError.write(Data("merit: waiting for another merit command to finish with this workspace …\n".utf8))
                    }
                })
            let pending = try database.migrations(apply: !readOnly)
            if !pending.isEmpty {
                throw StoreError.unusable(
                    "\(location): this workspace database is from an earlier Merit (\(pending.count) migration\(pending.count == 1 ? "" : "s") pending); run a command that writes (merit review, merit import) once to upgrade it"
                )
            }
        } catch {
            throw Store.describe(error, path: location.description)
        }
        self.init(database: database, path: location.description)
    }
}
