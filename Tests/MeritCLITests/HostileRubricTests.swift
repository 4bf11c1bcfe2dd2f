import Foundation
import MeritTestSupport
import XCTest

/// `merit evaluate` on hostile rubric and mapping files (docs/reference.md §11, §15 "Exactness
/// and hostile input"): exit 65 with `FILE:LINE:COLUMN: message` or 66 for a
/// missing file — never a signal, never a partial document.
final class HostileRubricTests: XCTestCase {
    /// Exit 65, nothing on standard output, and `rubric.yaml:LINE:COLUMN: …` containing `expected`.
    private func assertRubricError(
        _ rubric: String, line: Int, column: Int, _ expected: String,
        file: StaticString = #filePath, lineNumber: UInt = #line
    ) throws {
        let r = try EvaluateFixture.evaluate(EvaluateFixture.directory(["rubric.yaml": rubric]))
        XCTAssertEqual(r.status, 65, "exit 65, not a signal: \(r.stderr)", file: file, line: lineNumber)
        XCTAssertEqual(r.stdout, "", file: file, line: lineNumber)
        let wanted = "rubric.yaml:\(line):\(column): "
        XCTAssertTrue(
            r.stderr.split(separator: "\n").contains { $0.contains(wanted) && $0.contains(expected) },
            "\(wanted)…\(expected) not in: \(r.stderr)", file: file, line: lineNumber)
    }

    func testAHugeWeightIsARubricErrorNotACrash() throws {
        try assertRubricError(
            EvaluateCommandTests.rubric.replacingOccurrences(of: "weight: 1,", with: "weight: 1.0e+308,"),
            line: 4, column: 53, "weight must be greater than 0 and at most 10^9")
    }

    func testHugeCurvePointsAreRubricErrorsNotACrash() throws {
        let piecewise = EvaluateCommandTests.rubric.replacingOccurrences(
            of: "{curve: percent}", with: "{curve: piecewise, points: [[-1e308, 0], [1e308, 100]]}")
        try assertRubricError(piecewise, line: 4, column: 94, "point x must be between")
        let linear = EvaluateCommandTests.rubric.replacingOccurrences(
            of: "{curve: percent}", with: "{curve: linear, zero_at: -1e308, full_at: 1e308}")
        try assertRubricError(linear, line: 4, column: 90, "zero_at must be between")
        let infinite = EvaluateCommandTests.rubric.replacingOccurrences(of: "multiplier: 1.5", with: "multiplier: .inf")
        try assertRubricError(infinite, line: 6, column: 34, "must be a finite number")
    }

    func testAQuotedWeightIsText() throws {
        try assertRubricError(
            EvaluateCommandTests.rubric.replacingOccurrences(of: "weight: 1,", with: "weight: \"40\","),
            line: 4, column: 53, "weight must be a number")
        try assertRubricError(
            EvaluateCommandTests.rubric.replacingOccurrences(of: "weight: 1,", with: "weight: !!str 1.5,"),
            line: 4, column: 53, "weight must be a number")
    }

    func testAMultiplierWithTooManyPlacesIsAnErrorNotACrash() throws {
        let places = EvaluateCommandTests.rubric.replacingOccurrences(
            of: "multiplier: 0}", with: "multiplier: 0.\(String(repeating: "0", count: 45))1}")
        try assertRubricError(places, line: 7, column: 33, "more digits than can be kept exactly")
    }

