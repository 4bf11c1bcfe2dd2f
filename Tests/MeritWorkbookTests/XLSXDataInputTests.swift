import Foundation
import MeritEngine
import MeritInput
import MeritWorkbook
import XCTest

/// Datasets given as `.xlsx` (docs/reference.md §2): read through the same rules as CSV,
/// with messages naming the sheet row.
final class XLSXDataInputTests: XCTestCase {
    func testAWorkbookDatasetReadsLikeItsCSVAndNamesSheetRows() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-xlsx-in-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // employees.xlsx: a Chinese header row (mapped), an id stored as text, a money number, a date cell.
        let employees = try XLSXWorkbook(path: dir.appendingPathComponent("employees.xlsx").path)
        let roster = try employees.addWorksheet("Sheet1")
        let dateFormat = employees.format(XLSXStyle(numberFormat: "yyyy-mm-dd"))
        for (c, h) in ["工号", "姓名", "入职日期", "奖金基数"].enumerated() { try roster.write(text: h, row: 0, column: c) }
        try roster.write(text: "007", row: 1, column: 0)
        try roster.write(text: "王芳", row: 1, column: 1)
        try roster.write(number: 46_250, row: 1, column: 2, format: dateFormat)  // 2026-08-16: a joiner, 46 of 92 days
        try roster.write(number: 1000.04, row: 1, column: 3)
        try employees.close()

        // feedback.xlsx: the sheet named like the dataset wins over the first sheet; row 5 is empty; row 6 is bad.
        let feedback = try XLSXWorkbook(path: dir.appendingPathComponent("feedback.xlsx").path)
        let other = try feedback.addWorksheet("Notes")
        try other.write(text: "not the data", row: 0, column: 0)
        let sheet = try feedback.addWorksheet("Feedback")
        for (c, h) in ["employee_id", "received_at", "sentiment"].enumerated() { try sheet.write(text: h, row: 0, column: c) }
        for (r, s) in ["positive", "positive", "neutral"].enumerated() {
            try sheet.write(text: "007", row: r + 1, column: 0)
            try sheet.write(
                number: 46_270 + Double(r) + 0.5, row: r + 1, column: 1, format: feedback.format(XLSXStyle(numberFormat: "yyyy-mm-dd hh:mm")))
            try sheet.write(text: s, row: r + 1, column: 2)
        }
        try sheet.write(text: "007", row: 5, column: 0)
        try sheet.write(text: "2026-09-10", row: 5, column: 1)
        try sheet.write(text: "ecstatic", row: 5, column: 2)
        try feedback.close()

        try "employees: {employee_id: 工号, name: 姓名, hire_date: 入职日期, bonus_target: 奖金基数}\n"
            .write(to: dir.appendingPathComponent("mapping.yaml"), atomically: true, encoding: .utf8)
        let rubric = try RubricLoader.parse(
            bytes: Array(
                """
                id: x
                version: 1
                metrics: [{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}]
                bands: [{id: A, min: 60, multiplier: 1.25}, {id: B, min: 0, multiplier: 0}]
                """.utf8), file: "x.yaml")
        let period = Period("2026-Q3")!
        do {
            _ = try ReviewInputLoader.load(directory: DataDirectory(path: dir.path), rubric: rubric, period: period)
            XCTFail("row 6 is bad")
        } catch {
            guard case .badRows(let issues, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(issues.map(\.description), ["feedback.xlsx:6: sentiment: sentiment must be positive, neutral or negative, not 'ecstatic'"])
        }
        let review = try ReviewInputLoader.load(
            directory: DataDirectory(path: dir.path), rubric: rubric, period: period,
            options: LoadOptions(skipInvalid: true))
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies)
        let e = try XCTUnwrap(evaluation.employees.first)
        XCTAssertEqual(e.entry.employeeID, "007")
        XCTAssertEqual(e.entry.name, "王芳")
        XCTAssertEqual(e.proration, 0.5)
        XCTAssertEqual(e.metrics[0].n, 3)
        XCTAssertEqual(e.bonus?.decimalString, "625.03", "1000.04 × 1.25 × 46/92, exact")
    }
}
