import Foundation
import MeritPostgres
import MeritStore
import PostgresNIO
import XCTest

/// The databases a store test runs on (docs/postgresql.md "One store, two databases"): SQLite always, and PostgreSQL
/// when `MERIT_TEST_DATABASE_URL` names a server — `make test` always sets it (scripts/with-postgres.sh), so there
/// every test written with `Backends.each` runs on both. Run bare (`swift test`), the PostgreSQL half is left out.
enum Backends {
    enum Kind: String, CaseIterable { case sqlite, postgresql }

    /// The kinds to run on here.
    static var available: [Kind] { server == nil ? [.sqlite] : Kind.allCases }

    /// A `MERIT_TEST_DATABASE_URL` that does not parse stops the tests: quietly running on SQLite alone would let
    /// every contract test pass without PostgreSQL.
    static var server: PostgresLocation? {
        guard let url = ProcessInfo.processInfo.environment["MERIT_TEST_DATABASE_URL"], !url.isEmpty else { return nil }
        do { return try PostgresLocation.parse(url) } catch { preconditionFailure("MERIT_TEST_DATABASE_URL: \(error)") }
    }

    /// A new, empty workspace in `directory` on `kind`: on PostgreSQL in a database of its own, dropped by `cleanUp`.
    static func workspace(_ kind: Kind, in directory: URL, rubrics: [(name: String, text: String)]) throws -> (Workspace, cleanUp: () -> Void) {
        switch kind {
        case .sqlite:
            let ws = try Workspace.create(root: directory.path, rubrics: rubrics, currency: .usd, timeZone: "UTC")
            return (ws, {})
        case .postgresql:
            let location = try scratchDatabase()
            let ws = try Workspace.create(root: directory.path, rubrics: rubrics, currency: .usd, timeZone: "UTC", store: location)
            return (ws, { try? dropDatabase(location) })
        }
    }

    /// A new database on the test server.
    static func scratchDatabase() throws -> PostgresLocation {
        guard let server else { throw XCTSkip("MERIT_TEST_DATABASE_URL is not set") }
        let name = "s_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try admin(server, "CREATE DATABASE \(name)")
        var location = server
        location.database = name
        return location
    }

    static func dropDatabase(_ location: PostgresLocation) throws {
        guard let server else { return }
        try admin(server, "DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
    }

    private static func admin(_ server: PostgresLocation, _ sql: String) throws {
        _ = try runBlocking {
            try await withPostgres(server, password: nil, maximumConnections: 1) { client in
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "merit.tests"))
            }
        }
    }
}
