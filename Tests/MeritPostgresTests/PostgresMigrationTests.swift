import Foundation
import MeritPostgres
import PostgresNIO
import XCTest

/// Migrations on a real PostgreSQL server (issue 19, docs/postgresql.md "Migrations"): applied once, in one
/// transaction, under an advisory lock; a history that is not a prefix of Merit's refused, naming the difference.
final class PostgresMigrationTests: XCTestCase {
    let names = [
        "v1", "v2-access-tokens", "v3-stored-datasets", "v4-pay-safety", "v5-tamper-evident", "v6-token-lifecycle", "v7-final-rows-stay",
        "v8-calibration-disputes",
    ]

    func testAFreshDatabaseGetsEveryMigrationOnceAndARerunIsANoOp() async throws {
        let names = self.names
        try await TestServer.withFreshDatabase { location in
            try await withPostgres(location, password: nil) { client in
                let migrator = PostgresMigrator()
                try await assertEqual(await migrator.pending(client, logger: TestServer.logger), names, "nothing applied yet, nothing written")
                try await assertEqual(
                    await client.strings("SELECT count(*)::text FROM information_schema.tables WHERE table_schema = 'public'"), ["0"])
                try await assertEqual(await migrator.migrate(client, logger: TestServer.logger), names)
                let schema = try await client.strings(
                    "SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)) FROM information_schema.columns WHERE table_schema = 'public'"
                )
                try await assertEqual(await migrator.migrate(client, logger: TestServer.logger), [])
                try await assertEqual(await migrator.migrate(client, logger: TestServer.logger), [])
                try await assertEqual(await migrator.pending(client, logger: TestServer.logger), [])
                try await assertEqual(
                    await client.strings("SELECT position || ' ' || name FROM merit_migrations ORDER BY position"),
                    names.enumerated().map { "\($0.offset + 1) \($0.element)" })
                try await assertEqual(
                    await client.strings(
                        "SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)) FROM information_schema.columns WHERE table_schema = 'public'"
                    ), schema, "the reruns changed nothing")
            }
        }
    }

    /// Six Merit processes starting at the same moment on a new database: every one succeeds, exactly one applies the
    /// migrations, the others wait on the advisory lock and find nothing to do.
    func testSixClientsStartingAtOnceMigrateOnce() async throws {
        let names = self.names
        try await TestServer.withFreshDatabase { location in
            let barrier = Barrier(parties: 6)
            let applied = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await withPostgres(location, password: nil) { client in
                            // Connected first, so the six migrations begin together rather than as connections come up.
                            try await client.run("SELECT 1")
                            await barrier.arrive()
                            return try await PostgresMigrator().migrate(client, logger: TestServer.logger)
                        }
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            XCTAssertEqual(applied.filter { !$0.isEmpty }, [names], "one process applied them all, in order")
            XCTAssertEqual(applied.filter(\.isEmpty).count, 5)
            try await withPostgres(location, password: nil) { client in
                try await assertEqual(await client.strings("SELECT name FROM merit_migrations ORDER BY position"), names)
                try await assertEqual(await client.strings("SELECT count(*)::text FROM pg_trigger WHERE tgname = 'audit_log_no_update'"), ["1"])
            }
        }
    }

    func testADivergentHistoryIsRefusedNamingTheFirstDifference() async throws {
        try await TestServer.withMigratedDatabase { client in
            try await client.run("UPDATE merit_migrations SET name = 'v2-keys' WHERE position = 2")
            for check in [Check.migrate, .pending] {
                do {
                    _ = try await check.run(client)
                    XCTFail("\(check): a divergent history was accepted")
                } catch {
                    guard case .unusable(let message) = error as? PostgresStoreError else { return XCTFail("\(error)") }
                    XCTAssertTrue(message.contains("differs from this Merit's at number 2"), message)
                    XCTAssertTrue(message.contains("the database has v2-keys, this Merit expects v2-access-tokens"), message)
                }
            }
            try await assertEqual(
                await client.strings("SELECT name FROM merit_migrations ORDER BY position").count, PostgresSchema.migrations.count, "left as it was")
        }
    }

