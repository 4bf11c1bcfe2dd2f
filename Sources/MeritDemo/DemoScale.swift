/// How big a generated company is: head count and the volume of each
/// dataset of docs/reference.md §2.2. `merit demo` (docs/reference.md §12) uses `.demo`; the larger
/// presets exist for benchmarks and load tests of the readers and engine.
///
/// Volumes are company-wide targets per quarter. Surveys, complaints, sales
/// and feedback are spread over the people who produce them (by role and by
/// days employed), so a person's sample size stays realistic whatever the
/// scale. `accountSpells` counts every ownership spell over the whole history
/// and is approximate (churn, transfers and new customers are random).
public struct DemoScale: Sendable, Equatable {
    /// Everyone in `employees.csv`: evaluated staff, team leads and heads.
    public var employees: Int
    /// Evaluated members per team (each team also has one `team-lead`).
    public var teamSize: Int
    /// Survey responses per quarter (docs/reference.md §2.2 surveys).
    public var surveysPerQuarter: Int
    /// Complaint tickets opened per quarter (docs/reference.md §2.2 complaints).
    public var complaintsPerQuarter: Int
    /// Order lines per quarter (docs/reference.md §2.2 sales), refunds included.
    public var salesPerQuarter: Int
    /// Customer ownership spells in `accounts.csv` over the whole history.
    public var accountSpells: Int
    /// Pieces of unsolicited feedback per quarter (docs/reference.md §2.2 feedback).
    public var feedbackPerQuarter: Int

    /// A scale with explicit volumes. Negative volumes count as 0; the roster
    /// always holds at least 16 people and one team of each kind, so that
    /// every role and every employment case of the demo exists.
    public init(
        employees: Int, teamSize: Int, surveysPerQuarter: Int, complaintsPerQuarter: Int,
        salesPerQuarter: Int, accountSpells: Int, feedbackPerQuarter: Int
    ) {
        self.employees = employees
        self.teamSize = teamSize
        self.surveysPerQuarter = surveysPerQuarter
        self.complaintsPerQuarter = complaintsPerQuarter
        self.salesPerQuarter = salesPerQuarter
        self.accountSpells = accountSpells
        self.feedbackPerQuarter = feedbackPerQuarter
    }

    /// The company of `merit demo`: 120 people in 11 teams, a few thousand
    /// surveys a quarter. Generates in well under a second.
    public static let demo = DemoScale(
        employees: 120, teamSize: 10, surveysPerQuarter: 3_000, complaintsPerQuarter: 1_200,
        salesPerQuarter: 1_500, accountSpells: 1_500, feedbackPerQuarter: 700)

    /// A mid-sized contact centre: 2,000 people, 500,000 surveys, 100,000
    /// complaints, 200,000 order lines and 30,000 feedback items a quarter,
    /// ~40,000 account spells (≈ 190 MB over four quarters, under a second
    /// in a release build).
    public static let medium = DemoScale(
        employees: 2_000, teamSize: 12, surveysPerQuarter: 500_000, complaintsPerQuarter: 100_000,
        salesPerQuarter: 200_000, accountSpells: 40_000, feedbackPerQuarter: 30_000)

    /// A large enterprise, ten times `medium`: 20,000 people and 5,000,000
    /// surveys a quarter — over two quarters ≈ 10 million survey rows
    /// (0.6 GB) and 17 million rows (0.95 GB) in all; about 6 s in a release
    /// build.
    public static let large = DemoScale(
        employees: 20_000, teamSize: 12, surveysPerQuarter: 5_000_000, complaintsPerQuarter: 1_000_000,
        salesPerQuarter: 2_000_000, accountSpells: 400_000, feedbackPerQuarter: 300_000)
}
