import Foundation
import MeritEngine
import MeritSQL
import XCTest

@testable import MeritStore

/// Records an accepted dispute excludes (docs/disputes.md "Exclusions"), on both databases: the next review reads the
/// data as if the record had been deleted from the imported file — the same results as a workspace that never
/// imported it — says so on its Data Quality sheet, keeps the exclusions it applied so that it verifies, and a
/// finalized review that counted the record stays as it was.
final class RecordExclusionTests: XCTestCase {
    var root: URL!
    let q3 = Period("2026-Q3")!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-exclusions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// The seed company's surveys, each with a `response_id` (R1, R2, …), without the lines `dropping` names.
    func surveys(dropping: Set<String> = []) throws -> URL {
        let lines = try String(contentsOf: SeedWorkspace.example(.surveys), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out = [lines[0] + ",response_id"]
        for (i, line) in lines.dropFirst().enumerated() where !dropping.contains("R\(i + 1)") { out.append(line + ",R\(i + 1)") }
        let url = root.appendingPathComponent("surveys-\(UUID().uuidString).csv")
        try (out.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// The seed company and a second person, evaluated too (unrated: no data of their own), with `surveys`.
    func seeded(_ kind: Backends.Kind, name: String, surveys: URL) throws -> SeedWorkspace {
        let roster = root.appendingPathComponent("employees-\(UUID().uuidString).csv")
        try (try String(contentsOf: SeedWorkspace.example(.employees), encoding: .utf8) + "E002,Ana Sousa,North,agent,2000.00,USD\n")
            .write(to: roster, atomically: true, encoding: .utf8)
        return try SeedWorkspace.make(
            kind, in: root.appendingPathComponent(name),
            files: [(.employees, roster), (.surveys, surveys)] + [Dataset.accounts, .sales, .feedback].map { ($0, SeedWorkspace.example($0)) })
    }

    /// An accepted dispute of 2026-Q3 by `employee` excluding survey `key`, written as the dispute commands write it.
    func exclude(_ store: Store, key: String, employee: String, period: String = "2026-Q3") throws -> Int64 {
        try store.write { db in
            let id = try db.insertReturningID(
                sql: """
                    INSERT INTO disputes (period, review_version, employee_id, records, message, state, opened_at, opened_by, resolved_at, resolved_by, comment)
                    VALUES (?, 1, ?, ?, 'not my customer', 'accepted', '2026-10-02T09:00:00Z', 'u1', '2026-10-03T09:00:00Z', 'hr', 'agreed')
                    """, arguments: [period, employee, "surveys:\(key)"])
            try db.execute(
                sql: """
                    INSERT INTO exclusions (dataset, record_key, employee_id, dispute_id, created_at, created_by)
                    VALUES ('surveys', ?, ?, ?, '2026-10-03T09:00:00Z', 'hr')
                    """, arguments: [key, employee, id])
            return id
        }
    }

    /// Each employee's stored outcome: total, bands and bonus.
    func outcomes(_ store: Store) throws -> [String] {
        try Reviews.results(store: store, period: q3).1.map {
            "\($0.employeeID) \($0.totalTenths.map(String.init) ?? "-") \($0.band ?? "-") \($0.effectiveBonus ?? "-")"
        }
    }

    func testAReviewAfterAnExclusionIsTheReviewOfTheDataWithoutTheRecord() async throws {
        for kind in Backends.available {
            let full = try seeded(kind, name: "\(kind)-full", surveys: try surveys())
            defer { full.cleanUp() }
            let without = try seeded(kind, name: "\(kind)-without", surveys: try surveys(dropping: ["R1"]))
            defer { without.cleanUp() }
            _ = try await Reviews.review(store: full.store, workspace: full.workspace, config: full.config, period: q3)
            _ = try await Reviews.review(store: without.store, workspace: without.workspace, config: without.config, period: q3)
            let before = try outcomes(full.store)
            XCTAssertNotEqual(before, try outcomes(without.store), "\(kind): the survey must count, or the test proves nothing")

            let dispute = try exclude(full.store, key: "R1", employee: "E001")
            let rerun = try await Reviews.review(store: full.store, workspace: full.workspace, config: full.config, period: q3)
            XCTAssertFalse(rerun.unchanged, "\(kind): an exclusion is a change")
            XCTAssertEqual(rerun.diff.filter { $0.contains("excluded by dispute \(dispute)") }.count, 1, "\(kind): \(rerun.diff)")
            XCTAssertEqual(try outcomes(full.store), try outcomes(without.store), kind.rawValue)

            let shown = try await Reviews.show(store: full.store, period: q3)
            let warnings = shown.rubrics.flatMap(\.evaluation.warnings).map(\.message)
            XCTAssertTrue(
                warnings.contains(
                    "response_id R1 of E001 left out of this review: excluded by accepted dispute \(dispute) of 2026-Q3 (merit dispute show \(dispute))"
                ),
                "\(kind): \(warnings)")
            let check = try await Reviews.verify(store: full.store, period: q3)
            XCTAssertEqual(check.differenceCount, 0, "\(kind): \(check.differences)")
            let again = try await Reviews.review(store: full.store, workspace: full.workspace, config: full.config, period: q3)
            XCTAssertTrue(again.unchanged, "\(kind): nothing changed since")
        }
    }

    func testARecordIsLeftOutOnlyWhileItCountsForTheSameEmployee() async throws {
        for kind in Backends.available {
            let ws = try seeded(kind, name: "\(kind)", surveys: try surveys())
            defer { ws.cleanUp() }
            _ = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            let before = try outcomes(ws.store)
            // R1 is E001's (as if a later import had given the key to their record): it still counts for E001.
            let dispute = try exclude(ws.store, key: "R1", employee: "E002")
            let rerun = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            XCTAssertFalse(rerun.unchanged, "\(kind): the exclusion is applied, to no record")
            XCTAssertEqual(try outcomes(ws.store), before, kind.rawValue)
            let warnings = try await Reviews.show(store: ws.store, period: q3).rubrics.flatMap(\.evaluation.warnings).map(\.message)
            XCTAssertFalse(warnings.contains { $0.contains("dispute \(dispute)") }, "\(kind): nobody evaluated lost a record: \(warnings)")
            // The key excluded for another employee is still E001's to dispute and exclude.
            _ = try exclude(ws.store, key: "R1", employee: "E001")
            _ = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            XCTAssertNotEqual(try outcomes(ws.store), before, kind.rawValue)
        }
    }

    func testAFinalizedReviewKeepsTheRecordAndTheAmendmentLeavesItOut() async throws {
        for kind in Backends.available {
            let ws = try seeded(kind, name: "\(kind)", surveys: try surveys())
            defer { ws.cleanUp() }
            let without = try seeded(kind, name: "\(kind)-without", surveys: try surveys(dropping: ["R1"]))
            defer { without.cleanUp() }
            _ = try await Reviews.review(store: without.store, workspace: without.workspace, config: without.config, period: q3)
            _ = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            let final = try await Reviews.finalize(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            let counted = try outcomes(ws.store)
            let dispute = try exclude(ws.store, key: "R1", employee: "E001")

            XCTAssertThrowsError(try Reviews.amend(store: ws.store, period: q3, reason: "", disputes: [dispute + 1]))
            let amendment = try Reviews.amend(store: ws.store, period: q3, reason: "", disputes: [dispute])
            XCTAssertEqual(amendment.amendReason, "answers accepted dispute \(dispute)")
            // Finalizing the copy as it is would pay the record: refused until the amendment is computed again.
            do {
                _ = try await Reviews.finalize(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
                XCTFail("\(kind): finalized an amendment computed before the exclusion")
            } catch let error as StoreError {
                XCTAssertTrue("\(error)".contains("surveys R1 of E001 excluded by dispute \(dispute)"), "\(kind): \(error)")
            }
            _ = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            _ = try await Reviews.finalize(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
            XCTAssertEqual(try outcomes(ws.store), try outcomes(without.store), kind.rawValue)

            let versions = try Reviews.versions(store: ws.store, period: q3)
            XCTAssertEqual(versions.map(\.version), [final.version, amendment.version])
            let old = try ws.store.read { db in
                try StoredResult.all(db, reviewID: versions[0].id).map {
                    "\($0.employeeID) \($0.totalTenths.map(String.init) ?? "-") \($0.band ?? "-") \($0.effectiveBonus ?? "-")"
                }
            }
            XCTAssertEqual(old, counted, "\(kind): the finalized version is unchanged")
            let answered = try ws.store.read { db in
                try Int64.fetchAll(db, sql: "SELECT dispute_id FROM review_disputes WHERE review_id = ?", arguments: [versions[1].id])
            }
            XCTAssertEqual(answered, [dispute])
            let log = try ws.store.read { db in
                try String.fetchAll(db, sql: "SELECT new_value FROM audit_log WHERE action = 'amend' ORDER BY id", arguments: [])
            }
            XCTAssertEqual(log.last, "version \(amendment.version) (draft, amends version \(final.version)), answering dispute \(dispute)")

            // What was applied and answered is frozen with the finalized amendment; exclusions are never changed.
            for sql in [
                "DELETE FROM review_exclusions", "UPDATE review_exclusions SET record_key = 'R2'", "DELETE FROM review_disputes",
                "INSERT INTO review_exclusions (review_id, dataset, record_key, employee_id, dispute_id) VALUES (\(versions[1].id), 'surveys', 'R3', 'E001', \(dispute))",
                "DELETE FROM exclusions", "UPDATE exclusions SET employee_id = 'E002'",
            ] {
                XCTAssertThrowsError(try ws.store.write { db in try db.execute(sql: sql) }, "\(kind): \(sql)") {
                    XCTAssertTrue("\($0)".contains("cannot change") || "\($0)".contains("never"), "\(kind): \($0)")
                }
            }
            XCTAssertEqual(try ws.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM review_exclusions", arguments: []) }, 1)
            XCTAssertEqual(try TamperCheck.check(store: ws.store).breaks, [], kind.rawValue)

            // Whoever drops the triggers to change what the paid version excluded or answered breaks its seal.
            if kind == .sqlite {
                for (trigger, sql) in [
                    ("final_review_exclusions_kept", "DELETE FROM review_exclusions"), ("final_review_disputes_kept", "DELETE FROM review_disputes"),
                ] {
                    try ws.store.write { db in try Schema.withoutTriggers(db, [trigger]) { try db.execute(sql: sql) } }
                    XCTAssertEqual(try TamperCheck.check(store: ws.store).breaks.filter { $0.contains("seal") }.count, 1, sql)
                }
            }
        }
    }

    func testOnlyAnAcceptedDisputeOfThePeriodIsAnswered() async throws {
        let ws = try seeded(.sqlite, name: "sqlite", surveys: try surveys())
        defer { ws.cleanUp() }
        _ = try await Reviews.review(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
        _ = try await Reviews.finalize(store: ws.store, workspace: ws.workspace, config: ws.config, period: q3)
        let other = try exclude(ws.store, key: "R2", employee: "E001", period: "2026-Q2")
        XCTAssertThrowsError(try Reviews.amend(store: ws.store, period: q3, reason: "", disputes: [other])) {
            XCTAssertEqual(
                "\($0)",
                "dispute \(other) is about 2026-Q2, not 2026-Q3: an amendment answers disputes of its own period "
                    + "(merit amend 2026-Q2 --dispute \(other))")
        }
        let open = try ws.store.write { db in
            try db.insertReturningID(
                sql: """
                    INSERT INTO disputes (period, review_version, employee_id, records, message, state, opened_at, opened_by)
                    VALUES ('2026-Q3', 1, 'E001', '', 'why?', 'open', '2026-10-02T09:00:00Z', 'u1')
                    """, arguments: [])
        }
        XCTAssertThrowsError(try Reviews.amend(store: ws.store, period: q3, reason: "", disputes: [open])) {
            XCTAssertTrue("\($0)".contains("dispute \(open) is open: only an accepted dispute changes pay"), "\($0)")
        }
        XCTAssertThrowsError(try Reviews.amend(store: ws.store, period: q3, reason: "", disputes: [])) {
            XCTAssertTrue("\($0)".contains("a reason is required"), "\($0)")
        }
    }
}
