@testable import MeritEngine

/// Small builders so each test states only what matters to it.
enum Fixtures {
    static let q3 = Period("2026-Q3")!

    static func date(_ text: String) -> CivilDate {
        let parts = text.split(separator: "-").map { Int($0)! }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])!
    }

    static func instant(_ day: String, hour: Int, minute: Int = 0) -> Instant {
        Instant(seconds: Int64(date(day).daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60), nanoseconds: 0)
    }

    static func band(_ id: String, _ min: Double, _ multiplier: String, training: String? = nil) -> Band {
        Band(id: id, min: min, multiplier: DecimalNumber(multiplier)!, training: training)
    }

    static let standardBands = [
        band("A", 90, "1.5"), band("B", 75, "1.2"), band("C", 55, "1.0"),
        band("D", 40, "0.5", training: "Performance improvement plan"), band("E", 0, "0", training: "Performance improvement plan"),
    ]

    static func rubric(
        _ metrics: [MetricDefinition], dimensions: [RubricDimension] = [], bands: [Band] = standardBands,
        bonus: BonusPolicy = BonusPolicy(), roles: [String] = [], minDays: Int = 1
    ) -> Rubric {
        Rubric(id: "test", version: 1, roles: roles, minDays: minDays, metrics: metrics, dimensions: dimensions, bands: bands, bonus: bonus)
    }

    static func employee(
        _ id: String, team: String? = "Blue", role: String? = nil, hire: String? = nil, end: String? = nil,
        target: Int64 = 1_000_000, currency: String = "USD", costCenter: String? = nil
    ) -> RosterEntry {
        RosterEntry(
            employeeID: id, name: "Name \(id)", team: team, role: role, hireDate: hire.map(date), endDate: end.map(date),
            bonusTargetThousandths: target, currency: Currency(currency)!, costCenter: costCenter)
    }

    static func feedbackMetric(
        _ id: String = "feedback", weight: Double = 1, curve: Curve = .percent, minSamples: Int? = nil,
        when: InsufficientPolicy = .redistribute, shrink: Double? = nil, dimension: String? = nil,
        training: TrainingRule? = nil
    ) -> MetricDefinition {
        MetricDefinition(
            id: id, kind: .positiveFeedbackShare, weight: weight, curve: curve, minSamples: minSamples,
            whenInsufficient: when, shrink: shrink, dimension: dimension, training: training)
    }

    /// Evaluates `rubric` for `roster` after `feed` adds records to the tallies.
    static func evaluate(
        _ rubric: Rubric, _ roster: [RosterEntry], period: Period = q3, pools: [String: PoolEntry] = [:],
        feed: (inout MetricTallies, Population) -> Void = { _, _ in }
    ) throws -> Evaluation {
        let population = Population(rubric: rubric, period: period, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: period, population: population)
        feed(&tallies, population)
        return try Evaluator.evaluate(
            rubric: rubric, population: population, tallies: tallies.finished(),
            pools: Dictionary(uniqueKeysWithValues: pools.map { (TextKey($0.key), $0.value) }))
    }

    /// Adds `positive` positive and `other` neutral feedback items for `id` in Q3.
    static func feedback(_ t: inout MetricTallies, _ p: Population, _ id: String, positive: Int, other: Int) {
        let slot = p.slot(of: id)!
        for _ in 0..<positive { t.add(FeedbackItem(slot: slot, date: date("2026-08-01"), sentiment: .positive)) }
        for _ in 0..<other { t.add(FeedbackItem(slot: slot, date: date("2026-08-01"), sentiment: .neutral)) }
    }
}
