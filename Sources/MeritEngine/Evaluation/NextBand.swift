/// "What would it take to reach the next band?" for one rated employee
/// (issue: self-service scorecards), answered per metric: the raw value that,
/// with every other metric unchanged, lifts the official total to the next
/// band's minimum — or why no value of that metric alone can.
///
/// The total is linear in each included metric's score with slope equal to
/// that metric's effective weight (spec §7, with or without dimensions), so
/// the score needed is `s + (T* − T) ÷ e`, where `T*` is the smallest total
/// whose official (half-up, one decimal) value reaches the band's `min`.
/// That score is then carried back through the metric's curve (spec §6) to
/// the raw value nearest the current one, within what the metric can measure
/// (a mean on its scale, a share in 0–1, …). Raw values are on the same footing
/// as the scorecard shows them: after shrinkage (spec §5.2).
public struct NextBandPlan: Sendable, Equatable {
    /// The band to reach: the one with the smallest `min` above the official total.
    public let band: Band
    /// Per metric of the rubric, in rubric order.
    public let metrics: [MetricPath]
}

/// One metric's way (or not) to the next band.
public struct MetricPath: Sendable, Equatable {
    public let metricID: String
    public let outcome: Outcome

    public enum Outcome: Sendable, Equatable {
        /// This raw value (or better) alone reaches the band; the score it gives.
        case reach(raw: Double, score: Double)
        /// The metric does not count towards the total yet (insufficient or not computable).
        case notIncluded
        /// Even a perfect score on this metric alone falls short.
        case notEnough
        /// The curve never gives the score needed within the values the metric can take.
        case outOfRange
        /// Percentile scores depend on colleagues' results, not on one's own value alone.
        case relative
    }
}

public enum NextBand {
    /// The plan for `employee`, nil when unrated or already in the highest band.
    ///
    /// - Parameter bandInForce: a band a manager set (spec §10); the plan then
    ///   aims at the first band above both it and the computed one (still
    ///   reached through the computed total), or is nil when none is.
    public static func plan(for employee: EmployeeResult, rubric: Rubric, bandInForce: Band? = nil) -> NextBandPlan? {
        guard let total = employee.totalExact, let tenths = employee.officialTotalTenths else { return nil }
        let official = Swift.max(Double(tenths) / 10, bandInForce?.min ?? -Double.infinity)
        guard let band = rubric.bands.filter({ $0.min > official + 1e-12 }).min(by: { $0.min < $1.min }) else { return nil }
        let bandTenths = Int((band.min * 10 - 1e-9).rounded(.up))   // a min of 70.25 needs an official 70.3
        let paths = zip(rubric.metrics, employee.metrics).map { definition, result in
            MetricPath(metricID: definition.id,
                       outcome: outcome(definition, result, total: total, bandTenths: bandTenths))
        }
        return NextBandPlan(band: band, metrics: paths)
    }

    private static func outcome(_ metric: MetricDefinition, _ result: MetricResult, total: Double, bandTenths: Int) -> MetricPath.Outcome {
        guard let score = result.score, let weight = result.effectiveWeight, weight > 0, let raw = result.raw else { return .notIncluded }
        if case .percentile = metric.curve { return .relative }
        /// The official total with this metric at `s` and the rest unchanged.
        func reaches(_ s: Double) -> Bool { officialTotalTenths(total + weight * (s - score)) >= bandTenths }
        guard reaches(100) else { return .notEnough }
        // Smallest total that rounds up to the band's min, then the score that gives it.
        var target = min(100, score + (Double(bandTenths) / 10 - 0.05 - total) / weight)
        var tries = 0
        while !reaches(target), tries < 64 {   // binary rounding can leave it a hair short
            target = min(100, target + Swift.max(abs(target), 1) * 1e-12 * Double(1 << Swift.min(tries, 40)))
            tries += 1
        }
        let range = feasibleRange(metric)
        let candidates = crossings(metric.curve, better: metric.better, reaching: target, range: range)
            .filter { reaches(metric.curve.score(raw: $0, better: metric.better)) }
        guard let best = candidates.min(by: { abs($0 - raw) < abs($1 - raw) }) else { return .outOfRange }
        return .reach(raw: best, score: metric.curve.score(raw: best, better: metric.better))
    }

    /// Raw values at which the curve first gives at least `target`, with a
    /// hair of slack for rounding: the curve's own break points, and on each
    /// sloped stretch the exact crossing (nudged outward until it holds).
    private static func crossings(_ curve: Curve, better: Better, reaching target: Double, range: ClosedRange<Double>) -> [Double] {
        var breaks: [Double]
        switch curve {
        case .identity: breaks = [0, 100]
        case .percent: breaks = [0, 1]
        case .linear(let zeroAt, let fullAt): breaks = [zeroAt, fullAt]
        case .piecewise(let points): breaks = points.map(\.x)
        case .steps(let steps, _): breaks = steps.map(\.at)
        case .percentile: return []
        }
        breaks = (breaks + [range.lowerBound, range.upperBound]).filter { range.contains($0) && $0.isFinite }.sorted()
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

    /// The values a metric's raw can take (spec §5), open-ended where it has no bound.
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
