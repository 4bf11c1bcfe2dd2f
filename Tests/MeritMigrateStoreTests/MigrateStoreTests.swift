import Foundation
import GRDB
import Logging
import MeritPostgres
import MeritSQL
import MeritStore
import MeritTestSupport
import PostgresNIO
import XCTest

/// `merit migrate-store` (docs/postgresql.md "Moving a workspace between SQLite and PostgreSQL"), run as a user runs
/// it: the real binary on a workspace the real binary built, against real SQLite files and a real PostgreSQL server
/// (MERIT_TEST_DATABASE_URL, set by scripts/with-postgres.sh). The stores are compared table by table, value by value.
final class MigrateStoreTests: XCTestCase {
    /// Every table and its primary key, written out here rather than taken from StoreCopy, so the comparison does not
    /// trust the code it checks.
    static let tables: [(name: String, key: String)] = [
        ("imports", "id"), ("chunks", "id"), ("dataset_versions", "id"), ("version_chunks", "version_id, position"),
        ("current_datasets", "dataset"), ("blobs", "sha256"), ("reviews", "id"), ("review_rubrics", "review_id, rubric_id"),
        ("review_datasets", "review_id, dataset"), ("review_results", "review_id, employee_id"), ("adjustments", "review_id, employee_id"),
        ("disputes", "id"), ("exclusions", "id"), ("review_exclusions", "review_id, dataset, record_key, employee_id"),
        ("review_disputes", "review_id, dispute_id"),
        ("audit_log", "id"), ("access_tokens", "id"),
    ]

    typealias Dump = [String: [[String: StoreValue]]]

    static let env = ScorecardWorkspace.reviewedAt

    /// A workspace with every kind of row: imports, 2026-Q2 finalized, 2026-Q3 finalized then amended (the amendment
    /// adjusted and finalized), an accepted dispute of 2026-Q2 excluding a survey and the finalized amendment that
    /// answers it, a discarded 2026-Q4 draft and a new 2026-Q4 draft, two tokens, one revoked.
    func fullWorkspace() throws -> URL {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        for step in [
            ["amend", "2026-Q3", "--reason", "Surveys of team North were late"],
            ["adjust", "2026-Q3", "E5", "--band", "B", "--reason", "Trained the new hires"],
            ["finalize", "2026-Q3"],
        ] {
            try merit(step, in: ws, environment: Self.env)
        }
        // The dispute and its exclusion as `merit dispute open` and `accept --exclude` write them.
        let store = try MeritStore.Store(path: ws.appendingPathComponent(".merit/\(Workspace.storeFile)").path)
        try store.write { db in
            let id = try db.insertReturningID(
                sql: """
                    INSERT INTO disputes (period, review_version, employee_id, manager_id, records, message, state, opened_at, opened_by, resolved_at, resolved_by, comment)
                    VALUES ('2026-Q2', 1, 'E5', 'E2', 'surveys:S-1', 'Not my customer', 'accepted', '2026-07-02T09:00:00.000Z', 'u5', '2026-07-03T09:00:00.000Z', 'u2', 'Agreed')
                    """, arguments: [])
            try db.execute(
                sql: """
                    INSERT INTO exclusions (dataset, record_key, employee_id, dispute_id, created_at, created_by)
                    VALUES ('surveys', 'S-1', 'E5', ?, '2026-07-03T09:00:00.000Z', 'u2')
                    """, arguments: [id])
        }
        for step in [
            ["amend", "2026-Q2", "--dispute", "1"],
            ["review", "2026-Q2"],
            ["finalize", "2026-Q2"],
            ["discard", "2026-Q4", "--reason", "Run before the sales were in"],
            ["review", "2026-Q4"],
            ["access", "grant", "E1"],
            ["access", "grant", "E2"],
            ["access", "revoke", "E2"],
        ] {
            try merit(step, in: ws, environment: Self.env)
        }
        return ws
    }

    static func dump(_ store: MeritStore.Store) throws -> Dump {
        try store.read { db in
            var out: Dump = [:]
            for (name, key) in tables {
                out[name] = try db.fetchAll(sql: "SELECT * FROM \(name) ORDER BY \(key)").map {
                    Dictionary(uniqueKeysWithValues: zip($0.columns.names, $0.values))
                }
            }
            return out
        }
    }

