import CMeritHints

/// Aggregates records into per-employee, per-metric tallies as they stream in
/// (docs/reference.md §5). One instance per evaluation; records of any order give the same
/// result, because every update is a sum, a count or a value appended to a
/// list that is sorted before use.
public struct MetricTallies: Sendable {
    public let rubric: Rubric
    public let period: Period
    public let population: Population
    /// `tallies[metric][slot]`, metric in rubric order; the kinds in `countedOutsideTallies` live in the cells
    /// and lists below until `finished()`.
    private var tallies: [[MetricTally]]
    /// The survey metrics' counters, slot-major (`slot * surveyMetrics.count + k`): the one file with
    /// millions of rows touches one or two cache lines per row instead of one per metric (issue: company scale).
    private var surveyCells: [CounterCell]
    /// The counted complaint metrics' counters, slot-major in the same way (`complaintCounters`).
    private var complaintCells: [CounterCell]
    /// `median_resolution_hours` samples of tickets in P, in file order; shared by every median metric
    /// (they all read the same durations) and spread into per-employee lists by `finished()`. Appending to
    /// a list inside a list inside `tallies` checked three arrays' uniqueness per ticket.
    private var resolutionHours: [ResolutionSample] = []
    /// `satisfaction_mean` sums of the scores that are not small whole numbers, by survey cell: rare in real
    /// data (scores are usually 1–5 or 0–10), so they live beside the cells instead of widening every cell.
    private var finerScores: [Int: ExactScoreSum] = [:]

    private let surveyMetrics: [Int]
    private let scaledSurveyMetrics: [Int]
    private let spellMetrics: [Int]
    /// Complaint metrics that only count (rates): their counters live in `complaintCells`.
    private let complaintCounters: [Int]
    private let medianMetrics: [Int]
    private let saleMetrics: [Int]
    private let feedbackMetrics: [Int]
    private let quotaMetrics: [Int]
    private let newCustomerMetrics: [Int]
    /// Earliest `since` of every customer over all valid spells (docs/reference.md §15 new_customers).
    private var firstSince: [TextKey: CivilDate] = [:]
    /// Spells of evaluated employees starting in P: candidates for "first spell ever".
    private var newSpellCandidates: [(slot: Int, customer: TextKey, since: CivilDate)] = []
    private let slaNanoseconds: [Double?]
    /// Per metric, what the hot path needs without copying the definition for every record.
    private let kinds: [MetricKind]
    private let thresholds: [Double]
    private let dimensions: [String?]
    private let scales: [ClosedRange<Double>?]
    private let periodStart: CivilDate
    private let periodEnd: CivilDate
    private let previousStart: CivilDate

    /// - Parameter dataset: when given, only the metrics that read it get
    ///   storage (a task reading one part of one file needs no more); the
    ///   others stay empty and read as zero tallies in `merge` and `finished`.
    public init(rubric: Rubric, period: Period, population: Population, reading dataset: Dataset? = nil) {
        self.rubric = rubric
        self.period = period
        self.population = population
        tallies = rubric.metrics.map { metric in
            guard dataset == nil || metric.kind.datasets.contains(dataset!),
                !MetricTallies.countedOutsideTallies.contains(metric.kind)
            else { return [] }
            return Array(repeating: MetricTally(), count: population.count)
        }
        func indices(_ kinds: Set<MetricKind>) -> [Int] {
            rubric.metrics.indices.filter { kinds.contains(rubric.metrics[$0].kind) }
        }
        surveyMetrics = indices([.satisfactionMean, .topBoxRate, .nps])
        surveyCells =
            dataset == nil || dataset == .surveys
            ? Array(repeating: CounterCell(), count: surveyMetrics.count * population.count) : []
        scaledSurveyMetrics = indices([.satisfactionMean, .topBoxRate])
        spellMetrics = indices([.retentionRate, .churnRate, .complaintRate])
        complaintCounters = indices([.complaintRate, .complaintResolutionRate, .firstContactResolutionRate, .escalationRate])
        medianMetrics = indices([.medianResolutionHours])
        complaintCells =
            dataset == nil || dataset == .complaints
            ? Array(repeating: CounterCell(), count: complaintCounters.count * population.count) : []
        saleMetrics = indices([.salesTotal, .salesGrowth, .quotaAttainment])
        feedbackMetrics = indices([.positiveFeedbackShare])
        quotaMetrics = indices([.quotaAttainment])
        newCustomerMetrics = indices([.newCustomers])
        slaNanoseconds = rubric.metrics.map { $0.parameters.slaHours.map { $0 * 3_600_000_000_000 } }
        kinds = rubric.metrics.map(\.kind)
        thresholds = rubric.metrics.map { $0.parameters.threshold ?? .infinity }
        dimensions = rubric.metrics.map(\.parameters.dimension)
        scales = rubric.metrics.map(\.parameters.scale)
        periodStart = period.start
        periodEnd = period.endExclusive
        previousStart = period.previous.start
    }

