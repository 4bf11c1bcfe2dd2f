import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// Gathers what calibration computes on (docs/calibration.md) from the store: the period's current review (draft or
/// final) with its adjustments, the rubrics' bands, the roster's reporting lines and cost centres, and the previous
/// period of the same form. Every figure is then computed by MeritEngine's pure functions.
public enum Calibration {
    /// Everything `merit calibrate`, the workbook's calibration sheets and `merit finalize` need about a review.
    public struct Inputs: Sendable {
        public let version: ReviewVersion
        /// Every employee of the review, rated or not.
        public let people: [CalibrationPerson]
        /// Each rubric's bands, best first, by rubric id.
        public let ladders: [String: BandLadder]
        /// Rubric ids in merit.yaml's order.
        public let rubricIDs: [String]
        public let adjustments: [StoredAdjustment]
        /// The previous period of the same form, and its latest finalized version (nil when there is none).
        public let previousPeriod: String
        public let previousVersion: Int?
        /// Names by employee id: the review's, else the roster's (a manager nobody's rubric reviews has one too).
        public let names: [String: String]
    }

    /// The inputs of the current version of `period`.
    public static func inputs(store: Store, period: Period) throws -> Inputs {
        let roster = try roster(store: store)
        return try store.read { db in
            let version = try Reviews.current(db, period.description)
            let results = try StoredResult.all(db, reviewID: version.id)
            let adjustments = try StoredAdjustment.all(db, reviewID: version.id)
            let sources = try ReviewSnapshot.rubricSources(db, reviewID: version.id)
            let rubrics = try ReviewSnapshot.parse(sources)
            var ladders: [String: BandLadder] = [:]
            for r in rubrics { ladders[r.id] = BandLadder(r.bands) }
            // The previous period's latest finalized version: what was paid, never a draft.
            let previous = period.previous.description
            let before = try Scorecards.visibleVersion(db, period: previous)
            var previousTotals: [TextKey: Int] = [:]
            if let before {
                for row in try StoreRow.fetchAll(
                    db, sql: "SELECT employee_id, total_tenths FROM review_results WHERE review_id = ? AND total_tenths IS NOT NULL",
                    arguments: [before.id])
                {
                    previousTotals[TextKey(row["employee_id"] as String)] = row["total_tenths"]
                }
            }
            let people = results.map { r -> CalibrationPerson in
                let line = roster[TextKey(r.employeeID)]
                return CalibrationPerson(
                    employeeID: r.employeeID, name: r.name, rubricID: r.rubricID, team: r.team, costCenter: line?.costCenter,
                    managerID: line?.managerID, totalTenths: r.rated ? r.totalTenths : nil, computedBand: r.rated ? r.band : nil,
                    bandInForce: r.rated ? r.effectiveBand : nil, previousTotalTenths: previousTotals[TextKey(r.employeeID)])
            }
            return Inputs(
                version: version, people: people, ladders: ladders, rubricIDs: rubrics.map(\.id), adjustments: adjustments,
                previousPeriod: previous, previousVersion: before?.version,
                names: roster.reduce(into: [String: String]()) { out, line in if let n = line.value.name { out[line.key.text] = n } }
                    .merging(results.map { ($0.employeeID, $0.name) }, uniquingKeysWith: { _, review in review }))
        }
    }

    /// Guidelines naming a band their rubric does not have: a typo in merit.yaml, refused (exit 65) by `merit
    /// calibrate` and `merit finalize` rather than silently checking nothing. A guideline for a rubric the review does
    /// not have does not apply to it (an older period, a rubric added since) and is left out (`applicable`).
    public static func check(_ settings: CalibrationSettings, against inputs: Inputs) throws(StoreError) {
        for g in settings.guidelines {
            guard let ladder = inputs.ladders[g.rubricID] else { continue }
            for b in g.bands where !ladder.ids.contains(b.band) {
                throw .unusable(
                    "merit.yaml: calibration guideline for rubric '\(g.rubricID)': band '\(b.band)' is not one of its bands (\(ladder.ids.joined(separator: ", ")))"
                )
            }
        }
    }

    /// `settings` with only what applies to the review of `inputs`: guidelines of its rubrics, bands of their ladders.
    /// What `merit export` shows, so that merit.yaml as it is now never keeps a finalized review from being exported.
    public static func applicable(_ settings: CalibrationSettings, to inputs: Inputs) -> CalibrationSettings {
        var out = settings
        out.guidelines = settings.guidelines.compactMap { g in
            guard let ladder = inputs.ladders[g.rubricID] else { return nil }
            return Guideline(rubricID: g.rubricID, grouping: g.grouping, bands: g.bands.filter { ladder.ids.contains($0.band) })
        }
        return out
    }

    /// The guidelines the current version of `period` misses after adjustments (docs/calibration.md "Enforcement"):
    /// what `merit finalize` refuses with `enforce_guidelines: true`. Empty when merit.yaml sets no guideline.
    public static func missedGuidelines(store: Store, period: Period, settings: CalibrationSettings?) throws -> [MissedGuideline] {
        guard let settings, !settings.guidelines.isEmpty else { return [] }
        let inputs = try inputs(store: store, period: period)
        try check(settings, against: inputs)
        // What finalize locks was computed with merit.yaml's rubrics as they are now (a stale draft is refused), so a
        // guideline naming none of them is a typo that would switch enforcement off without a word.
        for g in settings.guidelines where inputs.ladders[g.rubricID] == nil {
            throw StoreError.unusable(
                "merit.yaml: calibration guideline for rubric '\(g.rubricID)': the review of \(inputs.version.period) has no such rubric (it has \(inputs.rubricIDs.joined(separator: ", "))); with enforce_guidelines, nothing is finalized until it names one"
            )
        }
        return BandDistribution.missed(people: inputs.people, ladders: inputs.ladders, guidelines: applicable(settings, to: inputs).guidelines)
    }

    struct RosterLine {
        let managerID: String?
        let costCenter: String?
        let name: String?
    }

    /// The imported roster's reporting lines and cost centres (as the access policy reads it: the roster as it is now).
    static func roster(store: Store) throws(StoreError) -> [TextKey: RosterLine] {
        let columns = DatasetSchema.of(.employees).columns
        guard let id = columns.firstIndex(of: "employee_id"), let manager = columns.firstIndex(of: "manager_id"),
            let cost = columns.firstIndex(of: "cost_center"), let name = columns.firstIndex(of: "name")
        else { return [:] }
        var out: [TextKey: RosterLine] = [:]
        try store.read { db in
            guard let version = try StoredDatasets.current(db, .employees) else { return }
            try StoredDatasets.forEachRecord(db, version) { record in
                guard let employee = record.string(id) else { return }
                out[TextKey(employee)] = RosterLine(managerID: record.string(manager), costCenter: record.string(cost), name: record.string(name))
            }
        }
        return out
    }
}