    static func sqlite(_ path: String) throws -> MeritStore.Store { try MeritStore.Store(path: path, readOnly: true) }

    /// Every table of `copy` holds exactly the rows of `original`; its audit log has `more` entries after them, the
    /// last `migrate-store`.
    func assertSame(_ copy: Dump, _ original: Dump, moreAuditEntries more: Int, file: StaticString = #filePath, line: UInt = #line) {
        for (name, _) in Self.tables where name != "audit_log" {
            XCTAssertEqual(copy[name]?.count, original[name]?.count, "rows of \(name)", file: file, line: line)
            XCTAssertEqual(copy[name], original[name], "table \(name)", file: file, line: line)
        }
        let log = copy["audit_log"] ?? [], was = original["audit_log"] ?? []
        XCTAssertEqual(log.count, was.count + more, file: file, line: line)
        XCTAssertEqual(Array(log.prefix(was.count)), was, "the copied audit log", file: file, line: line)
        XCTAssertEqual(log.last?["action"], .text("migrate-store"), file: file, line: line)
        XCTAssertEqual(log.last?["prev_sha256"], log.dropLast().last?["sha256"], "the chain goes on", file: file, line: line)
    }

    /// Every table the tests compare is one the copy knows, and the other way round.
    func testTheComparisonCoversEveryTableTheCopyKnows() {
        XCTAssertEqual(Self.tables.map(\.name), StoreCopy.tableNames)
    }

