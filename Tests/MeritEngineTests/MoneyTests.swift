import XCTest

@testable import MeritEngine

/// Exact money: minor units, target bonuses, pools by largest remainder (docs/reference.md §8).
final class MoneyTests: XCTestCase {
    typealias F = Fixtures

    func testMinorUnitsPerCurrency() {
        XCTAssertEqual(Currency("jpy")!.minorDigits, 0)
        XCTAssertEqual(Currency("KWD")!.minorDigits, 3)
        XCTAssertEqual(Currency("usd")!.code, "USD")
        XCTAssertEqual(Currency("EUR")!.minorDigits, 2)
        XCTAssertNil(Currency("US"))
        XCTAssertNil(Currency("US1"))
        XCTAssertNil(Currency("ÜSD"))
    }

    func testFormattingKeepsExactlyTheMinorDigits() {
        XCTAssertEqual(MoneyAmount(minorUnits: 150000, currency: .usd).decimalString, "1500.00")
        XCTAssertEqual(MoneyAmount(minorUnits: 5, currency: .usd).decimalString, "0.05")
        XCTAssertEqual(MoneyAmount(minorUnits: 5999, currency: Currency("JPY")!).decimalString, "5999")
        XCTAssertEqual(MoneyAmount(minorUnits: 972221, currency: Currency("KWD")!).decimalString, "972.221")
        XCTAssertEqual(MoneyAmount(minorUnits: -1250, currency: .usd).decimalString, "-12.50")
    }

    private func target(
        _ thousandths: Int64, _ multiplier: String, _ days: Int, _ of: Int, _ currency: String,
        _ rounding: RoundingRule = .halfUp
    ) throws -> String {
        try TargetBonus.amount(
            targetThousandths: thousandths, multiplier: DecimalNumber(multiplier)!, daysEmployed: days,
            periodDays: of, currency: Currency(currency)!, rounding: rounding
        ).decimalString
    }

    func testTargetBonusIsExactThenRoundedOnce() throws {
        XCTAssertEqual(try target(1_000_000, "1.5", 92, 92, "USD"), "1500.00")
        XCTAssertEqual(try target(3_999_000, "1.5", 92, 92, "JPY"), "5999")  // 5998.5 → half up
        XCTAssertEqual(try target(3_999_000, "1.5", 92, 92, "JPY", .halfEven), "5998")
        XCTAssertEqual(try target(1_000_040, "1.25", 46, 92, "EUR"), "625.03")  // 625.025 exactly
        XCTAssertEqual(try target(1_000_040, "1.25", 46, 92, "EUR", .halfEven), "625.02")
        XCTAssertEqual(try target(1_234_570, "1.0", 31, 92, "USD"), "416.00")  // 415.9964…
        XCTAssertEqual(try target(777_777, "1.25", 92, 92, "KWD"), "972.221")  // 972.22125
        XCTAssertEqual(try target(1_001_000, "1.25", 30, 92, "JPY"), "408")
        XCTAssertEqual(try target(0, "1.5", 92, 92, "USD"), "0.00")
        XCTAssertEqual(try target(1_000_000, "0", 92, 92, "USD"), "0.00")
    }

    func testPoolSplitsByLargestRemainderWithIDTieBreak() throws {
        let three = try PoolAllocation.allocate(
            poolMinorUnits: 100_000,
            claims: ["N3", "N1", "N2"].map {
                PoolAllocation.Claim(employeeID: $0, weight: 1500)
            })
        XCTAssertEqual(three, [33333, 33334, 33333], "the left-over cent goes to the smaller id, N1")
        let uneven = try PoolAllocation.allocate(
            poolMinorUnits: 10_000,
            claims: [
                PoolAllocation.Claim(employeeID: "S1", weight: 1500), PoolAllocation.Claim(employeeID: "S2", weight: 350),
                PoolAllocation.Claim(employeeID: "S3", weight: 0),
            ])
        XCTAssertEqual(uneven, [8108, 1892, 0])
        XCTAssertNil(try PoolAllocation.allocate(poolMinorUnits: 500, claims: [PoolAllocation.Claim(employeeID: "A", weight: 0)]))
    }

