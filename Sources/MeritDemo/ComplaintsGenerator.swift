// complaints.csv (docs/reference.md §2.2, §5 complaint_resolution_rate,
// median_resolution_hours, first_contact_resolution_rate, escalation_rate,
// complaint_rate): tickets in order of opening. Agents handle most of them;
// account managers handle their own accounts' complaints (fewer the better
// they look after them). First-contact resolutions close within minutes to
// two hours; follow-ups take hours to days with a long tail beyond the 48 h
// SLA; escalations take longer; a few are abandoned, and tickets still open
// at the export moment are unresolved. resolved_at ≥ opened_at always.

struct ComplaintsGenerator {
    static let header = [
        "ticket_id", "employee_id", "opened_at", "resolved_at", "first_contact_resolved",
        "escalated", "customer_id", "severity",
    ]

    let org: Organization
    let scale: DemoScale
    let book: AccountBook
    let seed: UInt64

    private static func volume(_ role: Role) -> Double {
        switch role {
        case .agent: return 1.0
        case .seniorAgent: return 1.1
        default: return 0
        }
    }

    func write(to path: String) throws -> Int {
        var rng = SeededGenerator(seed: seed, stream: "complaints")
        var clock = SeededGenerator(seed: seed, stream: "complaints.clock")
        let employees = org.employees
        let people = employees.indices.filter {
            Self.volume(employees[$0].role) > 0 || employees[$0].role == .accountManager
        }
        var activity = [Double](repeating: 0, count: employees.count)
        for i in people { activity[i] = Self.volume(employees[i].role) * rng.uniform(0.7, 1.3) }
        let profiles = employees.map { PerformanceProfile(skill: $0.skill) }
        let severities = CategoricalTable([0.45, 0.35, 0.15, 0.05])
        let cutoff = org.cutoffSecond

        let out = try CSVRowWriter(path: path, header: Self.header)
        var ticket = 0
        for (q, quarter) in org.quarters.enumerated() {
            // Account managers: expected complaints from the size of their book.
            var weights = [Double](repeating: 0, count: people.count)
            var accountShare = 0.0
            var serviceWeight = 0.0
            for (k, i) in people.enumerated() {
                let present = employees[i].works(in: quarter) ? 1.0 : 0.0
                if employees[i].role == .accountManager {
                    let accounts = Double(max(book.bookAtStart[q][i], book.count(of: i) == 0 ? 0 : 5))
                    weights[k] = accounts * profiles[i].complaintsPerAccount * present
                    accountShare += weights[k]
                } else {
                    weights[k] = activity[i] * present
                    serviceWeight += weights[k]
                }
            }
            let total = max(Double(scale.complaintsPerQuarter), accountShare)
            let serviceShare = total - accountShare
            if serviceWeight > 0 {
                for (k, i) in people.enumerated() where employees[i].role != .accountManager {
                    weights[k] *= serviceShare / serviceWeight
                }
            }
            Timeline.office.run(
                quarter: quarter, total: Int(total.rounded()), people: people, weights: weights,
                employment: org.employment, rng: &clock
            ) { day, second, who in
                let p = profiles[who]
                let opened = day * CalendarMath.secondsPerDay + second
                let escalated = rng.chance(p.escalation)
                let firstContact = !escalated && rng.chance(p.firstContactResolution)
                var duration: Int
                if firstContact {
                    duration = 300 + rng.below(6_900)  // 5 minutes to 2 hours
                    duration = max(0, min(duration, cutoff - 1 - opened))
                } else {
                    let u = min(rng.unit(), 0.999)
                    var hours = p.followUpMedianHours * (u / (1 - u)).squareRoot()
                    if escalated { hours *= 2 }
                    hours = min(max(hours, 0.25), 30 * 24)
                    duration = Int(hours * 3600) + rng.below(60)
                }
                let resolved = !(!firstContact && rng.chance(p.abandoned)) && opened + duration < cutoff

                ticket += 1
                out.literal("TCK-")
                out.padded(ticket, width: 8)
                out.comma()
                org.writeID(who, to: out)
                out.comma()
                out.timestamp(opened)
                out.comma()
                if resolved { out.timestamp(opened + duration) }
                out.comma()
                if rng.unit() >= 0.03 {
                    if firstContact { out.literal("true") } else { out.literal("false") }
                }
                out.comma()
                if rng.unit() >= 0.02 {
                    if escalated { out.literal("true") } else { out.literal("false") }
                }
                out.comma()
                let owned = book.count(of: who)
                if owned > 0 {
                    book.writeCustomer(book.customer(of: who, rng.below(owned)), to: out)
                } else {
                    out.byte(0x43)  // C
                    out.padded(1 + rng.below(9_999_999), width: 7)
                }
                out.comma()
                switch severities.draw(&rng) + (escalated ? 1 : 0) {
                case 0: out.literal("low")
                case 1: out.literal("medium")
                case 2: out.literal("high")
                default: out.literal("critical")
                }
                out.endRow()
            }
        }
        return try out.close()
    }
}
