import XCTest

@testable import MeritEngine

/// Shrinkage, sufficiency, totals, dimensions, the official total, bands and training (docs/reference.md §5.1–§9).
final class ScoringTests: XCTestCase {
    typealias F = Fixtures

    func testShrinkagePullsTowardsThePooledRateAndUsesTheRealN() throws {
        let m = F.feedbackMetric(minSamples: 3, shrink: 4)
        let e = try F.evaluate(F.rubric([m]), [F.employee("E1"), F.employee("E2"), F.employee("E3")]) { t, p in
            F.feedback(&t, p, "E1", positive: 6, other: 0)  // n 6
            F.feedback(&t, p, "E2", positive: 0, other: 2)  // n 2 < 3
        }
        let mu = 6.0 / 8
        XCTAssertEqual(e.employees[0].metrics[0].raw!, (6 + 4 * mu) / 10, accuracy: 1e-12)
        XCTAssertEqual(e.employees[1].metrics[0].raw!, (0 + 4 * mu) / 6, accuracy: 1e-12)
        XCTAssertEqual(e.employees[1].metrics[0].status, .insufficient, "sufficiency tests the real n")
        XCTAssertEqual(e.employees[2].metrics[0].raw!, mu, accuracy: 1e-12, "n = 0 gives the prior")
        XCTAssertEqual(e.employees[2].metrics[0].n, 0)
        XCTAssertEqual(e.employees[2].metrics[0].status, .insufficient)
    }

    func testShrinkageWithNoPooledDataDoesNothing() throws {
        let e = try F.evaluate(F.rubric([F.feedbackMetric(minSamples: 0, shrink: 4)]), [F.employee("E1")])
        XCTAssertNil(e.employees[0].metrics[0].raw)
        XCTAssertFalse(e.employees[0].rated)
    }

    func testRedistributeVersusZero() throws {
        let a = F.feedbackMetric("a", weight: 50, minSamples: 2)
        let b = F.feedbackMetric("b", weight: 30, minSamples: 2, when: .zero)
        let rubric = F.rubric([a, b])
        // a and b read the same feedback; E1 has one item, so both are insufficient: a is left out, b counts 0.
        let e = try F.evaluate(rubric, [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: 1, other: 0) }
        let r = e.employees[0]
        XCTAssertEqual(r.metrics.map(\.status), [.insufficient, .zero])
        XCTAssertEqual(r.metrics[1].raw, 1.0, "a zero metric that is computable still shows its raw")
        XCTAssertEqual(r.metrics[1].score, 0)
        XCTAssertEqual(r.metrics[1].effectiveWeight, 1)
        XCTAssertEqual(r.totalExact, 0)
        XCTAssertEqual(r.band?.id, "E")
    }

    func testNoIncludedMetricMeansUnrated() throws {
        let e = try F.evaluate(F.rubric([F.feedbackMetric()]), [F.employee("E1")])
        let r = e.employees[0]
        XCTAssertFalse(r.rated)
        XCTAssertNil(r.band)
        XCTAssertNil(r.bonus)
        XCTAssertNil(r.officialTotal)
        XCTAssertEqual(r.training, [])
    }

    func testDimensionsWeighDimensionsThenMetricsAndDropEmptyOnes() throws {
        let dims = [RubricDimension(id: "s", weight: 50), RubricDimension(id: "r", weight: 30), RubricDimension(id: "g", weight: 20)]
        let rubric = F.rubric(
            [
                F.feedbackMetric("s1", weight: 60, dimension: "s"),
                F.feedbackMetric("s2", weight: 40, curve: .linear(zeroAt: 0, fullAt: 2), dimension: "s"),
                MetricDefinition(id: "r1", kind: .retentionRate, weight: 100, curve: .percent, dimension: "r"),
                MetricDefinition(id: "g1", kind: .salesTotal, weight: 100, curve: .identity, dimension: "g"),
            ], dimensions: dims)
        let e = try F.evaluate(rubric, [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: 3, other: 1) }
        let r = e.employees[0]
        // s1 = 75, s2 = 37.5 → s = (60·75 + 40·37.5)/100 = 60; r drops out; g = 0 → (50·60 + 20·0)/70
        XCTAssertEqual(r.totalExact!, 3000.0 / 70, accuracy: 1e-9)
        XCTAssertEqual(r.metrics[0].effectiveWeight!, 50.0 / 70 * 0.6, accuracy: 1e-12)
        XCTAssertEqual(r.metrics[1].effectiveWeight!, 50.0 / 70 * 0.4, accuracy: 1e-12)
        XCTAssertNil(r.metrics[2].effectiveWeight)
        XCTAssertEqual(r.metrics[3].effectiveWeight!, 20.0 / 70, accuracy: 1e-12)
        XCTAssertEqual(r.metrics.compactMap(\.effectiveWeight).reduce(0, +), 1, accuracy: 1e-12)
    }

