import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritSQL

/// `merit verify PERIOD`, and the check `merit finalize` makes before it locks a review (docs/workspace.md "Results
/// are stored once"): the review is computed again from the data versions and rubric files it stored, with its
/// adjustments, and every stored result — each employee's row and whole result, each rubric's conformance document
/// and evaluation — must be the same, byte for byte.
extension Reviews {
    public struct Verification: Sendable {
        public let version: ReviewVersion
        public let rubrics: Int
        public let employees: Int
        /// What differs, one line each (at most `shown`), and how many differences there are in all.
        public let differences: [String]
        public let differenceCount: Int
        /// Results a store of an earlier Merit lacked, computed and stored now.
        public let filledIn: Int
        static let shown = 20
    }

    /// Verifies the current version of `period`. A store written by an earlier Merit keeps only totals and bands: when
    /// those agree, the full results are stored now (`filledIn`), so the review's views can read them.
    /// Earlier versions of the period whose full results are missing (a finalized one that scorecards show while an
    /// amendment is drafted) are filled in too, each after the same check.
    public static func verify(store: Store, period: Period) async throws -> Verification {
        let (version, incomplete) = try store.read { db in
            (
                try current(db, period.description),
                try Int64.fetchAll(
                    db,
                    sql:
                        "SELECT DISTINCT review_id FROM review_results WHERE detail IS NULL AND review_id IN (SELECT id FROM reviews WHERE period = ?)",
                    arguments: [period.description])
            )
        }
        for id in incomplete where id != version.id {
            let earlier = try store.read { db in
                try StoreRow.fetchOne(db, sql: "SELECT * FROM reviews WHERE id = ?", arguments: [id]).map(ReviewVersion.init)
            }
            if let earlier { _ = try await verify(store: store, version: earlier) }
        }
        return try await verify(store: store, version: version)
    }

    static func verify(store: Store, version: ReviewVersion) async throws -> Verification {
        let snapshot = try ReviewSnapshot.stored(store: store, reviewID: version.id)
        let adjustments = try store.read { db in try StoredAdjustment.all(db, reviewID: version.id) }
        let computed = try await snapshot.evaluate()
        let overrides = try Reviews.overrides(adjustments, computed: computed)
        let adjusted = overrides.isEmpty ? nil : try await snapshot.evaluate(overrides: overrides)
        let bands = Dictionary(adjustments.map { (TextKey($0.employeeID), $0.band) }, uniquingKeysWith: { a, _ in a })

        var differences: [String] = []
        var count = 0
        var missing: [(rubric: Int, employeeID: String?)] = []
        func differ(_ line: String) {
            count += 1
            if differences.count < Verification.shown { differences.append(line) }
        }
        let detailColumns = Set(["detail", "adjusted_detail"])
        var employees = 0
        try store.read { db in
            let stored = try StoreRow.fetchAll(
                db, sql: "SELECT rubric_id, document, evaluation, adjusted_evaluation FROM review_rubrics WHERE review_id = ? ORDER BY position",
                arguments: [version.id])
            if stored.map({ $0["rubric_id"] as String }) != computed.map(\.rubric.id) {
                differ("rubrics: stored \(stored.map { $0["rubric_id"] as String }), recomputed \(computed.map(\.rubric.id))")
                return
            }
            for (i, c) in computed.enumerated() {
                let row = stored[i]
                if (row["document"] as String) != ConformanceDocument.render(c.evaluation) {
                    differ("rubric \(c.rubric.id): the conformance document differs")
                }
                let rest: Data? = row["evaluation"]
                if rest == nil {
                    missing.append((i, nil))
                } else if !Reviews.sameStored(rest, try StoredEvaluation.encodeRest(c.evaluation), as: StoredEvaluation.Rest.self) {
                    differ("rubric \(c.rubric.id): the warnings or the people not evaluated differ")
                }
                let adjustedRest: Data? = row["adjusted_evaluation"]
                let wantedRest = try adjusted.map { try StoredEvaluation.encodeRest($0[i].evaluation) }
                if rest != nil, !Reviews.sameStored(adjustedRest, wantedRest, as: StoredEvaluation.Rest.self) {
                    differ("rubric \(c.rubric.id): the adjusted evaluation differs")
                }

                // Ids are the same only as the same bytes (docs/reference.md §15), never as equivalent Unicode.
                var byID: [TextKey: [StoreValue]] = [:]
                for r in try StoreRow.fetchAll(
                    db, sql: "SELECT \(resultColumns.joined(separator: ", ")) FROM review_results WHERE review_id = ? AND rubric_id = ?",
                    arguments: [version.id, c.rubric.id])
                {
                    byID[TextKey(r["employee_id"] as String)] = resultColumns.map { r[$0] as StoreValue }
                }
                let rows = try resultRows(evaluation: c.evaluation, adjusted: adjusted?[i].evaluation, adjustedBands: bands)
                employees += rows.count
                for row in rows {
                    let id = String.fromStoreValue(row[0]) ?? "?"
                    guard let old = byID.removeValue(forKey: TextKey(id)) else {
                        differ("\(id): recomputed, but not in the stored review")
                        continue
                    }
                    var columns: [String] = []
                    for (k, name) in resultColumns.enumerated() where !Reviews.sameColumn(name, old[k], row[k]) {
                        if detailColumns.contains(name), old[k].isNull { missing.append((i, id)) } else { columns.append(name) }
                    }
                    if !columns.isEmpty { differ("\(id): \(columns.joined(separator: ", ")) differ\(columns.count == 1 ? "s" : "")") }
                }
                for id in byID.keys.map(\.text).sorted() { differ("\(id): stored, but no longer computed") }
            }
        }
        var filled = 0
        if count == 0, !missing.isEmpty {
            filled = missing.count
            try store.write { db in try Reviews.fillIn(db, version: version, computed: computed, adjusted: adjusted, adjustments: adjustments) }
        }
        return Verification(
            version: version, rubrics: computed.count, employees: employees, differences: differences, differenceCount: count,
            filledIn: filled)
    }

