import MeritEngine
import MeritReport
import MeritTestSupport
import XCTest

/// The review table `merit evaluate` and `merit demo` print for people, at 80 columns.
final class ReviewTableTests: XCTestCase {
    private func evaluation(rubricName: String, target: Int64 = 10_088_990) throws -> Evaluation {
        let rubric = Rubric(
            id: "customer-service", name: rubricName, version: 1,
            metrics: [
                MetricDefinition(
                    id: "csat", name: "Customer satisfaction", kind: .satisfactionMean,
                    parameters: MetricParameters(scale: 1...5), weight: 100, curve: .linear(zeroAt: 3, fullAt: 4.8), minSamples: 1)
            ], bands: [Band(id: "A", min: 60, multiplier: DecimalNumber("1.2")!), Band(id: "B", min: 0, multiplier: DecimalNumber("1")!)])
        let q3 = Period("2026-Q3")!
        let roster = [
            RosterEntry(
                employeeID: "E00105", name: "林子涵 (a name wider than its column)", team: "Sales West and Iberia",
                role: "agent", hireDate: CivilDate(year: 2020, month: 1, day: 1), bonusTargetThousandths: target)
        ]
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        tallies.add(SurveyResponse(slot: 0, date: CivilDate(year: 2026, month: 8, day: 3)!, score: 5, recommend: nil, dimension: nil))
        return try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
    }

    /// A shipped rubric's name and the period made a 90-column first line; now a heading too wide for one
    /// line takes two, and a short one stays on one.
    func testEveryLineFitsEightyColumns() throws {
        let long = ReviewTable.render(try evaluation(rubricName: "Customer Service Representative"))
        let lines = long.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        assertLinesFit(lines)
        XCTAssertEqual(
            Array(lines.prefix(2)),
            [
                "Customer Service Representative (customer-service v1)",
                "2026-Q3 (2026-07-01 to 2026-09-30)",
            ])
        let short = ReviewTable.render(try evaluation(rubricName: "Support")).split(separator: "\n").first.map(String.init)
        XCTAssertEqual(short, "Support (customer-service v1) — 2026-Q3 (2026-07-01 to 2026-09-30)")
    }

    /// Amounts are grouped in thousands as the workbook shows them (`#,##0.00`): 10,088.99 × 1.2 = 12,106.79.
    func testAmountsHaveThousandsSeparators() throws {
        let text = ReviewTable.render(try evaluation(rubricName: "Support"))
        XCTAssertTrue(text.contains(" 12,106.79 USD\n"), text)
        XCTAssertTrue(text.contains("Bonuses: 12,106.79 USD"), text)
        XCTAssertFalse(text.contains("12106.79"), text)
    }

    /// An amount wider than its column (148,148,146.81 USD, 18 columns) is shown whole; the team gives way.
    func testALargeAmountIsNeverCut() throws {
        let text = ReviewTable.render(try evaluation(rubricName: "Support", target: 123_456_789_010))
        let lines = text.split(separator: "\n").map(String.init)
        let row = try XCTUnwrap(lines.first { $0.hasPrefix("E00105") })
        XCTAssertTrue(row.hasSuffix(" 148,148,146.81 USD"), row)
        assertLinesFit(lines)
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("ID") })
        XCTAssertEqual(DisplayWidth.of(header), DisplayWidth.of(row), "the Bonus header ends where the amounts end")
    }
}
