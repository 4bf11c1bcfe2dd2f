/// How often a workspace pays bonuses (`bonus_period` in merit.yaml, docs/workspace.md "Bonus cadence").
///
/// A rubric's `bonus_target` is what one paid period pays. A review of another length (a month or a half-year in a
/// workspace that pays quarterly) still rates people, but paying its bonus would pay the same months twice, so such a
/// review pays none (`Evaluation.withoutBonuses()`).
public enum BonusCadence: String, Sendable, CaseIterable {
    case year, half, quarter, month

    /// The cadence a period of this form would be paid at.
    public init(_ period: Period) {
        switch period.form {
        case .year: self = .year
        case .half: self = .half
        case .quarter: self = .quarter
        case .month: self = .month
        }
    }

    /// Whether a review of `period` pays bonuses under this cadence.
    public func pays(_ period: Period) -> Bool { BonusCadence(period) == self }

    /// The period form in words, for messages ("a month", "a quarter").
    public var article: String {
        switch self {
        case .year: return "a year"
        case .half: return "a half-year"
        case .quarter: return "a quarter"
        case .month: return "a month"
        }
    }
}

extension Period {
    /// Whether the two periods share a day (docs/workspace.md "Bonus cadence": two paid reviews may not).
    public func overlaps(_ other: Period) -> Bool { start < other.endExclusive && other.start < endExclusive }
}

extension Evaluation {
    /// The same ratings with no bonus paid: every employee keeps their total, band and multiplier, and their bonus
    /// amount is empty (a review of a period the workspace does not pay, `BonusCadence`).
    public func withoutBonuses() -> Evaluation {
        Evaluation(
            rubric: rubric, period: period,
            employees: employees.map {
                EmployeeResult(
                    entry: $0.entry, daysEmployed: $0.daysEmployed, proration: $0.proration, totalExact: $0.totalExact,
                    officialTotalTenths: $0.officialTotalTenths, band: $0.band, bonus: nil, metrics: $0.metrics,
                    training: $0.training, pool: $0.pool)
            }, warnings: warnings, notEvaluated: notEvaluated)
    }
}
