import Dispatch

/// Work that may block its thread — a store write waiting up to minutes for another process's write (SQLite's busy
/// timeout) — run on Dispatch threads, never on Swift's cooperative ones.
///
/// There are as many cooperative threads as cores: two views of others' scorecards waiting behind an operator's
/// `merit import` would otherwise take both threads of a two-core server, and `/healthz` and everyone's own scorecard
/// would hang with them (docs/server.md "Slow clients"). Dispatch adds threads when these block.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "merit.serve.blocking-work", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}
