import Foundation
import GRDB
import MeritEngine
import MeritSQL
import XCTest

@testable import MeritStore

/// Issue 17 "Pay safety": the store refuses INSERT OR REPLACE over what its triggers guard, the audit log is a hash
/// chain, finalized reviews carry a seal of their results, and a free-text reason has a limit
/// (docs/workspace.md "Tamper evidence").
final class TamperEvidenceTests: XCTestCase {
    var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-tamper-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    func newStore() throws -> Store { try Store(path: root.appendingPathComponent("s.sqlite").path, create: true) }

    /// The file as an attacker sees it: plain GRDB, SQLite's defaults (recursive_triggers off), none of Store's setup.
    func raw(_ store: Store, _ body: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        try queue.write(body)
    }

    /// A draft review of 2026-Q3 with one result, one rubric, one dataset read and one adjustment, then finalized
    /// the way `Reviews.finalize` does (sealed in the same UPDATE). Returns the review id.
    @discardableResult
    func finalizedReview(_ store: Store) throws -> Int64 {
        try store.write { db in
            let id = try db.insertReturningID(
                sql: """
                    INSERT INTO reviews (period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                    VALUES ('2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')
                    """, arguments: [])
            try db.execute(sql: "INSERT INTO dataset_versions (id, dataset, records, digest) VALUES (1, 'employees', 1, 'd1')")
            try db.execute(
                sql: "INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (?, 'employees', 1, 1)", arguments: [id])
            try db.execute(
                sql:
                    "INSERT INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, document) VALUES (?, 0, 'cs', 1, 'r', 'cs.yaml', '{}')",
                arguments: [id])
            try db.execute(
                sql: """
                    INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, total_tenths, band, multiplier, bonus, currency, metrics)
                    VALUES (?, 'E1', 'cs', 'Ann', 1, 815, 'B', '1.2', '1200.00', 'USD', '[]')
                    """, arguments: [id])
            try db.execute(sql: "INSERT INTO adjustments VALUES (?, 'E1', 'A', 'Covered two territories', 'now', 'me', NULL)", arguments: [id])
            let seal = try ResultsDigest.sha256(db, reviewID: id)
            try db.execute(sql: "UPDATE reviews SET status = 'final', results_sha256 = ? WHERE id = ?", arguments: [seal, id])
            try AuditLog.append(db, action: "finalize", period: "2026-Q3", version: 1, oldValue: "draft", newValue: "final, results sha256 \(seal)")
            return id
        }
    }

    func breaks(_ store: Store) throws -> [String] { try TamperCheck.check(store: store).breaks }

    // MARK: INSERT OR REPLACE

    /// REPLACE deleted the colliding entry without firing the DELETE trigger: an audit entry was rewritten in place.
    func testInsertOrReplaceCannotRewriteAnAuditEntry() throws {
        let store = try newStore()
        try store.write { db in try AuditLog.append(db, action: "adjust", reason: "Covered two territories") }
        for attack in [
            "INSERT OR REPLACE INTO audit_log (id, at, by, action, reason) VALUES (1, 'now', 'me', 'adjust', 'rewritten')",
            "REPLACE INTO audit_log (id, at, by, action, reason) VALUES (1, 'now', 'me', 'adjust', 'rewritten')",
        ] {
            XCTAssertThrowsError(try raw(store) { db in try db.execute(sql: attack) }, attack) {
                XCTAssertTrue("\($0)".contains("append-only"), "\($0)")
            }
        }
        XCTAssertEqual(try AuditLog.entries(store).map(\.reason), ["Covered two territories"])
    }

