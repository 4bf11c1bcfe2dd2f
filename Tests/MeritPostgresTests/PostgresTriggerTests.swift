import MeritPostgres
import PostgresNIO
import XCTest

/// The guarantees the SQLite store's triggers give (Sources/MeritStore/SQLite/Schema.swift; docs/reference.md §10,
/// docs/workspace.md "Tamper evidence"), on PostgreSQL: the audit log is append-only, a finalized review's rows never
/// change, tokens are revoked and never deleted, an expiry is never extended. These mirror the cases of MeritStoreTests'
/// StoreTests and TamperEvidenceTests (INSERT OR REPLACE becomes ON CONFLICT, and TRUNCATE is added), and check that a
/// draft stays changeable: the triggers refuse exactly where SQLite's do.
final class PostgresTriggerTests: XCTestCase {
    static let appendOnly = "the audit log is append-only"
    static let final = "a finalized review cannot change"

    func testTheAuditLogRefusesUpdateDeleteTruncateAndReplace() async throws {
        try await TestServer.withMigratedDatabase { client in
            try await client.run("INSERT INTO audit_log (at, by, action, reason) VALUES ('now', 'me', 'adjust', 'Covered two territories')")
            for attack in [
                "UPDATE audit_log SET reason = 'other'",
                "DELETE FROM audit_log",
                "TRUNCATE audit_log",
                "INSERT INTO audit_log (id, at, by, action, reason) VALUES (1, 'now', 'me', 'adjust', 'rewritten')",
                "INSERT INTO audit_log (id, at, by, action, reason) VALUES (1, 'now', 'me', 'adjust', 'rewritten') ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason",
            ] {
                await client.expectRefused(attack, Self.appendOnly)
            }
            try await client.run("INSERT INTO audit_log (at, by, action, reason) VALUES ('later', 'me', 'adjust', 'appended')")
            try await assertEqual(
                await client.strings("SELECT id || ' ' || reason FROM audit_log ORDER BY id"), ["1 Covered two territories", "2 appended"])
        }
    }

    /// Every row of a finalized review, in every table that holds one, refuses INSERT, UPDATE, DELETE, TRUNCATE and
    /// replacement, whether the review is named by its id or by its period and version.
    func testAFinalizedReviewsRowsCannotChange() async throws {
        try await TestServer.withMigratedDatabase { client in
            let id = try await Self.review(client, version: 1, finalized: true)
            let columns = "period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by"
            let attacks = [
                "UPDATE reviews SET status = 'draft'",
                "UPDATE reviews SET results_sha256 = 'other'",
                "DELETE FROM reviews",
                "TRUNCATE reviews CASCADE",
                "INSERT INTO reviews (id, \(columns)) VALUES (\(id), '2026-Q4', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')",
                "INSERT INTO reviews (id, \(columns)) VALUES (99, '2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me')",
                "INSERT INTO reviews (id, \(columns)) VALUES (\(id), '2026-Q3', 1, 'draft', 'x', 0, 'now', 'me', 'now', 'me') ON CONFLICT (id) DO UPDATE SET status = 'draft'",
                "UPDATE review_results SET bonus = '9999.00'",
                "DELETE FROM review_results",
                "TRUNCATE review_results",
                "INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, currency, metrics) VALUES (\(id), 'E2', 'cs', 'Bo', 1, 'USD', '[]')",
                "INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, currency, metrics, bonus) VALUES (\(id), 'E1', 'cs', 'Ann', 1, 'USD', '[]', '9999.00') ON CONFLICT (review_id, employee_id) DO UPDATE SET bonus = EXCLUDED.bonus",
                "INSERT INTO adjustments VALUES (\(id), 'E2', 'A', 'r', 'now', 'me')",
                "UPDATE adjustments SET band = 'E'",
                "DELETE FROM adjustments",
                "TRUNCATE adjustments",
                "INSERT INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, document) VALUES (\(id), 1, 'am', 1, 'r', 'am.yaml', '{}')",
                "UPDATE review_rubrics SET document = 'other'",
                "DELETE FROM review_rubrics",
                "TRUNCATE review_rubrics",
                "INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (\(id), 'marks', 1, 0)",
                "UPDATE review_datasets SET records = 0",
                "DELETE FROM review_datasets",
                "TRUNCATE review_datasets",
            ]
            for attack in attacks {
                await client.expectRefused(attack, Self.final)
            }
            try await assertEqual(await client.strings("SELECT status || ' ' || results_sha256 FROM reviews"), ["final seal"])
            try await assertEqual(await client.strings("SELECT employee_id || ' ' || bonus FROM review_results"), ["E1 1200.00"])
            try await assertEqual(await client.strings("SELECT employee_id || ' ' || band FROM adjustments"), ["E1 A"])
            try await assertEqual(await client.strings("SELECT document FROM review_rubrics"), ["{}"])
            try await assertEqual(await client.strings("SELECT records::text FROM review_datasets"), ["1"])
        }
    }

    /// A draft's rows cannot be moved into a finalized review (`UPDATE … SET review_id`; v7-final-rows-stay).
    func testADraftsRowsCannotBeMovedIntoAFinalizedReview() async throws {
        try await TestServer.withMigratedDatabase { client in
            let id = try await Self.review(client, version: 1, finalized: true)
            let draft = try await Self.review(client, version: 2, finalized: false)
            for table in ["review_results", "adjustments", "review_rubrics", "review_datasets"] {
                await client.expectRefused("UPDATE \(table) SET review_id = \(id) WHERE review_id = \(draft)", Self.final)
            }
            try await assertEqual(await client.strings("SELECT count(*)::text FROM review_results WHERE review_id = \(draft)"), ["1"])
        }
    }

