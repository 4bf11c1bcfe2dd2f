import Dispatch

/// A task executor on Dispatch threads, for the tasks that lease connections for Merit's synchronous store calls
/// (docs/postgresql.md "Connections").
///
/// Every store operation is synchronous and waits for its connection; when it is called on one of Swift's cooperative
/// threads (one per core: two on a two-core server), a leasing task that needed a cooperative thread too would wait
/// for a thread that is itself waiting for it. Tasks that prefer this executor run their code on Dispatch threads,
/// which Dispatch adds when others block, so a lease never waits for a free cooperative thread.
public final class DispatchTaskExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = DispatchTaskExecutor()

    private let queue = DispatchQueue(label: "merit.postgres.leases", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Runs `body` to completion and returns its result, for synchronous callers (Merit's commands and store): the task
/// prefers `DispatchTaskExecutor`, so waiting for it here never needs a free cooperative thread.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    Task(executorPreference: DispatchTaskExecutor.shared) {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        box.set(result)
    }
    return try box.wait().get()
}

/// The result a blocked caller waits for.
private final class BlockingResult<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) {
        result = value
        done.signal()
    }

    func wait() -> Result<T, any Error> {
        done.wait()
        return result!
    }
}
