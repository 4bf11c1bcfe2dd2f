import XCTest

@testable import MeritStore

/// How `merit review --diff` tells a person's own data from the population mean behind a value adjusted for sample
/// size (docs/reference.md §5.2, docs/workspace.md; issue 17): μ and each own value are worked back from the shrunk
/// values the review stored.
final class ReviewDiffTests: XCTestCase {
    /// Shrinkage with k = 10 of own data (n, numerator): E1 10 answers summing 50, E2 2 summing 8, E3 nothing.
    private func shrunk(_ people: [(n: Int, sum: Double)], k: Double = 10) -> (mean: Double, values: [(n: Int, shrunk: Double?)]) {
        let mean = people.reduce(0) { $0 + $1.sum } / Double(people.reduce(0) { $0 + $1.n })
        return (mean, people.map { ($0.n, ($0.sum + k * mean) / (Double($0.n) + k)) })
    }

    func testThePooledMeanAndOwnValuesAreWorkedBackFromTheShrunkValues() throws {
        let (mean, values) = shrunk([(10, 50), (2, 8), (0, 0)])
        let pooled = try XCTUnwrap(Reviews.ShrinkageMean.pooled(k: 10, values))
        XCTAssertEqual(pooled, mean, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(Reviews.ShrinkageMean.own(n: 10, shrunk: values[0].shrunk, k: 10, mean: pooled)), 5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(Reviews.ShrinkageMean.own(n: 2, shrunk: values[1].shrunk, k: 10, mean: pooled)), 4, accuracy: 1e-12)
        XCTAssertNil(Reviews.ShrinkageMean.own(n: 0, shrunk: values[2].shrunk, k: 10, mean: pooled), "no data: no own value")
        XCTAssertNil(Reviews.ShrinkageMean.pooled(k: 10, [(0, nil)]), "nothing was shrunk")
    }

    /// E1's new answers move E1's own value; E2's value moves too, only because μ did.
    func testTheCauseSaysWhoseDataMovedAValue() {
        let before = shrunk([(10, 50), (2, 8), (0, 0)]), after = shrunk([(10, 30), (2, 8), (0, 0)])
        let fmt = Reviews.fmt
        func cause(_ i: Int) -> String {
            Reviews.ShrinkageMean.cause(
                old: before.values[i], new: after.values[i], k: 10,
                oldMean: Reviews.ShrinkageMean.pooled(k: 10, before.values), newMean: Reviews.ShrinkageMean.pooled(k: 10, after.values),
                format: fmt)
        }
        XCTAssertEqual(cause(0), ", because their own data changed (their own value 5.0 → 3.0)")
        XCTAssertEqual(cause(1), ", because the population mean moved (4.8333 → 3.1667), not their own data")
        XCTAssertEqual(cause(2), ", because the population mean moved (4.8333 → 3.1667); they have no data of their own")
        XCTAssertEqual(
            Reviews.ShrinkageMean.cause(old: (2, 4.5), new: (3, 4.6), k: 10, oldMean: 4, newMean: 4, format: fmt),
            ", because their own data changed")
    }
}
