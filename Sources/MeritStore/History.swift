import Foundation
import MeritEngine
import MeritReport
import MeritSQL

/// Each person's totals and bands across periods, with the change since the
/// previous period of the same form (docs/reference.md §10 "History"). A period counts with
/// its current version (the latest, draft or final).
public enum History {
    public struct Entry: Sendable, Equatable {
        public let employeeID: String
        public let name: String
        public let period: String
        public let version: Int
        public let status: ReviewVersion.Status
        /// A draft computed before its period ended (docs/workspace.md "Preliminary reviews").
        public let preliminary: Bool
        public let rubricID: String
        public let total: Double?
        /// The band in force (adjusted when adjusted).
        public let band: String?
        public let adjusted: Bool
        public let bonus: String?
        public let currency: String
        /// The previous period of the same form (2026-Q2 for 2026-Q3), when it was reviewed and the person rated in both.
        public let previousPeriod: String?
        public let previousTotal: Double?
        public let previousBand: String?
        public var change: Double? {
            guard let total, let previousTotal else { return nil }
            return ((total - previousTotal) * 10).rounded() / 10
        }
    }

    /// How much of a person's history a reader may see (docs/roles.md): nothing, their finalized reviews only, or
    /// each period's current version, drafts included.
    public enum Sight: Sendable {
        case none, finalized, current
    }

    /// Everyone's entries (only `employeeID`'s when given), each period with its current version; with `sight`,
    /// each person's as the reader may see them: for someone who may see only finalized reviews, each period's
    /// latest finalized version, and the previous period's too — never a draft's figures (a draft amendment of an
    /// earlier period stays out of "change" and "was").
    public static func entries(
        store: Store, employeeID: String? = nil, sight: ((String) -> Sight)? = nil
    ) throws(StoreError) -> [Entry] {
        let current = try entries(store: store, employeeID: employeeID, finalizedOnly: false)
        guard let sight else { return current }
        let finalized = try entries(store: store, employeeID: employeeID, finalizedOnly: true)
        return sorted(current.filter { sight($0.employeeID) == .current } + finalized.filter { sight($0.employeeID) == .finalized })
    }

    private static func entries(store: Store, employeeID: String?, finalizedOnly: Bool) throws(StoreError) -> [Entry] {
        try store.read { db in
            let rows = try StoreRow.fetchAll(
                db,
                sql: """
                    SELECT r.period, r.version, r.status, r.computed_at, r.zone_offset, x.* FROM reviews r
                    JOIN review_results x ON x.review_id = r.id
                    WHERE r.version = (SELECT max(version) FROM reviews WHERE period = r.period AND (? = 0 OR status = 'final'))
                      AND (? = 0 OR r.status = 'final')
                      AND (CAST(? AS TEXT) IS NULL OR x.employee_id = ?)
                    """, arguments: [finalizedOnly, finalizedOnly, employeeID, employeeID])
            // Keyed by the texts' bytes, as SQLite compares them (`TextKey`).
            var byKey: [TextKey: (StoreRow, StoredResult)] = [:]
            for row in rows { byKey[TextKey("\(row["period"] as String)\u{1F}\(row["employee_id"] as String)")] = (row, StoredResult(row)) }
            var out: [Entry] = []
            for (row, r) in byKey.values {
                let period: String = row["period"]
                let previous = Period(period)?.previous.description
                let before = previous.flatMap { byKey[TextKey("\($0)\u{1F}\(r.employeeID)")]?.1 }
                out.append(
                    Entry(
                        employeeID: r.employeeID, name: r.name, period: period, version: row["version"],
                        status: ReviewVersion.Status(rawValue: row["status"]) ?? .draft,
                        preliminary: row["status"] == "draft"
                            && ReviewVersion.preliminary(period: period, computedAt: row["computed_at"], zoneOffsetSeconds: row["zone_offset"]),
                        rubricID: r.rubricID,
                        total: r.total, band: r.effectiveBand, adjusted: r.adjustedBand != nil, bonus: r.effectiveBonus,
                        currency: r.currency, previousPeriod: before == nil ? nil : previous, previousTotal: before?.total,
                        previousBand: before?.effectiveBand))
            }
            return sorted(out)
        }
    }