    /// REPLACE turned a finalized review back into a draft (after which `merit adjust` succeeded), by its id or by
    /// its period and version; and the tables of a finalized review without an INSERT guard could be replaced into.
    func testInsertOrReplaceCannotReopenOrRewriteAFinalizedReview() throws {
        let store = try newStore()
        let id = try finalizedReview(store)
        let columns = "period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by"
        let attacks = [
            "INSERT OR REPLACE INTO reviews (id, \(columns)) VALUES (\(id), '2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')",
            "INSERT OR REPLACE INTO reviews (id, \(columns)) VALUES (99, '2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')",
            "INSERT OR REPLACE INTO review_results (review_id, employee_id, rubric_id, name, rated, currency, metrics, bonus) VALUES (\(id), 'E1', 'cs', 'Ann', 1, 'USD', '[]', '9999.00')",
            "INSERT OR REPLACE INTO adjustments VALUES (\(id), 'E1', 'E', 'other', 'now', 'me', NULL)",
            "INSERT OR REPLACE INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, document) VALUES (\(id), 0, 'cs', 2, 'other', 'cs.yaml', '{}')",
            "INSERT OR REPLACE INTO review_datasets (review_id, dataset, version_id, records) VALUES (\(id), 'employees', 1, 0)",
            "UPDATE review_rubrics SET document = 'other'",
            "DELETE FROM review_rubrics",
            "UPDATE review_datasets SET records = 0",
        ]
        for attack in attacks {
            XCTAssertThrowsError(try raw(store) { db in try db.execute(sql: attack) }, attack) {
                XCTAssertTrue("\($0)".contains("a finalized review cannot change"), "\(attack): \($0)")
            }
        }
        XCTAssertEqual(try store.read { db in try String.fetchAll(db, sql: "SELECT status FROM reviews") }, ["final"])
        XCTAssertEqual(try breaks(store), [])
    }