    func testAHistoryFromANewerMeritIsRefused() async throws {
        try await TestServer.withMigratedDatabase { client in
            let future = PostgresSchema.migrations.count + 1
            try await client.run("INSERT INTO merit_migrations VALUES ('v\(future)-future', \(future), now())")
            do {
                try await PostgresMigrator().migrate(client, logger: TestServer.logger)
                XCTFail("a newer history was accepted")
            } catch {
                XCTAssertTrue(
                    "\(error)".contains(
                        "the database has migration v\(PostgresSchema.migrations.count + 1)-future (number \(PostgresSchema.migrations.count + 1)), which this Merit does not know"
                    ), "\(error)")
            }
        }
    }

    /// A database with tables of its own is not Merit's: refused, and nothing is added to it.
    func testAForeignDatabaseIsRefusedAndLeftAlone() async throws {
        try await TestServer.withFreshDatabase { location in
            try await withPostgres(location, password: nil) { client in
                try await client.run("CREATE TABLE photos (id bigint PRIMARY KEY)")
                for check in [Check.migrate, .pending] {
                    do {
                        _ = try await check.run(client)
                        XCTFail("\(check): a foreign database was accepted")
                    } catch {
                        XCTAssertTrue("\(error)".contains("holds tables (photos)"), "\(error)")
                        XCTAssertTrue("\(error)".contains("not a Merit workspace"), "\(error)")
                    }
                }
                try await assertEqual(
                    await client.strings("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'"), ["photos"])
            }
        }
    }

    /// The pending migrations go in one transaction: one that fails leaves no table, no trigger and no history.
    func testAFailingMigrationLeavesTheDatabaseAsItWas() async throws {
        try await TestServer.withFreshDatabase { location in
            try await withPostgres(location, password: nil) { client in
                let broken = PostgresMigrator(
                    migrations: PostgresSchema.migrations + [
                        PostgresMigration(name: "v99-broken", statements: ["CREATE TABLE audit_log (id bigint)"])
                    ]
                )
                do {
                    try await broken.migrate(client, logger: TestServer.logger)
                    XCTFail("a failing migration succeeded")
                } catch {
                    XCTAssertTrue("\(error)".contains("migration v99-broken failed: relation \"audit_log\" already exists"), "\(error)")
                }
                try await assertEqual(
                    await client.strings("SELECT count(*)::text FROM information_schema.tables WHERE table_schema = 'public'"), ["0"])
                try await assertEqual(
                    await PostgresMigrator().migrate(client, logger: TestServer.logger).count, PostgresSchema.migrations.count,
                    "and a good one then applies")
            }
        }
    }

    /// The PostgreSQL schema is the SQLite one: the same migration names in the same order, every table and column,
    /// index and trigger of Sources/MeritStore/SQLite/Schema.swift (read from its text), and only the TRUNCATE triggers added.
    func testTheSchemaIsTheSQLiteStoresTableForTable() async throws {
        let sqlite = try SQLiteSchemaText.read()
        XCTAssertEqual(PostgresSchema.migrations.map(\.name), sqlite.migrations)
        XCTAssertEqual(sqlite.migrations, names)
        try await TestServer.withMigratedDatabase { client in
            let columns = try await client.strings(
                "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'merit_migrations'"
            )
            XCTAssertEqual(Set(columns), sqlite.columns)
            let indexes = try await client.strings(
                "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'")
            XCTAssertEqual(Set(indexes), sqlite.indexes)
            let triggers = try await client.strings("SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal")
            XCTAssertEqual(Set(triggers.filter { !$0.hasSuffix("_not_truncated") }), sqlite.triggers)
            XCTAssertEqual(
                Set(triggers.filter { $0.hasSuffix("_not_truncated") }),
                [
                    "audit_log_not_truncated", "access_tokens_not_truncated", "reviews_not_truncated", "review_results_not_truncated",
                    "adjustments_not_truncated", "review_rubrics_not_truncated", "review_datasets_not_truncated", "disputes_not_truncated",
                    "exclusions_not_truncated", "review_exclusions_not_truncated", "review_disputes_not_truncated",
                ])
        }
    }
}

