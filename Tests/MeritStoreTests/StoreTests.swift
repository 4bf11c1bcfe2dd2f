import Foundation
import GRDB
import MeritEngine
import MeritInput
import MeritSQL
import XCTest

@testable import MeritStore

/// The store on real SQLite files in temporary directories (docs/reference.md §10, issue 5).
final class StoreTests: XCTestCase {
    var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-store-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func testNewStoreIsWALWithTheSchemaAndOurApplicationID() throws {
        let store = try Store(path: root.appendingPathComponent("s.sqlite").path, create: true)
        XCTAssertEqual(try store.journalMode(), "wal")
        let (id, migrations) = try store.read { db in
            (try Int32.fetchOne(db, sql: "PRAGMA application_id"), try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
        XCTAssertEqual(id, Schema.applicationID)
        XCTAssertEqual(
            migrations,
            [
                "v1", "v2-access-tokens", "v3-stored-datasets", "v4-pay-safety", "v5-tamper-evident", "v6-token-lifecycle", "v7-final-rows-stay",
                "v8-calibration-disputes",
            ])
        // Opening again migrates nothing and keeps everything.
        _ = try Store(path: store.path)
    }

    /// A store of Merit 1.0 kept one row per record and a CSV copy of every dataset per review: opened by this Merit,
    /// its records become the current dataset versions (same records, same order, same lines) and each review's copies
    /// the versions it read (docs/workspace.md "How data is stored").
    func testAStoreOfMerit10IsMigratedToStoredDatasets() throws {
        let path = root.appendingPathComponent("v2.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v2-access-tokens")
        let header = DatasetSchema.of(.employees).columns.joined(separator: ",")
        let lines = ["E2,Bea,,,agent,2020-01-01,,1000,,,,", "E1,\"Ann, Jr\",,,agent,2020-01-01,,1000,,,,"]
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO imports (id, dataset, source, source_sha256, rows_read, rows_loaded, rows_rejected, created_at, created_by)
                    VALUES (7, 'employees', '/hr/roster.csv', '', 2, 2, 0, 'then', 'me')
                    """)
            for (i, line) in lines.enumerated() {
                try db.execute(
                    sql: "INSERT INTO records (dataset, key, seq, cells, import_id, source_line) VALUES ('employees', ?, ?, ?, 7, ?)",
                    arguments: ["k:E\(i)", (7 << 32) + i, line, 4 + 2 * i])
            }
            try db.execute(
                sql: """
                    INSERT INTO reviews (id, period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                    VALUES (1, '2026-Q3', 1, 'draft', 'x', 0, 'then', 'me', 'then', 'me')
                    """)
            try db.execute(sql: "INSERT INTO blobs (sha256, data) VALUES ('b1', ?)", arguments: [Data((header + "\n" + lines[1] + "\n").utf8)])
            try db.execute(sql: "INSERT INTO review_inputs (review_id, dataset, blob, rows) VALUES (1, 'employees', 'b1', 1)")
        }
        try queue.close()

        let store = try Store(path: path)
        let (current, reviewed) = try store.read { db in
            (
                try StoredDatasets.current(db, .employees)!,
                try StoredDatasets.version(db, id: try Int64.fetchOne(db, sql: "SELECT version_id FROM review_datasets WHERE review_id = 1")!)
            )
        }
        XCTAssertEqual(current.records, 2)
        XCTAssertEqual(current.pieces.map(\.importID), [7])
        XCTAssertEqual(current.pieces.flatMap { StoredDatasets.lines($0.sourceLines) }, [4, 6])
        let bytes = try store.read { db in try StoredDatasets.chunkBytes(db, id: current.pieces[0].chunkID) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), lines.joined(separator: "\n") + "\n", "the records, in the order they arrived")
        XCTAssertEqual(reviewed.records, 1)
        XCTAssertNotEqual(reviewed.id, current.id, "the review keeps the data it read; the current data stays current")
        XCTAssertEqual(
            try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name IN ('records', 'review_inputs')") }, 0)
    }

    /// A store written before access tokens existed (issue 5) gains the tokens table when opened, and keeps its data.
    func testAStoreOfTheFirstSchemaIsMigratedToAccessTokens() throws {
        let path = root.appendingPathComponent("old.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v1")
        // As that schema's Merit wrote an entry (no hash chain yet).
        try queue.write { db in try db.execute(sql: "INSERT INTO audit_log (at, by, action, reason) VALUES ('then', 'me', 'test', 'before tokens')") }
        try queue.close()
        let store = try Store(path: path)
        XCTAssertEqual(
            try store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") },
            [
                "v1", "v2-access-tokens", "v3-stored-datasets", "v4-pay-safety", "v5-tamper-evident", "v6-token-lifecycle", "v7-final-rows-stay",
                "v8-calibration-disputes",
            ])
        XCTAssertEqual(try AuditLog.entries(store).map(\.reason), ["before tokens", nil], "and the entry that says it was chained")
        let granted = try AccessTokens.grant(store: store, employeeID: "E1")
        XCTAssertEqual(try AccessTokens.verify(store: store, token: granted.token), "E1")
        XCTAssertNil(try AccessTokens.verify(store: store, token: String(granted.token.dropLast()) + (granted.token.hasSuffix("0") ? "1" : "0")))
        XCTAssertThrowsError(try store.write { db in try db.execute(sql: "DELETE FROM access_tokens") })
        XCTAssertEqual(try AccessTokens.revoke(store: store, employeeID: "E1", id: nil), [granted.id])
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token), "revoked")
    }

    func testAuditLogRefusesUpdatesAndDeletes() throws {
        let store = try Store(path: root.appendingPathComponent("s.sqlite").path, create: true)
        try store.write { db in try AuditLog.append(db, action: "test", reason: "because") }
        XCTAssertThrowsError(try store.write { db in try db.execute(sql: "UPDATE audit_log SET reason = 'other'") }) {
            XCTAssertTrue("\($0)".contains("append-only"), "\($0)")
        }
        XCTAssertThrowsError(try store.write { db in try db.execute(sql: "DELETE FROM audit_log") })
        XCTAssertEqual(try AuditLog.entries(store).map(\.reason), ["because"])
    }

    func testFinalizedReviewRowsCannotChangeEvenBySQL() throws {
        let store = try Store(path: root.appendingPathComponent("s.sqlite").path, create: true)
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO reviews (period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                    VALUES ('2026-Q3', 1, 'final', 'x', 0, 'now', 'me', 'now', 'me')
                    """)
        }
        XCTAssertThrowsError(try store.write { db in try db.execute(sql: "UPDATE reviews SET status = 'draft'") })
        XCTAssertThrowsError(try store.write { db in try db.execute(sql: "DELETE FROM reviews") })
        XCTAssertThrowsError(
            try store.write { db in
                try db.execute(sql: "INSERT INTO adjustments VALUES (1, 'E1', 'A', 'r', 'now', 'me', NULL)")
            })
    }

    func testGarbageFileIsAPlainErrorNotACrash() throws {
        let path = root.appendingPathComponent("s.sqlite").path
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Store(path: path)) { error in
            guard let e = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.exitCode, 65)
            XCTAssertTrue(e.description.contains("not a Merit workspace store"), e.description)
        }
    }

    func testForeignSQLiteDatabaseIsRefusedAndLeftAlone() throws {
        let path = root.appendingPathComponent("s.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Store(path: path)) { error in
            XCTAssertEqual((error as? StoreError)?.exitCode, 65)
            XCTAssertTrue("\(error)".contains("another application"), "\(error)")
        }
        // Byte for byte as it was: not switched to WAL, not grown, no -wal or -shm file beside it.
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        XCTAssertEqual(tables, ["photos"])
    }

    /// A store truncated to nothing is refused and stays empty: it was silently re-created as a new, empty store
    /// (and `merit audit` said "The audit log is empty.").
    func testEmptyStoreFileIsRefusedAndLeftEmpty() throws {
        let path = root.appendingPathComponent("s.sqlite").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        XCTAssertThrowsError(try Store(path: path)) { error in
            XCTAssertEqual((error as? StoreError)?.exitCode, 65)
            XCTAssertTrue("\(error)".contains("empty (0 bytes)"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    /// A store another process is writing to still opens: the read-only look sees the committed application id
    /// while it is only in the write-ahead log, not yet copied into the file (whose header still says 0).
    func testTheLookSeesWhatIsStillInTheWriteAheadLog() throws {
        let path = root.appendingPathComponent("s.sqlite").path
        let holder = try DatabasePool(path: path)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        try Schema.migrator.migrate(holder)
        let header = try XCTUnwrap(FileHandle(forReadingAtPath: path)).readData(ofLength: 72)
        XCTAssertEqual(header.count < 72 ? 0 : header[68..<72].reduce(0) { $0 << 8 | Int($1) }, 0, "the id is not in the file yet")
        XCTAssertNoThrow(try SQLiteDatabase.preflight(path: path))
        XCTAssertNoThrow(try Store(path: path))
        try holder.close()
    }

    func testMissingStoreIsMissingInput() {
        XCTAssertThrowsError(try Store(path: root.appendingPathComponent("none.sqlite").path)) {
            XCTAssertEqual(($0 as? StoreError)?.exitCode, 66)
        }
    }

    func testWorkspaceIsFoundFromASubdirectoryAndByOption() throws {
        let ws = try Workspace.create(root: root.appendingPathComponent("acme").path, rubrics: [], currency: .usd, timeZone: "UTC")
        let deep = root.appendingPathComponent("acme/q3/raw")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        XCTAssertEqual(try Workspace.locate(given: nil, from: deep.path).root, ws.root)
        XCTAssertEqual(try Workspace.locate(given: "acme", from: root.path).root, ws.root)
        XCTAssertThrowsError(try Workspace.locate(given: nil, from: root.path)) { XCTAssertEqual(($0 as? StoreError)?.exitCode, 66) }
        XCTAssertThrowsError(try Workspace.create(root: ws.root, rubrics: [], currency: .usd, timeZone: "UTC"))
    }

    func testConfigRoundTripsAndRejectsTypos() throws {
        let config = WorkspaceConfig(
            currency: Currency("EUR")!, timeZone: "+08:00",
            rubrics: [.init(file: "rubrics/a.yaml", roles: ["agent", "senior agent"]), .init(file: "rubrics/b.yaml")],
            hr: ["hr1", "odd \"quoted\" \\ login\nwith a line break\t"], admins: ["ops:1 # not a comment"])
        let path = root.appendingPathComponent("merit.yaml").path
        try config.yaml().write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try WorkspaceConfig.load(path: path), config)
        XCTAssertEqual(try config.zoneOffsetSeconds(), 8 * 3600)
        XCTAssertEqual(try WorkspaceConfig(timeZone: "Asia/Shanghai").zoneOffsetSeconds(), 8 * 3600)
        XCTAssertEqual(try WorkspaceConfig(timeZone: "America/New_York").zoneOffsetSeconds(), -5 * 3600)
        try "currency: USD\ntimezone: UTC\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WorkspaceConfig.load(path: path)) { XCTAssertTrue("\($0)".contains("unknown key 'timezone'")) }
    }

    /// A workspace may list no rubric yet: `rubrics:` with nothing under it (what merit init writes then), `[]`,
    /// `~` or no key at all; an empty `hr:` or `admins:` is no login.
    func testConfigWithoutRubricsLoads() throws {
        let path = root.appendingPathComponent("merit.yaml").path
        try WorkspaceConfig().yaml().write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try WorkspaceConfig.load(path: path), WorkspaceConfig())
        for text in ["rubrics:\n", "rubrics: []\n", "rubrics: ~\n", "currency: USD\n", "rubrics:\nhr:\nadmins: ~\n"] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertEqual(try WorkspaceConfig.load(path: path), WorkspaceConfig(), text)
        }
        try "rubrics: customer-service\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try WorkspaceConfig.load(path: path)) { XCTAssertTrue("\($0)".contains("rubrics must be a list"), "\($0)") }
    }

    /// `merit verify` compares stored JSON by what it says, not by its bytes: results another Merit wrote with other
    /// spacing or key order verify alike, and any value that differs is a difference.
    func testVerifyComparesStoredJSONByValue() {
        func text(_ s: String) -> StoreValue { .text(s) }
        let metrics = #"[{"id":"nps","n":12,"raw":41.5,"score":70.25,"status":"ok"}]"#
        XCTAssertTrue(Reviews.sameColumn("metrics", text(metrics), text(metrics)))
        XCTAssertTrue(
            Reviews.sameColumn("metrics", text(#"[ { "status" : "ok", "score" : 70.25, "raw" : 41.5, "n" : 12, "id" : "nps" } ]"#), text(metrics)))
        XCTAssertFalse(Reviews.sameColumn("metrics", text(metrics.replacingOccurrences(of: "70.25", with: "70.26")), text(metrics)))
        XCTAssertFalse(Reviews.sameColumn("metrics", text("not json"), text(metrics)))
        XCTAssertFalse(Reviews.sameColumn("total_tenths", StoreValue.integer(653), .integer(654)), "other columns compare exactly")
        XCTAssertTrue(Reviews.sameColumn("adjusted_detail", .null, .null))
        XCTAssertFalse(Reviews.sameColumn("adjusted_detail", .null, .blob(Data("{}".utf8))))
    }

    /// docs/workspace.md "Imports": a record is known by its natural key, or by its content when it has none.
    func testRecordKeysAreNaturalKeysOrContent() throws {
        func keys(_ dataset: Dataset, _ csv: String) throws -> [RecordKey] {
            var out: [RecordKey] = []
            try CanonicalRecords.forEachStored(dataset: dataset, chunk: Array(csv.utf8), keys: true) { record, _, key in
                out.append(RecordKey(record: record, naturalKey: key))
            }
            return out
        }
        // surveys: employee_id,responded_at,score,recommend,dimension,customer_id,response_id
        let surveys = try keys(
            .surveys, "E1,2026-07-01,5,,,,R1\nE2,2026-07-02,3,,,,R1\nE1,2026-07-01,5,,,,\nE1,2026-07-01,5,,,,\nE1,2026-07-01,4,,,,\n")
        XCTAssertEqual(surveys[0], surveys[1], "the same response_id is the same record, whatever else changed")
        XCTAssertEqual(surveys[2], surveys[3], "without an id, identical rows have the same key (counted by DatasetMerge)")
        XCTAssertNotEqual(surveys[2], surveys[4], "without an id, other content is another record")
        XCTAssertNotEqual(surveys[0], surveys[2])
        let columns = DatasetSchema.of(.quotas).columns
        func quota(_ employee: String, _ period: String) -> String {
            columns.map { $0 == "employee_id" ? employee : $0 == "period" ? period : "1000" }.joined(separator: ",") + "\n"
        }
        let quotas = try keys(.quotas, quota("E1", "2026-Q3") + quota("E2", "2026-Q3") + quota("E1", "2026-Q3"))
        XCTAssertNotEqual(quotas[0], quotas[1], "a quota is known by its employee and period together")
        XCTAssertEqual(quotas[0], quotas[2])
    }
}
