/// "What would it take to reach the next band?" for one rated employee
/// (docs/scorecard.md "The next band"), answered per metric: the raw value
/// that, with every other metric unchanged, lifts the official total to the
/// next band's minimum — or why no value of that metric alone can. When no
/// metric alone can, the smallest pair of metrics that can together.
///
/// The total is linear in each included metric's score with slope equal to
/// that metric's effective weight (docs/reference.md §7, with or without dimensions), so
/// the score needed is `s + (T* − T) ÷ e`, where `T*` is the smallest total
/// whose official (half-up, one decimal) value reaches the band's `min`.
/// That score is then carried back through the metric's curve (docs/reference.md §6) to
/// the raw value nearest the current one, within what the metric can measure
/// (a mean on its scale, a share in 0–1, …). Raw values are on the same footing
/// as the scorecard shows them: after shrinkage (docs/reference.md §5.2).
public struct NextBandPlan: Sendable, Equatable {
    /// The band to reach: the one with the smallest `min` above the official total.
    public let band: Band
    /// Per metric of the rubric, in rubric order.
    public let metrics: [MetricPath]
    /// When no metric alone reaches the band, the two that together reach it with the least change in score
    /// points; nil when one metric alone can, or when no two can.
    public let pair: MetricPair?

    public init(band: Band, metrics: [MetricPath], pair: MetricPair? = nil) {
        self.band = band
        self.metrics = metrics
        self.pair = pair
    }
}

/// One metric's way (or not) to the next band.
public struct MetricPath: Sendable, Equatable {
    public let metricID: String
    public let outcome: Outcome

    public enum Outcome: Sendable, Equatable {
        /// This raw value (or better) alone reaches the band; the score it gives.
        case reach(raw: Double, score: Double)
        /// The metric does not count towards the total yet (insufficient or not computable), or counts
        /// with a score of 0 only because it has too few samples (`when_insufficient: zero`).
        case notIncluded
        /// Even a perfect score on this metric alone falls short.
        case notEnough
        /// The curve never gives the score needed within the values the metric can take.
        case outOfRange
        /// Percentile scores depend on colleagues' results, not on one's own value alone.
        case relative
    }
}

/// Two metrics that together lift the official total to the next band, the others unchanged
/// (docs/scorecard.md "The next band": the pair and the split with the least total change in score points).
public struct MetricPair: Sendable, Equatable {
    /// The two targets, in rubric order.
    public let first: MetricTarget
    public let second: MetricTarget

    /// The score points the two rise by together: what "smallest pair" minimises.
    public var scoreChange: Double { first.scoreChange + second.scoreChange }
}

/// A metric's target as part of a pair: this raw value (or better), which gives `score`.
public struct MetricTarget: Sendable, Equatable {
    public let metricID: String
    public let raw: Double
    public let score: Double
    /// `score` less the current score (> 0).
    public let scoreChange: Double
}

public enum NextBand {
    /// The plan for `employee`, nil when unrated or already in the highest band.
    ///
    /// - Parameter bandInForce: a band a manager set (docs/reference.md §10); the plan then
    ///   aims at the first band above both it and the computed one (still
    ///   reached through the computed total), or is nil when none is.
    public static func plan(for employee: EmployeeResult, rubric: Rubric, bandInForce: Band? = nil) -> NextBandPlan? {
        guard let total = employee.totalExact, let tenths = employee.officialTotalTenths else { return nil }
        let official = Swift.max(Double(tenths) / 10, bandInForce?.min ?? -Double.infinity)
        guard let band = rubric.bands.filter({ $0.min > official + 1e-12 }).min(by: { $0.min < $1.min }) else { return nil }
        let bandTenths = Int((band.min * 10 - 1e-9).rounded(.up))  // a min of 70.25 needs an official 70.3
        let paths = zip(rubric.metrics, employee.metrics).map { definition, result in
            MetricPath(
                metricID: definition.id,
                outcome: outcome(definition, result, total: total, bandTenths: bandTenths))
        }
        let alone = paths.contains { if case .reach = $0.outcome { return true } else { return false } }
        let levers = alone ? [] : zip(rubric.metrics, employee.metrics).enumerated().compactMap { i, m in Lever(index: i, m.0, m.1) }
        return NextBandPlan(band: band, metrics: paths, pair: alone ? nil : pair(levers, total: total, bandTenths: bandTenths))
    }

