/// Turns tallies into scores, totals, bands, bonuses and training (docs/reference.md §5.2–§9).
///
/// Pure: everything it needs arrives as values, and the same values always
/// give the same evaluation.
public enum Evaluator {
    /// An evaluation that cannot be completed from valid input.
    public enum Failure: Error, Sendable, Equatable {
        /// A bonus too large for exact arithmetic (beyond 10^18 minor units).
        case amountOverflow(employeeID: String)
    }

    /// Evaluates every member of `population`.
    /// - Parameters:
    ///   - tallies: `MetricTallies.finished()`.
    ///   - pools: pool rows by group name (pool mode only).
    ///   - poolsFile: the pools file's base name, for warnings.
    ///   - bandOverrides: band id by employee id — a manager's adjustment (docs/reference.md §10): the rated employee gets that
    ///     band, and so its multiplier and bonus (a pool is re-split), while the computed total stays as it is.
    public static func evaluate(
        rubric: Rubric, population: Population, tallies: [[MetricTally]],
        pools: [TextKey: PoolEntry] = [:], poolsFile: String = "pools.csv", bandOverrides: [TextKey: String] = [:]
    ) throws(Failure) -> Evaluation {
        let metricCount = rubric.metrics.count
        let count = population.count

        // Raw values, shrinkage, sufficiency (docs/reference.md §5.1, §5.2), metric by metric.
        var raws = [[Double?]](repeating: [Double?](repeating: nil, count: count), count: metricCount)
        var ns = [[Int]](repeating: [Int](repeating: 0, count: count), count: metricCount)
        var scores = [[Double?]](repeating: [Double?](repeating: nil, count: count), count: metricCount)
        var statuses = [[MetricStatus]](repeating: [MetricStatus](repeating: .insufficient, count: count), count: metricCount)
        for (m, metric) in rubric.metrics.enumerated() {
            let observations = tallies[m].map { $0.observation(kind: metric.kind) }
            let shrunk = Shrinkage.apply(k: metric.shrink, to: observations)
            var sufficientValues: [Double] = []
            for slot in 0..<count {
                let raw = shrunk[slot], n = observations[slot].n
                raws[m][slot] = raw
                ns[m][slot] = n
                if let raw, n >= metric.minSamples {
                    statuses[m][slot] = .ok
                    sufficientValues.append(raw)
                } else {
                    statuses[m][slot] = metric.whenInsufficient == .zero ? .zero : .insufficient
                }
            }
            let ranking: PercentileRanking? =
                metric.curve == .percentile
                ? PercentileRanking(values: sufficientValues, better: metric.better) : nil
            for slot in 0..<count {
                switch statuses[m][slot] {
                case .ok:
                    let raw = raws[m][slot]!
                    scores[m][slot] = ranking?.score(of: raw) ?? metric.curve.score(raw: raw, better: metric.better)
                case .zero:
                    scores[m][slot] = 0
                case .insufficient:
                    scores[m][slot] = nil
                }
            }
        }

        // Totals, bands, training (docs/reference.md §7, §9).
        var results: [EmployeeResult] = []
        results.reserveCapacity(count)
        var bandOf: [Band?] = []
        for (slot, member) in population.members.enumerated() {
            let included = (0..<metricCount).filter { scores[$0][slot] != nil }
            let weights = EffectiveWeights.compute(rubric: rubric, included: included)
            var total: Double?
            if !included.isEmpty {
                total = Totals.total(rubric: rubric, included: included) { scores[$0][slot]! }
            }
            let tenths = total.map(officialTotalTenths)
            var band = tenths.flatMap { rubric.band(forOfficialTotal: Double($0) / 10) }
            if band != nil, let adjusted = bandOverrides[TextKey(member.entry.employeeID)], let b = rubric.bands.first(where: { $0.id == adjusted }) {
                band = b
            }
            bandOf.append(band)
            let metricResults = rubric.metrics.indices.map { m in
                MetricResult(
                    metricID: rubric.metrics[m].id, raw: raws[m][slot], n: ns[m][slot], score: scores[m][slot],
                    status: statuses[m][slot], effectiveWeight: weights[m]
                )
            }
            let training = Training.recommendations(rubric: rubric, band: band, metrics: metricResults)
            results.append(
                EmployeeResult(
                    entry: member.entry, daysEmployed: member.daysEmployed, proration: member.proration,
                    totalExact: total, officialTotalTenths: tenths, band: band, bonus: nil,
                    metrics: metricResults, training: training, pool: nil
                ))
        }

        // Money (docs/reference.md §8).
        var warnings: [EvaluationWarning] = []
        let bonuses: [MoneyAmount?]
        var memberships = [PoolMembership?](repeating: nil, count: count)
        switch rubric.bonus.mode {
        case .target:
            bonuses = try targetBonuses(rubric: rubric, population: population, bands: bandOf)
        case .pool:
            (bonuses, warnings) = try poolBonuses(
                rubric: rubric, population: population, bands: bandOf,
                pools: pools, poolsFile: poolsFile)
            memberships = poolMemberships(rubric: rubric, population: population, pools: pools)
        }
        let employees = results.enumerated().map { slot, r in
            EmployeeResult(
                entry: r.entry, daysEmployed: r.daysEmployed, proration: r.proration, totalExact: r.totalExact,
                officialTotalTenths: r.officialTotalTenths, band: r.band, bonus: bonuses[slot],
                metrics: r.metrics, training: r.training, pool: memberships[slot]
            )
        }
        return Evaluation(
            rubric: rubric, period: population.period, employees: employees, warnings: warnings,
            notEvaluated: population.notEvaluated)
    }