    /// Within the bounds, pool weights `target × multiplier × days` can pass 128 bits when one band's
    /// multiplier is 10^15 and another's has 18 places: exit 65 naming the cause, not an overflow trap.
    func testPoolWeightsBeyondExactArithmeticExit65() throws {
        let rubric =
            EvaluateCommandTests.rubric
            .replacingOccurrences(of: "multiplier: 1.5", with: "multiplier: 1e15")
            .replacingOccurrences(of: "multiplier: 0}", with: "multiplier: 0.000000000000000001}")
            + "\nbonus: {mode: pool, pool_by: team}\n"
        let r = try EvaluateFixture.evaluate(EvaluateFixture.directory(["rubric.yaml": rubric, "pools.csv": "pool,amount\nBlue,1000.00\n"]))
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("too large to compute exactly"), r.stderr)
    }

    func testTheYAML12CoreSchemaReadsRubricNumbers() throws {
        let rubric = EvaluateCommandTests.rubric
            .replacingOccurrences(of: "version: 1", with: "version: 010")
            .replacingOccurrences(of: "weight: 1,", with: "weight: 0x10,")
            .replacingOccurrences(of: "min: 50, multiplier: 1.5", with: "min: 5e1, multiplier: 1.")
        let r = try EvaluateFixture.evaluate(EvaluateFixture.directory(["rubric.yaml": rubric]))
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((doc["rubric"] as! [String: Any])["version"] as? Int, 10, "010 is ten")
        let employees = doc["employees"] as! [[String: Any]]
        XCTAssertEqual(employees[0]["band"] as? String, "A")
        XCTAssertEqual(employees[0]["multiplier"] as? String, "1")
        XCTAssertEqual(employees[0]["bonus"] as? String, "1000.00")
    }

    func testARubricWithAByteOrderMarkIsReadAndHashedAsRead() throws {
        let dir = EvaluateFixture.directory()
        try (Data([0xEF, 0xBB, 0xBF]) + Data(EvaluateCommandTests.rubric.utf8)).write(to: dir.appendingPathComponent("rubric.yaml"))
        let r = try EvaluateFixture.evaluate(dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        // SHA-256 of the file's bytes, BOM included (computed with Python's hashlib)
        XCTAssertEqual(
            (doc["rubric"] as! [String: Any])["sha256"] as? String,
            "915d5af8a64c0c91213d7f88ef2fb25a8e94f6b51ddf876e7a56cbe6721ffb54")
    }

    // MARK: Mapping files

    func testMappingEntriesWithoutATextHeaderExit65NamingFileAndLine() throws {
        let cases: [(String, String)] = [
            ("feedback:\n", "mapping.yaml:1:"),
            ("employees: {name: Name}\nfeedback:\n  sentiment: ''\n", "mapping.yaml:3:"),
            ("feedback:\n  sentiment: yes\n", "mapping.yaml:2:"),
            ("feedback:\n  sentiment: 5\n", "mapping.yaml:2:"),
            ("feedbacks:\n  sentiment: Mood\n", "mapping.yaml:1:"),
            ("feedback:\n  mood: Mood\n", "mapping.yaml:2:"),
        ]
        for (mapping, expected) in cases {
            let r = try EvaluateFixture.evaluate(EvaluateFixture.directory(["mapping.yaml": mapping]))
            XCTAssertEqual(r.status, 65, "\(mapping): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
            XCTAssertTrue(r.stderr.contains(expected), "\(expected) not in: \(r.stderr)")
        }
    }

    func testAMappingWithAByteOrderMarkIsRead() throws {
        let dir = EvaluateFixture.directory(["feedback.csv": "employee_id,received_at,Mood\nE1,2026-07-01,positive\nE2,2026-07-02,negative\n"])
        let mapping = dir.appendingPathComponent("crm.yaml")
        try (Data([0xEF, 0xBB, 0xBF]) + Data("feedback:\n  sentiment: Mood\n".utf8)).write(to: mapping)
        let r = try EvaluateFixture.evaluate(dir, ["--mapping", mapping.path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testAMappingThatIsADirectoryOrMissingExits66() throws {
        let dir = EvaluateFixture.directory()
        var r = try EvaluateFixture.evaluate(dir, ["--mapping", dir.path])
        XCTAssertEqual(r.status, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains(dir.path), r.stderr)
        r = try EvaluateFixture.evaluate(dir, ["--mapping", dir.appendingPathComponent("nope.yaml").path])
        XCTAssertEqual(r.status, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains("nope.yaml"), r.stderr)
    }

    func testImportWithAMappingThatIsADirectoryOrMissingExits66() throws {
        let dir = EvaluateFixture.directory()
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        XCTAssertEqual(
            try MeritProcess.run(["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path]).status, 0)
        let employees = dir.appendingPathComponent("employees.csv").path
        var r = try MeritProcess.run(["import", "employees", employees, "--mapping", dir.path], in: ws)
        XCTAssertEqual(r.status, 66, r.stderr)
        r = try MeritProcess.run(["import", "employees", employees, "--mapping", dir.appendingPathComponent("nope.yaml").path], in: ws)
        XCTAssertEqual(r.status, 66, r.stderr)
        try "employees:\n".write(to: dir.appendingPathComponent("empty.yaml"), atomically: true, encoding: .utf8)
        r = try MeritProcess.run(["import", "employees", employees, "--mapping", dir.appendingPathComponent("empty.yaml").path], in: ws)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("empty.yaml:1:"), r.stderr)
    }

    func testExitCodesOfSection11() throws {
        let dir = EvaluateFixture.directory()
        XCTAssertEqual(try EvaluateFixture.evaluate(dir).status, 0)
        XCTAssertEqual(
            try MeritProcess.run([
                "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
                "--period", "2026-Q9",
            ]).status, 64, "a bad period is a usage error")
        XCTAssertEqual(try MeritProcess.run(["evaluate", "--data", dir.path, "--period", "2026-Q3"]).status, 64, "--rubric is required")
        XCTAssertEqual(
            try EvaluateFixture.evaluate(EvaluateFixture.directory(["rubric.yaml": "id: [\n"])).status, 65, "a rubric that is not YAML is bad data")
        XCTAssertEqual(
            try MeritProcess.run(["evaluate", "--data", dir.path, "--rubric", dir.path, "--period", "2026-Q3"]).status, 66,
            "a rubric that is a directory is missing input")
    }
}
