import XCTest

@testable import MeritEngine

/// Rubric numbers at the edges of what the loader accepts (docs/reference.md §15: weights in
/// (0, 10^9], every other number within ±10^15, multipliers of up to 18 places):
/// exact answers or a reported failure, never a trap.
final class RubricExtremesTests: XCTestCase {
    typealias F = Fixtures

    func testTinyWeightsKeepTheirDigits() throws {
        // About 2e-320, a subnormal weight: its product with a score keeps only a few bits.
        let tiny = Double.leastNonzeroMagnitude * 4096
        let a = F.feedbackMetric("a", weight: tiny), b = F.feedbackMetric("b", weight: tiny, curve: .identity)
        let e = try F.evaluate(F.rubric([a, b]), [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: 3, other: 7) }
        // a: percent of 0.3 = 30; b: identity of 0.3 = 0.3 → (30 + 0.3) / 2
        XCTAssertEqual(e.employees[0].totalExact!, 15.15, accuracy: 1e-12)
        XCTAssertEqual(e.employees[0].officialTotalTenths, 152)
    }

    func testTheLargestWeightsAndBoundsEvaluate() throws {
        let a = F.feedbackMetric("a", weight: 1e9, curve: .linear(zeroAt: -1e15, fullAt: 1e15))
        let b = F.feedbackMetric("b", weight: 1e-300, curve: .piecewise([CurvePoint(x: -1e15, score: 0), CurvePoint(x: 1e15, score: 100)]))
        let rubric = F.rubric([a, b], bands: [F.band("A", 1e15, "1000000000000000"), F.band("E", 0, "0")])
        let e = try F.evaluate(rubric, [F.employee("E1")]) { t, p in F.feedback(&t, p, "E1", positive: 1, other: 0) }
        XCTAssertEqual(e.employees[0].totalExact!, 50, accuracy: 1e-9)
        XCTAssertEqual(e.employees[0].band?.id, "E")
        let plan = NextBand.plan(for: e.employees[0], rubric: rubric)
        XCTAssertEqual(plan?.band.id, "A")
        XCTAssertEqual(plan?.metrics.map(\.outcome), [.notEnough, .notEnough])
    }

    func testTheOfficialTotalOfAnImpossibleTotalDoesNotTrap() {
        XCTAssertEqual(officialTotalTenths(65.25), 653)
        XCTAssertEqual(officialTotalTenths(1e300), Int.max)
        XCTAssertEqual(officialTotalTenths(-.infinity), Int.min)
        _ = officialTotalTenths(.nan)
    }

    func testDecimalsWithMorePlacesThanExactArithmeticHoldAreRefused() {
        XCTAssertNil(DecimalNumber("0." + String(repeating: "0", count: 40) + "1"), "10^41 does not fit the fraction's denominator")
        XCTAssertEqual(DecimalNumber("0.000000000000000001")?.fraction.denominator, 1_000_000_000_000_000_000)
    }

    func testPoolWeightsBeyond128BitsAreAnOverflowNotATrap() {
        let rubric = F.rubric(
            [F.feedbackMetric()], bands: [F.band("A", 50, "1000000000000000"), F.band("E", 0, "0.000000000000000001")],
            bonus: BonusPolicy(mode: .pool, poolBy: .team))
        let pools = ["Blue": PoolEntry(pool: "Blue", amountThousandths: 1_000_000, currency: .usd, line: 2)]
        XCTAssertThrowsError(
            try F.evaluate(rubric, [F.employee("E1"), F.employee("E2")], pools: pools) { t, p in
                F.feedback(&t, p, "E1", positive: 1, other: 0)
                F.feedback(&t, p, "E2", positive: 0, other: 1)
            }
        ) { XCTAssertEqual($0 as? Evaluator.Failure, .amountOverflow(employeeID: "E1")) }
        let claims = [PoolAllocation.Claim(employeeID: "a", weight: .max), PoolAllocation.Claim(employeeID: "b", weight: .max)]
        XCTAssertThrowsError(try PoolAllocation.allocate(poolMinorUnits: 1, claims: claims))
    }
}
