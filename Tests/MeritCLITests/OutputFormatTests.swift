import Foundation
import MeritTestSupport
import XCTest

/// One `--format table|json` on every command that prints results, table by default; help texts a user can act
/// on (they name Merit's docs or say it plainly, never the product specification's sections).
final class OutputFormatTests: XCTestCase {
    /// A workspace with the demo company, 2026-Q3 finalized and 2026-Q2 a draft; this login is HR.
    static let shared: URL = {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        var r = try! MeritProcess.run(["init", ws.path])
        precondition(r.status == 0, r.stderr)
        let config = ws.appendingPathComponent("merit.yaml")
        let text = try! String(contentsOf: config, encoding: .utf8)
        try! text.replacingOccurrences(of: "\nhr: []\n", with: "\nhr: [\"\(ScorecardWorkspace.me)\"]\n").write(
            to: config, atomically: true, encoding: .utf8)
        for d in WorkspaceCommandTests.datasets {
            r = try! MeritProcess.run(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
            precondition(r.status == 0, r.stderr)
        }
        for step in [["review", "2026-Q3"], ["finalize", "2026-Q3"], ["review", "2026-Q2"], ["access", "grant", "E00004"]] {
            r = try! MeritProcess.run(step, in: ws)
            precondition(r.status == 0, "\(step): \(r.stderr)")
        }
        return ws
    }()

    func testEveryCommandThatPrintsResultsTakesFormatTableOrJSONWithTableByDefault() throws {
        let rubric = Self.shared.appendingPathComponent("rubrics/customer-service.yaml").path
        let commands: [[String]] = [
            ["evaluate", "--data", WorkspaceCommandTests.demoData.path, "--rubric", rubric, "--period", "2026-Q3"],
            ["review", "2026-Q2"], ["history"], ["history", "E00004"], ["audit"], ["audit", "2026-Q3"],
            ["scorecard", "E00004", "--period", "2026-Q3"], ["access", "list"], ["rubrics", "list"], ["calibrate", "2026-Q3"],
        ]
        for command in commands {
            let help = try merit(command.prefix { !$0.hasPrefix("-") && !$0.hasPrefix("E0") && !$0.hasPrefix("2026") } + ["--help"], in: Self.shared)
                .stdout
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(help.contains("--format <format>"), "\(command[0]): \(help)")
            // A review also prints JSON Lines (docs/workspace.md "Looking at a review").
            let values = command[0] == "review" ? "(values: table, json, jsonl; default: table)" : "(values: table, json; default: table)"
            XCTAssertTrue(help.contains(values), "\(command[0]): \(help)")

            let table = try merit(command + ["--format", "table"], in: Self.shared).stdout
            XCTAssertEqual(try merit(command, in: Self.shared).stdout, table, "\(command): table is the default")
            XCTAssertFalse(table.hasPrefix("{") || table.hasPrefix("["), "\(command): \(table)")
            let json = try merit(command + ["--format", "json"], in: Self.shared).stdout
            // One JSON value, whatever the command; a review's is an array with a document per rubric.
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(json.utf8)), "\(command): \(json.prefix(200))")
            if command[0] == "review" {
                XCTAssertEqual((try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any])?.count, 3, json.prefix(200).description)
            }
        }
        try merit(["history", "--format", "yaml"], in: Self.shared, status: 64)
        try merit(["review", "2026-Q2", "--format", "summary"], in: Self.shared, status: 64)
    }

    /// `--json` was the scorecard's spelling: it still works, and the help shows only --format.
    func testScorecardJSONIsAHiddenAliasOfFormatJSON() throws {
        let json = try merit(["scorecard", "E00004", "--period", "2026-Q3", "--format", "json"], in: Self.shared).stdout
        XCTAssertEqual(try merit(["scorecard", "E00004", "--period", "2026-Q3", "--json"], in: Self.shared).stdout, json)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        XCTAssertEqual(object?["employee_id"] as? String, "E00004")
        XCTAssertFalse(try merit(["scorecard", "--help"], in: Self.shared).stdout.contains("--json"))
    }

    /// The review's table is a line per rubric however large the company; --employees adds every employee's row.
    func testReviewPrintsASummaryByDefaultAndEveryEmployeeOnRequest() throws {
        let summary = try merit(["review", "2026-Q2"], in: Self.shared)
        let lines = summary.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, summary.stdout)
        XCTAssertTrue(lines[0].hasPrefix("Review of 2026-Q2, version 1 (draft)"), summary.stdout)
        XCTAssertFalse(summary.stdout.contains("E00004"), summary.stdout)

        let every = try merit(["review", "2026-Q2", "--employees"], in: Self.shared)
        let history = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(try merit(["history", "--format", "json"], in: Self.shared).stdout.utf8)) as? [[String: Any]])
        let q2 = Set(history.filter { $0["period"] as? String == "2026-Q2" }.compactMap { $0["employee_id"] as? String })
        XCTAssertGreaterThan(q2.count, 50)
        for id in q2 { XCTAssertTrue(every.stdout.contains("\(id) "), id) }
        XCTAssertTrue(every.stdout.hasSuffix(summary.stdout), "the summary follows the rows")
        XCTAssertTrue(try merit(["review", "--help"], in: Self.shared).stdout.contains("--employees"))
    }

    func testAuditOfAPeriodWithoutEntriesSaysSo() throws {
        XCTAssertEqual(try merit(["audit", "2026-Q4"], in: Self.shared).stdout, "No audit entries for 2026-Q4.\n")
        XCTAssertEqual(try merit(["audit", "2026-Q4", "--format", "json"], in: Self.shared).stdout, "[]\n")
        let entries = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(try merit(["audit", "2026-Q3", "--format", "json"], in: Self.shared).stdout.utf8))
                as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["action"] as? String }.suffix(2), ["review", "finalize"])
        XCTAssertTrue(entries.allSatisfy { $0["period"] as? String == "2026-Q3" })
    }

    /// Every help text of every command (the tree `--experimental-dump-help` prints, which also makes the manual
    /// pages) names no product-specification section, and is ASCII: the manual pages drop other characters.
    func testHelpTextsCiteMeritsDocsAndAreASCII() throws {
        let dump = try merit(["--experimental-dump-help"], in: Self.shared).stdout
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(dump.utf8)))
        XCTAssertFalse(dump.contains("docs/reference.md §"), "help texts cite Merit's docs, not the specification")
        XCTAssertFalse(dump.contains("§"), "help texts cite Merit's docs, not the specification")
        let nonASCII = dump.unicodeScalars.filter { !$0.isASCII }
        XCTAssertTrue(nonASCII.isEmpty, "non-ASCII in help texts (lost in manual pages): \(String(String.UnicodeScalarView(nonASCII)))")
        for command in ["rubrics", "review", "audit", "scorecard"] {
            XCTAssertTrue(dump.contains("\"commandName\" : \"\(command)\"") || dump.contains("\"commandName\":\"\(command)\""), command)
        }
    }
}
