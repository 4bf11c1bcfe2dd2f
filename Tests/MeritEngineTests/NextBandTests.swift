import XCTest

@testable import MeritEngine

/// "What it would take to reach the next band", against hand-computed cases.
/// Standard bands: A 90, B 75, C 55, D 40, E 0. Every metric here reads the
/// share of positive feedback, so the raw value is set by the feedback fed in.
final class NextBandTests: XCTestCase {
    typealias F = Fixtures

    private func plan(_ rubric: Rubric, positive: Int, other: Int) throws -> (EmployeeResult, NextBandPlan?) {
        let e = try F.evaluate(rubric, [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: positive, other: other) }
        return (e.employees[0], NextBand.plan(for: e.employees[0], rubric: rubric))
    }

    private func raw(_ path: MetricPath?) -> Double? {
        if case .reach(let raw, _)? = path?.outcome { return raw }
        return nil
    }

    /// Linear and percent. raw 0.7: linear(0.5→1.0) gives 40, percent 70; total (60·40 + 40·70) ÷ 100 = 52 (D).
    /// C needs an official 55, so a total of 54.95: linear needs 40 + 2.95 ÷ 0.6 = 44.916…, i.e. raw 0.5 + 0.5 × 0.44916… = 0.724583…;
    /// percent needs 70 + 2.95 ÷ 0.4 = 77.375, i.e. raw 0.77375.
    func testLinearAndPercentCurves() throws {
        let rubric = F.rubric([
            F.feedbackMetric("linear", weight: 60, curve: .linear(zeroAt: 0.5, fullAt: 1.0)),
            F.feedbackMetric("percent", weight: 40, curve: .percent),
        ])
        let (result, plan) = try plan(rubric, positive: 7, other: 3)
        XCTAssertEqual(result.officialTotal, 52)
        XCTAssertEqual(plan?.band.id, "C")
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.724_583_333, accuracy: 1e-6)
        XCTAssertEqual(raw(plan?.metrics[1])!, 0.773_75, accuracy: 1e-6)
        XCTAssertNil(plan?.pair, "one metric alone is enough: no pair")
    }

    /// Steps 0.6→50, 0.8→80, 0.9→100: raw 0.7 scores 50 (D); C needs 54.95, first given at raw 0.8.
    func testStepsCurve() throws {
        let steps: [CurveStep] = [.init(at: 0.6, score: 50), .init(at: 0.8, score: 80), .init(at: 0.9, score: 100)]
        let (_, plan) = try plan(F.rubric([F.feedbackMetric("steps", curve: .steps(steps, otherwise: 0))]), positive: 7, other: 3)
        XCTAssertEqual(plan?.band.id, "C")
        XCTAssertEqual(raw(plan?.metrics[0]), 0.8)
        if case .reach(_, let score)? = plan?.metrics[0].outcome { XCTAssertEqual(score, 80) }
    }

    /// Piecewise (0.5, 0) (0.8, 60) (1.0, 100): raw 0.7 scores 40 (D); 54.95 lies on the first stretch at 0.5 + 0.3 × 54.95 ÷ 60 = 0.77475.
    func testPiecewiseCurve() throws {
        let points: [CurvePoint] = [.init(x: 0.5, score: 0), .init(x: 0.8, score: 60), .init(x: 1.0, score: 100)]
        let (result, plan) = try plan(F.rubric([F.feedbackMetric("piecewise", curve: .piecewise(points))]), positive: 7, other: 3)
        XCTAssertEqual(result.officialTotal, 40)
        XCTAssertEqual(plan?.band.id, "C")
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.774_75, accuracy: 1e-9)
    }

    /// Dimensions X (60: a, b) and Y (40: c), every score 50 (D). Effective weights 0.3, 0.3, 0.4:
    /// a needs 50 + 4.95 ÷ 0.3 = 66.5 (raw 0.665); c needs 50 + 4.95 ÷ 0.4 = 62.375 (raw 0.62375).
    func testDimensionsUseTheEffectiveWeights() throws {
        let rubric = F.rubric(
            [
                F.feedbackMetric("a", dimension: "x"), F.feedbackMetric("b", dimension: "x"), F.feedbackMetric("c", dimension: "y"),
            ], dimensions: [RubricDimension(id: "x", weight: 60), RubricDimension(id: "y", weight: 40)])
        let (result, plan) = try plan(rubric, positive: 5, other: 5)
        XCTAssertEqual(result.officialTotal, 50)
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.665, accuracy: 1e-9)
        XCTAssertEqual(raw(plan?.metrics[1])!, 0.665, accuracy: 1e-9)
        XCTAssertEqual(raw(plan?.metrics[2])!, 0.623_75, accuracy: 1e-9)
    }

    /// Lower is better: raw 0.5 scores 50; C needs 54.95, i.e. a raw of at most 0.4505.
    func testLowerIsBetter() throws {
        let (_, plan) = try plan(F.rubric([F.feedbackMetric("lower", curve: .percent).with(better: .lower)]), positive: 5, other: 5)
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.4505, accuracy: 1e-9)
    }

    /// Raw 0.3 scores 30 on both (E). D needs 39.95: the 95-weight metric at 40.47… (raw 0.40473…);
    /// the 5-weight one would need 229, more than a perfect score.
    func testASmallWeightCannotLiftTheTotalAlone() throws {
        let rubric = F.rubric([F.feedbackMetric("big", weight: 95), F.feedbackMetric("small", weight: 5)])
        let (_, plan) = try plan(rubric, positive: 3, other: 7)
        XCTAssertEqual(plan?.band.id, "D")
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.404_736_842, accuracy: 1e-6)
        XCTAssertEqual(plan?.metrics[1].outcome, .notEnough)
    }

    /// linear(0 → 4) on a share: D needs 39.95, i.e. a share of 1.598, which no share reaches.
    func testARawValueBeyondWhatTheMetricCanMeasure() throws {
        let (_, plan) = try plan(F.rubric([F.feedbackMetric("far", curve: .linear(zeroAt: 0, fullAt: 4))]), positive: 5, other: 5)
        XCTAssertEqual(plan?.metrics[0].outcome, .outOfRange)
    }

    /// Raw 0.3 scores 30 (E). The band just above is D (40), not C or A, though this metric alone could reach C too.
    func testTheTargetIsTheBandJustAbove() throws {
        let (result, plan) = try plan(F.rubric([F.feedbackMetric("p")]), positive: 3, other: 7)
        XCTAssertEqual(result.band?.id, "E")
        XCTAssertEqual(plan?.band.id, "D")
        XCTAssertEqual(raw(plan?.metrics[0])!, 0.3995, accuracy: 1e-9, "an official 40.0, the least that reaches D")
    }

    /// A metric counted as 0 only because it has too few samples (`when_insufficient: zero`) needs data, not a
    /// better value: its raw 0.5 would otherwise look like it scores 50.
    func testAMetricScoredZeroForWantOfSamplesNeedsDataFirst() throws {
        let rubric = F.rubric([F.feedbackMetric("thin", minSamples: 50, when: .zero), F.feedbackMetric("p")])
        let (result, plan) = try plan(rubric, positive: 5, other: 5)
        XCTAssertEqual(result.metrics[0].status, .zero)
        XCTAssertEqual(plan?.metrics[0].outcome, .notIncluded)
        if case .reach = plan?.metrics[1].outcome {} else { XCTFail("the sufficient metric still has its target") }
    }

    /// A curve through (0, 0), (0.5, `at`), (1, `best`): at the shared raw 0.5 it scores `at`, at best `best`.
    private func bent(_ id: String, weight: Double, at: Double, best: Double) -> MetricDefinition {
        F.feedbackMetric(id, weight: weight, curve: .piecewise([.init(x: 0, score: 0), .init(x: 0.5, score: at), .init(x: 1, score: best)]))
    }

    /// a (0.40, 50 of at best 75), b (0.35, 40 of 70), c (0.25, 40 of 80): total 20 + 14 + 10 = 44 (D). C needs 54.95,
    /// 10.95 more; alone a adds at most 10, b 10.5, c 10. Pairs, least total change in score points:
    /// a+b: a to its best (+25, 10 points), b +0.95 ÷ 0.35 = +2.714…  → 27.71
    /// a+c: a +25, c +0.95 ÷ 0.25 = +3.8                                → 28.8
    /// b+c: b to its best (+30, 10.5 points), c +0.45 ÷ 0.25 = +1.8     → 31.8
    /// So a at raw 1 (75) and b at 42.714…, raw 0.5 + 0.5 × 2.714… ÷ 30 = 0.545238….
    func testWhenNoMetricAloneCanThePairWithTheLeastScoreChange() throws {
        let rubric = F.rubric([
            bent("a", weight: 40, at: 50, best: 75), bent("b", weight: 35, at: 40, best: 70),
            bent("c", weight: 25, at: 40, best: 80),
        ])
        let (result, plan) = try plan(rubric, positive: 5, other: 5)
        XCTAssertEqual(result.totalExact!, 44, accuracy: 1e-9)
        XCTAssertEqual(plan?.band.id, "C")
        XCTAssertEqual(plan?.metrics.map(\.outcome), [.outOfRange, .outOfRange, .outOfRange], "100 would do, but no curve gives it")
        let pair = try XCTUnwrap(plan?.pair)
        XCTAssertEqual([pair.first.metricID, pair.second.metricID], ["a", "b"])
        XCTAssertEqual(pair.first.raw, 1, accuracy: 1e-9)
        XCTAssertEqual(pair.first.score, 75, accuracy: 1e-9)
        XCTAssertEqual(pair.second.raw, 0.5 + 0.5 * (0.95 / 0.35) / 30, accuracy: 1e-9)
        XCTAssertEqual(pair.scoreChange, 25 + 0.95 / 0.35, accuracy: 1e-9)
        // Tight: together they reach C, and the second a hair lower does not.
        let e = result.metrics.map { $0.effectiveWeight! }
        func official(_ sa: Double, _ sb: Double) -> Int { officialTotalTenths(e[0] * sa + e[1] * sb + e[2] * 40) }
        let b = rubric.metrics[1]
        XCTAssertEqual(official(pair.first.score, pair.second.score), 550)
        XCTAssertLessThan(official(pair.first.score, b.curve.score(raw: pair.second.raw - 1e-6, better: b.better)), 550)
    }

    /// Equal weights 0.5, both 40 of at best 60 (total 40, D): C needs 14.95 more, 10 at most from either alone.
    /// Any split costs 29.9 score points; the even one (+14.95 each, raw 0.5 + 0.5 × 14.95 ÷ 20 = 0.87375) is shown.
    func testEqualWeightsShareTheChangeEvenly() throws {
        let (_, plan) = try plan(
            F.rubric([bent("x", weight: 1, at: 40, best: 60), bent("y", weight: 1, at: 40, best: 60)]),
            positive: 5, other: 5)
        let pair = try XCTUnwrap(plan?.pair)
        XCTAssertEqual(pair.first.raw, 0.873_75, accuracy: 1e-6)
        XCTAssertEqual(pair.second.raw, 0.873_75, accuracy: 1e-6)
        XCTAssertEqual(pair.scoreChange, 29.9, accuracy: 1e-6)
    }

    /// Three equal thirds, each 40 of at best 60 (total 40): C needs 14.95 more; two together add at most 13.3.
    func testNoPairWhenItTakesThree() throws {
        let (_, plan) = try plan(
            F.rubric([
                bent("x", weight: 1, at: 40, best: 60), bent("y", weight: 1, at: 40, best: 60),
                bent("z", weight: 1, at: 40, best: 60),
            ]), positive: 5, other: 5)
        XCTAssertEqual(plan?.band.id, "C")
        XCTAssertNil(plan?.pair)
    }

    func testPercentileInsufficientAndTopBand() throws {
        let rubric = F.rubric([F.feedbackMetric("rank", curve: .percentile), F.feedbackMetric("thin", minSamples: 50)])
        let (_, plan) = try plan(rubric, positive: 5, other: 5)
        XCTAssertEqual(plan?.metrics[0].outcome, .relative)
        XCTAssertEqual(plan?.metrics[1].outcome, .notIncluded)
        let (top, none) = try self.plan(F.rubric([F.feedbackMetric("p")]), positive: 10, other: 0)
        XCTAssertEqual(top.band?.id, "A")
        XCTAssertNil(none, "nothing above the highest band")
    }

    /// Whatever the curve, the raw value found really reaches the band, and one a hair worse does not.
    func testTheAnswerIsTightOnRandomLinearCurves() throws {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<200 {
            let zero = Double.random(in: 0...0.5, using: &generator), full = Double.random(in: 0.6...1, using: &generator)
            let positive = Int.random(in: 0...20, using: &generator)
            let rubric = F.rubric([
                F.feedbackMetric("a", weight: 70, curve: .linear(zeroAt: zero, fullAt: full)),
                F.feedbackMetric("b", weight: 30, curve: .percent),
            ])
            let (result, plan) = try plan(rubric, positive: positive, other: 20 - positive)
            guard let plan, let found = raw(plan.metrics[0]) else { continue }
            checked += 1
            let a = rubric.metrics[0]
            let before = result.metrics[0].score!, weight = result.metrics[0].effectiveWeight!
            func official(_ raw: Double) -> Int {
                officialTotalTenths(result.totalExact! + weight * (a.curve.score(raw: raw, better: a.better) - before))
            }
            XCTAssertGreaterThanOrEqual(official(found), Int((plan.band.min * 10).rounded()))
            XCTAssertLessThan(official(found - 1e-6), Int((plan.band.min * 10).rounded()), "zero \(zero) full \(full) positive \(positive)")
        }
        XCTAssertGreaterThan(checked, 50, "most random cases have a reachable next band: the check must not pass by skipping them")
    }
}

private extension MetricDefinition {
    func with(better: Better) -> MetricDefinition {
        MetricDefinition(
            id: id, kind: kind, parameters: parameters, weight: weight, curve: curve, better: better,
            minSamples: minSamples, whenInsufficient: whenInsufficient, shrink: shrink, dimension: dimension, training: training)
    }
}
