// quotas.csv and pools.csv (docs/reference.md §2.2, §5 quota_attainment, §8.2 pool
// bonus). Every sales rep has a quota for every quarter (> 0, prorated for
// partial employment, in the rep's currency precision); every sales team has
// one pool (pool_by: team) in the team's currency, sized at the sum of its
// reps' bonus targets.

import MeritReport

enum QuotasAndPoolsWriter {
    static let quotasHeader = ["employee_id", "period", "quota"]
    static let poolsHeader = ["pool", "amount", "currency"]

    static func writeQuotas(_ org: Organization, plan: SalesPlan, to path: String) throws -> Int {
        let out = try CSVRowWriter(path: path, header: quotasHeader)
        for i in org.members(of: .salesRep) {
            let e = org.employees[i]
            for (q, quarter) in org.quarters.enumerated() {
                let days = e.daysEmployed(from: quarter.start, to: quarter.end)
                var nominal = plan.quota(i, quarter: q)
                if days > 0 && days < quarter.days {
                    let prorated = nominal * Double(days) / Double(quarter.days)
                    nominal = max(1_000, (prorated / 100).rounded() * 100)
                }
                out.bytes(e.idBytes)
                out.comma()
                out.bytes(Array(quarter.id.utf8))
                out.comma()
                out.money(minor: max(1, e.currency.minor(nominal: nominal)), digits: e.currency.minorDigits)
                out.endRow()
            }
        }
        return try out.close()
    }

    static func writePools(_ org: Organization, to path: String) throws -> Int {
        let out = try CSVRowWriter(path: path, header: poolsHeader)
        for team in org.teams where team.kind == .sales {
            var targets = 0
            for m in team.members { targets += org.employees[m].bonusTargetMinor }
            let thousand = 1_000 * team.currency.minorPerMajor
            let amount = max(thousand, (targets + thousand / 2) / thousand * thousand)
            out.bytes(CSVField.encode(team.name))
            out.comma()
            out.money(minor: amount, digits: team.currency.minorDigits)
            out.comma()
            out.bytes(Array(team.currency.code.utf8))
            out.endRow()
        }
        return try out.close()
    }
}
