import MeritEngine
import MeritReport
import MeritTestSupport
import XCTest

/// The payroll file's rows and bytes (docs/payroll.md): who is a payment, how each value is written, and that the
/// file reads back field for field.
final class PayrollFileTests: XCTestCase {
    private let q3 = Period("2026-Q3")!
    private let review = PayrollFile.Review(period: "2026-Q3", version: 2, status: "final")

    /// One feedback metric, so a person's band follows from their positive share.
    private func evaluation(
        _ id: String, bonus: BonusPolicy = BonusPolicy(), currency: Currency = .usd,
        roster: [RosterEntry], positive: [String: Int], pools: [TextKey: PoolEntry] = [:]
    ) throws -> Evaluation {
        let rubric = Rubric(
            id: id, version: 1, currency: currency,
            metrics: [
                MetricDefinition(
                    id: "feedback", kind: .positiveFeedbackShare, parameters: MetricParameters(), weight: 1,
                    curve: .percent, minSamples: 1)
            ], bands: [Band(id: "A", min: 50, multiplier: DecimalNumber("1.5")!), Band(id: "E", min: 0, multiplier: DecimalNumber("0")!)],
            bonus: bonus)
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        for entry in roster {
            let good = positive[entry.employeeID] ?? 0
            for i in 0..<10 {
                tallies.add(
                    FeedbackItem(
                        slot: population.slot(of: entry.employeeID)!, date: CivilDate(year: 2026, month: 8, day: 3)!,
                        sentiment: i < good ? .positive : .neutral))
            }
        }
        return try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished(), pools: pools)
    }

    private func person(
        _ id: String, _ name: String, target: Int64 = 1_000_000, currency: Currency = .usd,
        team: String? = "Blue", costCenter: String? = "CC-1"
    ) -> RosterEntry {
        RosterEntry(
            employeeID: id, name: name, team: team, role: "agent", hireDate: CivilDate(year: 2020, month: 1, day: 1),
            bonusTargetThousandths: target, currency: currency, costCenter: costCenter)
    }

    /// The file as records of fields, read by the tests' own RFC 4180 reader (independent of Merit's).
    private func records(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [[String]] {
        CSVRecords.parse(String(decoding: bytes, as: UTF8.self), file: file, line: line)
    }

    /// Everyone with a bonus above zero is a payment; a bonus of zero (band E) is not.
    func testOnlyPeoplePaidMoreThanZeroAreRows() throws {
        let e = try evaluation("cs", roster: [person("E1", "Paid"), person("E2", "Zero")], positive: ["E1": 9, "E2": 1])
        XCTAssertEqual(e.employees.map { $0.bonus?.minorUnits }, [150_000, 0])
        XCTAssertEqual(PayrollFile.rows([e]).map(\.employeeID), ["E1"])
    }

    /// Ids and names are written byte for byte and read back as the same text: leading zeros, spaces, commas,
    /// quotes, line breaks and formula-like text are data, not formatting.
    func testValuesRoundTripExactly() throws {
        let roster = [
            person("007", "Núñez, José \"Pepe\""), person(" E2 ", "=SUM(A1)\nsecond line"),
            person("1e5", "林子涵", costCenter: "CC;9"),
        ]
        let e = try evaluation("cs", roster: roster, positive: ["007": 9, " E2 ": 9, "1e5": 9])
        let file = records(PayrollFile.render(PayrollFile.rows([e]), review: review))
        XCTAssertEqual(file[0], PayrollFile.headers)
        XCTAssertEqual(
            file.dropFirst().map { [$0[0], $0[1], $0[6]] },
            [[" E2 ", "=SUM(A1)\nsecond line", "CC-1"], ["007", "Núñez, José \"Pepe\"", "CC-1"], ["1e5", "林子涵", "CC;9"]])
        XCTAssertTrue(file.allSatisfy { $0.count == PayrollFile.headers.count })
    }

    /// Every row carries the review's period, version and status; amounts have exactly the currency's minor digits.
    func testEveryRowCarriesTheReviewAndMinorDigits() throws {
        let usd = try evaluation("cs", roster: [person("E1", "A")], positive: ["E1": 9])
        let jpy = try evaluation(
            "am", currency: Currency("JPY")!, roster: [person("E2", "B", target: 400_000_000, currency: Currency("JPY")!)],
            positive: ["E2": 9])
        let kwd = try evaluation(
            "sr", currency: Currency("KWD")!, roster: [person("E3", "C", target: 1_234_567, currency: Currency("KWD")!)],
            positive: ["E3": 9])
        let draft = PayrollFile.Review(period: "2026-Q3", version: 1, status: "draft")
        let file = records(PayrollFile.render(PayrollFile.rows([usd, jpy, kwd]), review: draft))
        XCTAssertEqual(
            file.dropFirst().map { Array($0[2...5]) + Array($0[8...9]) },
            [
                ["2026-Q3", "1", "draft", "cs", "USD", "1500.00"],
                ["2026-Q3", "1", "draft", "am", "JPY", "600000"],
                ["2026-Q3", "1", "draft", "sr", "KWD", "1851.851"],
            ])
    }

    /// Rows are in employee-id byte order across rubrics, whatever order the rubrics come in.
    func testOrderIsByEmployeeIDAcrossRubrics() throws {
        let a = try evaluation("z-rubric", roster: [person("E3", "C"), person("E1", "A")], positive: ["E1": 9, "E3": 9])
        let b = try evaluation("a-rubric", roster: [person("E2", "B"), person("e0", "lower")], positive: ["E2": 9, "e0": 9])
        XCTAssertEqual(PayrollFile.rows([a, b]).map(\.employeeID), ["E1", "E2", "E3", "e0"])
        XCTAssertEqual(PayrollFile.rows([b, a]), PayrollFile.rows([a, b]))
    }

    /// In pool mode the pool column names the group the bonus is a share of; in target mode it is empty.
    func testPoolColumnNamesThePoolInPoolModeOnly() throws {
        let pools = [TextKey("CC-7"): PoolEntry(pool: "CC-7", amountThousandths: 9_000_000, currency: .usd, line: 2)]
        let pooled = try evaluation(
            "sr", bonus: BonusPolicy(mode: .pool, poolBy: .costCenter),
            roster: [person("E1", "A", costCenter: "CC-7"), person("E2", "B", costCenter: "CC-7")],
            positive: ["E1": 9, "E2": 9], pools: pools)
        let target = try evaluation("cs", roster: [person("E3", "C", costCenter: "CC-7")], positive: ["E3": 9])
        let rows = PayrollFile.rows([pooled, target])
        XCTAssertEqual(rows.map(\.pool), ["CC-7", "CC-7", ""])
        XCTAssertEqual(rows.prefix(2).map(\.amount.minorUnits).reduce(0, +), 900_000, "the pool is paid whole")
    }

    /// Totals per currency hold sums beyond 64 bits instead of wrapping.
    func testTotalsDoNotWrap() {
        let big = MoneyAmount(minorUnits: Int64.max - 1, currency: .usd)
        var total = MoneyTotal(currency: .usd)
        total.add(big)
        total.add(big)
        XCTAssertEqual(total.decimalString, "184467440737095516.12")
        XCTAssertEqual(total.count, 2)
        XCTAssertEqual(
            MoneyTotal.perCurrency([big, MoneyAmount(minorUnits: 5, currency: Currency("JPY")!)]).map(\.description),
            ["5 JPY", "92233720368547758.06 USD"])
    }
}
