import Dispatch
import Foundation
import Logging
import MeritSQL
import PostgresNIO
import Synchronization

/// A workspace's store in a PostgreSQL database (issue 19, docs/postgresql.md "One store, two databases"): the same
/// `StoreDatabase` as the embedded SQLite store, with the same promises, for synchronous callers (all of MeritStore).
///
/// - `write` runs its body in a READ COMMITTED transaction that first takes the workspace's writer lock, a
///   transaction-scoped advisory lock: writers take turns as SQLite's single writer does, so two commands never lose
///   each other's updates nor deadlock, and the lock goes with COMMIT, ROLLBACK or a killed process. A writer that has
///   to wait says so once (`waitingNotice`) and waits up to ten minutes.
/// - `read` runs its body in a REPEATABLE READ READ ONLY transaction: one snapshot, which no writer blocks or changes.
///
/// The store owns a postgres-nio pool (`PostgresClient`) whose `run()` lives in a background task for as long as the
/// store is open; `close()` (or the store's end) stops it and closes every connection.
public final class PostgresStore: StoreDatabase {
    public var kind: StoreKind { .postgresql }

    public let location: PostgresLocation

    /// The workspace's writer lock: "MERI" and 2, fixed for ever (another value would let two Merit releases write at
    /// once), and not the migrator's key, so a command waiting on the migration never blocks a writer's turn.
    public static let writerLockKey: Int64 = 0x4D45_5249_0000_0002

    /// How many times `write` runs a transaction that failed on a serialization failure or a deadlock.
    static let attempts = 3
    /// How long a writer waits for the others, in this process and in the database (`lock_timeout`).
    static let writerWait: TimeInterval = 600

    let client: PostgresClient
    let logger: Logger
    private let waitingNotice: (@Sendable () -> Void)?
    private let maximumConnections: Int
    private let leaseTimeout: Duration
    private let runner: Mutex<Task<Void, Never>?>
    private let stopped = DispatchSemaphore(value: 0)
    /// This process's writers, one at a time: only one of them holds a connection while waiting for the workspace's
    /// writer lock, so a long write elsewhere (an import, another replica's finalize) never ties up every connection
    /// of the pool and leaves this process's readers without one.
    private let writers = NSLock()

