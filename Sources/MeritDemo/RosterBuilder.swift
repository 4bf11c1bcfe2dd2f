// Builds the organisation of `employees.csv` (docs/reference.md §2.2): teams of one role
// family, each with a `team-lead` who reports to a head; the four evaluated
// roles in the proportions agent 50 %, senior agent 15 %, account manager
// 20 %, sales rep 15 %; mostly USD with a few EUR teams and one JPY team; and
// the employment cases docs/reference.md §3 cares about (joiners and leavers inside the
// review quarter, people hired after it or gone before it).

import MeritReport

struct RosterBuilder {
    private struct Site {
        let city: String
        let region: NamePool.Region
        let currency: Currency
    }

    private static let serviceSites: [Site] = [
        Site(city: "Austin", region: .northAmerica, currency: .usd),
        Site(city: "Berlin", region: .europe, currency: .eur),
        Site(city: "Manila", region: .southeastAsia, currency: .usd),
        Site(city: "Denver", region: .northAmerica, currency: .usd),
        Site(city: "Singapore", region: .southeastAsia, currency: .usd),
        Site(city: "Chicago", region: .northAmerica, currency: .usd),
        Site(city: "Málaga", region: .europe, currency: .eur),
        Site(city: "Atlanta", region: .northAmerica, currency: .usd),
        Site(city: "Phoenix", region: .northAmerica, currency: .usd),
        Site(city: "Raleigh", region: .northAmerica, currency: .usd),
    ]
    private static let accountSites: [Site] = [
        Site(city: "Boston", region: .northAmerica, currency: .usd),
        Site(city: "Tokyo", region: .japan, currency: .jpy),
        Site(city: "München", region: .europe, currency: .eur),
        Site(city: "Seattle", region: .northAmerica, currency: .usd),
        Site(city: "New York", region: .northAmerica, currency: .usd),
        Site(city: "Miami", region: .northAmerica, currency: .usd),
        Site(city: "Düsseldorf", region: .europe, currency: .eur),
        Site(city: "San Diego", region: .northAmerica, currency: .usd),
        Site(city: "Dallas", region: .northAmerica, currency: .usd),
        Site(city: "Portland", region: .northAmerica, currency: .usd),
    ]
    private static let salesSites: [Site] = [
        Site(city: "West", region: .northAmerica, currency: .usd),
        Site(city: "Iberia", region: .europe, currency: .eur),
        Site(city: "Central", region: .northAmerica, currency: .usd),
        Site(city: "East", region: .northAmerica, currency: .usd),
        Site(city: "South", region: .northAmerica, currency: .usd),
        Site(city: "Midwest", region: .northAmerica, currency: .usd),
        Site(city: "Pacific", region: .northAmerica, currency: .usd),
        Site(city: "DACH", region: .europe, currency: .eur),
        Site(city: "Mountain", region: .northAmerica, currency: .usd),
        Site(city: "Northeast", region: .northAmerica, currency: .usd),
    ]

    /// Nominal (USD) bonus target range per role, whole units.
    private static func targetRange(_ role: Role) -> ClosedRange<Int> {
        switch role {
        case .agent: return 1_500...3_000
        case .seniorAgent: return 2_500...4_500
        case .accountManager: return 4_000...8_000
        case .salesRep: return 5_000...10_000
        case .teamLead: return 5_000...9_000
        case .headOfService, .headOfCommercial: return 15_000...25_000
        }
    }

    let scale: DemoScale
    let quarters: [Quarter]
    var rng: SeededGenerator

    init(seed: UInt64, scale: DemoScale, quarters: [Quarter]) {
        self.scale = scale
        self.quarters = quarters
        self.rng = SeededGenerator(seed: seed, stream: "roster")
    }

    /// Head count per evaluated role and the number of teams per family.
    static func plan(
        employees: Int, teamSize: Int
    )
        -> (
            agents: Int, seniors: Int, accountManagers: Int, salesReps: Int,
            serviceTeams: Int, accountTeams: Int, salesTeams: Int
        )
    {
        let people = max(employees, 16)
        let size = max(teamSize, 2)
        let heads = 2
        var teams = max(3, Int((Double(people - heads) / Double(size + 1)).rounded()))
        var counts = (0, 0, 0, 0)
        var split = (1, 1, 1)
        for _ in 0..<3 {  // the team count and the member count depend on each other
            let evaluated = people - heads - teams
            let agents = max(1, Int((Double(evaluated) * 0.50).rounded()))
            let seniors = max(1, Int((Double(evaluated) * 0.15).rounded()))
            let ams = max(1, Int((Double(evaluated) * 0.20).rounded()))
            let reps = max(1, evaluated - agents - seniors - ams)
            counts = (agents, seniors, ams, reps)
            split = (
                max(1, Int((Double(agents + seniors) / Double(size)).rounded())),
                max(1, Int((Double(ams) / Double(size)).rounded())),
                max(1, Int((Double(reps) / Double(size)).rounded()))
            )
            teams = split.0 + split.1 + split.2
        }
        return (counts.0, counts.1, counts.2, counts.3, split.0, split.1, split.2)
    }

