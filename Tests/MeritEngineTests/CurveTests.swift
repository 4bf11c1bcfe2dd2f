import XCTest

@testable import MeritEngine

final class CurveTests: XCTestCase {
    func testIdentityClampsAndFlipsForLowerIsBetter() {
        XCTAssertEqual(Curve.identity.score(raw: 40, better: .higher), 40)
        XCTAssertEqual(Curve.identity.score(raw: -50, better: .higher), 0)
        XCTAssertEqual(Curve.identity.score(raw: 140, better: .higher), 100)
        XCTAssertEqual(Curve.identity.score(raw: 30, better: .lower), 70)
    }

    func testPercentScalesRates() {
        XCTAssertEqual(Curve.percent.score(raw: 0.75, better: .higher), 75)
        XCTAssertEqual(Curve.percent.score(raw: 1.3, better: .higher), 100)
        XCTAssertEqual(Curve.percent.score(raw: 0.2, better: .lower), 80, accuracy: 1e-12)
        XCTAssertEqual(Curve.percent.score(raw: -0.1, better: .lower), 100)
    }

    func testLinearTakesItsDirectionFromItsEnds() {
        let higher = Curve.linear(zeroAt: 3.0, fullAt: 4.8)
        XCTAssertEqual(higher.score(raw: 3.9, better: .higher), 50, accuracy: 1e-9)
        XCTAssertEqual(higher.score(raw: 2, better: .higher), 0)
        XCTAssertEqual(higher.score(raw: 5, better: .higher), 100)
        let lower = Curve.linear(zeroAt: 0.5, fullAt: 0.1)
        XCTAssertEqual(lower.score(raw: 0.25, better: .higher), 62.5, accuracy: 1e-9)
        XCTAssertEqual(lower.score(raw: 0, better: .higher), 100)
        XCTAssertEqual(lower.score(raw: 0.75, better: .lower), 0, "better is ignored by linear")
    }

    func testPiecewiseInterpolatesAndIsFlatOutside() {
        let curve = Curve.piecewise([CurvePoint(x: 0.5, score: 0), CurvePoint(x: 1.0, score: 80), CurvePoint(x: 1.5, score: 100)])
        XCTAssertEqual(curve.score(raw: 0.1, better: .higher), 0)
        XCTAssertEqual(curve.score(raw: 0.9, better: .higher), 64, accuracy: 1e-9)
        XCTAssertEqual(curve.score(raw: 1.25, better: .higher), 90, accuracy: 1e-9)
        XCTAssertEqual(curve.score(raw: 2.0, better: .higher), 100)
        XCTAssertEqual(Curve.piecewise([CurvePoint(x: 3, score: 42)]).score(raw: 99, better: .higher), 42)
    }

    func testStepsPickTheNearestStepOnTheRightSide() {
        let higher = Curve.steps([CurveStep(at: 5000, score: 100), CurveStep(at: 1000, score: 50)], otherwise: 0)
        XCTAssertEqual(higher.score(raw: 900, better: .higher), 0)
        XCTAssertEqual(higher.score(raw: 1000, better: .higher), 50, "an exact boundary counts")
        XCTAssertEqual(higher.score(raw: 999.9999999999999, better: .higher), 50, "equal within 1e-9 relative")
        XCTAssertEqual(higher.score(raw: 7000, better: .higher), 100)
        let lower = Curve.steps([CurveStep(at: 4, score: 100), CurveStep(at: 24, score: 60)], otherwise: 10)
        XCTAssertEqual(lower.score(raw: 4, better: .lower), 100)
        XCTAssertEqual(lower.score(raw: 20, better: .lower), 60)
        XCTAssertEqual(lower.score(raw: 40, better: .lower), 10)
    }

    func testPercentileSharesTiesAndGivesFiftyToALoneValue() {
        let ranking = PercentileRanking(values: [0.75, 0.75, 1.0, 0], better: .higher)
        XCTAssertEqual(ranking.score(of: 0.75), 50)
        XCTAssertEqual(ranking.score(of: 1.0), 100)
        XCTAssertEqual(ranking.score(of: 0), 0)
        XCTAssertEqual(PercentileRanking(values: [3], better: .higher).score(of: 3), 50)
        let lower = PercentileRanking(values: [1, 2, 3], better: .lower)
        XCTAssertEqual(lower.score(of: 1), 100)
        XCTAssertEqual(lower.score(of: 3), 0)
        // near-equal values are one tie group
        let near = PercentileRanking(values: [1, 1 + 1e-12, 2], better: .higher)
        XCTAssertEqual(near.score(of: 1), 25)
        XCTAssertEqual(near.score(of: 1 + 1e-12), 25)
    }

    func testPercentileMatchesTheQuadraticDefinition() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let values = (0..<Int.random(in: 2...40, using: &rng)).map { _ in Double(Int.random(in: 0...6, using: &rng)) / 2 }
            for better in [Better.higher, .lower] {
                let ranking = PercentileRanking(values: values, better: better)
                for v in values {
                    let worse = values.filter { !rawValuesEqual($0, v) && (better == .higher ? $0 < v : $0 > v) }.count
                    let equal = values.filter { rawValuesEqual($0, v) }.count
                    let expected = 100 * (Double(worse) + 0.5 * Double(equal - 1)) / Double(values.count - 1)
                    XCTAssertEqual(ranking.score(of: v), expected, accuracy: 1e-9)
                }
            }
        }
    }
}
