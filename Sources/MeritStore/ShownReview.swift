import Foundation
import MeritEngine
import MeritReport
import MeritSQL

extension Reviews {
    /// A stored review version as `merit show` and `merit review` print it (docs/workspace.md "Looking at a review"):
    /// the official results — adjustments applied, exactly what export writes and payroll pays — with each employee's
    /// computed outcome beside them, and what the reader must know before trusting the numbers.
    public struct Shown: Sendable {
        public let version: ReviewVersion
        /// Each rubric's official evaluation (adjusted), in merit.yaml's order.
        public let rubrics: [RubricResult]
        /// Every employee's stored row: the computed band, multiplier and bonus beside the adjusted ones.
        public let results: [TextKey: StoredResult]
        public let adjustments: [TextKey: StoredAdjustment]
        /// What the review must say wherever it is shown (`notices(_:)`).
        public let notices: [ReviewNotice]

        /// The review's facts and each employee's computed outcome, for `ReviewDocument` and `ReviewTable`.
        public var facts: ReviewFacts {
            ReviewFacts(
                period: version.period, version: version.version, status: version.status.rawValue, preliminary: version.isPreliminary,
                paysBonus: version.paysBonus, bonusPeriod: version.bonusPeriod?.rawValue, computedAt: version.computedAt,
                computedBy: version.computedBy, finalizedAt: version.finalizedAt, finalizedBy: version.finalizedBy, notices: notices,
                computed: results.mapValues {
                    ReviewFacts.Computed(band: $0.band, multiplier: $0.multiplier, bonus: $0.bonus)
                },
                adjustments: adjustments.mapValues { ReviewFacts.Adjustment(band: $0.band, reason: $0.reason, by: $0.createdBy, at: $0.createdAt) })
        }

        /// The review as someone who may see only the employees `keep` accepts sees it (docs/roles.md: a manager's
        /// reports): their rows, computed outcomes and adjustments; band counts and totals are then theirs alone.
        public func restricted(to keep: (String) -> Bool) -> Shown {
            Shown(
                version: version,
                rubrics: rubrics.map { RubricResult(rubric: $0.rubric, evaluation: $0.evaluation.restricted(to: keep)) },
                results: results.filter { keep($0.key.text) }, adjustments: adjustments.filter { keep($0.key.text) }, notices: notices)
        }
    }

    /// The current version of `period` as stored (only `rubricID`'s results when given), read in one transaction.
    /// Reads only: showing a review never computes or writes it.
    public static func show(store: Store, period: Period, rubricID: String? = nil) async throws -> Shown {
        let key = period.description
        let (version, parts, results, adjustments, notices) = try store.read { db in
            let v = try current(db, key)
            var results: [TextKey: StoredResult] = [:]
            for r in try StoredResult.all(db, reviewID: v.id) where rubricID == nil || r.rubricID == rubricID { results[TextKey(r.employeeID)] = r }
            var adjustments: [TextKey: StoredAdjustment] = [:]
            for a in try StoredAdjustment.all(db, reviewID: v.id) { adjustments[TextKey(a.employeeID)] = a }
            return (v, try storedParts(db, version: v, adjusted: true, rubricID: rubricID), results, adjustments, try Reviews.notices(db, v))
        }
        if let rubricID, parts.isEmpty {
            throw StoreError.notFound("the review of \(key) has no rubric '\(rubricID)'")
        }
        return Shown(
            version: version, rubrics: try await decoded(parts, period: version.period), results: results,
            adjustments: adjustments.filter { results[$0.key] != nil }, notices: notices)
    }

    /// `notices(_:_:)` of a stored version.
    public static func notices(store: Store, version: ReviewVersion) throws -> [ReviewNotice] {
        try store.read { db in try notices(db, version) }
    }

    /// What every view of a review version must say before its numbers (docs/workspace.md "Preliminary reviews",
    /// "Bonus cadence", "Rubric versions"): that it is preliminary, that it pays no bonus and why, and any rubric whose
    /// id and version another review used with other content.
    static func notices(_ db: any StoreTransaction, _ v: ReviewVersion) throws -> [ReviewNotice] {
        var out: [ReviewNotice] = []
        if v.isPreliminary, let period = Period(v.period) {
            out.append(
                ReviewNotice(
                    .preliminary,
                    "PRELIMINARY: computed \(v.computedAt), before \(v.period) ended on \(period.lastDay); its data cannot be complete. Do not pay from it: it cannot be finalized until merit review \(v.period) runs after the period."
                ))
        }
        if !v.paysBonus, let cadence = v.bonusPeriod, let period = Period(v.period) {
            out.append(
                ReviewNotice(
                    .noBonus,
                    "NO BONUS: this workspace pays bonuses per \(cadence.rawValue) (merit.yaml bonus_period) and \(v.period) is \(BonusCadence(period).article): people are rated, and no bonus is paid from this review."
                ))
        }
        out += try rubricConflicts(db, reviewID: v.id).map { ReviewNotice(.rubricChanged, $0) }
        return out
    }
}
