import MeritEngine

/// One person's review of one period, as they (or their manager, or HR) read
/// it: the evaluation result with the rubric that produced it, the periods
/// before, an adjusted band if a manager set one, and what it would take to
/// reach the next band (issue: self-service scorecards; docs/reference.md §5–§10).
///
/// A value built by the caller from wherever the review lives (a workspace
/// store or a server's answer); the renderers are pure functions of it.
public struct Scorecard: Sendable {
    public let period: String
    public let rubric: Rubric
    public let employee: EmployeeResult
    /// Earlier periods of the same form, oldest first (this period excluded).
    public let history: [ScorecardHistoryPoint]
    /// The band in force when a manager adjusted it (docs/reference.md §10); nil when the computed band stands.
    public let adjustment: ScorecardAdjustment?
    /// nil when unrated or already in the highest band.
    public let nextBand: NextBandPlan?
    /// The bonus in force, as a decimal string: the one paid. It differs from the computed bonus when a manager
    /// adjusted this person's band, and in pool mode also when someone else's adjustment split the pool again
    /// (docs/reference.md §8.2, §10) — which is why it is given, not derived from `adjustment`.
    public let bonusInForce: String?
    /// Why the review pays no bonus at all (docs/workspace.md "Bonus cadence": a month in a workspace that pays per
    /// quarter); nil when it pays.
    public let noBonus: String?
    /// Set when the review is a draft (managers review their people's drafts, docs/roles.md): what the scorecard
    /// says first. nil for a finalized review.
    public let draft: String?
    /// The person's disputes of this period (docs/disputes.md), oldest first; none for most scorecards.
    public var disputes: [ScorecardDocument.Dispute] = []

    /// - Parameter bonusInForce: the bonus paid, when the caller knows it (a stored review's); by default the
    ///   adjustment's bonus when there is one, else the computed bonus.
    public init(
        period: String, rubric: Rubric, employee: EmployeeResult, history: [ScorecardHistoryPoint] = [],
        adjustment: ScorecardAdjustment? = nil, bonusInForce: String?? = nil, noBonus: String? = nil, draft: String? = nil
    ) {
        self.noBonus = noBonus
        self.draft = draft
        self.period = period
        self.rubric = rubric
        self.employee = employee
        self.history = history
        self.adjustment = adjustment
        self.bonusInForce = bonusInForce ?? (adjustment != nil ? adjustment?.bonus : employee.bonus?.decimalString)
        nextBand = NextBand.plan(
            for: employee, rubric: rubric,
            bandInForce: adjustment.flatMap { a in rubric.bands.first { $0.id == a.band } })
    }

    /// The official total of the previous period of the same form, when there is one with a total.
    public var previousTotalTenths: Int? { history.last?.officialTotalTenths }

    /// This period's official total less the previous one's, in tenths.
    public var changeTenths: Int? {
        guard let now = employee.officialTotalTenths, let before = previousTotalTenths else { return nil }
        return now - before
    }
}

/// A past period's outcome, for the trend line (docs/reference.md §10 history): its official total and the band in
/// force (a manager's, when one was set).
///
/// In JSON the total is a number in the unit people read (`54.4`), like every other total of the scorecard
/// (docs/scorecard.md "As data"); the tenths are how it is held, so that it compares exactly.
public struct ScorecardHistoryPoint: Codable, Sendable, Equatable {
    public let period: String
    public let officialTotalTenths: Int?
    public let band: String?

    enum CodingKeys: String, CodingKey { case period, total, band }

    public init(period: String, officialTotalTenths: Int?, band: String?) {
        self.period = period
        self.officialTotalTenths = officialTotalTenths
        self.band = band
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        period = try c.decode(String.self, forKey: .period)
        officialTotalTenths = try c.decodeIfPresent(Double.self, forKey: .total).map { Int(($0 * 10).rounded()) }
        band = try c.decodeIfPresent(String.self, forKey: .band)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(period, forKey: .period)
        try c.encode(officialTotalTenths.map { Double($0) / 10 }, forKey: .total)
        try c.encode(band, forKey: .band)
    }
}

/// A manager's override of the band (docs/reference.md §10): the computed total stays visible beside it.
public struct ScorecardAdjustment: Codable, Sendable, Equatable {
    public let band: String
    public let multiplier: String?
    public let bonus: String?
    public let reason: String
    public let by: String
    public let at: String

    public init(band: String, multiplier: String?, bonus: String?, reason: String, by: String, at: String) {
        self.band = band
        self.multiplier = multiplier
        self.bonus = bonus
        self.reason = reason
        self.by = by
        self.at = at
    }
}