    func testOfficialTotalRoundsExactHalvesUp() {
        XCTAssertEqual(officialTotalTenths(65.25), 653)
        XCTAssertEqual(officialTotalTenths(65.24999999999999), 653)
        XCTAssertEqual(officialTotalTenths(65.35), 654)
        XCTAssertEqual(officialTotalTenths(31.25), 313)
        XCTAssertEqual(officialTotalTenths(65.24), 652)
        XCTAssertEqual(officialTotalTenths(0), 0)
        XCTAssertEqual(officialTotalTenths(100), 1000)
        XCTAssertEqual(officialTotalTenths(74.16666666666667), 742)
    }

    func testBandIsTheLargestMinAtOrBelowTheOfficialTotal() {
        let rubric = F.rubric([F.feedbackMetric()])
        XCTAssertEqual(rubric.band(forOfficialTotal: 90)?.id, "A")
        XCTAssertEqual(rubric.band(forOfficialTotal: 89.9)?.id, "B")
        XCTAssertEqual(rubric.band(forOfficialTotal: 55)?.id, "C")
        XCTAssertEqual(rubric.band(forOfficialTotal: 0)?.id, "E")
    }

    func testTrainingListsTheBandPlanFirstThenMetricsByPriority() throws {
        let rubric = F.rubric([
            F.feedbackMetric("a", weight: 1, training: TrainingRule(below: 80, module: "Module A")),
            F.feedbackMetric("b", weight: 3, curve: .linear(zeroAt: 0, fullAt: 2), training: TrainingRule(below: 80, module: "Module B")),
            F.feedbackMetric("c", weight: 1, minSamples: 99, training: TrainingRule(below: 80, module: "Never")),
        ])
        let e = try F.evaluate(rubric, [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: 1, other: 1) }
        let r = e.employees[0]
        // a = 50 (w .25), b = 25 (w .75): total 31.25 → 31.3 → band E with its plan
        XCTAssertEqual(r.band?.id, "E")
        XCTAssertEqual(r.training.map(\.module), ["Performance improvement plan", "Module B", "Module A"])
        XCTAssertNil(r.training[0].priority)
        XCTAssertEqual(r.training[1].priority!, 0.75 * 55, accuracy: 1e-9)
        XCTAssertEqual(r.training[2].priority!, 0.25 * 30, accuracy: 1e-9)
    }

    func testTrainingTiesAreOrderedByMetricID() {
        let rubric = F.rubric([
            F.feedbackMetric("zeta", training: TrainingRule(below: 60, module: "Z")),
            F.feedbackMetric("alpha", training: TrainingRule(below: 60, module: "A")),
        ])
        let metrics = [
            MetricResult(metricID: "zeta", raw: 0.5, n: 2, score: 50, status: .ok, effectiveWeight: 0.5),
            MetricResult(metricID: "alpha", raw: 0.5, n: 2, score: 50, status: .ok, effectiveWeight: 0.5),
        ]
        XCTAssertEqual(Training.recommendations(rubric: rubric, band: nil, metrics: metrics).map(\.metricID), ["alpha", "zeta"])
    }

    func testEligibilityAndProration() throws {
        let rubric = F.rubric([F.feedbackMetric()], roles: ["agent"], minDays: 10)
        let roster = [
            F.employee("J", role: "agent", hire: "2026-08-16"),  // 46 days
            F.employee("L", role: "agent", hire: "2023-03-01", end: "2026-07-31"),  // 31 days
            F.employee("S", role: "agent", hire: "2026-09-25"),  // 6 days < 10
            F.employee("X", role: "sales-rep"),  // not covered
            F.employee("N", role: nil),  // no role, roles listed
            F.employee("B", role: "agent", end: "2026-06-30"),  // left before
        ]
        let e = try F.evaluate(rubric, roster)
        XCTAssertEqual(e.employees.map(\.entry.employeeID), ["J", "L"])
        XCTAssertEqual(e.employees[0].proration, 0.5)
        XCTAssertEqual(e.employees[1].proration, 31.0 / 92)
    }

    func testOutputIsInEmployeeIDByteOrder() throws {
        let e = try F.evaluate(F.rubric([F.feedbackMetric()]), ["b", "B", "a10", "a9", "É"].map { F.employee($0) })
        XCTAssertEqual(e.employees.map(\.entry.employeeID), ["B", "a10", "a9", "b", "É"])
    }
}