    /// Whether a stored column holds what a recomputation gives. The JSON columns are compared as what they say —
    /// every value, decoded — not as bytes, so that results stored by another version of Merit, which may write the
    /// same values in another order or spacing, verify alike; everything else is compared exactly.
    static func sameColumn(_ name: String, _ stored: StoreValue, _ recomputed: StoreValue) -> Bool {
        if stored == recomputed { return true }
        switch name {
        case "metrics":
            return sameStored(
                String.fromStoreValue(stored).map { Data($0.utf8) }, String.fromStoreValue(recomputed).map { Data($0.utf8) },
                as: [StoredMetric].self)
        case "detail", "adjusted_detail":
            return sameStored(Data.fromStoreValue(stored), Data.fromStoreValue(recomputed), as: StoredEvaluation.Employee.self)
        default: return false
        }
    }

    /// Whether two stored JSON texts say the same (both absent counts as equal; either unreadable does not): each is
    /// decoded and written again one way (sorted keys), and the bytes compared — texts stay bytes (two spellings of
    /// one letter differ, as ids do everywhere), numbers their exact shortest form.
    static func sameStored<T: Codable>(_ a: Data?, _ b: Data?, as: T.Type) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if a == b { return true }
        let decoder = JSONDecoder()
        guard let x = try? decoder.decode(T.self, from: a), let y = try? decoder.decode(T.self, from: b),
            let x1 = try? StoredEvaluation.encoder.encode(x), let y1 = try? StoredEvaluation.encoder.encode(y)
        else { return false }
        return x1 == y1
    }

    /// Stores the full results of a review an earlier Merit stored (the same values, now whole). A finalized review
    /// never changes: the triggers that guard it are lifted for this one transaction, which changes no value they
    /// guard — only the columns that were empty are written. A finalized review's seal (`ResultsDigest`) covers
    /// those columns: when it matched before they were filled, it is computed again over the whole results and the
    /// audit entry names it; when it did not, it is left as it was, for `merit audit --verify` to report.
    static func fillIn(
        _ db: any StoreTransaction, version: ReviewVersion, computed: [ReviewSnapshot.Computed], adjusted: [ReviewSnapshot.Computed]?,
        adjustments: [StoredAdjustment]
    ) throws {
        let seal = try String.fetchOne(db, sql: "SELECT results_sha256 FROM reviews WHERE id = ? AND status = 'final'", arguments: [version.id])
        let sealHeld = try seal.map { try ResultsDigest.sha256(db, reviewID: version.id) == $0 } ?? false
        try Schema.withoutTriggers(db, ["final_results_frozen", "final_rubrics_frozen"]) {
            try fillInColumns(db, version: version, computed: computed, adjusted: adjusted, adjustments: adjustments)
        }
        var resealed: String?
        if sealHeld {
            let now = try ResultsDigest.sha256(db, reviewID: version.id)
            try Schema.withoutTriggers(db, ["final_review_frozen"]) {
                try db.execute(sql: "UPDATE reviews SET results_sha256 = ? WHERE id = ?", arguments: [now, version.id])
            }
            resealed = now
        }
        try AuditLog.append(
            db, action: "verify", period: version.period, version: version.version,
            newValue: "the full results of this review, stored by an earlier Merit, were computed again and stored"
                + (resealed.map { "; \(TamperCheck.sealWords)\($0)" } ?? ""))
    }

    private static func fillInColumns(
        _ db: any StoreTransaction, version: ReviewVersion, computed: [ReviewSnapshot.Computed], adjusted: [ReviewSnapshot.Computed]?,
        adjustments: [StoredAdjustment]
    ) throws {
        let bands = Dictionary(adjustments.map { (TextKey($0.employeeID), $0.band) }, uniquingKeysWith: { a, _ in a })
        for (i, c) in computed.enumerated() {
            for row in try resultRows(evaluation: c.evaluation, adjusted: adjusted?[i].evaluation, adjustedBands: bands) {
                try db.execute(
                    sql: "UPDATE review_results SET detail = ?, adjusted_detail = ? WHERE review_id = ? AND employee_id = ? AND detail IS NULL",
                    arguments: [row[15], row[16], version.id, row[0]])
            }
            try db.execute(
                sql: "UPDATE review_rubrics SET evaluation = ?, adjusted_evaluation = ? WHERE review_id = ? AND rubric_id = ? AND evaluation IS NULL",
                arguments: [
                    try StoredEvaluation.encodeRest(c.evaluation), try adjusted.map { try StoredEvaluation.encodeRest($0[i].evaluation) },
                    version.id, c.rubric.id,
                ])
        }
    }
}