    /// Kinds whose numbers never go through `tallies` (survey and complaint cells, the resolution list,
    /// the first-spell bookkeeping): `finished()` starts them from zero, so no task allocates and clears a
    /// per-employee array for them (each part of a big file did, a few megabytes of page faults each).
    static let countedOutsideTallies: Set<MetricKind> = [
        .satisfactionMean, .topBoxRate, .nps, .complaintResolutionRate, .medianResolutionHours,
        .firstContactResolutionRate, .escalationRate, .newCustomers,
    ]

    // MARK: Surveys

    /// A survey score outside the scale of a metric that reads the row (docs/reference.md §2.2, §5 "Scale checks").
    public struct ScaleViolation: Sendable, Equatable {
        public let metricID: String
        public let scale: ClosedRange<Double>
    }

    /// The first metric whose scale the response's score violates, if any. Only
    /// rows a metric reads are checked: in P, of an evaluated employee, of the
    /// metric's dimension.
    ///
    /// `mutating` though it changes nothing: the tallies are a few hundred
    /// bytes, and a reader's row loop that holds them `inout` copied them
    /// whole for every call of a non-mutating method (issue: company scale).
    public mutating func scaleViolation(_ response: SurveyResponse) -> ScaleViolation? {
        guard let score = response.score, inPeriod(response.date) else { return nil }
        for m in scaledSurveyMetrics {
            guard reads(m, response), let scale = scales[m] else { continue }
            if !scale.contains(score) { return ScaleViolation(metricID: rubric.metrics[m].id, scale: scale) }
        }
        return nil
    }

    @inline(__always)
    private func inPeriod(_ date: CivilDate) -> Bool { date >= periodStart && date < periodEnd }

    @inline(__always)
    private func reads(_ m: Int, _ response: SurveyResponse) -> Bool {
        guard let wanted = dimensions[m] else { return true }
        return response.dimension == wanted
    }

    /// Starts loading the survey counters of `slot` into the cache: called as
    /// soon as a row's employee is known, so the miss overlaps the parsing of
    /// the rest of the row instead of stalling `add` (a hint; changes nothing;
    /// `mutating` only so the caller need not copy the tallies, as above).
    @inline(__always)
    public mutating func prefetchSurveyCounters(slot: Int) {
        let index = slot &* surveyMetrics.count
        surveyCells.withUnsafeBufferPointer { cells in
            guard index < cells.count, let base = cells.baseAddress else { return }
            merit_prefetch_for_write(base + index)
        }
    }

    public mutating func add(_ response: SurveyResponse) {
        guard inPeriod(response.date) else { return }
        let metrics = surveyMetrics.count
        let base = response.slot * metrics
        let (surveyMetrics, kinds, thresholds, dimensions) = (self.surveyMetrics, self.kinds, self.thresholds, self.dimensions)
        /// Whether metric `m` reads the response: no dimension filter, or the response's dimension.
        func reads(_ m: Int) -> Bool {
            guard let wanted = dimensions[m] else { return true }
            return response.dimension == wanted
        }
        var finerCells: [Int] = []
        surveyCells.withUnsafeMutableBufferPointer { cells in
            for k in 0..<metrics {
                let m = surveyMetrics[k]
                switch kinds[m] {
                case .nps:
                    guard let r = response.recommend else { continue }
                    cells[base + k].n += 1
                    if r >= 9 { cells[base + k].numerator += 1 }
                    if r <= 6 { cells[base + k].secondaryCount += 1 }
                case .satisfactionMean:
                    guard let score = response.score, reads(m) else { continue }
                    cells[base + k].n += 1
                    // Whole scores of at most 2^20 add up exactly in a double, in any order; any other score goes
                    // to an exact fixed-point sum (`ExactScoreSum`), so no grouping of the rows changes a mean.
                    if score == score.rounded(.towardZero), abs(score) <= 0x1p20 {
                        cells[base + k].numerator += score
                    } else {
                        finerCells.append(base + k)
                    }
                case .topBoxRate:
                    guard let score = response.score, reads(m) else { continue }
                    cells[base + k].n += 1
                    if score >= thresholds[m] { cells[base + k].numerator += 1 }
                default:
                    continue
                }
            }
        }
        if let score = response.score {
            for cell in finerCells { finerScores[cell, default: ExactScoreSum()].add(score) }
        }
    }

