import MeritDemo
import PropertyBased
import Testing

@testable import MeritEngine

/// Invariants that must hold for every input, not just the examples (docs/reference.md §6–§8).
@Suite struct EnginePropertyTests {
    typealias F = Fixtures

    static let curves: [Curve] = [
        .identity, .percent, .linear(zeroAt: 3, fullAt: 4.8), .linear(zeroAt: 0.5, fullAt: 0.1),
        .piecewise([CurvePoint(x: 0.5, score: 0), CurvePoint(x: 1, score: 80), CurvePoint(x: 1.5, score: 100)]),
        .steps([CurveStep(at: 1, score: 50), CurveStep(at: 3, score: 100)], otherwise: 10),
    ]

    /// Including at the edges of the 1e-9 equality of steps (a shrunk failure once found one: 1.000000001 and
    /// 1.0000000009999999 on steps whose scores rose while lower was better).
    @Test func aBetterRawValueNeverLowersTheScore() async {
        await propertyCheck(input: Gen.int(in: 0..<Self.curves.count), Gen.double(in: -200...200), Gen.double(in: 0...50)) { c, a, delta in
            let curve = Self.curves[c]
            for better in [Better.higher, .lower] {
                // "better" for linear/piecewise is their own direction
                let direction: Better
                switch curve {
                case .linear(let z, let f): direction = z < f ? .higher : .lower
                case .piecewise: direction = .higher
                default: direction = better
                }
                let improved = direction == .higher ? a + delta : a - delta
                // Steps may score any way a rubric likes (docs/reference.md §6): they reward the better direction when their
                // scores run that way, so "lower is better" gets the same steps with their scores reversed.
                var scored = curve
                if case .steps(let steps, let otherwise) = curve, better == .lower {
                    scored = .steps(zip(steps, steps.reversed()).map { CurveStep(at: $0.at, score: $1.score) }, otherwise: otherwise)
                }
                let s0 = scored.score(raw: a, better: better), s1 = scored.score(raw: improved, better: better)
                #expect(s1 >= s0 - 1e-9, "curve \(curve.name) better \(better): \(a) → \(improved) lowered \(s0) to \(s1)")
                #expect((0...100).contains(s0))
            }
        }
        let downhill = Curve.steps([CurveStep(at: 1, score: 100), CurveStep(at: 3, score: 50)], otherwise: 10)
        #expect(downhill.score(raw: 1.0000000009999999, better: .lower) == 100, "within 1e-9 of the step: equal to it")
        #expect(downhill.score(raw: 1.000000001, better: .lower) == 50)
    }

    @Test func percentileIsMonotoneAndBounded() async {
        await propertyCheck(input: Gen.int(in: 0...20).array(of: 1...30)) { ints in
            let values = ints.map { Double($0) / 4 }
            let ranking = PercentileRanking(values: values, better: .higher)
            let sorted = values.sorted()
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                #expect(ranking.score(of: a) <= ranking.score(of: b))
            }
            for v in values { #expect((0...100).contains(ranking.score(of: v))) }
        }
    }

    /// The median found by selection is the one a full sort gives (docs/reference.md §5 median_resolution_hours), for lists
    /// with repeats, odd and even lengths, and already sorted or reversed input.
    @Test func medianBySelectionEqualsMedianOfTheSortedList() async {
        await propertyCheck(input: Gen.int(in: -6...6).array(of: 1...41), Gen.int(in: 0...2)) { ints, order in
            var values = ints.map { Double($0) / 2 }
            if order == 1 { values.sort() } else if order == 2 { values.sort(by: >) }
            let sorted = values.sorted()
            let mid = sorted.count / 2
            let expected = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
            #expect(MetricTally.median(values) == expected, "\(values)")
        }
        #expect(MetricTally.median([]) == nil)
    }

    @Test func totalsStayWithinZeroToHundredAndRiseWithAnyScore() async {
        await propertyCheck(
            input: Gen.double(in: 0...100).array(of: 1...8), Gen.double(in: 0.1...50).array(of: 8),
            Gen.int(in: 0...3).array(of: 8), Gen.double(in: 0...30)
        ) { scores, weights, dims, bump in
            let dimensions = [
                RubricDimension(id: "d0", weight: 5), RubricDimension(id: "d1", weight: 1),
                RubricDimension(id: "d2", weight: 2.5), RubricDimension(id: "d3", weight: 10),
            ]
            for useDimensions in [false, true] {
                let metrics = scores.indices.map { i in
                    F.feedbackMetric("m\(i)", weight: weights[i], dimension: useDimensions ? "d\(dims[i])" : nil)
                }
                let used = useDimensions ? dimensions.filter { d in metrics.contains { $0.dimension == d.id } } : []
                let rubric = F.rubric(metrics, dimensions: used)
                let included = Array(scores.indices)
                let total = Totals.total(rubric: rubric, included: included) { scores[$0] }
                #expect(total >= -1e-9 && total <= 100 + 1e-9)
                let raised = Totals.total(rubric: rubric, included: included) { $0 == 0 ? min(100, scores[0] + bump) : scores[$0] }
                #expect(raised >= total - 1e-9)
                let weightsSum = EffectiveWeights.compute(rubric: rubric, included: included).compactMap { $0 }.reduce(0, +)
                #expect(abs(weightsSum - 1) < 1e-9)
            }
        }
    }

