import Foundation
import MeritPostgres
import MeritSQL
import PostgresNIO
import XCTest

/// A login that owns nothing (docs/postgresql.md "A login that cannot lift the guards"): with the grants the docs
/// give, it does all Merit does, and cannot disable, drop or truncate its way round the guard triggers.
final class PostgresRoleTests: XCTestCase {
    func testALoginThatOwnsNothingWorksButCannotLiftTheGuards() async throws {
        let role = "app_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await TestServer.withFreshDatabase { location in
            try await withPostgres(location, password: nil) { client in
                try await PostgresMigrator().migrate(client, logger: TestServer.logger)
                for sql in [
                    "CREATE ROLE \(role) LOGIN",
                    "GRANT CONNECT ON DATABASE \(location.database) TO \(role)",
                    "GRANT USAGE ON SCHEMA public TO \(role)",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(role)",
                    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(role)",
                ] {
                    try await client.run(sql)
                }
            }
            let app = PostgresLocation(user: role, host: location.host, port: location.port, database: location.database, tls: location.tls)
            // Every command checks the schema when it opens the store: that works without owning anything.
            try await onThread {
                let store = try PostgresStore(location: app, password: nil, logger: TestServer.logger)
                defer { store.close() }
                XCTAssertEqual(try store.migrations(apply: true), [])
                _ = try store.write { db in
                    try db.execute(
                        sql: "INSERT INTO audit_log (id, at, by, action) VALUES (?, ?, ?, ?)",
                        arguments: [1, "2026-12-06T00:00:00.000Z", "hr", "test"])
                }
                for sql in [
                    "ALTER TABLE audit_log DISABLE TRIGGER ALL", "DROP TRIGGER audit_log_no_delete ON audit_log", "TRUNCATE audit_log",
                    "DELETE FROM audit_log", "UPDATE audit_log SET by = 'someone else'",
                ] {
                    let error = expectStoreError { _ = try store.write { db in try db.execute(sql: sql) } }
                    XCTAssertNotNil(error, sql)
                }
                XCTAssertEqual(try store.read { db in try scalar(db, "SELECT count(*) FROM audit_log") }, .integer(1))
                XCTAssertEqual(try store.read { db in try scalar(db, "SELECT by FROM audit_log") }, .text("hr"))
            }
        }
        try await withPostgres(try TestServer.location(), password: nil) { client in try await client.run("DROP ROLE IF EXISTS \(role)") }
    }
}