    // MARK: Accounts

    /// Folds one valid spell: the retention base of its owner (docs/reference.md §5
    /// "Retention base") and the customer's first-spell bookkeeping.
    public mutating func add(_ spell: AccountSpell) {
        if !newCustomerMetrics.isEmpty {
            // Customers are the same only when their ids are the same bytes (see `TextKey`).
            let customer = TextKey(spell.customerID)
            if let known = firstSince[customer] {
                if spell.since < known { firstSince[customer] = spell.since }
            } else {
                firstSince[customer] = spell.since
            }
            if let slot = spell.slot, period.contains(spell.since) {
                newSpellCandidates.append((slot, customer, spell.since))
            }
        }
        guard let slot = spell.slot, !spellMetrics.isEmpty, spell.isActive(on: period.start) else { return }
        let lastDay = period.lastDay
        if spell.endsByTransfer, let until = spell.until, until <= lastDay { return }
        let retained = spell.isActive(on: lastDay)
        for m in spellMetrics {
            tallies[m][slot].n += 1
            if retained && kinds[m] != .complaintRate { tallies[m][slot].numerator += 1 }
        }
    }

    // MARK: Complaints

    public mutating func add(_ ticket: ComplaintTicket) {
        guard inPeriod(ticket.openedDate) else { return }
        let metrics = complaintCounters.count
        if metrics > 0 {
            let base = ticket.slot * metrics
            let (counters, kinds, slaNanoseconds) = (self.complaintCounters, self.kinds, self.slaNanoseconds)
            complaintCells.withUnsafeMutableBufferPointer { cells in
                for k in 0..<metrics {
                    let m = counters[k]
                    switch kinds[m] {
                    case .complaintRate:
                        cells[base + k].numerator += 1
                    case .complaintResolutionRate:
                        cells[base + k].n += 1
                        if let resolved = ticket.resolved {
                            let within = slaNanoseconds[m].map { resolved.isWithin($0, nanosecondsOf: ticket.opened) } ?? true
                            if within { cells[base + k].numerator += 1 }
                        }
                    case .firstContactResolutionRate:
                        if let fcr = ticket.firstContactResolved {
                            cells[base + k].n += 1
                            if fcr { cells[base + k].numerator += 1 }
                        }
                    case .escalationRate:
                        if let escalated = ticket.escalated {
                            cells[base + k].n += 1
                            if escalated { cells[base + k].numerator += 1 }
                        }
                    default:
                        continue
                    }
                }
            }
        }
        if !medianMetrics.isEmpty, let resolved = ticket.resolved {
            resolutionHours.append(ResolutionSample(slot: Int32(ticket.slot), hours: resolved.hours(since: ticket.opened)))
        }
    }

    // MARK: Sales, feedback, quotas

    public mutating func add(_ sale: SaleLine) {
        let inPeriod = self.inPeriod(sale.date)
        let inPrevious = !inPeriod && sale.date >= previousStart && sale.date < periodStart
        guard inPeriod || inPrevious else { return }
        for m in saleMetrics {
            if inPeriod {
                tallies[m][sale.slot].n += 1
                tallies[m][sale.slot].exactSum += Int128(sale.amountThousandths)
            } else if kinds[m] == .salesGrowth {
                tallies[m][sale.slot].secondaryCount += 1
                tallies[m][sale.slot].previousExactSum += Int128(sale.amountThousandths)
            }
        }
    }

    public mutating func add(_ item: FeedbackItem) {
        guard inPeriod(item.date) else { return }
        for m in feedbackMetrics {
            tallies[m][item.slot].n += 1
            if item.sentiment == .positive { tallies[m][item.slot].numerator += 1 }
        }
    }

    public mutating func add(_ quota: QuotaEntry) {
        guard quota.period == period else { return }
        for m in quotaMetrics { tallies[m][quota.slot].quotaThousandths = quota.quotaThousandths }
    }