    private static func outcome(_ metric: MetricDefinition, _ result: MetricResult, total: Double, bandTenths: Int) -> MetricPath.Outcome {
        guard result.status == .ok, let score = result.score, let weight = result.effectiveWeight, weight > 0, let raw = result.raw else {
            return .notIncluded
        }
        if case .percentile = metric.curve { return .relative }
        /// The official total with this metric at `s` and the rest unchanged.
        func reaches(_ s: Double) -> Bool { officialTotalTenths(total + weight * (s - score)) >= bandTenths }
        guard reaches(100) else { return .notEnough }
        // Smallest total that rounds up to the band's min, then the score that gives it.
        let target = nudged(min(100, score + (Double(bandTenths) / 10 - 0.05 - total) / weight), upTo: 100, until: reaches)
        guard let best = rawGiving(target, metric, from: raw, where: reaches) else { return .outOfRange }
        return .reach(raw: best, score: metric.curve.score(raw: best, better: metric.better))
    }

    // MARK: pairs

    /// An included metric with a fixed curve and room to rise: what a pair is built from.
    private struct Lever {
        let index: Int
        let metric: MetricDefinition
        let raw: Double
        let score: Double
        let weight: Double
        /// The best score the curve gives within the values the metric can take.
        let best: Double

        init?(index: Int, _ metric: MetricDefinition, _ result: MetricResult) {
            guard result.status == .ok, let score = result.score, let weight = result.effectiveWeight, weight > 0,
                let raw = result.raw, metric.curve != .percentile
            else { return nil }
            let best =
                NextBand.breakPoints(metric.curve, range: NextBand.feasibleRange(metric))
                .map { metric.curve.score(raw: $0, better: metric.better) }.max() ?? score
            guard best > score else { return nil }
            self.index = index
            self.metric = metric
            self.raw = raw
            self.score = score
            self.weight = weight
            self.best = best
        }

        var headroom: Double { best - score }
    }

    /// The pair with the least total change in score points that lifts the official total to `bandTenths`:
    /// for each two metrics, the split of the gain needed that changes their scores least in sum (the one
    /// with the larger effective weight carries as much as it can, as a point on it moves the total most;
    /// equal weights share the gain evenly), then the pair whose split sums least. Ties: the more even
    /// split (smaller largest change), then rubric order.
    private static func pair(_ levers: [Lever], total: Double, bandTenths: Int) -> MetricPair? {
        let gain = Double(bandTenths) / 10 - 0.05 - total
        var options: [(a: Int, b: Int, da: Double, db: Double)] = []
        for a in levers.indices {
            for b in levers.indices where b > a {
                if let (da, db) = split(levers[a], levers[b], gain: gain) { options.append((a, b, da, db)) }
            }
        }
        options.sort { x, y in
            let cx = x.da + x.db, cy = y.da + y.db
            if abs(cx - cy) > 1e-9 * Swift.max(1, cx, cy) { return cx < cy }
            let mx = Swift.max(x.da, x.db), my = Swift.max(y.da, y.db)
            if abs(mx - my) > 1e-9 * Swift.max(1, mx, my) { return mx < my }
            return (x.a, x.b) < (y.a, y.b)
        }
        for o in options {
            if let found = realise(levers[o.a], o.da, levers[o.b], o.db, total: total, bandTenths: bandTenths) { return found }
        }
        return nil
    }

    /// Score changes `(da, db)` with the least `da + db` such that `ea·da + eb·db ≥ gain`, each within its
    /// metric's headroom; nil when even both at their best fall short.
    private static func split(_ a: Lever, _ b: Lever, gain: Double) -> (Double, Double)? {
        guard a.weight * a.headroom + b.weight * b.headroom >= gain * (1 - 1e-12) else { return nil }
        if abs(a.weight - b.weight) <= 1e-12 * Swift.max(a.weight, b.weight) {
            let each = gain / (a.weight + b.weight)
            if each <= a.headroom, each <= b.headroom { return (each, each) }
            return a.headroom < b.headroom
                ? (a.headroom, (gain - a.weight * a.headroom) / b.weight)
                : ((gain - b.weight * b.headroom) / a.weight, b.headroom)
        }
        if a.weight > b.weight {
            let da = Swift.min(a.headroom, gain / a.weight)
            return (da, Swift.max(0, (gain - a.weight * da) / b.weight))
        }
        let db = Swift.min(b.headroom, gain / b.weight)
        return (Swift.max(0, (gain - b.weight * db) / a.weight), db)
    }

