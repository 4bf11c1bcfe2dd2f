import NIOPosix

/// Work that may block its thread — a store write waiting up to minutes for another process's write (SQLite's busy
/// timeout), or any store call on PostgreSQL, which waits for a connection and the database server's answers — run on
/// threads of its own, never on Swift's cooperative ones.
///
/// There are as many cooperative threads as cores: two views of others' scorecards waiting behind an operator's
/// `merit import` would otherwise take both threads of a two-core server, and `/healthz` and everyone's own scorecard
/// would hang with them (docs/server.md "Slow clients"). Nor Dispatch's: on Linux its pool does not grow when its
/// threads block, and 20 clients of a server on PostgreSQL left both its threads waiting (docs/performance.md "The
/// workspace on PostgreSQL"). NIO's thread pool has `threads` threads that exist only for this.
enum BlockingWork {
    /// More than the PostgreSQL store's connections (8), so that every connection can be busy at once.
    static let threads = 16

    private static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }()

    /// Work that writes (a view of someone else's scorecard writes its audit entry) runs on threads of its own: a write
    /// may wait minutes for another process's, and must never take the threads that check tokens and answer
    /// `/healthz` meanwhile.
    private static let writers: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 8)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    static func write<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await writers.runIfActive(body)
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        // The pool is never shut down, so it always runs `body`; the Result carries its answer out either way.
        let result = try? await pool.runIfActive { Result<T, Never>.success(body()) }
        guard case .success(let value)? = result else { preconditionFailure("the blocking-work pool is never shut down") }
        return value
    }
}