    /// A draft's rows cannot be moved into a finalized review (`UPDATE … SET review_id`): the UPDATE triggers looked
    /// only at the review a row left, until v7-final-rows-stay (found by the PostgreSQL port).
    func testADraftsRowsCannotBeMovedIntoAFinalizedReview() throws {
        let store = try newStore()
        let id = try finalizedReview(store)
        let columns = "period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by"
        try raw(store) { db in
            try db.execute(sql: "INSERT INTO reviews (id, \(columns)) VALUES (77, '2026-Q4', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')")
            try db.execute(
                sql: """
                    INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, currency, metrics, bonus)
                    VALUES (77, 'E9', 'cs', 'Nine', 1, 'USD', '[]', '9999.00');
                    INSERT INTO adjustments VALUES (77, 'E9', 'A', 'r', 'now', 'me', NULL);
                    INSERT INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, document)
                    VALUES (77, 5, 'xx', 1, 'y', 'xx.yaml', '{}');
                    INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (77, 'marks', 1, 0);
                    """)
        }
        for table in ["review_results", "adjustments", "review_rubrics", "review_datasets"] {
            let attack = "UPDATE \(table) SET review_id = \(id) WHERE review_id = 77"
            XCTAssertThrowsError(try raw(store) { db in try db.execute(sql: attack) }, attack) {
                XCTAssertTrue("\($0)".contains("a finalized review cannot change"), "\(attack): \($0)")
            }
        }
        XCTAssertEqual(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM review_results WHERE review_id = 77") }, 1)
        XCTAssertEqual(try breaks(store), [])
    }

    /// The second layer: with the BEFORE INSERT triggers gone, a connection Store opens still refuses REPLACE,
    /// because recursive_triggers makes its implicit delete fire the DELETE triggers.
    func testRecursiveTriggersRefuseReplaceWithoutTheInsertTriggers() throws {
        let store = try newStore()
        let id = try finalizedReview(store)
        try raw(store) { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_replace; DROP TRIGGER final_review_not_replaced")
        }
        XCTAssertThrowsError(
            try store.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO audit_log (id, at, by, action) VALUES (1, 'now', 'me', 'rewritten')")
            }
        ) { XCTAssertTrue("\($0)".contains("append-only"), "\($0)") }
        XCTAssertThrowsError(
            try store.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO reviews (id, period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                        VALUES (\(id), '2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')
                        """)
            }
        ) { XCTAssertTrue("\($0)".contains("a finalized review cannot change"), "\($0)") }
    }

    /// A revoked token stays revoked: neither un-stamped nor replaced by a fresh row of the same id.
    func testARevokedTokenCannotBeRevived() throws {
        let store = try newStore()
        let granted = try AccessTokens.grant(store: store, employeeID: "E1")
        _ = try AccessTokens.revoke(store: store, employeeID: "E1", id: nil)
        XCTAssertThrowsError(try raw(store) { db in try db.execute(sql: "UPDATE access_tokens SET revoked_at = NULL") })
        XCTAssertThrowsError(
            try raw(store) { db in
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO access_tokens (id, employee_id, secret_sha256, created_at, created_by) SELECT id, employee_id, secret_sha256, created_at, created_by FROM access_tokens"
                )
            })
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token))
    }

    // MARK: the hash chain

    func testAnIntactChainHasNoBreaksAndNamesItsHead() throws {
        let store = try newStore()
        for i in 1...3 { try store.write { db in try AuditLog.append(db, action: "test", reason: "entry \(i)") } }
        let report = try TamperCheck.check(store: store)
        XCTAssertEqual(report.breaks, [])
        XCTAssertEqual(report.entries, 3)
        let stored = try store.read { db in try StoreRow.fetchAll(db, sql: "SELECT prev_sha256, sha256 FROM audit_log ORDER BY id") }
        XCTAssertNil(stored[0]["prev_sha256"] as String?)
        XCTAssertEqual(stored[1]["prev_sha256"] as String?, stored[0]["sha256"] as String?)
        XCTAssertEqual(stored[2]["prev_sha256"] as String?, stored[1]["sha256"] as String?)
        XCTAssertEqual(report.head, stored[2]["sha256"] as String?)
    }

    /// Each edit made with the triggers dropped is a break, named where it starts.
    func testEditsBehindTheTriggersBreakTheChainWhereTheyStart() throws {
        func chain() throws -> Store {
            let store = try Store(path: root.appendingPathComponent("\(UUID().uuidString).sqlite").path, create: true)
            for i in 1...4 {
                try store.write { db in try AuditLog.append(db, action: "adjust", oldValue: "bonus 900.00 USD", reason: "reason \(i)") }
            }
            return store
        }
        let unguarded = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"

        var store = try chain()
        try raw(store) { db in try db.execute(sql: unguarded + "UPDATE audit_log SET reason = 'Was on parental leave' WHERE id = 2") }
        var found = try breaks(store)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(
            (found.first ?? "").hasPrefix("entry 2 (") && (found.first ?? "").contains("adjust")
                && (found.first ?? "").contains("no longer matches its hash"), "\(found)")

        store = try chain()
        try raw(store) { db in try db.execute(sql: unguarded + "UPDATE audit_log SET old_value = 'bonus 9000.00 USD' WHERE id = 3") }
        found = try breaks(store)
        XCTAssertTrue(found.first?.hasPrefix("entry 3 (") ?? false, "\(found)")

        // Rewritten with a hash made to match: the next entry's previous hash gives it away.
        store = try chain()
        try raw(store) { db in
            try db.execute(sql: unguarded + "UPDATE audit_log SET reason = 'other' WHERE id = 2")
            let row = try SQLiteTransaction(db).fetchOne(sql: "SELECT * FROM audit_log WHERE id = 2")!
            try db.execute(sql: "UPDATE audit_log SET sha256 = ? WHERE id = 2", arguments: [AuditLog.hash(row, prev: row["prev_sha256"])])
        }
        found = try breaks(store)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue((found.first ?? "").hasPrefix("entry 3 (") && (found.first ?? "").contains("not the hash of entry 2"), "\(found)")

        store = try chain()
        try raw(store) { db in try db.execute(sql: unguarded + "DELETE FROM audit_log WHERE id = 2") }
        found = try breaks(store)
        XCTAssertEqual(found, [found.first].compactMap { $0 })
        XCTAssertTrue(found.first?.hasPrefix("entry 2 is missing: the log jumps from entry 1 (") ?? false, "\(found)")

        store = try chain()
        try raw(store) { db in try db.execute(sql: unguarded + "DELETE FROM audit_log WHERE id = 4") }
        found = try breaks(store)
        XCTAssertTrue(found.first?.hasPrefix("entry 4 is missing from the end of the log (after entry 3 (") ?? false, "\(found)")
    }

    /// A finalized review's results, rubrics and adjustments are sealed; a change behind the triggers is named.
    func testAFinalizedReviewsSealCatchesAChangedResult() throws {
        for edit in [
            "DROP TRIGGER final_results_frozen; UPDATE review_results SET bonus = '9999.00'",
            "DROP TRIGGER final_adjustments_changed; UPDATE adjustments SET reason = 'other'",
            "DROP TRIGGER final_rubrics_frozen; UPDATE review_rubrics SET document = '{\"x\":1}'",
            "DROP TRIGGER final_review_datasets_frozen; UPDATE review_datasets SET records = 2",
        ] {
            let store = try Store(path: root.appendingPathComponent("\(UUID().uuidString).sqlite").path, create: true)
            try finalizedReview(store)
            XCTAssertEqual(try breaks(store), [])
            try raw(store) { db in try db.execute(sql: edit) }
            let found = try breaks(store)
            XCTAssertEqual(found.count, 1, "\(edit): \(found)")
            XCTAssertTrue(
                found.first?.hasPrefix("review of 2026-Q3 version 1 (final): its results, rubrics or adjustments no longer match") ?? false,
                "\(edit): \(found)")
        }
        // The seal rewritten to match: the finalize entry still names the one taken when it was finalized.
        let store = try newStore()
        let id = try finalizedReview(store)
        try raw(store) { db in
            try db.execute(sql: "DROP TRIGGER final_results_frozen; DROP TRIGGER final_review_frozen; UPDATE review_results SET bonus = '9999.00'")
            try db.execute(sql: "UPDATE reviews SET results_sha256 = ?", arguments: [try ResultsDigest.sha256(SQLiteTransaction(db), reviewID: id)])
        }
        let found = try breaks(store)
        XCTAssertTrue(found.first?.contains("is not the one audit entry 1 recorded") ?? false, "\(found)")
        // Turned back into a draft.
        try raw(store) { db in try db.execute(sql: "UPDATE reviews SET status = 'draft'") }
        XCTAssertTrue(try breaks(store).contains { $0.contains("finalized by audit entry 1, but it is a draft now") })
    }

    /// The encoding is unambiguous: moving text from one field into the next changes the hash.
    func testTheCanonicalEncodingTellsFieldsApart() {
        func hash(_ values: [String?]) -> String {
            var h = CanonicalHash("test")
            h.values(values.map(\.storeValue))
            return h.finalize()
        }
        XCTAssertNotEqual(hash(["ab", "c"]), hash(["a", "bc"]))
        XCTAssertNotEqual(hash([nil, "x"]), hash(["", "x"]))
        XCTAssertNotEqual(hash(["n"]), hash([nil]))
        XCTAssertEqual(hash(["a", nil]), hash(["a", nil]))
    }

    /// A store of the schema before the chain: its entries are chained and its finalized reviews sealed once, when
    /// it is opened, and an entry says so.
    func testAnOlderStoreIsChainedAndSealedWhenOpened() throws {
        let path = root.appendingPathComponent("v3.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v3-stored-datasets")
        try queue.write { db in
            for i in 1...2 {
                try db.execute(sql: "INSERT INTO audit_log (at, by, action, reason) VALUES ('then', 'me', 'test', ?)", arguments: ["before \(i)"])
            }
            try db.execute(
                sql: """
                    INSERT INTO reviews (period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                    VALUES ('2026-Q3', 1, 'final', 'x', 0, 'then', 'me', 'then', 'me')
                    """)
        }
        try queue.close()
        let store = try Store(path: path)
        let entries = try AuditLog.entries(store)
        XCTAssertEqual(entries.map(\.reason), ["before 1", "before 2", nil])
        XCTAssertEqual(entries.last?.action, "tamper-evidence")
        XCTAssertTrue(entries.last?.newValue?.contains("2 earlier entries chained") ?? false, entries.last?.newValue ?? "")
        let report = try TamperCheck.check(store: store)
        XCTAssertEqual(report.breaks, [])
        XCTAssertEqual(report.entries, 3)
        XCTAssertEqual(report.sealedReviews, 1)
    }

    /// `merit verify` fills in the full results a store of an earlier Merit lacked, on a finalized review sealed as
    /// it stood at the upgrade: the columns filled in are covered by a new seal, which the `verify` entry names, so
    /// the review stays intact for `merit audit --verify`.
    func testFillingInAnEarlierMeritsResultsSealsThemAgain() async throws {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let rubric = try String(contentsOf: package.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        let ws = try Workspace.create(
            root: root.appendingPathComponent("ws").path, rubrics: [("seed-example.yaml", rubric)], currency: .usd, timeZone: "UTC")
        try "currency: USD\ntime_zone: UTC\nrubrics:\n  - file: rubrics/seed-example.yaml\n".write(
            toFile: ws.configPath, atomically: true, encoding: .utf8)
        let config = try ws.config()
        let store = try ws.openStore()
        for d in ["employees", "surveys", "accounts", "sales", "feedback"] {
            _ = try Importer.run(
                store: store, config: config, dataset: Dataset(rawValue: d)!,
                path: package.appendingPathComponent("examples/seed-example/\(d).csv").path, options: .init())
        }
        let q3 = Period("2026-Q3")!
        _ = try await Reviews.review(store: store, workspace: ws, config: config, period: q3)
        let version = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3)
        XCTAssertEqual(try TamperCheck.check(store: store).breaks, [])
        // As a store of Merit 1.0 looks once upgraded: no full results, sealed as it stood (Schema v5-tamper-evident).
        try store.write { db in
            try Schema.withoutTriggers(db, ["final_results_frozen", "final_rubrics_frozen", "final_review_frozen"]) {
                try db.execute(sql: "UPDATE review_results SET detail = NULL, adjusted_detail = NULL")
                try db.execute(sql: "UPDATE review_rubrics SET evaluation = NULL, adjusted_evaluation = NULL")
                try db.execute(
                    sql: "UPDATE reviews SET results_sha256 = ? WHERE id = ?",
                    arguments: [try ResultsDigest.sha256(db, reviewID: version.id), version.id])
            }
            try AuditLog.append(
                db, action: "verify", period: "2026-Q3", version: 1,
                newValue: "upgraded; \(TamperCheck.sealWords)\(try ResultsDigest.sha256(db, reviewID: version.id))")
        }
        XCTAssertEqual(try TamperCheck.check(store: store).breaks, [])
        let check = try await Reviews.verify(store: store, period: q3)
        XCTAssertGreaterThan(check.filledIn, 0)
        XCTAssertEqual(try TamperCheck.check(store: store).breaks, [])
        let (seal, detail) = try store.read { db in
            (
                try String.fetchOne(db, sql: "SELECT results_sha256 FROM reviews WHERE id = ?", arguments: [version.id]),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM review_results WHERE detail IS NULL")
            )
        }
        XCTAssertEqual(detail, 0)
        XCTAssertEqual(try AuditLog.entries(store).last?.newValue?.hasSuffix("\(TamperCheck.sealWords)\(seal ?? "-")"), true)
    }

    // MARK: free text

    /// A reason too long for a workbook cell was stored, and every export of the finalized review failed after.
    func testATooLongReasonIsAUsageErrorBeforeAnythingIsRead() async throws {
        let store = try newStore()
        let long = String(repeating: "x", count: 40_000)
        XCTAssertEqual(FreeText.problem(String(repeating: "é", count: FreeText.limit), option: "--reason"), nil)
        XCTAssertEqual(
            FreeText.problem(long, option: "--reason"),
            "--reason is 40,000 characters long; at most 2,000 are kept (a workbook cell holds 32,767): shorten it")
        do {
            _ = try await Reviews.adjust(store: store, period: Period("2026-Q3")!, employeeID: "E1", band: "A", reason: long)
            XCTFail("accepted")
        } catch let e as StoreError {
            XCTAssertEqual(e.exitCode, 64, e.description)
            XCTAssertTrue(e.description.contains("40,000"), e.description)
        }
        XCTAssertThrowsError(try Reviews.amend(store: store, period: Period("2026-Q3")!, reason: long)) {
            XCTAssertEqual(($0 as? StoreError)?.exitCode, 64, "\($0)")
        }
        XCTAssertEqual(try AuditLog.entries(store), [])
    }
}
