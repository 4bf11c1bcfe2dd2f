import Foundation
import Logging
import MeritPostgres
import PostgresNIO
import Synchronization
import XCTest

/// The PostgreSQL server the tests run against: `MERIT_TEST_DATABASE_URL`, which scripts/with-postgres.sh sets to a
/// throwaway cluster it starts and removes. `make test` (and so `.ci/run`) runs the suite through that script, so
/// there the variable is always set and these tests always run: a server that cannot be started fails `make test`.
/// Run directly (`swift test --filter MeritPostgresTests`) without the variable, they skip, saying how to run them:
/// `scripts/with-postgres.sh swift test --filter MeritPostgresTests`.
enum TestServer {
    static let logger = Logger(label: "merit.postgres.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func location() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["MERIT_TEST_DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip(
                "MERIT_TEST_DATABASE_URL is not set: run scripts/with-postgres.sh swift test --filter MeritPostgresTests (make test always sets it)"
            )
        }
        return try PostgresLocation.parse(url)
    }

    /// Runs `body` with a new, empty database of its own, dropped afterwards whatever `body` did: tests never see
    /// each other's tables, migration history or advisory locks (those are per database).
    static func withFreshDatabase<Result: Sendable>(
        function: String = #function, _ body: @Sendable (PostgresLocation) async throws -> Result
    ) async throws -> Result {
        let server = try location()
        let watchdog = Watchdog(function, seconds: 120)
        defer { watchdog.disarm() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withPostgres(server, password: nil) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        var fresh = server
        fresh.database = name
        let result: Result
        do {
            result = try await body(fresh)
        } catch {
            try? await drop(name, on: server)
            throw error
        }
        try await drop(name, on: server)
        return result
    }

    private static func drop(_ name: String, on server: PostgresLocation) async throws {
        try await withPostgres(server, password: nil) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }

    /// A fresh database, migrated, and a client on it.
    static func withMigratedDatabase<Result: Sendable>(
        function: String = #function, _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await withFreshDatabase(function: function) { location in
            try await withPostgres(location, password: nil) { client in
                try await PostgresMigrator().migrate(client, logger: logger)
                return try await body(client)
            }
        }
    }
}

extension PostgresClient {
    /// Runs one statement of the test's own text (never user input).
    func run(_ sql: String) async throws {
        try await query(PostgresQuery(unsafeSQL: sql), logger: TestServer.logger)
    }

    /// The first column of every row, as text (`::text` in the query where the column is not text).
    func strings(_ sql: String) async throws -> [String] {
        var values: [String] = []
        for try await value in try await query(PostgresQuery(unsafeSQL: sql), logger: TestServer.logger).decode(String.self) {
            values.append(value)
        }
        return values
    }

    /// `sql` must fail with a server error whose message contains `message`.
    func expectRefused(_ sql: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await run(sql)
            XCTFail("not refused: \(sql)", file: file, line: line)
        } catch {
            let text = describePostgresError(error)
            XCTAssertTrue(text.contains(message), "\(sql): \(text)", file: file, line: line)
        }
    }
}

/// `XCTAssertEqual` for a value an async call gives (XCTest's autoclosures cannot await).
func assertEqual<T: Equatable>(
    _ actual: @autoclosure () async throws -> T, _ expected: @autoclosure () async throws -> T, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) async throws {
    let a = try await actual()
    let e = try await expected()
    XCTAssertEqual(a, e, message, file: file, line: line)
}

/// Stops the test process when a test outlives `seconds`: a wait that never ends (a lock never released, a pool
/// lease never served) would otherwise hang `make test` and CI without a word. Seen once, with a mutated migrator
/// whose failure under six concurrent clients left the test waiting (docs/postgresql.md "Not yet").
final class Watchdog: Sendable {
    private let finished = Mutex(false)

    init(_ test: String, seconds: Int) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { [self] in
            if !finished.withLock({ $0 }) {
                fatalError("\(test) is still running after \(seconds) s: a PostgreSQL wait that never ends")
            }
        }
    }

    func disarm() { finished.withLock { $0 = true } }
}
