import Foundation
import MeritEngine

/// A scorecard as data, ready to show (issue: self-service scorecards): what
/// `merit scorecard --format json` prints, what `merit serve` sends, and what the
/// terminal view is drawn from — so a scorecard read from a server looks
/// exactly like one read from a workspace. Numbers stay numbers (`raw`,
/// `score`, totals in the unit shown: `54.4`); `display` strings carry each value in its own unit.
///
/// What the review computed and what is paid are kept apart (issue 17, docs/scorecard.md "As data"): `computed`
/// holds the total, band, multiplier and bonus as the rubric gave them, `official` the band, multiplier and bonus
/// in force after a manager's adjustment — never one part's band beside the other's bonus.
public struct ScorecardDocument: Codable, Sendable, Equatable {
    public var employeeID: String
    public var name: String
    public var team: String?
    public var role: String?
    public var period: String
    public var rubric: RubricInfo
    /// The outcome as computed from the data and the rubric.
    public var computed: Computed
    /// The outcome in force: what is paid.
    public var official: Official
    public var currency: String
    /// In pool mode, the pool the bonus is a share of (docs/reference.md §8.2); absent in target mode.
    public var pool: Pool?
    /// Official total less the previous period's of the same form.
    public var change: Double?
    public var metrics: [Metric]
    /// Earlier periods of the same form, oldest first.
    public var history: [ScorecardHistoryPoint]
    public var training: [Training]
    public var nextBand: NextBandInfo?
    /// Set when the scorecard is of a draft review (`merit scorecard --draft`, docs/roles.md): what may still change;
    /// absent for a finalized review.
    public var draft: String?
    /// The disputes this person opened about this period's result (docs/disputes.md), oldest first; absent when
    /// there are none, so a scorecard without disputes is what it always was.
    public var disputes: [Dispute]? = nil

    /// A dispute as the scorecard shows it: its state and who resolved it when, with their comment.
    public struct Dispute: Codable, Sendable, Equatable {
        public var id: Int64
        public var state: String
        public var metric: String?
        public var records: [String]
        public var message: String
        public var openedAt: String
        public var resolvedAt: String?
        public var resolvedBy: String?
        public var comment: String?

        public init(
            id: Int64, state: String, metric: String?, records: [String], message: String, openedAt: String, resolvedAt: String?,
            resolvedBy: String?, comment: String?
        ) {
            self.id = id
            self.state = state
            self.metric = metric
            self.records = records
            self.message = message
            self.openedAt = openedAt
            self.resolvedAt = resolvedAt
            self.resolvedBy = resolvedBy
            self.comment = comment
        }

        enum CodingKeys: String, CodingKey {
            case id, state, metric, records, message, openedAt = "opened_at", resolvedAt = "resolved_at", resolvedBy = "resolved_by", comment
        }
    }

    /// The outcome as the rubric computed it (docs/reference.md §7, §8); every field null when unrated.
    public struct Computed: Codable, Sendable, Equatable {
        /// The official total: the total rounded half-up to one decimal, the number bands use (docs/reference.md §7).
        public var total: Double?
        public var totalExact: Double?
        public var band: String?
        public var multiplier: String?
        public var bonus: String?