    /// Raw targets for a split: the metric that changes more first, at the raw value nearest its current one that
    /// gives its share (a step curve may give more), then the other at what is still needed. nil when the curves
    /// cannot give it after all.
    private static func realise(_ a: Lever, _ da: Double, _ b: Lever, _ db: Double, total: Double, bandTenths: Int) -> MetricPair? {
        let (x, dx, y) = da >= db ? (a, da, b) : (b, db, a)
        let xTarget = Swift.min(x.best, x.score + dx)
        guard let xRaw = rawGiving(xTarget, x.metric, from: x.raw, where: { $0 >= xTarget }) else { return nil }
        let xScore = x.metric.curve.score(raw: xRaw, better: x.metric.better)
        let base = total + x.weight * (xScore - x.score)
        func reaches(_ s: Double) -> Bool { officialTotalTenths(base + y.weight * (s - y.score)) >= bandTenths }
        let needed = y.score + (Double(bandTenths) / 10 - 0.05 - base) / y.weight
        let yTarget = nudged(Swift.min(y.best, needed), upTo: y.best, until: reaches)
        guard reaches(yTarget), let yRaw = rawGiving(yTarget, y.metric, from: y.raw, where: reaches) else { return nil }
        let yScore = y.metric.curve.score(raw: yRaw, better: y.metric.better)
        let xt = MetricTarget(metricID: x.metric.id, raw: xRaw, score: xScore, scoreChange: xScore - x.score)
        let yt = MetricTarget(metricID: y.metric.id, raw: yRaw, score: yScore, scoreChange: yScore - y.score)
        guard xt.scoreChange > 0, yt.scoreChange > 0 else { return nil }
        return x.index < y.index ? MetricPair(first: xt, second: yt) : MetricPair(first: yt, second: xt)
    }

    // MARK: curves backwards

    /// `target` moved up by hairs (at most `limit`) until `holds`: binary rounding can leave the exact answer a hair short.
    private static func nudged(_ target: Double, upTo limit: Double, until holds: (Double) -> Bool) -> Double {
        var target = target
        var tries = 0
        while !holds(target), tries < 64 {
            target = Swift.min(limit, target + Swift.max(abs(target), 1) * 1e-12 * Double(1 << Swift.min(tries, 40)))
            tries += 1
        }
        return target
    }

    /// The raw value nearest `current`, among those where the curve starts to give `target`, whose score passes
    /// `accept` (reaches the band, or is at least the share asked for), within what the metric can measure; nil when none.
    private static func rawGiving(
        _ target: Double, _ metric: MetricDefinition, from current: Double,
        where accept: (Double) -> Bool
    ) -> Double? {
        crossings(metric.curve, better: metric.better, reaching: target, range: feasibleRange(metric))
            .filter { accept(metric.curve.score(raw: $0, better: metric.better)) }
            .min { abs($0 - current) < abs($1 - current) }
    }

    /// The curve's own break points within `range`, and the range's ends: between two neighbours the curve is
    /// straight or flat, so its best and worst scores in the range are at these points.
    static func breakPoints(_ curve: Curve, range: ClosedRange<Double>) -> [Double] {
        var breaks: [Double]
        switch curve {
        case .identity: breaks = [0, 100]
        case .percent: breaks = [0, 1]
        case .linear(let zeroAt, let fullAt): breaks = [zeroAt, fullAt]
        case .piecewise(let points): breaks = points.map(\.x)
        case .steps(let steps, _): breaks = steps.map(\.at)
        case .percentile: return []
        }
        return (breaks + [range.lowerBound, range.upperBound]).filter { range.contains($0) && $0.isFinite }.sorted()
    }

    /// Raw values at which the curve first gives at least `target`, with a
    /// hair of slack for rounding: the curve's own break points, and on each
    /// sloped stretch the exact crossing (nudged outward until it holds).
    private static func crossings(_ curve: Curve, better: Better, reaching target: Double, range: ClosedRange<Double>) -> [Double] {
        let breaks = breakPoints(curve, range: range)
        var candidates = breaks
        for (a, b) in zip(breaks, breaks.dropFirst()) where a < b {
            let fa = curve.score(raw: a, better: better), fb = curve.score(raw: b, better: better)
            guard fa != fb, min(fa, fb) <= target, target <= max(fa, fb) else { continue }
            var x = a + (target - fa) * (b - a) / (fb - fa)
            // Move the crossing towards the better end until the curve really gives the target.
            let step = (fb > fa ? 1.0 : -1.0) * Swift.max(abs(x), 1) * 1e-12
            var tries = 0
            while curve.score(raw: x, better: better) < target, tries < 64 {
                x += step * Double(1 << Swift.min(tries, 40))
                tries += 1
            }
            if range.contains(x) { candidates.append(x) }
        }
        return candidates
    }

    /// The values a metric's raw can take (docs/reference.md §5), open-ended where it has no bound.
    static func feasibleRange(_ metric: MetricDefinition) -> ClosedRange<Double> {
        switch metric.kind {
        case .satisfactionMean:
            return metric.parameters.scale ?? -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
        case .topBoxRate, .retentionRate, .churnRate, .complaintResolutionRate, .firstContactResolutionRate,
            .escalationRate, .positiveFeedbackShare:
            return 0...1
        case .nps:
            return -100...100
        case .salesGrowth:
            return -1...Double.greatestFiniteMagnitude
        case .newCustomers, .complaintRate, .medianResolutionHours, .salesTotal, .quotaAttainment:
            return 0...Double.greatestFiniteMagnitude
        }
    }
}