    /// Adds what `other` aggregated from other records of the same evaluation
    /// (another file, or another part of a file).
    ///
    /// Every field is a sum, a count, a minimum or an appended list, so the
    /// merged tallies are those of reading all the records; when each field was
    /// fed by one part only (as when each file is read by its own task), the
    /// result is bit-for-bit that of reading them in one pass.
    public mutating func merge(_ other: MetricTallies) {
        for m in tallies.indices where !other.tallies[m].isEmpty {
            if tallies[m].isEmpty { tallies[m] = other.tallies[m]; continue }
            other.tallies[m].withUnsafeBufferPointer { source in
                tallies[m].withUnsafeMutableBufferPointer { target in
                    for slot in target.indices { target[slot].absorb(source[slot]) }
                }
            }
        }
        CounterCell.absorb(other.surveyCells, into: &surveyCells)
        for (cell, sum) in other.finerScores { finerScores[cell, default: ExactScoreSum()].add(sum) }
        CounterCell.absorb(other.complaintCells, into: &complaintCells)
        resolutionHours += other.resolutionHours
        for (customer, since) in other.firstSince {
            if let known = firstSince[customer], known <= since { continue }
            firstSince[customer] = since
        }
        newSpellCandidates += other.newSpellCandidates
    }

    /// Completes what needs the whole file (first-ever customers) and returns the tallies.
    public func finished() -> [[MetricTally]] {
        var result = tallies.map { $0.isEmpty ? Array(repeating: MetricTally(), count: population.count) : $0 }
        CounterCell.add(surveyCells, of: surveyMetrics, to: &result)
        for (cell, sum) in finerScores {
            let (slot, k) = cell.quotientAndRemainder(dividingBy: surveyMetrics.count)
            result[surveyMetrics[k]][slot].numerator += sum.value
        }
        CounterCell.add(complaintCells, of: complaintCounters, to: &result)
        if !medianMetrics.isEmpty, !resolutionHours.isEmpty {
            let perSlot = ResolutionSample.spread(resolutionHours, slots: population.count)
            for m in medianMetrics {
                result[m].withUnsafeMutableBufferPointer { tallies in
                    for slot in tallies.indices where !perSlot[slot].isEmpty { tallies[slot].values += perSlot[slot] }
                }
            }
        }
        for candidate in newSpellCandidates where firstSince[candidate.customer] == candidate.since {
            for m in newCustomerMetrics { result[m][candidate.slot].n += 1 }
        }
        return result
    }
}

/// One survey or complaint metric's counters for one employee: the `n`,
/// `numerator` and `secondaryCount` of `MetricTally`, without its list and
/// money fields.
struct CounterCell: Sendable {
    var n = 0
    var numerator: Double = 0
    var secondaryCount = 0
    mutating func absorb(_ other: CounterCell) {
        n += other.n
        numerator += other.numerator
        secondaryCount += other.secondaryCount
    }

    /// Adds one set of slot-major counters to another (either may be empty: not read by that task).
    static func absorb(_ other: [CounterCell], into cells: inout [CounterCell]) {
        if cells.isEmpty {
            cells = other
        } else if !other.isEmpty {
            other.withUnsafeBufferPointer { source in
                cells.withUnsafeMutableBufferPointer { target in
                    for i in target.indices { target[i].absorb(source[i]) }
                }
            }
        }
    }

    /// Moves slot-major counters of `metrics` into per-metric tallies.
    static func add(_ cells: [CounterCell], of metrics: [Int], to result: inout [[MetricTally]]) {
        guard !cells.isEmpty else { return }
        cells.withUnsafeBufferPointer { cells in
            for (k, m) in metrics.enumerated() {
                result[m].withUnsafeMutableBufferPointer { tallies in
                    for slot in tallies.indices {
                        let cell = cells[slot &* metrics.count &+ k]
                        tallies[slot].n += cell.n
                        tallies[slot].numerator += cell.numerator
                        tallies[slot].secondaryCount += cell.secondaryCount
                    }
                }
            }
        }
    }
}

/// One resolved ticket's duration in P, for `median_resolution_hours` (docs/reference.md §5).
struct ResolutionSample: Sendable {
    let slot: Int32
    let hours: Double

    /// The samples' hours per slot, each list in file order: counted first, so every list is
    /// allocated once at its size (appending through `result[m][slot].values` checked three
    /// arrays' uniqueness per ticket, most of the merge's time for a large company).
    static func spread(_ samples: [ResolutionSample], slots: Int) -> [[Double]] {
        var counts = [Int](repeating: 0, count: slots)
        for sample in samples { counts[Int(sample.slot)] &+= 1 }
        var lists = counts.map { count -> [Double] in
            var list: [Double] = []
            list.reserveCapacity(count)
            return list
        }
        lists.withUnsafeMutableBufferPointer { lists in
            for sample in samples { lists[Int(sample.slot)].append(sample.hours) }
        }
        return lists
    }
}
