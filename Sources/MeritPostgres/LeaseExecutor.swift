import Foundation

/// The executor of the tasks that lease connections for Merit's synchronous store calls, and of `runBlocking`: one
/// thread of its own (docs/postgresql.md "Connections").
///
/// Every store operation is synchronous and waits for its connection. A leasing task that needed a thread of a shared
/// pool would wait for the very threads that wait for it: Swift's cooperative pool has one thread per core, and
/// Dispatch's pool on Linux does not grow when its threads block — `merit serve` under 20 clients on PostgreSQL had
/// both its Dispatch threads waiting for leases whose tasks never ran (docs/performance.md "The workspace on
/// PostgreSQL"). These tasks only hand over a connection and suspend, so one thread serves them all.
public final class LeaseExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = LeaseExecutor()

    private let pending = NSCondition()
    private var jobs: [UnownedJob] = []

    private init() {
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "merit.postgres.leases"
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pending.lock()
        jobs.append(job)
        pending.signal()
        pending.unlock()
    }

    private func serve() {
        var batch: [UnownedJob] = []
        while true {
            pending.lock()
            while jobs.isEmpty { pending.wait() }
            swap(&batch, &jobs)
            pending.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}

/// Runs `body` to completion and returns its result, for synchronous callers (Merit's commands and store): the task
/// prefers `LeaseExecutor`, so waiting for it here never needs a free thread of a shared pool.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    Task(executorPreference: LeaseExecutor.shared) {
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
