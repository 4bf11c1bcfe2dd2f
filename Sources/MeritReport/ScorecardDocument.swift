import Foundation
import MeritEngine

/// A scorecard as data, ready to show (issue: self-service scorecards): what
/// `merit scorecard --json` prints, what `merit serve` sends, and what the
/// terminal view is drawn from — so a scorecard read from a server looks
/// exactly like one read from a workspace. Numbers stay numbers (`raw`,
/// `score`, …); `display` strings carry each value in its own unit.
public struct ScorecardDocument: Codable, Sendable, Equatable {
    public var employeeID: String
    public var name: String
    public var team: String?
    public var role: String?
    public var period: String
    public var rubric: RubricInfo
    /// The official total (one decimal); nil when unrated.
    public var total: Double?
    public var totalExact: Double?
    public var band: String?
    public var multiplier: String?
    public var bonus: String?
    public var currency: String
    /// In pool mode, the pool the bonus is a share of (docs/reference.md §8.2); absent in target mode.
    public var pool: Pool?
    public var adjustment: ScorecardAdjustment?
    /// Official total less the previous period's of the same form.
    public var change: Double?
    public var metrics: [Metric]
    /// Earlier periods of the same form, oldest first.
    public var history: [ScorecardHistoryPoint]
    public var training: [Training]
    public var nextBand: NextBandInfo?

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
        public var raw: Double?
        /// The raw value in its unit (`4.42 / 5`, `91.3 %`, `6.5 h`).
        public var display: String?
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
        case employeeID = "employee_id", name, team, role, period, rubric, total, totalExact = "total_exact", band, multiplier
        case bonus, currency, pool, adjustment, change, metrics, history, training, nextBand = "next_band"
    }
}

extension ScorecardDocument.Metric {
    enum CodingKeys: String, CodingKey {
        case id, name, raw, display, n, score, status, effectiveWeight = "effective_weight", points, note
    }
}

extension Scorecard {
    /// The document of this scorecard.
    public var document: ScorecardDocument {
        let e = employee
        let metrics = zip(rubric.metrics, e.metrics).map { definition, m -> ScorecardDocument.Metric in
            var points: Double?
            if let s = m.score, let w = m.effectiveWeight { points = s * w }
            var note: String?
            if m.score == nil {
                note =
                    m.status == .insufficient && m.n < definition.minSamples
                    ? "not rated: \(m.n) of the \(definition.minSamples) samples needed" : "not rated this period"
            }
            return .init(
                id: m.metricID, name: definition.displayName, raw: m.raw,
                display: m.raw.map { MetricUnits.format($0, for: definition) }, n: m.n, score: m.score,
                status: m.status.rawValue, effectiveWeight: m.effectiveWeight, points: points, note: note)
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
        return ScorecardDocument(
            employeeID: e.entry.employeeID, name: e.entry.name, team: e.entry.team, role: e.entry.role, period: period,
            rubric: .init(id: rubric.id, name: rubric.name, version: rubric.version, sha256: rubric.sha256),
            total: e.officialTotal, totalExact: e.totalExact, band: e.band?.id, multiplier: e.band.map { "\($0.multiplier)" },
            bonus: e.bonus?.decimalString, currency: e.bonus?.currency.code ?? e.entry.currency.code,
            pool: e.pool.map { .init(by: $0.by.rawValue, group: $0.group, amount: $0.amount?.decimalString, currency: $0.amount?.currency.code) },
            adjustment: adjustment, change: changeTenths.map { Double($0) / 10 }, metrics: metrics, history: history,
            training: e.training.map { .init(metric: $0.metricID, module: $0.module, score: $0.score, below: $0.below, priority: $0.priority) },
            nextBand: next
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