        enum CodingKeys: String, CodingKey { case total, totalExact = "total_exact", band, multiplier, bonus }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(total, forKey: .total)
            try c.encode(totalExact, forKey: .totalExact)
            try c.encode(band, forKey: .band)
            try c.encode(multiplier, forKey: .multiplier)
            try c.encode(bonus, forKey: .bonus)
        }
    }

    /// The outcome in force (docs/reference.md §10): the computed one unless a manager adjusted the band, and then
    /// the adjusted band, its multiplier and the bonus it gives, with who adjusted it, when and why. The total is not
    /// here: an adjustment changes the band, never the total, which stays in `computed`.
    public struct Official: Codable, Sendable, Equatable {
        public var band: String?
        public var multiplier: String?
        /// The bonus paid, as a decimal string.
        public var bonus: String?
        /// Whether a manager set this person's band.
        public var adjusted: Bool
        public var reason: String?
        public var adjustedBy: String?
        public var adjustedAt: String?
        /// Why no bonus is paid when the review pays none (docs/workspace.md "Bonus cadence"), or why the bonus differs
        /// from the computed one when this person's band was not adjusted (pool mode: another adjustment split the
        /// pool again); null otherwise.
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case band, multiplier, bonus, adjusted, reason, adjustedBy = "adjusted_by", adjustedAt = "adjusted_at", note
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(band, forKey: .band)
            try c.encode(multiplier, forKey: .multiplier)
            try c.encode(bonus, forKey: .bonus)
            try c.encode(adjusted, forKey: .adjusted)
            try c.encode(reason, forKey: .reason)
            try c.encode(adjustedBy, forKey: .adjustedBy)
            try c.encode(adjustedAt, forKey: .adjustedAt)
            try c.encode(note, forKey: .note)
        }
    }

    public struct RubricInfo: Codable, Sendable, Equatable {
        public var id: String
        public var name: String?
        public var version: Int
        public var sha256: String
    }

    public struct Pool: Codable, Sendable, Equatable {
        /// The roster column that groups people into pools: `team` or `cost_center`.
        public var by: String
        /// The person's team or cost centre; absent when their roster row has none.
        public var group: String?
        /// The group's pool as a decimal string (like `bonus`); absent when there is no pool row for it.
        public var amount: String?
        public var currency: String?
    }

    public struct Metric: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        /// The value scored: the person's own, or adjusted for sample size (`rawBasis`); null when there is none —
        /// not computable, or no data of the person's (n = 0).
        public var raw: Double?
        /// The raw value in its unit (`4.42 / 5`, `91.3 %`, `6.5 h`), or `no data`.
        public var display: String?
        /// What `raw` is: `observed` (the person's own data), `adjusted_for_sample_size` (their own data pulled
        /// towards the mean of everyone the rubric evaluates, the smaller their sample the more; docs/reference.md §5.2)
        /// or `no_data` (n = 0: nothing of theirs was measured, whatever the metric was scored at).
        public var rawBasis: String
        public var n: Int
        public var score: Double?
        /// `ok`, `insufficient` or `zero` (docs/reference.md §13).
        public var status: String
        public var effectiveWeight: Double?
        /// Effective weight × score: what the metric adds to the total.
        public var points: Double?
        /// Why a metric is not rated, for a person.
        public var note: String?
    }

    public struct Training: Codable, Sendable, Equatable {
        public var metric: String?
        public var module: String
        public var score: Double?
        public var below: Double?
        public var priority: Double?
    }

    public struct NextBandInfo: Codable, Sendable, Equatable {
        public var band: String
        public var min: Double
        public var metrics: [Path]
        /// When no metric alone reaches the band: the two that together do with the least change in score
        /// points (docs/scorecard.md "The next band"), in rubric order; absent otherwise.
        public var pair: [Path]?

        public struct Path: Codable, Sendable, Equatable {
            public var id: String
            public var name: String
            /// `reach`, `not_enough`, `out_of_range`, `not_rated` or `relative`.
            public var outcome: String
            public var raw: Double?
            public var score: Double?
            /// The target in the metric's unit, rounded towards enough, e.g. `4.12 / 5 or more`.
            public var display: String?
        }
    }

    enum CodingKeys: String, CodingKey {
        case employeeID = "employee_id", name, team, role, period, rubric, computed, official
        case currency, pool, change, metrics, history, training, nextBand = "next_band", draft, disputes
    }
}

extension ScorecardDocument.Metric {
    enum CodingKeys: String, CodingKey {
        case id, name, raw, display, rawBasis = "raw_basis", n, score, status, effectiveWeight = "effective_weight", points, note
    }

    /// `raw` is written even when null: a script must not read a missing value as an old document's.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(raw, forKey: .raw)
        try c.encodeIfPresent(display, forKey: .display)
        try c.encode(rawBasis, forKey: .rawBasis)
        try c.encode(n, forKey: .n)
        try c.encodeIfPresent(score, forKey: .score)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(effectiveWeight, forKey: .effectiveWeight)
        try c.encodeIfPresent(points, forKey: .points)
        try c.encodeIfPresent(note, forKey: .note)
    }
}

/// What a metric's raw value is to the person it describes (docs/scorecard.md "Raw values").
public enum RawBasis: String, Sendable {
    /// The person's own data, as measured.
    case observed
    /// The person's own data pulled towards the population's mean by shrinkage (docs/reference.md §5.2): not what
    /// they measured, and labelled so.
    case adjustedForSampleSize = "adjusted_for_sample_size"
    /// n = 0: nothing of theirs was measured. A shrunk metric's value is then the population's mean (§15), a
    /// mean or rate's is not computable; either way it is not the person's, and is not shown as theirs. A count or
    /// a sum of nothing is a real 0 and stays `observed`.
    case noData = "no_data"

    public static func of(_ m: MetricResult, _ definition: MetricDefinition) -> RawBasis {
        if m.n == 0 && (m.raw == nil || definition.shrink != nil) { return .noData }
        return definition.shrink != nil && m.raw != nil ? .adjustedForSampleSize : .observed
    }
}

