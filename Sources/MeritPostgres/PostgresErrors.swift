import PostgresNIO

/// Sorts what postgres-nio throws into the store's errors by what the caller can do about it (docs/postgresql.md
/// "One store, two databases"), keeping the server's own words (`describePostgresError`):
///
/// - SQLSTATE class 23 (a constraint, or the schema's guard triggers' `restrict_violation`) → `.refused`: the change
///   is not allowed, as the SQLite store's `RAISE(ABORT, …)` says, and its message is the trigger's alone.
/// - 55P03 `lock_not_available` → `.busy`: another command held a lock past the timeout.
/// - 40001 `serialization_failure`, 40P01 `deadlock_detected` → `.busy`, marked retryable: the transaction lost a race
///   that running it again normally wins.
/// - more parameters than the protocol's 65,535 → `.usage` (a statement built wrongly; postgres-nio refuses it unsent).
/// - anything else, including a connection that broke → `.io`.
enum PostgresErrors {
    struct Mapped {
        var error: PostgresStoreError
        var retryable: Bool
    }

    static func map(_ error: any Error) -> Mapped {
        if let store = error as? PostgresStoreError { return Mapped(error: store, retryable: false) }
        let text = describePostgresError(error)
        guard let psql = error as? PSQLError else { return Mapped(error: .io(text), retryable: false) }
        if psql.code == .tooManyParameters {
            return Mapped(error: .usage("a statement has more than 65,535 parameters, PostgreSQL's limit"), retryable: false)
        }
        guard psql.code == .server, let state = psql.serverInfo?[.sqlState] else {
            return Mapped(error: .io("the connection to the database failed: \(text)"), retryable: false)
        }
        switch state {
        case _ where state.hasPrefix("23"):
            return Mapped(error: .refused(text), retryable: false)
        case "55P03":
            return Mapped(error: .busy("\(text); try again"), retryable: false)
        case "40001", "40P01":
            return Mapped(error: .busy("\(text); try again"), retryable: true)
        default:
            return Mapped(error: .io(text), retryable: false)
        }
    }
}
