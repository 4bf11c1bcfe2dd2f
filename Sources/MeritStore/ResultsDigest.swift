import Foundation
import MeritSQL

/// The seal of a finalized review (docs/workspace.md "Tamper evidence"): one SHA-256 over everything the review
/// pays from and shows, which `Reviews.finalize` stores in `reviews.results_sha256` in the same UPDATE that makes the
/// review final, and names in the `finalize` audit entry. `merit verify` and `merit audit --verify` compute it again:
/// a result, rubric or adjustment changed behind the store's triggers no longer matches.
///
/// What it covers, in a fixed order, each row in the canonical encoding of `CanonicalHash`:
/// 1. the review row's fields that never change once written, including the bonus cadence it was computed under
///    (which decides whether it pays); not its status and finalization stamp, which the sealing UPDATE itself sets;
/// 2. every `review_results` row, by employee id (byte order), every column;
/// 3. every `review_rubrics` row, by position, every column (rubric file identity, conformance document, evaluations);
/// 4. every `adjustments` row, by employee id: band, reason, who and when;
/// 5. every `review_datasets` row, by dataset, with the digest of the dataset version it read;
/// 6. only when the review has any (so that a seal written before they existed still holds): the adjustments'
///    calibration sessions, the record exclusions it applied and the disputes it answers (docs/disputes.md).
enum ResultsDigest {
    /// The lower-case hex SHA-256 of review `reviewID`'s stored results.
    /// - Parameter calibrationAndDisputes: whether the store has the tables of part 6 (false only while migration
    ///   `v5-tamper-evident` seals the reviews of an older store, which has none of their rows anyway).
    static func sha256(_ db: any StoreTransaction, reviewID: Int64, calibrationAndDisputes: Bool = true) throws -> String {
        var hash = CanonicalHash("merit-review-results-v1")
        let parts: [(String, String)] = [
            (
                "reviews",
                "SELECT id, period, version, amends, amend_reason, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by, bonus_period FROM reviews WHERE id = ?"
            ),
            (
                "review_results",
                "SELECT \(Reviews.resultColumns.joined(separator: ", ")) FROM review_results WHERE review_id = ? ORDER BY employee_id"
            ),
            (
                "review_rubrics",
                "SELECT position, rubric_id, rubric_version, sha256, file, roles, document, evaluation, adjusted_evaluation FROM review_rubrics WHERE review_id = ? ORDER BY position"
            ),
            ("adjustments", "SELECT employee_id, band, reason, created_at, created_by FROM adjustments WHERE review_id = ? ORDER BY employee_id"),
            (
                "review_datasets",
                "SELECT r.dataset, r.version_id, r.records, v.digest FROM review_datasets r LEFT JOIN dataset_versions v ON v.id = r.version_id WHERE r.review_id = ? ORDER BY r.dataset"
            ),
        ]
        for (table, sql) in parts {
            hash.text(table)
            try db.forEach(sql: sql, arguments: [reviewID]) { row in hash.values(row.values) }
        }
        let added: [(String, String)] = [
            (
                "adjustment_sessions",
                "SELECT employee_id, session FROM adjustments WHERE review_id = ? AND session IS NOT NULL ORDER BY employee_id"
            ),
            (
                "review_exclusions",
                "SELECT dataset, record_key, employee_id, dispute_id FROM review_exclusions WHERE review_id = ? ORDER BY dataset, record_key, employee_id"
            ),
            ("review_disputes", "SELECT dispute_id FROM review_disputes WHERE review_id = ? ORDER BY dispute_id"),
        ]
        for (table, sql) in added where calibrationAndDisputes {
            let rows = try db.fetchAll(sql: sql, arguments: [reviewID])
            guard !rows.isEmpty else { continue }
            hash.text(table)
            for row in rows { hash.values(row.values) }
        }
        return hash.finalize()
    }
}
