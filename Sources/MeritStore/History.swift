import Foundation
import GRDB
import MeritEngine

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

    public static func entries(store: Store, employeeID: String? = nil) throws(StoreError) -> [Entry] {
        try store.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.period, r.version, r.status, x.* FROM reviews r
                    JOIN review_results x ON x.review_id = r.id
                    WHERE r.version = (SELECT max(version) FROM reviews WHERE period = r.period)
                      AND (? IS NULL OR x.employee_id = ?)
                    """, arguments: [employeeID, employeeID])
            // Keyed by the texts' bytes, as SQLite compares them (`TextKey`).
            var byKey: [TextKey: (Row, StoredResult)] = [:]
            for row in rows { byKey[TextKey("\(row["period"] as String)\u{1F}\(row["employee_id"] as String)")] = (row, StoredResult(row)) }
            var out: [Entry] = []
            for (row, r) in byKey.values {
                let period: String = row["period"]
                let previous = Period(period)?.previous.description
                let before = previous.flatMap { byKey[TextKey("\($0)\u{1F}\(r.employeeID)")]?.1 }
                out.append(
                    Entry(
                        employeeID: r.employeeID, name: r.name, period: period, version: row["version"],
                        status: ReviewVersion.Status(rawValue: row["status"]) ?? .draft, rubricID: r.rubricID,
                        total: r.total, band: r.effectiveBand, adjusted: r.adjustedBand != nil, bonus: r.effectiveBonus,
                        currency: r.currency, previousPeriod: before == nil ? nil : previous, previousTotal: before?.total,
                        previousBand: before?.effectiveBand))
            }
            return out.sorted { a, b in
                if !a.employeeID.sameBytes(as: b.employeeID) { return a.employeeID.utf8.lexicographicallyPrecedes(b.employeeID.utf8) }
                let pa = Period(a.period), pb = Period(b.period)
                if let pa, let pb, pa.start != pb.start { return pa.start < pb.start }
                if let pa, let pb, pa.endExclusive != pb.endExclusive { return pa.endExclusive > pb.endExclusive }
                return a.period < b.period
            }
        }
    }
}

extension Reviews {
    /// What `merit export` writes: the current version's evaluations with its adjustments applied, the totals of
    /// the previous period of the same form, and the audit trail of the period.
    public struct Export: Sendable {
        public let version: ReviewVersion
        public let computed: [ReviewSnapshot.Computed]
        public let adjustments: [StoredAdjustment]
        /// Computed bands of the adjusted employees.
        public let computedBands: [TextKey: String]
        public let previousPeriod: String
        public let previousTotals: [TextKey: Double]
        public let audit: [AuditLog.Entry]
    }

    public static func export(store: Store, period: Period) async throws -> Export {
        let key = period.description
        let previous = period.previous.description
        let (version, snapshot, adjustments, results, previousResults) = try store.read { db in
            let v = try current(db, key)
            let p = try ReviewVersion.latest(db, period: previous)
            return (
                v, try ReviewSnapshot.stored(db, reviewID: v.id), try StoredAdjustment.all(db, reviewID: v.id),
                try StoredResult.all(db, reviewID: v.id), try p.map { try StoredResult.all(db, reviewID: $0.id) } ?? []
            )
        }
        let base = try await snapshot.evaluate()
        let overrides = try Reviews.overrides(adjustments, computed: base)
        let computed = overrides.isEmpty ? base : try await snapshot.evaluate(overrides: overrides)
        try verify(computed, against: results, period: key, version: version.version)
        var previousTotals: [TextKey: Double] = [:]
        for r in previousResults { if let t = r.total { previousTotals[TextKey(r.employeeID)] = t } }
        var computedBands: [TextKey: String] = [:]
        for r in results where r.adjustedBand != nil { computedBands[TextKey(r.employeeID)] = r.band }
        let audit = try AuditLog.entries(store).filter { $0.period == key || ($0.period == nil && $0.action == "import") }
        return Export(
            version: version, computed: computed, adjustments: adjustments, computedBands: computedBands,
            previousPeriod: previous, previousTotals: previousTotals, audit: audit)
    }

    /// The recomputed review must be the stored one, to the cent: a workbook never shows numbers other than those
    /// that were reviewed (a Merit whose rules changed since would otherwise silently re-rate a finalized period).
    static func verify(_ computed: [ReviewSnapshot.Computed], against stored: [StoredResult], period: String, version: Int) throws {
        var byID: [TextKey: StoredResult] = [:]
        for r in stored { byID[TextKey(r.employeeID)] = r }
        var count = 0
        for c in computed {
            for e in c.evaluation.employees {
                count += 1
                guard let s = byID[TextKey(e.entry.employeeID)] else {
                    throw StoreError.internalError(
                        "the review of \(period) v\(version) recomputes with employee '\(e.entry.employeeID)', who is not in the stored review; this merit computes differently from the one that made it"
                    )
                }
                if s.totalTenths != e.officialTotalTenths || s.effectiveBand != e.band?.id || s.effectiveBonus != e.bonus?.decimalString {
                    throw StoreError.internalError(
                        "the review of \(period) v\(version) recomputes differently for '\(e.entry.employeeID)' (stored total \(s.total.map { String($0) } ?? "-"), band \(s.effectiveBand ?? "-"), bonus \(s.effectiveBonus ?? "-"); now \(e.officialTotal.map { String($0) } ?? "-"), \(e.band?.id ?? "-"), \(e.bonus?.decimalString ?? "-")); this merit computes differently from the one that made it: nothing was written"
                    )
                }
            }
        }
        if count != stored.count {
            throw StoreError.internalError(
                "the review of \(period) v\(version) stored \(stored.count) employees but recomputes \(count); nothing was written")
        }
    }
}
