// The generated organisation: who works where, in which currency, how good
// they are. Every dataset generator reads this model; only the roster
// builder creates it.

/// The roles of `employees.csv` (docs/reference.md §2.2 `role`, §3). The four evaluated
/// roles are the ones the shipped rubrics cover; team leads and heads are
/// covered by none of them (only by a rubric without `roles`).
enum Role: String, Sendable, CaseIterable {
    case agent = "agent"
    case seniorAgent = "senior-agent"
    case accountManager = "account-manager"
    case salesRep = "sales-rep"
    case teamLead = "team-lead"
    case headOfService = "head-of-customer-service"
    case headOfCommercial = "head-of-commercial"

    var isEvaluated: Bool {
        switch self {
        case .agent, .seniorAgent, .accountManager, .salesRep: return true
        default: return false
        }
    }
}

/// A team holds one role family.
enum TeamKind: Sendable {
    case customerService  // agents and senior agents
    case accounts  // account managers
    case sales  // sales reps
}

/// A currency of the demo (docs/reference.md §8.3 minor units) and how large its
/// amounts are relative to US dollars.
struct Currency: Sendable, Equatable {
    let code: String
    let minorDigits: Int
    /// Amounts are generated in nominal units and multiplied by this
    /// (1 for USD and EUR — European territories are priced in euros — and
    /// 150 for JPY).
    let scale: Double

    static let usd = Currency(code: "USD", minorDigits: 2, scale: 1)
    static let eur = Currency(code: "EUR", minorDigits: 2, scale: 1)
    static let jpy = Currency(code: "JPY", minorDigits: 0, scale: 150)

    /// 10^minorDigits: minor units per major unit.
    var minorPerMajor: Int {
        var unit = 1
        for _ in 0..<minorDigits { unit *= 10 }
        return unit
    }

    /// A nominal (USD-sized) amount in this currency's minor units,
    /// rounded half away from zero.
    func minor(nominal: Double) -> Int {
        Int((nominal * scale * Double(minorPerMajor)).rounded())
    }
}

/// One team: a lead, members of one family, one currency.
struct Team {
    let name: String
    let kind: TeamKind
    let currency: Currency
    let region: NamePool.Region
    let costCenter: String
    /// Shared performance level of the team (managers and processes differ).
    let effect: Double
    var lead: Int = -1
    var members: [Int] = []
}

/// One row of `employees.csv`, plus the latent traits that drive the data.
struct Employee {
    let id: String
    /// `id` as CSV bytes for the small files (the large event streams write
    /// ids with `Organization.writeID`).
    let idBytes: [UInt8]
    let name: String
    let team: Int?
    let manager: Int?
    let role: Role
    /// nil: the cell is left empty (employed since before any period).
    let hireDay: DayNumber?
    /// nil: still employed.
    let endDay: DayNumber?
    let bonusTargetMinor: Int
    let currency: Currency
    let costCenter: String
    let login: String
    /// Latent skill, about standard normal, team effect included; every
    /// metric of this person is drawn around it so that metrics correlate.
    let skill: Double

    /// Employed on `day` (docs/reference.md §3: hire_date ≤ d ≤ end_date).
    @inline(__always)
    func isEmployed(on day: DayNumber) -> Bool {
        (hireDay.map { $0 <= day } ?? true) && (endDay.map { day <= $0 } ?? true)
    }

    /// Employed on at least one day of the quarter.
    func works(in quarter: Quarter) -> Bool { daysEmployed(from: quarter.start, to: quarter.end) > 0 }

    /// Days employed within [start, end).
    func daysEmployed(from start: DayNumber, to end: DayNumber) -> Int {
        let lo = max(start, hireDay ?? start)
        let hi = min(end - 1, endDay ?? (end - 1))
        return max(0, hi - lo + 1)
    }
}

/// Employment spans as flat arrays, for the per-row checks of the event
/// streams (ten million rows cannot afford optionals and struct copies).
struct EmploymentTable {
    private let first: [DayNumber]
    private let last: [DayNumber]

    init(_ employees: [Employee]) {
        first = employees.map { $0.hireDay ?? Int.min / 4 }
        last = employees.map { $0.endDay ?? Int.max / 4 }
    }

    @inline(__always)
    func isEmployed(_ i: Int, on day: DayNumber) -> Bool { first[i] <= day && day <= last[i] }
}

/// The whole generated organisation and the calendar it is generated for.
struct Organization {
    let employees: [Employee]
    let teams: [Team]
    let quarters: [Quarter]
    let employment: EmploymentTable
    /// Digits of the employee numbers: ids are `E` + the 1-based position
    /// zero-padded to this width (`E00042`), so they sort like the roster.
    let idWidth: Int

    init(employees: [Employee], teams: [Team], quarters: [Quarter], idWidth: Int) {
        self.employees = employees
        self.teams = teams
        self.quarters = quarters
        self.idWidth = idWidth
        self.employment = EmploymentTable(employees)
    }

    /// Writes employee `i`'s id without touching its `String`.
    @inline(__always)
    func writeID(_ i: Int, to out: CSVRowWriter) {
        out.byte(0x45)  // E
        out.padded(i + 1, width: idWidth)
    }

    var review: Quarter { quarters[quarters.count - 1] }

    /// The export moment: midnight after the review quarter. Nothing in the
    /// data happens later (tickets still open then are unresolved).
    var cutoffSecond: Int { review.end * CalendarMath.secondsPerDay }

    func members(of role: Role) -> [Int] {
        employees.indices.filter { employees[$0].role == role }
    }
}
