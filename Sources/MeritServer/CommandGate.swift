/// Lets one workspace command run at a time in `merit serve`, the others waiting their turn in order.
///
/// A command (a review of a whole company, an export) computes on one of Swift's cooperative threads, of which
/// there are as many as cores: two reviews at once on a two-core server would leave no thread for the scorecards
/// and health checks that take microseconds. One at a time keeps a thread free for them; the workspace's writes
/// are one at a time anyway (SQLite has one writer).
///
/// The queue is bounded: past `limit` waiting commands, a new one is turned away at once (503) rather than held for
/// minutes, so no caller can pile up work behind a long review.
actor CommandGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    let limit: Int

    init(limit: Int = 16) { self.limit = limit }

    /// Runs `body` when no other command is running; nil, without running it, when `limit` commands already wait.
    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T? {
        if busy {
            guard waiting.count < limit else { return nil }
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return await body()
    }
}
