import XCTest

@testable import MeritInput

/// Exact comparison of numbers as written (docs: exactness; docs/reference.md §15 "Numbers in data are the decimals written").
final class WrittenDecimalTests: XCTestCase {
    private func decimal(_ text: String) -> WrittenDecimal? {
        Array(text.utf8).withUnsafeBufferPointer { WrittenDecimal($0) }
    }

    private func ordered(_ text: String, _ boundaries: [Double]) -> Double? {
        guard let value = Array(text.utf8).withUnsafeBufferPointer({ NumberParser.parse($0) }) else { return nil }
        return Array(text.utf8).withUnsafeBufferPointer { WrittenDecimal.ordered(value, written: $0, boundaries: boundaries) }
    }

    func testOrderIsThatOfTheDecimals() throws {
        let ascending = [
            "-1e3", "-5.00000000000000001", "-5", "-0.5", "0", "0.0000000001e-5", "1e-10", "3.99999999999999999",
            "4", "4.00000000000000001", "4.8", "48e-1", "10", "1e16",
        ]
        let values = try ascending.map { try XCTUnwrap(decimal($0), $0) }
        for (a, b) in zip(values, values.dropFirst()) where !(a == b) { XCTAssertTrue(a < b) }
        XCTAssertEqual(decimal("4.8"), decimal("48e-1"))
        XCTAssertEqual(decimal("-0"), decimal("0.000"))
        XCTAssertEqual(WrittenDecimal(4.8), decimal("4.8"), "a rubric's 4.8 is the decimal 4.8, not the binary double")
        XCTAssertEqual(WrittenDecimal(1e15), decimal("1000000000000000"))
        XCTAssertEqual(WrittenDecimal(-0.001), decimal("-1e-3"))
    }

    func testWholeNumbersAsWritten() {
        for text in ["9", "9.0", "9.000", "90e-1", "0.9e1", "-0", "+10"] {
            XCTAssertTrue(Array(text.utf8).withUnsafeBufferPointer(WrittenDecimal.isInteger), text)
        }
        for text in ["9.00000000000000001", "9.5", "95e-2", "1e-30"] {
            XCTAssertFalse(Array(text.utf8).withUnsafeBufferPointer(WrittenDecimal.isInteger), text)
        }
    }

    func testATieWithABoundaryMovesToTheDecimalsSide() {
        XCTAssertEqual(ordered("3.99999999999999999", [4]), 4.0.nextDown)
        XCTAssertEqual(ordered("5.00000000000000001", [1, 5]), 5.0.nextUp)
        XCTAssertEqual(ordered("4.0000", [4]), 4, "equal as written: unchanged")
        XCTAssertEqual(ordered("4.8", [4.8]), 4.8, "4.8 is the boundary 4.8")
        XCTAssertEqual(ordered("4.80000000000000001", [4.8]), 4.8.nextUp)
        XCTAssertEqual(ordered("3.99999999999999999", [5]), 4, "no boundary there: the nearest double")
    }
}
