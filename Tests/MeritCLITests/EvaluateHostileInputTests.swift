import Foundation
import MeritTestSupport
import XCTest

/// `merit evaluate` on the inputs of docs/reference.md §15 *Exactness and hostile input*
/// (issue 13): a classic Mac CSV, cells no output can hold, huge fields, a
/// device named like a dataset, two files for one dataset. Every case ends
/// with an exit code and a message a manager can act on, never a crash.
final class EvaluateHostileInputTests: XCTestCase {
    private func assertDataError(_ r: MeritProcess.Result, contains expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, 65, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(expected), "\(expected) not in: \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr, file: file, line: line)
    }

    func testAClassicMacCSVIsEvaluatedLikeAnyOther() throws {
        let r = try EvaluateFixture.evaluate(
            EvaluateFixture.directory([
                "employees.csv": "employee_id,name,team,bonus_target\rE1,Ann,Blue,1000.00\rE2,Bo,Blue,500.00\r",
                "feedback.csv": "employee_id,received_at,sentiment\rE1,2026-07-01,positive\rE2,2026-07-02,negative\r",
            ]))
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let employees = doc["employees"] as! [[String: Any]]
        XCTAssertEqual(employees.map { $0["bonus"] as? String }, ["1500.00", "0.00"])
    }

    func testANULCellIsARowErrorOrADroppedRow() throws {
        let feedback = "employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE2,2026-07-02,neg\u{0}ative\n"
        assertDataError(
            try EvaluateFixture.evaluate(EvaluateFixture.directory(["feedback.csv": feedback])),
            contains: "feedback.csv:3: sentiment: the cell contains a NUL character (U+0000)")
        let r = try EvaluateFixture.evaluate(EvaluateFixture.directory(["feedback.csv": feedback]), ["--skip-invalid"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let warnings = doc["warnings"] as! [[String: Any]]
        XCTAssertEqual(warnings.map { "\($0["line"] ?? "")/\($0["column"] ?? "")" }, ["3/sentiment"])
    }

    func testAnOverlongCellIsARowErrorAndValuesAreQuotedShort() throws {
        let huge = String(repeating: "W", count: 40_000)
        let r = try EvaluateFixture.evaluate(
            EvaluateFixture.directory([
                "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,\(huge)\nX\(huge.prefix(100)),2026-07-01,positive\n"
            ]))
        assertDataError(r, contains: "feedback.csv:2: sentiment: the cell holds more than 32767 characters")
        XCTAssertTrue(r.stderr.contains("feedback.csv:3: employee_id: employee_id 'X\(huge.prefix(59))…' is not in employees"), r.stderr)
        XCTAssertLessThan(r.stderr.count, 1_000, "no value is echoed whole")
    }

    func testAHugeFieldIsAFileErrorNotGigabytesOfMemory() throws {
        let dir = EvaluateFixture.directory()
        // 64 MB of one unquoted field, written in pieces.
        let path = dir.appendingPathComponent("feedback.csv").path
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        handle.write(Data("employee_id,received_at,sentiment\nE1,2026-07-01,\"".utf8))
        let piece = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<64 { handle.write(piece) }
        try handle.close()
        let r = try EvaluateFixture.evaluate(dir)
        assertDataError(r, contains: "feedback.csv:2: a quoted field that starts in this record runs on past 4 MiB")
        XCTAssertLessThan(r.stderr.count, 1_000)
    }

    func testDevZeroNamedLikeTheRosterIsRefused() throws {
        let dir = EvaluateFixture.directory()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("employees.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("employees.csv").path, withDestinationPath: "/dev/zero")
        assertDataError(try EvaluateFixture.evaluate(dir), contains: "employees.csv: not a regular file")
    }

    func testTwoFilesForOneDatasetAreAnError() throws {
        let dir = EvaluateFixture.directory(["feedback.xlsx": "not really a workbook"])
        assertDataError(try EvaluateFixture.evaluate(dir), contains: "feedback.csv and feedback.xlsx are both in the data directory")
    }
}
