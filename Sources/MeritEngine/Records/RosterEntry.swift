/// One validated row of `employees` (docs/reference.md §2.2): who a person is, when they
/// were employed, and what their bonus is measured against.
public struct RosterEntry: Sendable, Hashable {
    public let employeeID: String
    public let name: String
    public let team: String?
    public let managerID: String?
    public let role: String?
    public let hireDate: CivilDate?
    /// Last day employed, inclusive.
    public let endDate: CivilDate?
    /// The period's bonus at 100 %, in thousandths of the currency unit (exact).
    public let bonusTargetThousandths: Int64
    /// The employee's currency, or the rubric's when the row names none.
    public let currency: Currency
    public let costCenter: String?
    public let login: String?
    public let email: String?
    /// The physical line of the row in the employees file, for row errors found later (docs/reference.md §15 pool currency).
    public let line: Int

    public init(
        employeeID: String, name: String, team: String? = nil, managerID: String? = nil, role: String? = nil,
        hireDate: CivilDate? = nil, endDate: CivilDate? = nil, bonusTargetThousandths: Int64 = 0,
        currency: Currency = .usd, costCenter: String? = nil, login: String? = nil, email: String? = nil, line: Int = 0
    ) {
        self.employeeID = employeeID
        self.name = name
        self.team = team
        self.managerID = managerID
        self.role = role
        self.hireDate = hireDate
        self.endDate = endDate
        self.bonusTargetThousandths = bonusTargetThousandths
        self.currency = currency
        self.costCenter = costCenter
        self.login = login
        self.email = email
        self.line = line
    }

    /// Days of `period` with `hire_date ≤ d ≤ end_date`, open bounds when absent (docs/reference.md §3).
    public func daysEmployed(in period: Period) -> Int {
        var first = period.start
        var last = period.lastDay
        if let hire = hireDate, hire > first { first = hire }
        if let end = endDate, end < last { last = end }
        return max(0, Int(last.daysSinceEpoch - first.daysSinceEpoch) + 1)
    }
}
