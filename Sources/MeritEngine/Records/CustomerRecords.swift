// The validated records a rubric's metrics fold over (docs/reference.md §2.2). Readers
// produce them row by row; `MetricTallies` aggregates them as they arrive, so
// no dataset is ever held whole in memory. `slot` is the employee's position
// in the `Population` (only evaluated employees have one).

/// One survey response of an evaluated employee.
public struct SurveyResponse: Sendable {
    public let slot: Int
    /// The response's date in the workspace time zone (docs/reference.md §1).
    public let date: CivilDate
    public let score: Double?
    /// 0...10, integer.
    public let recommend: Int?
    /// Lower-cased `dimension`, compared case-insensitively (docs/reference.md §15).
    public let dimension: String?

    public init(slot: Int, date: CivilDate, score: Double?, recommend: Int?, dimension: String?) {
        self.init(slot: slot, date: date, score: score, recommend: recommend, normalizedDimension: dimension?.lowercased())
    }

    /// For readers that have already lower-cased (or matched) the dimension: no copy per row.
    public init(slot: Int, date: CivilDate, score: Double?, recommend: Int?, normalizedDimension: String?) {
        self.slot = slot
        self.date = date
        self.score = score
        self.recommend = recommend
        self.dimension = normalizedDimension
    }
}

/// One customer ownership spell. Every valid spell is passed on, of evaluated
/// employees or not, because `new_customers` asks whether a spell is the
/// customer's first ever, with anyone (docs/reference.md §15).
public struct AccountSpell: Sendable {
    /// nil when the owner is not evaluated.
    public let slot: Int?
    public let customerID: String
    public let since: CivilDate
    /// First day no longer owned (exclusive); nil = still owned.
    public let until: CivilDate?
    /// `end_reason: transfer` with an `until` (a spell that ends by transfer leaves the retention base).
    public let endsByTransfer: Bool

    public init(slot: Int?, customerID: String, since: CivilDate, until: CivilDate?, endsByTransfer: Bool) {
        self.slot = slot
        self.customerID = customerID
        self.since = since
        self.until = until
        self.endsByTransfer = endsByTransfer
    }

    /// Whether the spell is active on day `d`: `since ≤ d < until` (docs/reference.md §2.2).
    public func isActive(on d: CivilDate) -> Bool {
        since <= d && (until.map { d < $0 } ?? true)
    }
}

/// One complaint ticket of an evaluated employee.
public struct ComplaintTicket: Sendable {
    public let slot: Int
    /// The date `opened_at` falls on in the workspace zone: the period it belongs to.
    public let openedDate: CivilDate
    public let opened: Instant
    public let resolved: Instant?
    public let firstContactResolved: Bool?
    public let escalated: Bool?

    public init(slot: Int, openedDate: CivilDate, opened: Instant, resolved: Instant?, firstContactResolved: Bool?, escalated: Bool?) {
        self.slot = slot
        self.openedDate = openedDate
        self.opened = opened
        self.resolved = resolved
        self.firstContactResolved = firstContactResolved
        self.escalated = escalated
    }
}

/// One sales line of an evaluated employee; the amount is exact, in thousandths.
public struct SaleLine: Sendable {
    public let slot: Int
    public let date: CivilDate
    public let amountThousandths: Int64
    public init(slot: Int, date: CivilDate, amountThousandths: Int64) {
        self.slot = slot
        self.date = date
        self.amountThousandths = amountThousandths
    }
}

/// The three sentiments of unsolicited feedback (docs/reference.md §2.2).
public enum Sentiment: String, Sendable, CaseIterable {
    case positive, neutral, negative
}

/// One piece of feedback about an evaluated employee.
public struct FeedbackItem: Sendable {
    public let slot: Int
    public let date: CivilDate
    public let sentiment: Sentiment
    public init(slot: Int, date: CivilDate, sentiment: Sentiment) {
        self.slot = slot
        self.date = date
        self.sentiment = sentiment
    }
}

/// A sales quota of an evaluated employee for one period.
public struct QuotaEntry: Sendable {
    public let slot: Int
    public let period: Period
    public let quotaThousandths: Int64
    public init(slot: Int, period: Period, quotaThousandths: Int64) {
        self.slot = slot
        self.period = period
        self.quotaThousandths = quotaThousandths
    }
}

/// A bonus pool for one group (docs/reference.md §2.2 pools, §8.2).
public struct PoolEntry: Sendable {
    public let pool: String
    public let amountThousandths: Int64
    /// The pool's currency, or the rubric's when the row names none.
    public let currency: Currency
    public let line: Int
    public init(pool: String, amountThousandths: Int64, currency: Currency, line: Int) {
        self.pool = pool
        self.amountThousandths = amountThousandths
        self.currency = currency
        self.line = line
    }
}