    private static func targetBonuses(rubric: Rubric, population: Population, bands: [Band?]) throws(Failure) -> [MoneyAmount?] {
        var out: [MoneyAmount?] = []
        for (slot, member) in population.members.enumerated() {
            guard let band = bands[slot] else { out.append(nil); continue }
            do {
                out.append(
                    try TargetBonus.amount(
                        targetThousandths: member.entry.bonusTargetThousandths, multiplier: band.multiplier,
                        daysEmployed: member.daysEmployed, periodDays: population.period.dayCount,
                        currency: member.entry.currency, rounding: rubric.bonus.rounding
                    ))
            } catch {
                throw .amountOverflow(employeeID: member.entry.employeeID)
            }
        }
        return out
    }

    private static func poolBonuses(
        rubric: Rubric, population: Population, bands: [Band?], pools: [TextKey: PoolEntry], poolsFile: String
    ) throws(Failure) -> ([MoneyAmount?], [EvaluationWarning]) {
        var out = [MoneyAmount?](repeating: nil, count: population.count)
        var warnings: [EvaluationWarning] = []
        let key = rubric.bonus.poolBy ?? .team
        // Group members by pool key (byte-equal names only, see `TextKey`), in byte order for stable warnings.
        var groups: [TextKey: [Int]] = [:]
        var unkeyed: [Int] = []
        for (slot, member) in population.members.enumerated() {
            let value = key == .team ? member.entry.team : member.entry.costCenter
            if let value { groups[TextKey(value), default: []].append(slot) } else { unkeyed.append(slot) }
        }
        let column = key.rawValue
        if !unkeyed.isEmpty {
            warnings.append(
                EvaluationWarning(
                    dataset: .pools, file: poolsFile, line: nil, column: column,
                    message: "\(unkeyed.count) employee(s) have no \(column), so they belong to no pool and get no bonus"
                ))
        }
        // Largest multiplier scale, so every multiplier becomes an integer weight factor.
        let scale = rubric.bands.map(\.multiplier.scale).max() ?? 0
        for key in groups.keys.sorted() {
            let slots = groups[key] ?? [], name = key.text
            guard let pool = pools[key] else {
                warnings.append(
                    EvaluationWarning(
                        dataset: .pools, file: poolsFile, line: nil, column: "pool",
                        message: "no pool row for \(column) '\(name)': its \(slots.count) employee(s) get no bonus"
                    ))
                continue
            }
            let rated = slots.filter { bands[$0] != nil }
            var claims: [PoolAllocation.Claim] = []
            for slot in rated {
                let member = population.members[slot]
                guard
                    let weight = poolWeight(
                        target: member.entry.bonusTargetThousandths, multiplier: bands[slot]!.multiplier,
                        scale: scale, days: member.daysEmployed)
                else {
                    throw .amountOverflow(employeeID: member.entry.employeeID)
                }
                claims.append(PoolAllocation.Claim(employeeID: member.entry.employeeID, weight: weight))
            }
            let poolMinor = MoneyAmount(thousandths: pool.amountThousandths, currency: pool.currency).minorUnits
            let shares: [Int64]?
            do { shares = try PoolAllocation.allocate(poolMinorUnits: poolMinor, claims: claims) } catch {
                throw .amountOverflow(employeeID: claims.first?.employeeID ?? name)
            }
            if let shares {
                for (slot, share) in zip(rated, shares) { out[slot] = MoneyAmount(minorUnits: share, currency: pool.currency) }
            } else {
                for slot in rated { out[slot] = MoneyAmount(minorUnits: 0, currency: pool.currency) }
                warnings.append(
                    EvaluationWarning(
                        dataset: .pools, file: poolsFile, line: nil, column: "amount",
                        message: "pool '\(name)' was not distributed: its rated employees' weights (target × multiplier × proration) sum to 0"
                    ))
            }
        }
        return (out, warnings)
    }

    /// Each member's pool group and its amount (pool mode), for the scorecard.
    private static func poolMemberships(rubric: Rubric, population: Population, pools: [TextKey: PoolEntry]) -> [PoolMembership?] {
        let key = rubric.bonus.poolBy ?? .team
        return population.members.map { member in
            let group = key == .team ? member.entry.team : member.entry.costCenter
            let pool = group.flatMap { pools[TextKey($0)] }
            return PoolMembership(
                by: key, group: group,
                amount: pool.map { MoneyAmount(thousandths: $0.amountThousandths, currency: $0.currency) })
        }
    }

    /// `target × multiplier × days` as an exact integer, the multiplier brought to `scale` decimal
    /// places; nil when 128 bits cannot hold it (a rubric may pair a 10^15 multiplier with one of
    /// 18 decimal places, and a roster may hold any target).
    private static func poolWeight(target: Int64, multiplier: DecimalNumber, scale: Int, days: Int) -> Int128? {
        var factor = Int128(multiplier.units)
        for _ in multiplier.scale..<max(scale, multiplier.scale) {
            let (m, o) = factor.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            factor = m
        }
        let (a, o1) = Int128(max(target, 0)).multipliedReportingOverflow(by: factor)
        let (b, o2) = a.multipliedReportingOverflow(by: Int128(days))
        return o1 || o2 ? nil : b
    }
}
