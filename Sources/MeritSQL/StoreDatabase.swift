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
}