    mutating func build() -> Organization {
        let plan = Self.plan(employees: scale.employees, teamSize: scale.teamSize)
        let firstStart = quarters[0].start
        let review = quarters[quarters.count - 1]

        // Teams.
        var teams: [Team] = []
        func addTeams(_ count: Int, kind: TeamKind, prefix: String, sites: [Site], ccDigit: Int) {
            // Exactly one JPY team: the second account team (the first when alone).
            let cycling = sites.filter { $0.currency != .jpy }
            let special = sites.first { $0.currency == .jpy }
            let specialSlot = special == nil ? -1 : (count >= 2 ? 1 : 0)
            for i in 0..<count {
                let site: Site
                var name: String
                if i == specialSlot, let special {
                    site = special
                    name = prefix + " " + site.city
                } else {
                    let j = specialSlot >= 0 && i > specialSlot ? i - 1 : i
                    site = cycling[j % cycling.count]
                    name = prefix + " " + site.city
                    if j >= cycling.count { name += " " + String(j / cycling.count + 1) }
                }
                let cc = "CC-" + String(ccDigit) + Self.zeroPadded(i + 1, width: 3)
                teams.append(
                    Team(
                        name: name, kind: kind, currency: site.currency, region: site.region,
                        costCenter: cc, effect: 0.45 * rng.normal()))
            }
        }
        addTeams(plan.serviceTeams, kind: .customerService, prefix: "Support", sites: Self.serviceSites, ccDigit: 1)
        addTeams(plan.accountTeams, kind: .accounts, prefix: "Accounts", sites: Self.accountSites, ccDigit: 2)
        addTeams(plan.salesTeams, kind: .sales, prefix: "Sales", sites: Self.salesSites, ccDigit: 3)

        // Members per team (role lists dealt round-robin so teams are even).
        var membersRoles: [[Role]] = Array(repeating: [], count: teams.count)
        let serviceTeams = Array(0..<plan.serviceTeams)
        let accountTeams = Array(plan.serviceTeams..<(plan.serviceTeams + plan.accountTeams))
        let salesTeams = Array((plan.serviceTeams + plan.accountTeams)..<teams.count)
        let serviceRoles =
            Array(repeating: Role.seniorAgent, count: plan.seniors)
            + Array(repeating: Role.agent, count: plan.agents)
        for (i, role) in serviceRoles.enumerated() { membersRoles[serviceTeams[i % serviceTeams.count]].append(role) }
        for i in 0..<plan.accountManagers { membersRoles[accountTeams[i % accountTeams.count]].append(.accountManager) }
        for i in 0..<plan.salesReps { membersRoles[salesTeams[i % salesTeams.count]].append(.salesRep) }
        for t in teams.indices { membersRoles[t].sort { $0 == .seniorAgent && $1 != .seniorAgent } }

        // People in id order: heads, then each team's lead and members.
        let total = 2 + teams.count + plan.agents + plan.seniors + plan.accountManagers + plan.salesReps
        let idWidth = max(5, String(total).count)
        var employees: [Employee] = []
        employees.reserveCapacity(total)
        var names = NameDrawer()
        var logins = Set<String>()

        struct Draft {
            var role: Role
            var team: Int?
            var manager: Int?
            var hire: DayNumber?
            var end: DayNumber?
        }
        var drafts: [Draft] = [
            Draft(role: .headOfService, team: nil, manager: nil, hire: nil, end: nil),
            Draft(role: .headOfCommercial, team: nil, manager: nil, hire: nil, end: nil),
        ]
        for t in teams.indices {
            let head = teams[t].kind == .customerService ? 0 : 1
            teams[t].lead = drafts.count
            drafts.append(Draft(role: .teamLead, team: t, manager: head, hire: nil, end: nil))
            for role in membersRoles[t] {
                teams[t].members.append(drafts.count)
                drafts.append(Draft(role: role, team: t, manager: teams[t].lead, hire: nil, end: nil))
            }
        }

        // Hire dates of long-serving staff; 12 % leave the cell empty.
        let historyStart = CalendarMath.day(year: quarters[0].year - 12, month: 1, day: 1)
        for i in drafts.indices {
            let latest = firstStart - 30
            let span = latest - historyStart
            // Skewed towards recent hires, like a growing company.
            let u = rng.unit()
            let hire = latest - Int(Double(span) * u * u)
            drafts[i].hire = rng.chance(0.12) ? nil : hire
        }

        // The employment cases, on evaluated members only, disjoint.
        var pool = drafts.indices.filter { drafts[$0].role.isEvaluated }
        for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.below(i + 1)) }
        func take(_ count: Int, preferring roles: [Role]) -> [Int] {
            var chosen: [Int] = []
            for role in roles where chosen.count < count {
                if let k = pool.firstIndex(where: { drafts[$0].role == role }) { chosen.append(pool.remove(at: k)) }
            }
            while chosen.count < count, !pool.isEmpty { chosen.append(pool.removeLast()) }
            return chosen
        }
        let evaluatedCount = Double(plan.agents + plan.seniors + plan.accountManagers + plan.salesReps)
        let joiners = take(
            max(4, Int((evaluatedCount * 0.035).rounded())),
            preferring: [.agent, .agent, .accountManager, .salesRep])
        let leavers = take(
            max(3, Int((evaluatedCount * 0.025).rounded())),
            preferring: [.agent, .accountManager, .salesRep])
        let earlierJoiners = take(Int((evaluatedCount * 0.04).rounded()), preferring: [.seniorAgent])
        let hiredAfter = take(max(1, Int((evaluatedCount * 0.005).rounded())), preferring: [.agent])
        let goneBefore = take(max(1, Int((evaluatedCount * 0.005).rounded())), preferring: [.accountManager, .agent])

        for (k, i) in joiners.enumerated() {
            // The first joiner starts in the last three days: too little data to rate.
            drafts[i].hire = k == 0 ? review.last - rng.below(3) : review.start + rng.below(review.days - 3)
            drafts[i].end = nil
        }
        for i in leavers {
            drafts[i].end = review.start + rng.below(review.days)
        }
        for i in earlierJoiners {
            drafts[i].hire = firstStart + rng.below(max(1, review.start - firstStart))
        }
        for i in hiredAfter {
            drafts[i].hire = review.end + 5 + rng.below(50)
        }
        for i in goneBefore {
            let previousStart = quarters.count >= 2 ? quarters[quarters.count - 2].start : review.start - 90
            drafts[i].end = previousStart + rng.below(max(1, review.start - previousStart))
            if let hire = drafts[i].hire, hire > drafts[i].end! { drafts[i].hire = drafts[i].end! - 400 }
        }

        // Rows.
        for (i, draft) in drafts.enumerated() {
            let idText = "E" + Self.zeroPadded(i + 1, width: idWidth)
            let team = draft.team
            let currency = team.map { teams[$0].currency } ?? .usd
            let region = team.map { teams[$0].region } ?? .northAmerica
            let generated = names.draw(region: region, rng: &rng)
            var login = generated.loginStem
            var suffix = 2
            while logins.contains(login) {
                login = generated.loginStem + String(suffix)
                suffix += 1
            }
            logins.insert(login)

            let range = Self.targetRange(draft.role)
            var nominal = Double(rng.between(range.lowerBound, range.upperBound))
            let target: Int
            if currency.minorDigits == 0 {
                target = Int((nominal * currency.scale / 100).rounded()) * 100 + (rng.chance(0.1) ? rng.below(100) : 0)
            } else if rng.chance(0.7) {
                nominal = (nominal / 50).rounded() * 50
                target = currency.minor(nominal: nominal)
            } else {
                target = currency.minor(nominal: nominal) + rng.below(currency.minorPerMajor)
            }

            var skill = (team.map { teams[$0].effect } ?? 0) + 0.9 * rng.normal()
            if draft.role == .seniorAgent { skill += 0.3 }
            if let hire = draft.hire, hire >= firstStart { skill -= 0.25 }  // still ramping up

            employees.append(
                Employee(
                    id: idText, idBytes: CSVField.encode(idText), name: generated.display,
                    team: team, manager: draft.manager, role: draft.role, hireDay: draft.hire, endDay: draft.end,
                    bonusTargetMinor: target, currency: currency,
                    costCenter: team.map { teams[$0].costCenter } ?? (draft.role == .headOfService ? "CC-9001" : "CC-9002"),
                    login: login, skill: skill))
        }
        return Organization(employees: employees, teams: teams, quarters: quarters, idWidth: idWidth)
    }

    static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