    @Test func poolAllocationsSumToThePoolToTheCent() async {
        await propertyCheck(input: Gen.int(in: 0...10_000_000), Gen.int(in: 0...5_000_000).array(of: 1...25)) { pool, weights in
            let claims = weights.enumerated().map { PoolAllocation.Claim(employeeID: "E\($0.offset)", weight: Int128($0.element)) }
            let shares = try? PoolAllocation.allocate(poolMinorUnits: Int64(pool), claims: claims)
            if weights.allSatisfy({ $0 == 0 }) {
                #expect(shares == nil)
            } else {
                let s = shares!
                #expect(s.reduce(0, +) == Int64(pool))
                let total = weights.reduce(0, +)
                for (share, w) in zip(s, weights) {
                    let exact = Double(pool) * Double(w) / Double(total)
                    #expect(Double(share) >= exact.rounded(.down) - 1e-6 && Double(share) <= exact.rounded(.down) + 1)
                }
            }
        }
    }

    @Test func reorderingInputRecordsChangesNothing() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...5).array(of: 0...60), Gen.int(in: 0...1_000)) { codes, seed in
            let rubric = F.rubric([
                F.feedbackMetric("fb", weight: 2, minSamples: 2, shrink: 3),
                MetricDefinition(
                    id: "csat", kind: .satisfactionMean, parameters: MetricParameters(scale: 1...5),
                    weight: 3, curve: .percentile),
                MetricDefinition(
                    id: "hours", kind: .medianResolutionHours, weight: 1,
                    curve: .steps([CurveStep(at: 4, score: 100), CurveStep(at: 24, score: 50)], otherwise: 0)),
            ])
            let roster = ["E1", "E2", "E3", "E4"].map { F.employee($0) }
            let population = Population(rubric: rubric, period: F.q3, roster: roster)
            enum Record { case feedback(FeedbackItem), survey(SurveyResponse), ticket(ComplaintTicket) }
            let records: [Record] = codes.enumerated().map { i, code in
                let slot = (i * 7 + code) % 4
                switch code % 3 {
                case 0: return .feedback(FeedbackItem(slot: slot, date: F.date("2026-08-01"), sentiment: code > 2 ? .positive : .neutral))
                case 1:
                    return .survey(
                        SurveyResponse(slot: slot, date: F.date("2026-08-02"), score: Double(1 + code % 5), recommend: nil, dimension: nil))
                default:
                    return .ticket(
                        ComplaintTicket(
                            slot: slot, openedDate: F.date("2026-07-01"), opened: F.instant("2026-07-01", hour: 0),
                            resolved: F.instant("2026-07-01", hour: 1 + i % 30), firstContactResolved: nil, escalated: nil))
                }
            }
            func run(_ records: [Record]) throws -> [String] {
                var tallies = MetricTallies(rubric: rubric, period: F.q3, population: population)
                for r in records {
                    switch r {
                    case .feedback(let f): tallies.add(f)
                    case .survey(let s): tallies.add(s)
                    case .ticket(let t): tallies.add(t)
                    }
                }
                let e = try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
                return e.employees.map {
                    "\($0.totalExact.map { String($0) } ?? "-") \($0.band?.id ?? "-") \($0.metrics.map { "\($0.raw ?? -1)/\($0.n)/\($0.score ?? -1)" })"
                }
            }
            var generator = SplitMix64(seed: UInt64(seed))
            let shuffled = records.shuffled(using: &generator)
            let a = try run(records), b = try run(shuffled)
            // Sums of doubles may differ in the last bit when reordered; compare to 1e-9 via rounding in the strings' numbers.
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) { #expect(Self.roughlyEqual(x, y), "\(x) vs \(y)") }
        }
    }

    static func roughlyEqual(_ a: String, _ b: String) -> Bool {
        func numbers(_ s: String) -> [Double] {
            s.split(whereSeparator: { " /[],\"".contains($0) }).compactMap { Double($0) }
        }
        let x = numbers(a), y = numbers(b)
        return x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
            && a.filter(\.isLetter) == b.filter(\.isLetter)
    }
}