/// `migrate` or `pending`, which refuse the same databases.
private enum Check {
    case migrate, pending

    func run(_ client: PostgresClient) async throws(PostgresStoreError) -> [String] {
        switch self {
        case .migrate: return try await PostgresMigrator().migrate(client, logger: TestServer.logger)
        case .pending: return try await PostgresMigrator().pending(client, logger: TestServer.logger)
        }
    }
}

/// Lets `parties` tasks go on together once all have arrived.
private actor Barrier {
    let parties: Int
    var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        if waiting.count + 1 == parties {
            for continuation in waiting { continuation.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// What the SQLite store's migrations make, read from the text of Sources/MeritStore/SQLite/Schema.swift (this target does
/// not link GRDB): migration names, columns per table, indexes and triggers, after the tables v3 drops.
struct SQLiteSchemaText {
    var migrations: [String] = []
    var columns: Set<String> = []
    var indexes: Set<String> = []
    var triggers: Set<String> = []

    static func read() throws -> SQLiteSchemaText {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/MeritStore/SQLite/Schema.swift")
            .path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var schema = SQLiteSchemaText()
        schema.migrations = matches(#"registerMigration\("([^"]+)"\)"#, in: text).map { $0[0] }
        for match in matches(#"CREATE TABLE (\w+) \(\n(.*?)\n\s*\)( WITHOUT ROWID)?;"#, in: text, dotAll: true) {
            for line in match[1].split(separator: "\n") {
                let word = line.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
                if word.isEmpty || word.hasPrefix("--") || word == "PRIMARY" || word == "UNIQUE" { continue }
                schema.columns.insert("\(match[0]).\(word)")
            }
        }
        for match in matches(#"ALTER TABLE (\w+) ADD COLUMN (\w+)"#, in: text) { schema.columns.insert("\(match[0]).\(match[1])") }
        for table in matches(#"DROP TABLE (\w+);"#, in: text).map({ $0[0] }) {
            schema.columns = schema.columns.filter { !$0.hasPrefix(table + ".") }
        }
        let dropped = Set(matches(#"DROP TABLE (\w+);"#, in: text).map { $0[0] })
        schema.indexes = Set(matches(#"CREATE INDEX (\w+) ON (\w+)"#, in: text).filter { !dropped.contains($0[1]) }.map { $0[0] })
        schema.triggers = Set(matches(#"CREATE TRIGGER (\w+) "#, in: text).map { $0[0] })
        return schema
    }

    private static func matches(_ pattern: String, in text: String, dotAll: Bool = false) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern, options: dotAll ? [.dotMatchesLineSeparators] : [])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (1..<match.numberOfRanges).compactMap { Range(match.range(at: $0), in: text).map { String(text[$0]) } }
        }
    }
}

/// A server that is not there, a database that does not exist: the call fails in seconds with the reason, instead of
/// waiting for ever on postgres-nio's pool (vapor/postgres-nio#489).
final class PostgresConnectTests: XCTestCase {
    func testAMissingDatabaseAndAClosedPortFailFastWithTheReason() async throws {
        var missing = try TestServer.location()
        missing.database = "no_such_database"
        var closed = try TestServer.location()
        closed.port = 1
        for (location, reason) in [(missing, "database \"no_such_database\" does not exist"), (closed, "cannot connect")] {
            let started = ContinuousClock.now
            do {
                try await withPostgres(location, password: nil) { client in try await client.run("SELECT 1") }
                XCTFail("\(location): connected")
            } catch {
                XCTAssertTrue("\(error)".contains(reason), "\(error)")
                XCTAssertTrue("\(error)".contains(location.description), "\(error)")
            }
            XCTAssertLessThan(ContinuousClock.now - started, .seconds(15))
        }
    }
}
