// sales.csv (docs/reference.md §2.2, §5 sales_total / sales_growth / quota_attainment):
// order lines by date. Each sales rep has a territory (the size of their
// quota), a level (how much of it they reach) and a trend (growing or
// shrinking from quarter to quarter); account managers book a few upsells on
// their own accounts. About 2.5 % of the lines are refunds (negative).
// Amounts are exact in the employee's currency: cents for USD/EUR, whole yen.

/// The sales targets and trajectories shared by sales.csv, quotas.csv and
/// pools.csv.
struct SalesPlan {
    /// Nominal quota of a full review quarter, per employee index (0 = none).
    let territory: [Double]
    /// Expected attainment of the quota in the review quarter.
    let level: [Double]
    /// Growth factor per quarter.
    let trend: [Double]
    /// Random factor per quarter and employee.
    let noise: [[Double]]
    let quarterCount: Int

    init(org: Organization, seed: UInt64) {
        var rng = SeededGenerator(seed: seed, stream: "sales.plan")
        let n = org.employees.count
        var territory = [Double](repeating: 0, count: n)
        var level = [Double](repeating: 0, count: n)
        var trend = [Double](repeating: 1, count: n)
        var noise = [[Double]](repeating: [], count: n)
        for i in org.members(of: .salesRep) {
            let skill = org.employees[i].skill
            territory[i] = (rng.uniform(100_000, 160_000) / 1_000).rounded() * 1_000
            level[i] = PerformanceProfile(skill: skill).attainment
            trend[i] = min(max(1 + 0.05 * skill + 0.03 * rng.normal(), 0.8), 1.25)
            noise[i] = org.quarters.map { _ in 1 + 0.04 * rng.normal() }
        }
        self.territory = territory
        self.level = level
        self.trend = trend
        self.noise = noise
        self.quarterCount = org.quarters.count
    }

    /// Expected nominal net sales of a full quarter `q` (index into the quarters).
    func expected(_ i: Int, quarter q: Int) -> Double {
        var value = territory[i] * level[i] * noise[i][q]
        var k = q
        while k < quarterCount - 1 { value /= trend[i]; k += 1 }
        return value
    }

    /// Nominal quota of quarter `q`: quotas rise 2 % a quarter towards the
    /// review quarter's territory, in whole thousands.
    func quota(_ i: Int, quarter q: Int) -> Double {
        ((territory[i] * (1 - 0.02 * Double(quarterCount - 1 - q))) / 1_000).rounded() * 1_000
    }
}

struct SalesGenerator {
    static let header = ["employee_id", "date", "amount", "order_id", "customer_id"]

    let org: Organization
    let scale: DemoScale
    let book: AccountBook
    let plan: SalesPlan
    let seed: UInt64

    func write(to path: String) throws -> Int {
        var rng = SeededGenerator(seed: seed, stream: "sales")
        var clock = SeededGenerator(seed: seed, stream: "sales.clock")
        let employees = org.employees
        let reps = org.members(of: .salesRep)
        let managers = org.members(of: .accountManager)
        let people = reps + managers
        var activity = [Double](repeating: 0, count: employees.count)
        for i in reps { activity[i] = rng.uniform(0.7, 1.3) }
        for i in managers { activity[i] = rng.uniform(0.5, 1.5) }
        let total = Double(max(scale.salesPerQuarter, 0))
        let repShare = total * 0.93
        let managerShare = total - repShare
        let refundCompensation = 1 / (0.975 - 0.025 * 0.45)
        let digits = employees.map { $0.currency.minorDigits }
        let minorPerNominal = employees.map { $0.currency.scale * Double($0.currency.minorPerMajor) }
        let isManager = employees.map { $0.role == .accountManager }

        let out = try CSVRowWriter(path: path, header: Self.header)
        var order = 0
        var meanOrder = [Double](repeating: 0, count: employees.count)
        for (q, quarter) in org.quarters.enumerated() {
            var weights = [Double](repeating: 0, count: people.count)
            var repWeight = 0.0
            var managerWeight = 0.0
            for (k, i) in people.enumerated() {
                let present = employees[i].works(in: quarter) ? 1.0 : 0.0
                weights[k] = activity[i] * present
                if employees[i].role == .salesRep { repWeight += weights[k] } else { managerWeight += weights[k] }
            }
            for (k, i) in people.enumerated() {
                if employees[i].role == .salesRep {
                    if repWeight > 0 { weights[k] *= repShare / repWeight }
                    // Full-quarter order count → average order size.
                    let fullOrders = repWeight > 0 ? repShare * activity[i] / repWeight : 0
                    meanOrder[i] = fullOrders > 0 ? plan.expected(i, quarter: q) * refundCompensation / fullOrders : 0
                } else {
                    if managerWeight > 0 { weights[k] *= managerShare / managerWeight }
                    meanOrder[i] = 1_200
                }
            }
            Timeline.office.run(
                quarter: quarter, total: Int(total.rounded()), people: people, weights: weights,
                employment: org.employment, rng: &clock
            ) { day, _, who in
                let mean = meanOrder[who] * minorPerNominal[who]
                var minor: Int
                if rng.chance(0.025) {
                    minor = -Int((mean * rng.uniform(0.1, 0.8)).rounded())
                    if minor == 0 { minor = -1 }
                } else {
                    let u = rng.unit()
                    minor = Int((mean * (0.2 + 2.4 * u * u)).rounded())
                    if minor == 0 { minor = 1 }
                }
                org.writeID(who, to: out)
                out.comma()
                out.date(day)
                out.comma()
                out.money(minor: minor, digits: digits[who])
                out.comma()
                order += 1
                out.literal("SO-")
                out.padded(order, width: 8)
                out.comma()
                let owned = book.count(of: who)
                if isManager[who] && owned > 0 {
                    book.writeCustomer(book.customer(of: who, rng.below(owned)), to: out)
                } else {
                    out.byte(0x43)  // C
                    out.padded(1 + rng.below(9_999_999), width: 7)
                }
                out.endRow()
            }
        }
        return try out.close()
    }
}