extension Scorecard {
    /// The document of this scorecard.
    public var document: ScorecardDocument {
        let e = employee
        let metrics = zip(rubric.metrics, e.metrics).map { definition, m -> ScorecardDocument.Metric in
            var points: Double?
            if let s = m.score, let w = m.effectiveWeight { points = s * w }
            let basis = RawBasis.of(m, definition)
            var note: String?
            if m.score == nil {
                note =
                    m.status == .insufficient && m.n < definition.minSamples
                    ? "not rated: \(m.n) of the \(definition.minSamples) samples needed" : "not rated this period"
            } else if basis == .noData {
                // Rated without data of their own (shrinkage with min_samples 0): say where the score came from.
                note = "no data this period: scored at the mean of everyone rated"
            }
            let raw = basis == .noData ? nil : m.raw
            return .init(
                id: m.metricID, name: definition.displayName, raw: raw,
                display: basis == .noData ? "no data" : raw.map { MetricUnits.format($0, for: definition) }, rawBasis: basis.rawValue,
                n: m.n, score: m.score, status: m.status.rawValue, effectiveWeight: m.effectiveWeight, points: points, note: note)
        }
        var next: ScorecardDocument.NextBandInfo?
        if let plan = nextBand {
            /// A target: the raw value, shown rounded towards enough.
            func reach(
                _ path: inout ScorecardDocument.NextBandInfo.Path, _ definition: MetricDefinition, current: Double?, raw: Double, score: Double
            ) {
                let up = raw >= (current ?? raw)
                path.outcome = "reach"
                path.raw = raw
                path.score = score
                path.display = MetricUnits.format(raw, for: definition, rounding: up ? .up : .down) + (up ? " or more" : " or less")
                // A shrunk metric is scored on its adjusted value, so that is what the target is: said so, since the
                // person's own value has to go further, the more the fewer samples they have (docs/scorecard.md).
                if definition.shrink != nil { path.display! += " (adjusted for sample size)" }
            }
            next = .init(
                band: plan.band.id, min: plan.band.min,
                metrics: zip(zip(rubric.metrics, plan.metrics), e.metrics).map { pair, result in
                    let (definition, path) = pair
                    var p = ScorecardDocument.NextBandInfo.Path(
                        id: path.metricID, name: definition.displayName, outcome: "", raw: nil, score: nil, display: nil)
                    switch path.outcome {
                    case .reach(let raw, let score): reach(&p, definition, current: result.raw, raw: raw, score: score)
                    case .notEnough: p.outcome = "not_enough"
                    case .outOfRange: p.outcome = "out_of_range"
                    case .notIncluded: p.outcome = "not_rated"
                    case .relative: p.outcome = "relative"
                    }
                    return p
                })
            if let pair = plan.pair {
                next?.pair = [pair.first, pair.second].compactMap { target in
                    guard let m = rubric.metrics.firstIndex(where: { $0.id == target.metricID }) else { return nil }
                    var p = ScorecardDocument.NextBandInfo.Path(
                        id: target.metricID, name: rubric.metrics[m].displayName, outcome: "",
                        raw: nil, score: nil, display: nil)
                    reach(&p, rubric.metrics[m], current: e.metrics[m].raw, raw: target.raw, score: target.score)
                    return p
                }
            }
        }
        let computed = ScorecardDocument.Computed(
            total: e.officialTotal, totalExact: e.totalExact, band: e.band?.id, multiplier: e.band.map { "\($0.multiplier)" },
            bonus: e.bonus?.decimalString)
        var official = ScorecardDocument.Official(
            band: computed.band, multiplier: computed.multiplier, bonus: bonusInForce, adjusted: false, reason: nil, adjustedBy: nil,
            adjustedAt: nil, note: nil)
        if let a = adjustment {
            official.band = a.band
            official.multiplier = a.multiplier
            official.adjusted = true
            official.reason = a.reason
            official.adjustedBy = a.by
            official.adjustedAt = a.at
        } else if bonusInForce != computed.bonus, e.pool != nil {
            official.note = "another person's band was adjusted, so the pool was split again"
        }
        if let noBonus { official.note = noBonus }
        return ScorecardDocument(
            employeeID: e.entry.employeeID, name: e.entry.name, team: e.entry.team, role: e.entry.role, period: period,
            rubric: .init(id: rubric.id, name: rubric.name, version: rubric.version, sha256: rubric.sha256),
            computed: computed, official: official, currency: e.bonus?.currency.code ?? e.entry.currency.code,
            pool: e.pool.map { .init(by: $0.by.rawValue, group: $0.group, amount: $0.amount?.decimalString, currency: $0.amount?.currency.code) },
            change: changeTenths.map { Double($0) / 10 }, metrics: metrics, history: history,
            training: e.training.map { .init(metric: $0.metricID, module: $0.module, score: $0.score, below: $0.below, priority: $0.priority) },
            nextBand: next, draft: draft, disputes: disputes.isEmpty ? nil : disputes
        )
    }
}

extension ScorecardDocument {
    /// Pretty, key-sorted JSON (stable for scripts and tests).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    public static func decode(_ data: Data) throws -> ScorecardDocument {
        try JSONDecoder().decode(ScorecardDocument.self, from: data)
    }
}
