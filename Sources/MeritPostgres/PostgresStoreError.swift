/// What can go wrong on the PostgreSQL backend, shaped like MeritStore's `StoreError` (docs/reference.md §11) so that
/// wiring the backend into the commands is a case-for-case mapping: each message says what to do next.
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A location or setting written wrongly: a URL that is not `postgresql://USER@HOST:PORT/DB`, a password in it.
    case usage(String)
    /// The database is not one Merit can use: a foreign schema, a migration history that differs from this Merit's.
    case unusable(String)
    /// The server could not be reached, refused the login, or failed a statement.
    case io(String)
    /// The database refused a change: a constraint or one of the schema's guard triggers (SQLSTATE class 23, which
    /// includes the triggers' `restrict_violation`), with the server's message as the SQLite store's `RAISE(ABORT, …)`
    /// gives it ("the audit log is append-only"). Not a fault of the server: the change itself is not allowed.
    case refused(String)
    /// Another transaction held what this one needed for too long (a lock timeout, 55P03) or made it fail
    /// (serialization failure, deadlock) more often than the store retries: trying again later may succeed.
    case busy(String)

    public var description: String {
        switch self {
        case .usage(let m), .unusable(let m), .io(let m), .refused(let m), .busy(let m): return m
        }
    }
}