    // (a) SQLite → PostgreSQL → SQLite: every row, the chain, the verification and the review's JSON survive.
    func testSQLiteToPostgresToSQLiteKeepsEveryRow() async throws {
        let ws = try fullWorkspace()
        let storePath = ws.appendingPathComponent(".merit/merit.sqlite").path
        let original = try Self.dump(try Self.sqlite(storePath))
        XCTAssertEqual(original["reviews"]?.filter { $0["status"] == .text("final") }.count, 4)
        XCTAssertGreaterThanOrEqual(original["adjustments"]?.count ?? 0, 2)
        XCTAssertEqual(original["access_tokens"]?.filter { !($0["revoked_at"]?.isNull ?? true) }.count, 1)
        let shownBefore = try merit(["show", "2026-Q3", "--format", "json"], in: ws, environment: Self.env).stdout

        try await PostgresTestServer.withFreshDatabase { location in
            let url = location.description
            let toPostgres = try self.merit(["migrate-store", "--to", url], in: ws, environment: Self.env)
            XCTAssertTrue(toPostgres.stdout.contains("Verified: 4 finalized reviews"), toPostgres.stdout)
            XCTAssertTrue(toPostgres.stdout.contains("store: \(url)"), toPostgres.stdout)
            let onPostgres = try Self.dump(try MeritStore.Store(postgres: location, readOnly: true))
            self.assertSame(onPostgres, original, moreAuditEntries: 1)

            // The workspace on PostgreSQL: it verifies, and shows the same review.
            let pg = ["MERIT_DATABASE_URL": url].merging(Self.env) { a, _ in a }
            try self.merit(["verify", "2026-Q3"], in: ws, environment: pg)
            try self.merit(["verify", "2026-Q2"], in: ws, environment: pg)
            try self.merit(["audit", "--verify"], in: ws, environment: pg)
            XCTAssertEqual(try self.merit(["show", "2026-Q3", "--format", "json"], in: ws, environment: pg).stdout, shownBefore)

            // And back, into a new SQLite file.
            let back = MeritProcess.temporaryDirectory().appendingPathComponent("back.sqlite").path
            let toSQLite = try self.merit(["migrate-store", "--to", "sqlite:\(back)"], in: ws, environment: pg)
            XCTAssertTrue(toSQLite.stdout.contains("Verified: 4 finalized reviews"), toSQLite.stdout)
            let backStore = try Self.sqlite(back)
            self.assertSame(try Self.dump(backStore), original, moreAuditEntries: 2)
            let counter = try backStore.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") }
            let last = try backStore.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_log") }
            XCTAssertEqual(counter, last, "the audit counter of the SQLite copy")

            // The SQLite copy in a workspace of its own: it verifies and shows the same review.
            let ws2 = MeritProcess.temporaryDirectory().appendingPathComponent("ws2")
            try FileManager.default.copyItem(at: ws, to: ws2)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ws2.path + "/.merit/merit.sqlite" + suffix) }
            try FileManager.default.copyItem(atPath: back, toPath: ws2.path + "/.merit/merit.sqlite")
            try self.merit(["verify", "2026-Q3"], in: ws2, environment: Self.env)
            try self.merit(["audit", "--verify"], in: ws2, environment: Self.env)
            XCTAssertEqual(try self.merit(["show", "2026-Q3", "--format", "json"], in: ws2, environment: Self.env).stdout, shownBefore)
        }
    }

    // The copy itself, a row at a time: every table, its key one column or two, text or number, is read in pages (each
    // after the last key read) on both databases, and nothing is lost or repeated between them.
    func testCopyOneRowAtATimeBothWays() async throws {
        let ws = try fullWorkspace()
        let source = try Self.sqlite(ws.appendingPathComponent(".merit/merit.sqlite").path)
        let original = try Self.dump(source)
        for (name, _) in Self.tables {
            XCTAssertGreaterThan(original[name]?.count ?? 0, 0, "\(name) must have a row, so its next page is asked for")
        }
        try await PostgresTestServer.withFreshDatabase { location in
            let pg = try MeritStore.Store(postgres: location, create: true)
            let there = try StoreCopy.copy(from: source, to: pg, pageRows: 1)
            XCTAssertEqual(there.total, original.values.reduce(0) { $0 + $1.count })
            let checked = try await StoreCopy.verify(target: pg, copied: there)
            XCTAssertEqual(checked.problems, [])
            XCTAssertEqual(checked.reviews, 4)
            self.assertSame(try Self.dump(pg), original, moreAuditEntries: 1)

            let back = MeritProcess.temporaryDirectory().appendingPathComponent("back.sqlite").path
            let sqlite = try MeritStore.Store(path: back, create: true)
            let again = try StoreCopy.copy(from: pg, to: sqlite, pageRows: 1)
            let checkedBack = try await StoreCopy.verify(target: sqlite, copied: again)
            XCTAssertEqual(checkedBack.problems, [])
            self.assertSame(try Self.dump(sqlite), original, moreAuditEntries: 2)
        }
    }

    // (b) A target that already holds a store is refused, and left as it was.
    func testNonEmptyPostgresTargetIsRefusedAndLeftUnchanged() async throws {
        let ws = try ScorecardWorkspace.make()
        try await PostgresTestServer.withFreshDatabase { location in
            try self.merit(["migrate-store", "--to", location.description], in: ws, environment: Self.env)
            let before = try Self.dump(try MeritStore.Store(postgres: location, readOnly: true))
            let again = try self.merit(["migrate-store", "--to", location.description], in: ws, environment: Self.env, status: 65)
            XCTAssertTrue(again.stderr.contains("table imports already has rows"), again.stderr)
            XCTAssertEqual(try Self.dump(try MeritStore.Store(postgres: location, readOnly: true)), before)
        }
    }

    // (c) An SQLite target that exists is refused, and left as it was.
    func testExistingSQLiteTargetIsRefused() throws {
        let ws = try ScorecardWorkspace.make()
        let target = MeritProcess.temporaryDirectory(["taken.sqlite": "not yours"]).appendingPathComponent("taken.sqlite")
        let r = try merit(["migrate-store", "--to", "sqlite:\(target.path)"], in: ws, status: 65)
        XCTAssertTrue(r.stderr.contains("already exists"), r.stderr)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "not yours")
        try merit(["migrate-store", "--to", "mysql://x@y/z"], in: ws, status: 64)
    }

    // A table the copy does not know (a future migration's) stops it, named, rather than being left behind.
    func testUnknownTableIsRefused() throws {
        let ws = try ScorecardWorkspace.make()
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE review_comments (id INTEGER PRIMARY KEY, text TEXT)") }
        try queue.close()
        let target = MeritProcess.temporaryDirectory().appendingPathComponent("copy.sqlite")
        let r = try merit(["migrate-store", "--to", "sqlite:\(target.path)"], in: ws, status: 65)
        XCTAssertTrue(r.stderr.contains("review_comments"), r.stderr)
    }

    // (d) A source changed outside Merit is copied as it is, and the copy does not verify.
    func testTamperedSourceFailsVerification() throws {
        let ws = try ScorecardWorkspace.make()
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER final_results_frozen")
            try db.execute(
                sql:
                    "UPDATE review_results SET bonus = '99999.00', adjusted_bonus = '99999.00' WHERE employee_id = 'E5' AND review_id = (SELECT id FROM reviews WHERE period = '2026-Q2' AND status = 'final')"
            )
            XCTAssertEqual(db.changesCount, 1)
        }
        try queue.close()
        let target = MeritProcess.temporaryDirectory().appendingPathComponent("copy.sqlite")
        let r = try merit(["migrate-store", "--to", "sqlite:\(target.path)"], in: ws, status: 65)
        XCTAssertTrue(r.stderr.contains("do not use \(target.path)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("E5: bonus"), r.stderr)
        XCTAssertTrue(r.stderr.contains("no longer match the sha256 sealed"), r.stderr)
        XCTAssertFalse(r.stdout.contains("Verified"), r.stdout)
    }

    // (e) On the copy, new work gets new ids: an import, an adjustment, a review of a new period, a finalization.
    func testNewWorkOnPostgresAfterTheCopy() async throws {
        let ws = try ScorecardWorkspace.make()
        try await PostgresTestServer.withFreshDatabase { location in
            try self.merit(["migrate-store", "--to", location.description], in: ws, environment: Self.env)
            let config = ws.appendingPathComponent("merit.yaml")
            try (String(contentsOf: config, encoding: .utf8) + "store: \(location.description)\n").write(
                to: config, atomically: true, encoding: .utf8)
            let before = try Self.dump(try MeritStore.Store(postgres: location, readOnly: true))

            let sales = ws.deletingLastPathComponent().appendingPathComponent("data/sales.csv")
            try (String(contentsOf: sales, encoding: .utf8) + "E1,2026-11-20,500.00\n").write(to: sales, atomically: true, encoding: .utf8)
            try self.merit(["import", "sales", sales.path], in: ws, environment: Self.env)
            try self.merit(["review", "2026-Q4", "--force"], in: ws, environment: Self.env)
            try self.merit(["adjust", "2026-Q4", "E3", "--band", "B", "--reason", "Led the migration"], in: ws, environment: Self.env)
            try self.merit(["finalize", "2026-Q4"], in: ws, environment: Self.env)
            try self.merit(["review", "2026-H2"], in: ws, environment: Self.env)
            try self.merit(["audit", "--verify"], in: ws, environment: Self.env)
            try self.merit(["verify", "2026-Q4"], in: ws, environment: Self.env)

            let after = try Self.dump(try MeritStore.Store(postgres: location, readOnly: true))
            for table in ["imports", "dataset_versions", "reviews", "audit_log"] {
                let old = (before[table] ?? []).compactMap { $0["id"].flatMap(Int64.fromStoreValue) }.max() ?? 0
                let new = (after[table] ?? []).compactMap { $0["id"].flatMap(Int64.fromStoreValue) }.filter { $0 > old }
                XCTAssertFalse(new.isEmpty, "\(table): new rows after id \(old)")
            }
        }
    }
}

/// The test server (MERIT_TEST_DATABASE_URL, set by scripts/with-postgres.sh), as Tests/MeritPostgresTests/TestServer.swift
/// has it: each test gets a new database of its own, dropped afterwards.
enum PostgresTestServer {
    static let logger = Logger(label: "merit.migrate-store.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    static func location() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["MERIT_TEST_DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip("MERIT_TEST_DATABASE_URL is not set: run scripts/with-postgres.sh swift test --filter MigrateStoreTests")
        }
        return try PostgresLocation.parse(url)
    }

    static func withFreshDatabase(_ body: (PostgresLocation) async throws -> Void) async throws {
        let server = try location()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withPostgres(server, password: nil) { client in
            try await client.query("CREATE DATABASE \(unescaped: name)", logger: logger)
        }
        var fresh = server
        fresh.database = name
        do {
            try await body(fresh)
        } catch {
            try? await drop(name, on: server)
            throw error
        }
        try await drop(name, on: server)
    }

    private static func drop(_ name: String, on server: PostgresLocation) async throws {
        try await withPostgres(server, password: nil) { client in
            try await client.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
        }
    }
}
