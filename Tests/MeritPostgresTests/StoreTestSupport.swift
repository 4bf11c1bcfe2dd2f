import Foundation
import MeritPostgres
import MeritSQL
import Synchronization
import XCTest

/// Runs `body` on a thread of its own and awaits it: `PostgresStore` is for synchronous callers and blocks the thread
/// it runs on, which must not be one of the few threads of Swift's cooperative pool (its leases are served there).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// Starts `body` on a thread of its own now; `join()` waits for it and rethrows what it threw.
final class Worker<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.start()
    }

    func join(seconds: Double = 60) throws -> T {
        guard done.wait(timeout: .now() + seconds) == .success else { throw StoreTestFailure("a worker thread did not finish in \(seconds) s") }
        return try result.withLock { $0! }.get()
    }
}

struct StoreTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A count shared between threads (how often a callback ran).
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}

extension TestServer {
    /// A fresh database and a `PostgresStore` on it, used on a thread of its own and closed afterwards.
    static func withStore<T: Sendable>(
        function: String = #function, maximumConnections: Int = 4, leaseTimeout: Duration = .seconds(30),
        _ body: @escaping @Sendable (PostgresStore, PostgresLocation) throws -> T
    ) async throws -> T {
        try await withFreshDatabase(function: function) { location in
            try await onThread {
                let store = try PostgresStore(
                    location: location, password: nil, maximumConnections: maximumConnections, leaseTimeout: leaseTimeout, logger: logger)
                defer { store.close() }
                return try body(store, location)
            }
        }
    }
}

/// The first value of the first row, which the test expects to be there.
func scalar(_ db: any StoreTransaction, _ sql: String, _ arguments: StoreArguments = []) throws -> StoreValue {
    guard let row = try db.fetchOne(sql: sql, arguments: arguments), let value = row.values.first else {
        throw StoreTestFailure("no row: \(sql)")
    }
    return value
}

/// `body` must throw a `PostgresStoreError`; returns it.
func expectStoreError(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) -> PostgresStoreError? {
    do {
        try body()
        XCTFail("no error was thrown", file: file, line: line)
        return nil
    } catch let error as PostgresStoreError {
        return error
    } catch {
        XCTFail("not a PostgresStoreError: \(error)", file: file, line: line)
        return nil
    }
}
