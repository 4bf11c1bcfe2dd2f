import Dispatch
import PostgresNIO
import Synchronization

/// One connection borrowed from the pool for one synchronous transaction (docs/postgresql.md "Connections").
///
/// The store's callers are synchronous (all of MeritStore is), while postgres-nio's pool lends connections only to
/// async code, for the length of a closure. So a detached task leases the connection, hands it to the waiting thread,
/// and then suspends — holding no thread — until that thread calls `release()`. The queries themselves run on the
/// caller's own thread through the EventLoopFuture API, so no thread of Swift's small cooperative pool is ever blocked
/// per query, and no number of concurrent commands can starve it.
///
/// Leasing has a deadline: postgres-nio's pool waits for ever for a connection that never comes (vapor/postgres-nio
/// #489, #565, #602), so a command would hang without a word. When the deadline passes, the lease is marked abandoned:
/// a connection delivered afterwards goes straight back to the pool, never leaked.
final class PostgresLease: Sendable {
    private enum Phase {
        case waiting
        case delivered(PostgresConnection)
        case failed(any Error)
        case abandoned
    }

    private struct State {
        var phase = Phase.waiting
        var released = false
        var holder: CheckedContinuation<Void, Never>?
    }

    /// The leased connection, valid until `release()`.
    let connection: PostgresConnection

    private init(connection: PostgresConnection, from request: Request) {
        self.connection = connection
        self.request = request
    }

    /// The pending request behind a lease (kept so `release()` reaches the task that holds the connection).
    private let request: Request

    /// Waits up to `timeout` for a connection from `client`: `.failed` with the pool's own error when leasing failed
    /// (a pool shut down), `.timedOut` when the deadline passed, which the store turns into its message.
    static func acquire(from client: PostgresClient, timeout: Duration) throws(LeaseFailure) -> PostgresLease {
        let request = Request()
        let task = Task.detached(executorPreference: LeaseExecutor.shared) {
            do {
                try await client.withConnection { connection in
                    await request.hold(connection)
                }
            } catch {
                request.fail(error)
            }
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        _ = request.arrived.wait(timeout: .now() + seconds)
        let outcome: Result<PostgresConnection, LeaseFailure> = request.state.withLock { state in
            switch state.phase {
            case .delivered(let connection): return .success(connection)
            case .failed(let error): return .failure(.failed(error))
            case .waiting, .abandoned:
                state.phase = .abandoned
                return .failure(.timedOut)
            }
        }
        switch outcome {
        case .success(let connection):
            return PostgresLease(connection: connection, from: request)
        case .failure(let failure):
            // Withdraws the request from the pool's queue; one delivered meanwhile is returned at once by `hold`.
            task.cancel()
            throw failure
        }
    }

    /// Gives the connection back to the pool. Safe to call more than once.
    func release() { request.release() }

    /// A lease dropped without `release()` still goes back: a connection left held would shrink the pool for good.
    deinit { request.release() }

    enum LeaseFailure: Error {
        case timedOut
        case failed(any Error)
    }

    /// The state shared by the waiting thread and the task that holds the connection.
    private final class Request: Sendable {
        let state = Mutex(State())
        let arrived = DispatchSemaphore(value: 0)

        /// Runs inside the pool's lease: hands the connection over, then keeps the lease until `release()`.
        func hold(_ connection: PostgresConnection) async {
            let handed = state.withLock { state -> Bool in
                guard case .waiting = state.phase else { return false }
                state.phase = .delivered(connection)
                return true
            }
            // Abandoned (the waiting thread gave up): the lease ends here, and the pool has its connection back.
            guard handed else { return }
            arrived.signal()
            await withCheckedContinuation { (holder: CheckedContinuation<Void, Never>) in
                let releasedAlready = state.withLock { state -> Bool in
                    if state.released { return true }
                    state.holder = holder
                    return false
                }
                if releasedAlready { holder.resume() }
            }
        }

        func fail(_ error: any Error) {
            let waiting = state.withLock { state -> Bool in
                guard case .waiting = state.phase else { return false }
                state.phase = .failed(error)
                return true
            }
            if waiting { arrived.signal() }
        }

        func release() {
            let holder = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.released = true
                defer { state.holder = nil }
                return state.holder
            }
            holder?.resume()
        }
    }
}
