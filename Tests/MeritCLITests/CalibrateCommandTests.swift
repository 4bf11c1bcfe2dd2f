import Foundation
import MeritInput
import MeritTestSupport
import XCTest

/// `merit calibrate`, the finalize guard and the calibration sheets, through the real binary (docs/calibration.md),
/// on ScorecardWorkspace: 2026-Q2 and Q3 finalized (E4 adjusted to A in Q3), 2026-Q4 a draft.
///
///     E1 Ada ── E2 Bruno ── E3 Chen ── E4 王小明
///                        └─ E5 Dora
///     E6 Hana
final class CalibrateCommandTests: XCTestCase {
    static func configure(_ ws: URL, calibration: String, hr: [String] = [], admins: [String] = []) throws {
        let quoted = hr.map { "\"\($0)\"" }.joined(separator: ", ")
        try """
        currency: USD
        time_zone: UTC
        rubrics:
          - file: "\(ScorecardWorkspace.rubric)"
        hr: [\(quoted)]
        admins: [\(admins.map { "\"\($0)\"" }.joined(separator: ", "))]
        calibration:
        \(calibration)

        """.write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    static func rubric(_ doc: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap((doc["rubrics"] as? [[String: Any]])?.first)
    }

    func testCalibrateCountsBandsBeforeAndAfterAdjustmentsAndFitsEightyColumns() throws {
        let ws = try ScorecardWorkspace.make()
        try Self.configure(
            ws,
            calibration: """
                  min_reports: 1
                  trajectory: {falling: -2.5, rising: 2.5}
                  guidelines:
                    - rubric: seed-example
                      bands: {A: "<= 10%", E: "<= 100%"}
                """)
        let printed = try merit(["calibrate", "2026-Q3"], in: ws).stdout
        assertFitsEightyColumns(printed)
        // Headings wrap between words: read them as one line.
        let table = printed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(table.contains("Unrated people are left out of every figure."), table)
        XCTAssertTrue(table.contains("Leniency of seed-example"), table)
        XCTAssertTrue(table.contains("Performance x trajectory of seed-example"), table)
        XCTAssertTrue(table.contains("2026-Q2 (version 1, final)"), table)

        let doc = try Self.json(try merit(["calibrate", "2026-Q3", "--format", "json"], in: ws).stdout)
        let part = try Self.rubric(doc)
        let groups = try XCTUnwrap(part["distribution"] as? [[String: Any]])
        XCTAssertEqual(groups.count, 1)
        let rated = try XCTUnwrap(groups[0]["rated"] as? Int)
        let bands = try XCTUnwrap(groups[0]["bands"] as? [[String: Any]])
        XCTAssertEqual(bands.map { $0["band"] as? String }, ["A", "B", "C", "D", "E"])
        XCTAssertEqual(bands.compactMap { $0["before"] as? Int }.reduce(0, +), rated)
        XCTAssertEqual(bands.compactMap { $0["after"] as? Int }.reduce(0, +), rated)
        // E4 was adjusted to A in Q3: A holds one more after than before.
        let a = bands[0]
        XCTAssertEqual((a["after"] as? Int ?? 0) - (a["before"] as? Int ?? 0), 1, "\(a)")
        // <= 10% of the rated: ceil.
        XCTAssertEqual(a["at_most"] as? Int, (rated * 10 + 99) / 100)
        XCTAssertEqual(a["guideline"] as? String, "<= 10%")
        XCTAssertEqual(bands[1]["guideline"] as? NSNull, NSNull())
        // Leniency: E3's one direct report E4 was adjusted up.
        let leniency = try XCTUnwrap(part["leniency"] as? [[String: Any]])
        let e3 = try XCTUnwrap(leniency.first { $0["manager_id"] as? String == "E3" })
        XCTAssertEqual(e3["direct_reports"] as? Int, 1)
        XCTAssertEqual(e3["adjusted_up_share"] as? Double, 1)
        XCTAssertEqual(e3["ranked"] as? Bool, true)
        // The grid: everyone rated in Q3 and Q2 has a trajectory; the thresholds are those of merit.yaml.
        let grid = try XCTUnwrap(part["grid"] as? [String: Any])
        XCTAssertEqual(grid["previous_period"] as? String, "2026-Q2")
        XCTAssertEqual(grid["rising_at_least"] as? Double, 2.5)
        let people = try XCTUnwrap(grid["people"] as? [[String: Any]])
        XCTAssertEqual(people.count, rated)
        for p in people {
            let change = try XCTUnwrap(p["change"] as? Double, "\(p)")
            let expected = change <= -2.5 ? "falling" : change >= 2.5 ? "rising" : "steady"
            XCTAssertEqual(p["trajectory"] as? String, expected, "\(p)")
        }
        // --by team regroups; the guideline (of the whole population) then is not applied.
        let byTeam = try Self.rubric(try Self.json(try merit(["calibrate", "2026-Q3", "--by", "team", "--format", "json"], in: ws).stdout))
        XCTAssertEqual((byTeam["distribution"] as? [[String: Any]])?.first?["group"] as? String, "North")
        try merit(["calibrate", "2026-Q3", "--by", "department"], in: ws, status: 64)
        try merit(["calibrate", "2026-Q3", "--rubric", "nope"], in: ws, status: 65)
        try merit(["calibrate", "2025-Q1"], in: ws, status: 66)
    }

    func testCalibrationSettingsThatCannotBeReadNameFileLineAndKey() throws {
        let ws = try ScorecardWorkspace.make()
        for (yaml, words) in [
            ("  enforce: true", ["merit.yaml:", "unknown key 'enforce' in calibration"]),
            (
                "  guidelines:\n    - rubric: seed-example\n      bands: {A: \"at most 10%\"}",
                ["merit.yaml:", "band A", "'at most 10%' is not a guideline"]
            ),
            (
                "  guidelines:\n    - rubric: seed-example\n      by: department\n      bands: {A: \"<= 10%\"}",
                ["by must be team, manager or cost-center"]
            ),
            ("  trajectory: {falling: -5, rising: 2.25}", ["trajectory.rising"]),
            ("  guidelines:\n    - rubric: seed-example\n      bands: {Z: \"<= 10%\"}", ["band 'Z' is not one of its bands"]),
            (
                "  guidelines:\n    - rubric: seed-example\n      bands: {A: \"<= 10%\"}\n    - rubric: seed-example\n      bands: {B: \"<= 10%\"}",
                ["merit.yaml:", "lists rubric seed-example twice"]
            ),
        ] {
            try Self.configure(ws, calibration: yaml)
            let r = try merit(["calibrate", "2026-Q3"], in: ws, status: 65)
            for w in words { XCTAssertTrue(r.stderr.contains(w), "\(yaml): \(r.stderr)") }
        }
    }

    /// A guideline with a typo, or for a rubric an older review does not have, never keeps a finalized review from
    /// being exported: the workbook shows what applies (docs/calibration.md "Settings").
    func testGuidelinesThatDoNotApplyNeverBlockAnExport() throws {
        let ws = try ScorecardWorkspace.make()
        for yaml in [
            "  guidelines:\n    - rubric: seed-example\n      bands: {Z: \"<= 10%\", A: \"<= 50%\"}",
            "  guidelines:\n    - rubric: added-later\n      bands: {A: \"<= 10%\"}",
        ] {
            try Self.configure(ws, calibration: yaml)
            let out = ws.deletingLastPathComponent().appendingPathComponent("q3-\(UUID().uuidString).xlsx").path
            let r = try merit(["export", "2026-Q3", "--out", out], in: ws)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out), "\(yaml): \(r.stderr)")
        }
        // A rubric the review does not have is not a typo for calibrate either: it does not apply.
        try merit(["calibrate", "2026-Q3"], in: ws)
        // But finalize locks a review of merit.yaml's rubrics as they are now: there it is a typo that would switch
        // enforcement off without a word.
        try Self.configure(ws, calibration: "  enforce_guidelines: true\n  guidelines:\n    - rubric: added-later\n      bands: {A: \"<= 10%\"}")
        let refused = try merit(["finalize", "2026-Q4"], in: ws, environment: ScorecardWorkspace.reviewedAt, status: 65)
        XCTAssertTrue(refused.stderr.contains("rubric 'added-later'") && refused.stderr.contains("no such rubric"), refused.stderr)
        // A trajectory threshold on the wrong side of 0 would call a rise falling.
        try Self.configure(ws, calibration: "  trajectory: {falling: 1, rising: 3}")
        let trajectory = try merit(["calibrate", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(trajectory.stderr.contains("falling must be 0 or below"), trajectory.stderr)
    }

    func testSessionListsTheAdjustmentsInForceMadeInIt() throws {
        let ws = try ScorecardWorkspace.make()
        try Self.configure(ws, calibration: "  min_reports: 5")
        let env = ScorecardWorkspace.reviewedAt
        try merit(["adjust", "2026-Q4", "E5", "--band", "A", "--reason", "Calibrated up", "--session", "Q4 panel"], in: ws, environment: env)
        try merit(["adjust", "2026-Q4", "E3", "--band", "E", "--reason", "Outside the panel"], in: ws, environment: env)
        let doc = try Self.json(try merit(["calibrate", "2026-Q4", "--session", "Q4 panel", "--format", "json"], in: ws).stdout)
        let changes = try XCTUnwrap(doc["adjustments"] as? [[String: Any]])
        XCTAssertEqual(changes.map { $0["employee_id"] as? String }, ["E5"])
        XCTAssertEqual(changes.first?["band"] as? String, "A")
        XCTAssertEqual(changes.first?["reason"] as? String, "Calibrated up")
        let table = try merit(["calibrate", "2026-Q4", "--session", "Q4 panel"], in: ws).stdout
        XCTAssertTrue(table.contains("1 adjustment in force"), table)
        XCTAssertTrue(table.contains("E5 Dora Peer"), table)
        XCTAssertFalse(table.contains("E3"), table)
        assertFitsEightyColumns(table)
    }

    func testFinalizeRefusesWhileAGuidelineIsMissedUnlessOverriddenWithAReasonThatIsAudited() throws {
        let ws = try ScorecardWorkspace.make()
        try Self.configure(
            ws,
            calibration: """
                  enforce_guidelines: true
                  guidelines:
                    - rubric: seed-example
                      by: team
                      bands: {A: "<= 0%"}
                """)
        let env = ScorecardWorkspace.reviewedAt
        try merit(["adjust", "2026-Q4", "E5", "--band", "A", "--reason", "Calibrated up"], in: ws, environment: env)
        let doc = try Self.json(try merit(["calibrate", "2026-Q4", "--format", "json"], in: ws).stdout)
        let a = try XCTUnwrap(((try Self.rubric(doc))["distribution"] as? [[String: Any]])?.first?["bands"] as? [[String: Any]]).first!
        let count = try XCTUnwrap(a["after"] as? Int)
        XCTAssertGreaterThan(count, 0)
        let refused = try merit(["finalize", "2026-Q4"], in: ws, environment: env, status: 65)
        XCTAssertTrue(refused.stderr.contains("misses 1 distribution guideline"), refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("seed-example, team North: band A holds \(count) of"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("move \(count) out"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--override-guidelines"), refused.stderr)
        try merit(["finalize", "2026-Q4", "--override-guidelines"], in: ws, environment: env, status: 64)
        try merit(["finalize", "2026-Q4", "--reason", "no flag"], in: ws, environment: env, status: 64)
        try merit(["finalize", "2026-Q4", "--override-guidelines", "--reason", "Board approved the Q4 distribution"], in: ws, environment: env)
        let audit = try merit(["audit", "2026-Q4", "--format", "json"], in: ws).stdout
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(audit.utf8)) as? [[String: Any]])
        let override = try XCTUnwrap(entries.first { $0["action"] as? String == "finalize-override" }, audit)
        XCTAssertEqual(override["reason"] as? String, "Board approved the Q4 distribution")
        XCTAssertTrue((override["old"] as? String ?? "").contains("band A holds \(count)"), "\(override)")
        XCTAssertTrue(try merit(["audit", "--verify"], in: ws).stdout.contains("audit log intact"))
    }

    func testFinalizeIsNotGuardedWithoutEnforcement() throws {
        let ws = try ScorecardWorkspace.make()
        try Self.configure(ws, calibration: "  guidelines:\n    - rubric: seed-example\n      bands: {A: \"<= 0%\"}")
        let env = ScorecardWorkspace.reviewedAt
        try merit(["adjust", "2026-Q4", "E5", "--band", "A", "--reason", "Calibrated up"], in: ws, environment: env)
        try merit(["finalize", "2026-Q4"], in: ws, environment: env)
    }

    func testExportAddsCalibrationSheetsOnlyForAWorkspaceWithACalibrationSection() throws {
        let ws = try ScorecardWorkspace.make()
        let plain = ws.appendingPathComponent("plain.xlsx")
        try merit(["export", "2026-Q3", "--out", plain.path], in: ws)
        XCTAssertEqual(
            try XLSXWorkbookReader(path: plain.path).sheetNames, ["Summary", "Scorecards", "Bonus", "Training", "Rubric", "Data Quality", "Audit"])
        try Self.configure(ws, calibration: "  min_reports: 1\n  guidelines:\n    - rubric: seed-example\n      bands: {A: \"<= 10%\"}")
        let out = ws.appendingPathComponent("calibrated.xlsx")
        try merit(["export", "2026-Q3", "--out", out.path], in: ws)
        let book = try XLSXWorkbookReader(path: out.path)
        XCTAssertEqual(
            book.sheetNames,
            ["Summary", "Scorecards", "Bonus", "Training", "Rubric", "Data Quality", "Audit", "Calibration", "Performance Grid"])
        func texts(_ sheet: String) throws -> [[String]] {
            try book.rows(inSheet: sheet).map { row in
                (0..<((row.cells.last?.column ?? -1) + 1)).map { c -> String in
                    switch row.value(at: c) {
                    case .text(let s)?: return s
                    case .number(let x)?: return String(x)
                    default: return ""
                    }
                }
            }
        }
        let calibration = try texts("Calibration")
        XCTAssertEqual(calibration[0].first, "Group By")
        XCTAssertEqual(calibration[1].prefix(4), ["all", "all", calibration[1][2], "A"])
        XCTAssertEqual(calibration[1][8], "<= 10%")
        let leniencyHeader = try XCTUnwrap(calibration.firstIndex { $0.first == "Manager ID" })
        XCTAssertTrue(calibration.dropFirst(leniencyHeader + 1).contains { $0.first == "E3" })
        let grid = try texts("Performance Grid")
        XCTAssertEqual(grid[0], ["Employee ID", "Name", "Total", "Performance", "Trajectory", "Change", "Previous Period"])
        XCTAssertEqual(Set(grid.dropFirst().map { $0[0] }).count, grid.count - 1)
        XCTAssertTrue(grid.dropFirst().allSatisfy { $0[6] == "2026-Q2" })
    }

    func testThroughTheServerAManagerSeesOnlyTheirReportsAndAnEmployeeIsRefused() throws {
        let c = try RoleTableCommandTests.company()
        defer { c.server.stop() }
        try Self.configure(
            c.workspace, calibration: "  min_reports: 1", hr: [ScorecardWorkspace.me, "u6"], admins: ["u1"])
        // E3 Chen manages E4 only.
        let r = try c.run("E3", ["calibrate", "2026-Q3", "--format", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let part = try Self.rubric(try Self.json(r.stdout))
        let people = try XCTUnwrap((part["grid"] as? [String: Any])?["people"] as? [[String: Any]])
        XCTAssertEqual(people.map { $0["employee_id"] as? String }, ["E4"])
        XCTAssertEqual((part["leniency"] as? [[String: Any]])?.map { $0["manager_id"] as? String }, ["E3"])
        XCTAssertEqual((part["distribution"] as? [[String: Any]])?.first?["rated"] as? Int, 1)
        let hr = try c.run("E6", ["calibrate", "2026-Q3", "--format", "json"])
        XCTAssertEqual(hr.status, 0, hr.stderr)
        let all = try XCTUnwrap(((try Self.rubric(try Self.json(hr.stdout)))["grid"] as? [String: Any])?["people"] as? [[String: Any]])
        XCTAssertGreaterThan(all.count, 1)
        let employee = try c.run("E4", ["calibrate", "2026-Q3"])
        XCTAssertEqual(employee.status, 77)
        XCTAssertEqual(employee.stderr, RoleTableCommandTests.refusal)
        XCTAssertEqual(employee.stdout, "")
    }

    func testThroughTheServerFinalizeIsGuardedAndTheOverrideCarriesItsReason() throws {
        let c = try RoleTableCommandTests.company()
        defer { c.server.stop() }
        try Self.configure(
            c.workspace,
            calibration: """
                  enforce_guidelines: true
                  guidelines:
                    - rubric: seed-example
                      bands: {A: "<= 0%"}
                """, hr: [ScorecardWorkspace.me, "u6"], admins: ["u1"])
        let adjusted = try c.run("E6", ["adjust", "2026-Q4", "E5", "--band", "A", "--reason", "Calibrated up"])
        XCTAssertEqual(adjusted.status, 0, adjusted.stderr)
        let refused = try c.run("E6", ["finalize", "2026-Q4"])
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("misses 1 distribution guideline"), refused.stderr)
        let done = try c.run("E6", ["finalize", "2026-Q4", "--override-guidelines", "--reason", "Approved by the board"])
        XCTAssertEqual(done.status, 0, done.stderr)
        let audit = try merit(["audit", "2026-Q4", "--format", "json"], in: c.workspace).stdout
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(audit.utf8)) as? [[String: Any]])
        let override = try XCTUnwrap(entries.first { $0["action"] as? String == "finalize-override" }, audit)
        XCTAssertEqual(override["reason"] as? String, "Approved by the board")
        XCTAssertEqual(override["by"] as? String, "u6")
    }
}