    func testPoolModeThroughTheEvaluator() throws {
        let rubric = F.rubric(
            [F.feedbackMetric()], bands: [F.band("A", 80, "1.5"), F.band("B", 60, "1.0"), F.band("C", 0, "0")],
            bonus: BonusPolicy(mode: .pool, poolBy: .team))
        let roster = [
            F.employee("N1", team: "North"), F.employee("N2", team: "North"), F.employee("N3", team: "North"),
            F.employee("Z1", team: "Zero"), F.employee("M1", team: "Missing"), F.employee("U1", team: "Unrated"),
        ]
        let pools = [
            "North": PoolEntry(pool: "North", amountThousandths: 1_000_000, currency: .usd, line: 2),
            "Zero": PoolEntry(pool: "Zero", amountThousandths: 50_000, currency: .usd, line: 3),
            "Unrated": PoolEntry(pool: "Unrated", amountThousandths: 50_000, currency: .usd, line: 4),
            "Nobody": PoolEntry(pool: "Nobody", amountThousandths: 50_000, currency: .usd, line: 5),
        ]
        let e = try F.evaluate(rubric, roster, pools: pools) { t, p in
            for id in ["N1", "N2", "N3", "M1"] { F.feedback(&t, p, id, positive: 1, other: 0) }
            F.feedback(&t, p, "Z1", positive: 0, other: 1)
        }
        let bonus = Dictionary(uniqueKeysWithValues: e.employees.map { ($0.entry.employeeID, $0.bonus?.decimalString) })
        XCTAssertEqual(bonus["N1"], "333.34")
        XCTAssertEqual(bonus["N2"], "333.33")
        XCTAssertEqual(bonus["Z1"], "0.00")
        XCTAssertEqual(bonus["M1"], .some(nil))
        XCTAssertEqual(bonus["U1"], .some(nil))
        XCTAssertEqual(e.warnings.count, 3, "Missing has no pool row; Zero and Unrated were not distributed; Nobody has no one")
        XCTAssertTrue(e.warnings.allSatisfy { $0.line == nil })
        // Each member knows which pool the bonus is a share of (the scorecard says so), and how large it is when known.
        let pool = Dictionary(uniqueKeysWithValues: e.employees.map { ($0.entry.employeeID, $0.pool) })
        XCTAssertEqual(pool["N2"], PoolMembership(by: .team, group: "North", amount: MoneyAmount(minorUnits: 100_000, currency: .usd)))
        XCTAssertEqual(pool["M1"], PoolMembership(by: .team, group: "Missing", amount: nil))
        XCTAssertEqual(pool["U1"]??.group, "Unrated", "unrated members belong to their pool too")
    }

    func testTargetModeHasNoPool() throws {
        let e = try F.evaluate(F.rubric([F.feedbackMetric()]), [F.employee("T1")]) { t, p in F.feedback(&t, p, "T1", positive: 1, other: 0) }
        XCTAssertNil(e.employees[0].pool)
    }

    func testPoolCurrencyMismatchIsFound() {
        let rubric = F.rubric([F.feedbackMetric()], bonus: BonusPolicy(mode: .pool, poolBy: .team))
        let population = Population(
            rubric: rubric, period: F.q3,
            roster: [
                F.employee("A", team: "Tokyo", currency: "JPY"), F.employee("B", team: "Tokyo", currency: "USD"),
            ])
        let pools = [TextKey("Tokyo"): PoolEntry(pool: "Tokyo", amountThousandths: 1000, currency: Currency("JPY")!, line: 2)]
        XCTAssertEqual(PoolCurrencyCheck.mismatches(rubric: rubric, population: population, pools: pools).map(\.employeeID), ["B"])
    }

    func testDecimalNumbersKeepTheirWrittenScale() {
        XCTAssertEqual(DecimalNumber("1.0")?.description, "1.0")
        XCTAssertEqual(DecimalNumber("0")?.description, "0")
        XCTAssertEqual(DecimalNumber("1.25")?.description, "1.25")
        XCTAssertEqual(DecimalNumber("15e-1")?.description, "1.5")
        XCTAssertNil(DecimalNumber("1.2.3"))
        XCTAssertNil(DecimalNumber("abc"))
    }
}

/// Text keys compare by bytes (docs: exactness).
final class TextKeyTests: XCTestCase {
    func testCanonicallyEquivalentTextsAreDifferentKeys() {
        let composed = TextKey("\u{C9}1"), decomposed = TextKey("E\u{301}1")
        XCTAssertEqual("\u{C9}1", "E\u{301}1", "Swift's String says equal")
        XCTAssertNotEqual(composed, decomposed)
        XCTAssertEqual(Set([composed, decomposed, TextKey("\u{C9}1")]).count, 2)
        XCTAssertTrue(decomposed < composed, "byte order: 0x45 before 0xC3")
        XCTAssertFalse("\u{C9}1".sameBytes(as: "E\u{301}1"))
    }
}
