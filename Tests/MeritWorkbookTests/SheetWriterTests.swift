import XCTest

@testable import MeritWorkbook

/// The helpers that keep a sheet of tens of thousands of rows cheap must give what the slow way gives.
final class SheetWriterTests: XCTestCase {
    func testNumberWidthsAreTheLengthsOfTheShortNumbers() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, -0.0, 0.004, -0.004, 0.005, 0.3, -0.5, 1, 9.99, 9.995, 10, 99.999, 100, 56.85, 1234.5, -1234.56,
            1e14, -1e14 + 0.25, 999_999_999_999_999, 1e15, 1e16, -3e20, .infinity, -.infinity, .nan,
        ]
        for _ in 0..<20_000 {
            let magnitude = Double.random(in: -3...9, using: &rng)
            values.append((Bool.random(using: &rng) ? 1 : -1) * pow(10, magnitude) * Double.random(in: 0...1, using: &rng))
        }
        for v in values {
            XCTAssertEqual(SheetWriter.shortNumberWidth(v), SheetWriter.shortNumber(v).count, "\(v) → \(SheetWriter.shortNumber(v))")
        }
    }

    func testRowFormulasFillInTheRowNumber() {
        let f = RowFormula("=(Rubric!$E$12*N(M\(RowFormula.mark))+Rubric!$E$13*N(P\(RowFormula.mark)))/(1)")
        XCTAssertEqual(f(0), "=(Rubric!$E$12*N(M1)+Rubric!$E$13*N(P1))/(1)")
        XCTAssertEqual(f(41), "=(Rubric!$E$12*N(M42)+Rubric!$E$13*N(P42))/(1)")
        XCTAssertEqual(RowFormula("=ROUND(E\(RowFormula.mark)+1E-9,1)")(2), "=ROUND(E3+1E-9,1)")
        XCTAssertEqual(RowFormula("=1")(5), "=1")
    }
}
