import MeritInput
import XCTest

private func money(_ s: String, _ minor: Int) -> MoneyParseResult {
    Array(s.utf8).withUnsafeBufferPointer { MoneyParser.parse($0, minorDigits: minor) }
}

final class MoneyParserTests: XCTestCase {
    func testTwoMinorDigits() {
        XCTAssertEqual(money("12.34", 2), .value(thousandths: 12_340))
        XCTAssertEqual(money("12.340", 2), .value(thousandths: 12_340))
        XCTAssertEqual(money("12.3400000000", 2), .value(thousandths: 12_340))
        XCTAssertEqual(money("12.345", 2), .tooPrecise)
        XCTAssertEqual(money("12.3401", 2), .tooPrecise)
        XCTAssertEqual(money("12", 2), .value(thousandths: 12_000))
        XCTAssertEqual(money("12.5", 2), .value(thousandths: 12_500))
        XCTAssertEqual(money("0.01", 2), .value(thousandths: 10))
        XCTAssertEqual(money("-0.01", 2), .value(thousandths: -10))
        XCTAssertEqual(money("+5.10", 2), .value(thousandths: 5_100))
        XCTAssertEqual(money("-0.00", 2), .value(thousandths: 0))
    }

    func testZeroMinorDigits() {
        XCTAssertEqual(money("1500.00", 0), .value(thousandths: 1_500_000))
        XCTAssertEqual(money("1500", 0), .value(thousandths: 1_500_000))
        XCTAssertEqual(money("1500.5", 0), .tooPrecise)
        XCTAssertEqual(money("1500.05", 0), .tooPrecise)
        XCTAssertEqual(money("1500.000000000000000000000000000000", 0), .value(thousandths: 1_500_000))
    }

    func testThreeMinorDigits() {
        XCTAssertEqual(money("1.234", 3), .value(thousandths: 1_234))
        XCTAssertEqual(money("1.2345", 3), .tooPrecise)
        XCTAssertEqual(money("1.23450", 3), .tooPrecise)
        XCTAssertEqual(money("1.2340", 3), .value(thousandths: 1_234))
        XCTAssertEqual(money("0.001", 3), .value(thousandths: 1))
        XCTAssertEqual(money("0.001", 2), .tooPrecise)
    }

    func testExactnessWhereBinaryFloatingPointFails() {
        // 0.1 + 0.2 style values stay exact.
        XCTAssertEqual(money("0.29", 2), .value(thousandths: 290))
        XCTAssertEqual(money("1234567890123.45", 2), .value(thousandths: 1_234_567_890_123_450))
        XCTAssertEqual(money("9007199254740993", 0), .value(thousandths: 9_007_199_254_740_993_000))
    }

    func testMalformed() {
        for s in [
            "", "1,200.00", "1e3", "1E3", ".5", "5.", "+", "-", "--1", "1.2.3", " 1", "1 ", "NaN",
            "inf", "$12", "12$", "12.3e0", "١٢", "0x1A", "1_000",
        ] {
            XCTAssertEqual(money(s, 2), .malformed, s.debugDescription)
        }
        XCTAssertEqual(MoneyParser.parse(UnsafeBufferPointer(start: nil, count: 0), minorDigits: 2), .malformed)
    }

    func testRange() {
        // Int64.max thousandths = 9_223_372_036_854_775.807
        XCTAssertEqual(money("9223372036854775.807", 3), .value(thousandths: .max))
        XCTAssertEqual(money("9223372036854775.808", 3), .outOfRange)
        XCTAssertEqual(money("-9223372036854775.808", 3), .value(thousandths: .min))
        XCTAssertEqual(money("-9223372036854775.809", 3), .outOfRange)
        XCTAssertEqual(money("9223372036854776", 0), .outOfRange)
        XCTAssertEqual(money("99999999999999999999999999", 2), .outOfRange)
        XCTAssertEqual(money("00000000000000000000000000012.5", 2), .value(thousandths: 12_500))
        // Malformed and precision problems are reported before range.
        XCTAssertEqual(money("99999999999999999999999999.5", 0), .tooPrecise)
        XCTAssertEqual(money("99999999999999999999999999x", 0), .malformed)
    }

    func testStringConvenience() {
        XCTAssertEqual(MoneyParser.parse("12.34", minorDigits: 2), .value(thousandths: 12_340))
    }
}
