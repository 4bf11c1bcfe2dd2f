/// What can go wrong on the PostgreSQL backend, shaped like MeritStore's `StoreError` (docs/reference.md §11) so that
/// wiring the backend into the commands is a case-for-case mapping: each message says what to do next.
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A location or setting written wrongly: a URL that is not `postgresql://USER@HOST:PORT/DB`, a password in it.
    case usage(String)
    /// The database is not one Merit can use: a foreign schema, a migration history that differs from this Merit's.
    case unusable(String)
    /// The server could not be reached, refused the login, or failed a statement.
    case io(String)
    /// A rule of the schema refused the change (a constraint, or a trigger guarding the audit log or a finalized
    /// review): SQLSTATE class 23.
    case refused(String)
    /// Another writer held the workspace longer than a command waits (lock_timeout, SQLSTATE 55P03).
    case busy(String)

    public var description: String {
        switch self {
        case .usage(let m), .unusable(let m), .io(let m), .refused(let m), .busy(let m): return m
        }
    }
}
