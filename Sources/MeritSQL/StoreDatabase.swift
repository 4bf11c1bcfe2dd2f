/// A database holding a workspace's store: the embedded SQLite file or a PostgreSQL database (docs/postgresql.md
/// "One store, two databases"). Every store operation runs in one of its transactions, with the same promises on both:
///
/// - `write` runs `body` in one transaction, committed when `body` returns and rolled back when it throws, so a change
///   is all or nothing, also under a killed process. Writers take turns (one at a time per workspace, as SQLite's one
///   writer): a second writer waits, saying so on a terminal, for up to ten minutes.
/// - `read` runs `body` on one consistent snapshot that no writer blocks and no writer changes while it runs.
public protocol StoreDatabase: AnyObject, Sendable {
    var kind: StoreKind { get }

    func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T

    func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T

    /// Runs one query on its own and returns its rows. A single statement sees one consistent snapshot by itself, so
    /// no transaction is opened round it: on PostgreSQL one round trip instead of three (`BEGIN`, the query,
    /// `COMMIT`), for the few queries `merit serve` asks of every request.
    func readOne(sql: String, arguments: StoreArguments) throws -> [StoreRow]
}
