import MeritEngine

/// One read of the sources for several rubrics (docs/workspace.md "How data is stored"): a workspace reviews each
/// employee with the rubric of their role, and its rubrics often read the same big datasets (customer service and
/// account managers both read every survey). Read once for all of them, the surveys are parsed once instead of once
/// per rubric.
///
/// The rubrics are read as one: a rubric holding all their metrics, covering all their roles, with the shortest
/// eligibility. Every record is folded into each metric for every employee any of them evaluates, exactly as each
/// rubric's own read would fold it — tallies are per employee and per metric, added in file order — and each rubric
/// then takes its own population (`Population`, from the same roster) and its own metrics' tallies. So a rubric's
/// result is bit for bit what its own read gives.
///
/// Only rubrics that read alike share: the same currency (it is the roster's and amounts' default) and target bonuses
/// (a pool rubric's pool currency check removes people from its population as it reads). A problem in the data makes
/// the caller read rubric by rubric, so each rubric reports its own problems in its own words.
extension ReviewInputLoader {
    /// The rubrics among `rubrics` that can share one read with the others, by index: groups of at least two.
    public static func sharedReadGroups(_ rubrics: [Rubric]) -> [[Int]] {
        var groups: [String: [Int]] = [:]
        for (i, r) in rubrics.enumerated() where r.bonus.mode == .target { groups[r.currency.code, default: []].append(i) }
        return groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// Reads `sources` once for `rubrics` (one of `sharedReadGroups`), and gives each rubric what its own read would
    /// have given, in `rubrics` order.
    public static func loadShared(
        sources: DataSources, rubrics: [Rubric], period: Period, options: LoadOptions = LoadOptions()
    ) async throws(InputFailure) -> [LoadedReview] {
        precondition(!rubrics.isEmpty && Set(rubrics.map(\.currency)).count == 1 && rubrics.allSatisfy { $0.bonus.mode == .target })
        // Dropping a row for one rubric's reason would drop it for all: a shared read is strict.
        precondition(!options.skipInvalid, "a shared read is strict")
        let coversAll = rubrics.contains { $0.roles.isEmpty }
        var roles: [String] = []
        for r in rubrics { for role in r.roles where !roles.contains(where: { $0.sameBytes(as: role) }) { roles.append(role) } }
        let all = Rubric(
            id: rubrics.map(\.id).joined(separator: "+"), version: 1, roles: coversAll ? [] : roles, currency: rubrics[0].currency,
            minDays: rubrics.map(\.minDays).min()!, metrics: rubrics.flatMap(\.metrics),
            bands: [Band(id: "-", min: 0, multiplier: DecimalNumber(units: 1, scale: 0))])
        // A survey score written a hair off a scale end or top-box threshold is settled by its written decimal at the
        // boundaries of the rubric reading it (`WrittenDecimal.ordered`), which moves the score a sum adds: at a
        // boundary only some of these rubrics have, the shared read would move it for all, so it fails instead.
        let boundaries = rubrics.map { Set($0.surveyScoreBoundaries) }
        let everyones = boundaries.dropFirst().reduce(boundaries[0]) { $0.intersection($1) }
        var options = options
        options.foreignBoundaries = boundaries.reduce(Set<Double>()) { $0.union($1) }.subtracting(everyones).sorted()
        let shared = try await loadConcurrently(sources: sources, rubric: all, period: period, options: options)
        var out: [LoadedReview] = []
        var first = 0
        for rubric in rubrics {
            let population = Population(rubric: rubric, period: period, roster: shared.roster, rosterFile: sources.fileName(.employees))
            let slots = population.members.map { shared.population.slot(of: $0.entry.employeeID)! }
            let tallies = (first..<(first + rubric.metrics.count)).map { m in slots.map { shared.tallies[m][$0] } }
            first += rubric.metrics.count
            out.append(
                LoadedReview(
                    population: population, tallies: tallies, pools: shared.pools, poolsFile: shared.poolsFile,
                    warnings: shared.warnings, partsRead: shared.partsRead, roster: shared.roster))
        }
        return out
    }
}