    /// Connects to `location`. Fails within seconds, with the server's reason, when the server cannot be reached or
    /// refuses the login or the database: postgres-nio's pool would retry those for ever (docs/postgresql.md
    /// "Connections"), so one plain connection is made and closed first, as `withPostgres` does.
    ///
    /// - Parameters:
    ///   - maximumConnections: the pool's size; one command needs one connection at a time, `merit serve` more.
    ///   - leaseTimeout: how long a transaction waits for a connection from the pool before failing with `.io`, so a
    ///     server that stopped answering fails a command instead of hanging it.
    ///   - waitingNotice: called once when a `write` has to wait for another command's (the CLI prints "waiting for
    ///     another merit command…").
    public init(
        location: PostgresLocation,
        password: String?,
        maximumConnections: Int = 8,
        leaseTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "merit.postgres", factory: { _ in SwiftLogNoOpLogHandler() }),
        waitingNotice: (@Sendable () -> Void)? = nil
    ) throws(PostgresStoreError) {
        self.location = location
        self.logger = logger
        self.waitingNotice = waitingNotice
        self.maximumConnections = maximumConnections
        self.leaseTimeout = leaseTimeout
        try Self.probe(location, password: password, logger: logger)
        let client = PostgresClient(
            configuration: location.clientConfiguration(password: password, maximumConnections: maximumConnections), backgroundLogger: logger)
        self.client = client
        let stopped = self.stopped
        // On the lease thread, not the cooperative pool: the pool opens connections in child tasks of `run()`, and a
        // synchronous caller on the only cooperative thread of a one-core machine would otherwise wait for ever.
        runner = Mutex(
            Task.detached(executorPreference: LeaseExecutor.shared) {
                await client.run()
                stopped.signal()
            })
    }

    deinit { close() }

    /// Stops the pool and closes its connections, waiting (up to ten seconds) until they are closed, so that a command
    /// that ends leaves no session behind on the server. Safe to call more than once; a transaction started afterwards
    /// fails with `.io`.
    public func close() {
        let running = runner.withLock { runner -> Task<Void, Never>? in
            let task = runner
            runner = nil
            return task
        }
        guard let task = running else { return }
        task.cancel()
        _ = stopped.wait(timeout: .now() + 10)
    }

    /// Runs `body` in one transaction holding the writer lock. A transaction that fails on a serialization failure or
    /// a deadlock is rolled back and run again, body and all, up to three attempts: so `body` must do nothing but
    /// database work it can repeat (as every store operation is written).
    public func write<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        guard writers.lock(before: Date(timeIntervalSinceNow: Self.writerWait)) else {
            throw PostgresStoreError.busy("another merit command kept the workspace busy for more than 10 minutes; try again")
        }
        defer { writers.unlock() }
        var attempt = 1
        while true {
            let lease = try lease()
            defer { lease.release() }
            let transaction = PostgresTransaction(connection: lease.connection, logger: logger)
            do {
                _ = try transaction.run(sql: "BEGIN ISOLATION LEVEL READ COMMITTED", arguments: [])
                try takeWriterLock(transaction)
            } catch {
                Self.rollBack(transaction)
                throw error
            }
            let value: T
            do {
                value = try body(transaction)
                try Self.commit(transaction)
            } catch {
                Self.rollBack(transaction)
                if transaction.retryable && attempt < Self.attempts {
                    attempt += 1
                    continue
                }
                // The body's own error, unchanged: callers throw their own error types through a transaction.
                throw error
            }
            return value
        }
    }

    /// One `SELECT` in autocommit: the statement is its own snapshot, and the answer comes in one round trip.
    public func readOne(sql: String, arguments: StoreArguments) throws -> [StoreRow] {
        guard sql.drop(while: \.isWhitespace).prefix(6).uppercased() == "SELECT" else {
            throw PostgresStoreError.usage("readOne runs one SELECT, not: \(sql)")
        }
        let lease = try lease()
        defer { lease.release() }
        return try PostgresTransaction(connection: lease.connection, logger: logger).fetchAll(sql: sql, arguments: arguments)
    }

    public func read<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        let lease = try lease()
        defer { lease.release() }
        let transaction = PostgresTransaction(connection: lease.connection, logger: logger)
        do {
            _ = try transaction.run(sql: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", arguments: [])
            let value = try body(transaction)
            try Self.commit(transaction)
            return value
        } catch {
            Self.rollBack(transaction)
            throw error
        }
    }

    // MARK: - The parts of a transaction

    private func lease() throws(PostgresStoreError) -> PostgresLease {
        guard runner.withLock({ $0 != nil }) else { throw .io("\(location): the store is closed") }
        do {
            return try PostgresLease.acquire(from: client, timeout: leaseTimeout)
        } catch {
            switch error {
            case .timedOut:
                throw .io(
                    "\(location): no database connection within \(Self.spoken(leaseTimeout)) "
                        + "(all \(maximumConnections) in use, or the server stopped answering); try again")
            case .failed(let error):
                throw .io("\(location): no database connection: \(describePostgresError(error))")
            }
        }
    }

    /// "30 s", or "500 ms" for a deadline that is not whole seconds.
    static func spoken(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }

    /// Takes the workspace's writer lock, at once when it is free; otherwise says so and waits for it up to ten
    /// minutes (`lock_timeout` for this one statement, then back to the server's setting for the body).
    private func takeWriterLock(_ transaction: PostgresTransaction) throws(PostgresStoreError) {
        let tried = try transaction.rows(of: transaction.run(sql: "SELECT pg_try_advisory_xact_lock(\(Self.writerLockKey))", arguments: []))
        if tried.first?.values.first == .integer(1) { return }
        waitingNotice?()
        _ = try transaction.run(sql: "SET LOCAL lock_timeout = '600s'", arguments: [])
        do {
            _ = try transaction.run(sql: "SELECT pg_advisory_xact_lock(\(Self.writerLockKey))", arguments: [])
        } catch .busy {
            throw .busy("another merit command kept the workspace busy for more than 10 minutes; try again")
        }
        _ = try transaction.run(sql: "SET LOCAL lock_timeout TO DEFAULT", arguments: [])
    }

    /// COMMIT, which PostgreSQL answers with ROLLBACK (and no error) when a statement of the transaction failed and the
    /// body went on regardless: that must not pass for a commit.
    private static func commit(_ transaction: PostgresTransaction) throws(PostgresStoreError) {
        let reply = try transaction.run(sql: "COMMIT", arguments: [])
        if reply.metadata.command == "ROLLBACK" {
            throw .io("the transaction was rolled back: a statement in it had failed")
        }
    }

    /// Best effort: on a broken connection there is nothing to roll back (the server already did), and the pool
    /// drops a closed connection.
    private static func rollBack(_ transaction: PostgresTransaction) {
        _ = try? transaction.run(sql: "ROLLBACK", arguments: [])
    }

    /// Opens and closes one plain connection to `location`, throwing why it cannot be made (without Swift's
    /// cooperative pool: the init is called from synchronous code).
    private static func probe(_ location: PostgresLocation, password: String?, logger: Logger) throws(PostgresStoreError) {
        do {
            let connection = try PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(), configuration: location.connectionConfiguration(password: password), id: 0,
                logger: logger
            ).wait()
            try? connection.close().wait()
        } catch {
            throw .io("\(location): cannot connect: \(describePostgresError(error))")
        }
    }
}