    /// Where SQLite's triggers let a change through, so do these: a draft's rows change freely (beside a finalized
    /// review), and a draft is finalized by an UPDATE.
    func testADraftChangesFreelyAndIsFinalizedByAnUpdate() async throws {
        try await TestServer.withMigratedDatabase { client in
            _ = try await Self.review(client, version: 1, finalized: true)
            let draft = try await Self.review(client, version: 2, finalized: false)
            for change in [
                "UPDATE review_results SET bonus = '1300.00' WHERE review_id = \(draft)",
                "INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, currency, metrics) VALUES (\(draft), 'E2', 'cs', 'Bo', 1, 'USD', '[]')",
                "DELETE FROM review_results WHERE review_id = \(draft) AND employee_id = 'E2'",
                "INSERT INTO adjustments VALUES (\(draft), 'E2', 'C', 'r', 'now', 'me')",
                "UPDATE adjustments SET band = 'B' WHERE review_id = \(draft)",
                "DELETE FROM adjustments WHERE review_id = \(draft) AND employee_id = 'E2'",
                "UPDATE review_rubrics SET document = '{\"a\":1}' WHERE review_id = \(draft)",
                "UPDATE review_datasets SET records = 2 WHERE review_id = \(draft)",
                "UPDATE reviews SET status = 'final', results_sha256 = 'seal2' WHERE id = \(draft)",
            ] {
                try await client.run(change)
            }
            try await assertEqual(await client.strings("SELECT version || ' ' || status FROM reviews ORDER BY version"), ["1 final", "2 final"])
            await client.expectRefused("UPDATE review_results SET bonus = '1.00' WHERE review_id = \(draft)", Self.final)
        }
    }

    /// Tokens are revoked by a stamp, never deleted or replaced; a revoked one stays revoked; an expiry only comes
    /// sooner (TamperEvidenceTests and TokenLifecycleStoreTests on SQLite).
    func testAccessTokensAreRevokedNeverDeletedAndAnExpiryIsNeverExtended() async throws {
        try await TestServer.withMigratedDatabase { client in
            let insert =
                "INSERT INTO access_tokens (id, employee_id, secret_sha256, created_at, created_by, expires_at) VALUES ('t1', 'E1', '\\x00'::bytea, 'now', 'hr', '2027-06-01T00:00:00.000Z')"
            try await client.run(insert)
            await client.expectRefused("DELETE FROM access_tokens", "access tokens are revoked, never deleted")
            await client.expectRefused("TRUNCATE access_tokens", "access tokens are revoked, never deleted")
            await client.expectRefused(insert, "access tokens are revoked, never replaced")
            await client.expectRefused(insert + " ON CONFLICT (id) DO UPDATE SET employee_id = 'E2'", "access tokens are revoked, never replaced")
            await client.expectRefused("UPDATE access_tokens SET expires_at = '2099-01-01T00:00:00.000Z'", "an access token expiry is never extended")
            await client.expectRefused("UPDATE access_tokens SET expires_at = NULL", "an access token expiry is never extended")
            // Allowed, as on SQLite: the last use stamped, the expiry brought forward, then the revocation.
            try await client.run("UPDATE access_tokens SET last_used_at = '2026-12-06T10:00:00.000Z'")
            try await client.run("UPDATE access_tokens SET expires_at = '2027-01-01T00:00:00.000Z'")
            try await client.run("UPDATE access_tokens SET revoked_at = '2026-12-06T11:00:00.000Z', revoked_by = 'hr'")
            await client.expectRefused("UPDATE access_tokens SET revoked_at = NULL", "a revoked access token stays revoked")
            await client.expectRefused("UPDATE access_tokens SET last_used_at = 'later'", "a revoked access token stays revoked")
            try await assertEqual(
                await client.strings("SELECT id || ' ' || expires_at || ' ' || revoked_at FROM access_tokens"),
                ["t1 2027-01-01T00:00:00.000Z 2026-12-06T11:00:00.000Z"])
        }
    }

    /// A review of 2026-Q3 with one result, rubric, dataset read and adjustment, finalized the way `Reviews.finalize`
    /// does (status and seal in one UPDATE) when `finalized`. Returns its id.
    static func review(_ client: PostgresClient, version: Int, finalized: Bool) async throws -> Int {
        let id = Int(
            try await client.strings(
                """
                INSERT INTO reviews (period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                VALUES ('2026-Q3', \(version), 'draft', 'x', 0, 'now', 'me', 'now', 'me') RETURNING id::text
                """)[0])!
        try await client.run("INSERT INTO dataset_versions (id, dataset, records, digest) VALUES (\(id), 'employees', 1, 'd\(id)')")
        try await client.run("INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (\(id), 'employees', \(id), 1)")
        try await client.run(
            "INSERT INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, document) VALUES (\(id), 0, 'cs', 1, 'r', 'cs.yaml', '{}')"
        )
        try await client.run(
            """
            INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, total_tenths, band, multiplier, bonus, currency, metrics)
            VALUES (\(id), 'E1', 'cs', 'Ann', 1, 815, 'B', '1.2', '1200.00', 'USD', '[]')
            """)
        try await client.run("INSERT INTO adjustments VALUES (\(id), 'E1', 'A', 'Covered two territories', 'now', 'me')")
        if finalized {
            try await client.run("UPDATE reviews SET status = 'final', results_sha256 = 'seal' WHERE id = \(id)")
        }
        return id
    }
}