    /// By employee (bytes), then period start, longer periods first.
    static func sorted(_ entries: [Entry]) -> [Entry] {
        entries.sorted { a, b in
            if !a.employeeID.sameBytes(as: b.employeeID) { return a.employeeID.utf8.lexicographicallyPrecedes(b.employeeID.utf8) }
            let pa = Period(a.period), pb = Period(b.period)
            if let pa, let pb, pa.start != pb.start { return pa.start < pb.start }
            if let pa, let pb, pa.endExclusive != pb.endExclusive { return pa.endExclusive > pb.endExclusive }
            return a.period < b.period
        }
    }
}

extension Reviews {
    /// What `merit export` writes: the current version's evaluations with its adjustments applied, the totals of
    /// the previous period of the same form, and the audit trail of the period — all as stored by `merit review`.
    public struct Export: Sendable {
        public let version: ReviewVersion
        public let computed: [RubricResult]
        /// Every rubric of the review, in merit.yaml's order (`computed` may hold only one).
        public let rubricIDs: [String]
        public let adjustments: [StoredAdjustment]
        /// Computed bands of the adjusted employees.
        public let computedBands: [TextKey: String]
        public let previousPeriod: String
        public let previousTotals: [TextKey: Double]
        public let audit: [AuditLog.Entry]
        /// What the workbook must say before its numbers (`Reviews.notices`).
        public var notices: [ReviewNotice] = []
        /// The audit log's chain head when the workbook was read (`AuditLog.head`).
        public var auditHead: String? = nil
        /// The period's disputes (docs/disputes.md), oldest first: each workbook's Summary counts its own people's.
        public var disputes: [Dispute] = []
    }

    /// - Parameter rubricID: only this rubric's evaluation (`merit export --rubric` without `--payroll`).
    public static func export(store: Store, period: Period, rubricID: String? = nil) async throws -> Export {
        let key = period.description
        let previous = period.previous.description
        // Everything in one transaction, so that results, adjustments and bands agree even while a draft is re-run.
        let (export, parts, notices, head, disputes) = try store.read { db -> (Export, [StoredParts], [ReviewNotice], String?, [Dispute]) in
            let version = try current(db, key)
            let parts = try storedParts(db, version: version, adjusted: true, rubricID: rubricID)
            let adjustments = try StoredAdjustment.all(db, reviewID: version.id)
            var previousTotals: [TextKey: Double] = [:]
            if let p = try ReviewVersion.latest(db, period: previous) {
                for row in try StoreRow.fetchAll(
                    db, sql: "SELECT employee_id, total_tenths FROM review_results WHERE review_id = ? AND total_tenths IS NOT NULL",
                    arguments: [p.id])
                {
                    previousTotals[TextKey(row["employee_id"] as String)] = Double(row["total_tenths"] as Int) / 10
                }
            }
            var computedBands: [TextKey: String] = [:]
            for row in try StoreRow.fetchAll(
                db, sql: "SELECT employee_id, band FROM review_results WHERE review_id = ? AND adjusted_band IS NOT NULL", arguments: [version.id])
            {
                computedBands[TextKey(row["employee_id"] as String)] = row["band"]
            }
            let audit = try AuditLog.entries(db, workbookOf: key)
            let rubricIDs = try String.fetchAll(
                db, sql: "SELECT rubric_id FROM review_rubrics WHERE review_id = ? ORDER BY position", arguments: [version.id])
            return (
                Export(
                    version: version, computed: [], rubricIDs: rubricIDs, adjustments: adjustments,
                    computedBands: computedBands, previousPeriod: previous, previousTotals: previousTotals, audit: audit),
                parts, try Reviews.notices(db, version), try AuditLog.head(db), try Disputes.list(db, period: key)
            )
        }
        return Export(
            version: export.version, computed: try await decoded(parts, period: export.version.period), rubricIDs: export.rubricIDs,
            adjustments: export.adjustments, computedBands: export.computedBands, previousPeriod: export.previousPeriod,
            previousTotals: export.previousTotals, audit: export.audit, notices: notices, auditHead: head, disputes: disputes)
    }
}
