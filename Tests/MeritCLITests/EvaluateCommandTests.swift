import Foundation
import MeritTestSupport
import XCTest

/// `merit evaluate` as a user meets it: exit codes (docs/reference.md §11), messages, outputs.
final class EvaluateCommandTests: XCTestCase {
    static let rubric = """
        id: cli
        version: 1
        metrics:
          - {id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}
        bands:
          - {id: A, min: 50, multiplier: 1.5}
          - {id: B, min: 0, multiplier: 0}
        """

    private func dataDir(_ extra: [String: String] = [:]) -> URL {
        var files = [
            "employees.csv": "employee_id,name,team,bonus_target\nE1,王芳,客服一组,1000.00\nE2,Bo Chen,Blue,500.00\n",
            "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE2,2026-07-02,negative\n",
            "rubric.yaml": Self.rubric,
        ]
        for (k, v) in extra { files[k] = v }
        return MeritProcess.temporaryDirectory(files)
    }

    private func evaluate(_ dir: URL, _ extra: [String] = [], period: String = "2026-Q3") throws -> MeritProcess.Result {
        try MeritProcess.run(
            [
                "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
                "--period", period,
            ] + extra)
    }

    func testJSONDocument() throws {
        let r = try evaluate(dataDir(), ["--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(doc["period"] as? String, "2026-Q3")
        XCTAssertEqual(doc["end"] as? String, "2026-09-30")
        let employees = doc["employees"] as! [[String: Any]]
        XCTAssertEqual(employees.map { $0["employee_id"] as! String }, ["E1", "E2"])
        XCTAssertEqual(employees[0]["bonus"] as? String, "1500.00")
        XCTAssertEqual(employees[1]["bonus"] as? String, "0.00")
        XCTAssertEqual(employees[0]["name"] as? String, "王芳")
    }

    func testTableAlignsWideNamesAt80Columns() throws {
        let r = try evaluate(dataDir())
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").filter { $0.hasPrefix("E1 ") || $0.hasPrefix("E2 ") }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(TerminalColumns.width(rows[0]), TerminalColumns.width(rows[1]), "columns line up with CJK names")
        XCTAssertTrue(r.stdout.split(separator: "\n").allSatisfy { TerminalColumns.width($0) <= 80 })
    }

    func testABadPeriodIsAUsageError() throws {
        let r = try evaluate(dataDir(), ["--format", "json"], period: "2026-Q5")
        XCTAssertEqual(r.status, 64)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("2026-Q5"))
    }

    func testMissingInputsExit66() throws {
        let dir = dataDir()
        var r = try MeritProcess.run(["evaluate", "--data", dir.path, "--rubric", "/nope.yaml", "--period", "2026-Q3"])
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("/nope.yaml"))
        r = try MeritProcess.run([
            "evaluate", "--data", "/no/such/dir", "--rubric", dir.appendingPathComponent("rubric.yaml").path, "--period", "2026-Q3",
        ])
        XCTAssertEqual(r.status, 66)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("feedback.csv"))
        r = try evaluate(dir)
        XCTAssertEqual(r.status, 66)
        XCTAssertTrue(r.stderr.contains("feedback.csv") && r.stderr.contains("'fb'"), r.stderr)
    }

    func testARubricTypoNamesFileLineAndColumn() throws {
        let dir = dataDir(["rubric.yaml": Self.rubric.replacingOccurrences(of: "multiplier: 1.5", with: "multipler: 1.5")])
        let r = try evaluate(dir, ["--format", "json"])
        XCTAssertEqual(r.status, 65)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("rubric.yaml:6:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'multiplier'"), r.stderr)
    }

    func testMalformedInputIsOneActionableLineEach() throws {
        let cases: [(String, String, String)] = [
            ("feedback.csv", "employee_id,received_at,sentiment\nE1,\"2026-07-01,positive\n", "feedback.csv:2:"),
            (
                "feedback.csv", "employee_id,received_at,sentiment\nE7,2026-07-01,positive\n",
                "feedback.csv:2: employee_id: employee_id 'E7' is not in employees"
            ),
            ("feedback.csv", "employee_id,received_at,sentiment\nE1,2026-02-30,positive\n", "feedback.csv:2: received_at"),
            ("employees.csv", "employee_id,name,bonus_target\nE1,A,1\nE2,B,1\nE2,C,1\n", "employees.csv:4: employee_id: duplicate employee_id 'E2'"),
            ("employees.csv", "employee_id,name,bonus_target\nE1,A,1.005\nE2,B,1\n", "employees.csv:2: bonus_target"),
        ]
        for (file, text, expected) in cases {
            let r = try evaluate(dataDir([file: text]), ["--format", "json"])
            XCTAssertEqual(r.status, 65, "\(expected): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", expected)
            XCTAssertTrue(r.stderr.contains(expected), "\(expected) not in: \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
        }
    }

    func testMoreThanFiftyErrorsAreCounted() throws {
        var feedback = "employee_id,received_at,sentiment\n"
        for _ in 0..<60 { feedback += "E1,2026-07-01,meh\n" }
        let r = try evaluate(dataDir(["feedback.csv": feedback]))
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("... and 10 more"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.hasPrefix("feedback.csv:") }.count, 50)
    }

    func testSkipInvalidWarnsInTheDocument() throws {
        let r = try evaluate(
            dataDir(["feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE2,nope,negative\n"]),
            ["--format", "json", "--skip-invalid"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let warnings = doc["warnings"] as! [[String: Any]]
        XCTAssertEqual(warnings.count, 1)
        XCTAssertEqual(warnings[0]["line"] as? Int, 3)
        XCTAssertEqual(warnings[0]["column"] as? String, "received_at")
    }

    func testHelpShowsExamples() throws {
        let r = try MeritProcess.run(["evaluate", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("Examples:"))
    }
}

/// `--out`: the workbook beside the JSON, and exit 73 when it cannot be created (docs/reference.md §11).
final class WorkbookOutputTests: XCTestCase {
    func testOutWritesTheWorkbookAndAnUnwritablePathExits73() throws {
        let dir = MeritProcess.temporaryDirectory([
            "employees.csv": "employee_id,name\nE1,Ann\n",
            "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\n",
            "rubric.yaml": EvaluateCommandTests.rubric,
        ])
        let base = ["evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path, "--period", "2026-Q3"]
        let out = dir.appendingPathComponent("review.xlsx")
        var r = try MeritProcess.run(base + ["--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path))
        r = try MeritProcess.run(base + ["--format", "json", "--out", "/nonexistent/dir/review.xlsx"])
        XCTAssertEqual(r.status, 73)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("/nonexistent/dir/review.xlsx"), r.stderr)
        r = try MeritProcess.run(base + ["--out", dir.appendingPathComponent("review.csv").path])
        XCTAssertEqual(r.status, 64, "--out must name an .xlsx file")
    }
}

/// `merit demo` from a clean directory, as a newcomer runs it.
final class DemoCommandTests: XCTestCase {
    func testDemoWritesDataWorkbooksAndTables() throws {
        let dir = MeritProcess.temporaryDirectory()
        let r = try MeritProcess.run(["demo", "--dir", dir.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        for name in ["customer-service", "account-manager", "sales-rep"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("review-\(name)-2026-Q3.xlsx").path), name)
        }
        XCTAssertTrue(r.stdout.contains("HR workbooks:"))
        XCTAssertTrue(r.stdout.contains("Bands: A"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("data/surveys.csv").path))
    }
}
