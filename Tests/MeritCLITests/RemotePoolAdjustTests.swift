import Foundation
import MeritTestSupport
import XCTest

/// A manager adjusting a report in pool mode through `merit serve` sees by name only the colleagues the role table
/// lets them see (docs/roles.md): a pool split again moves the bonus of everyone in it, and the pool (a team) may
/// hold people who report to someone else.
final class RemotePoolAdjustTests: XCTestCase {
    func testAManagerSeesOnlyTheirReportsAmongTheBonusesAPoolSplitMoves() throws {
        let root = MeritProcess.temporaryDirectory()
        let data = root.appendingPathComponent("data")
        try FileManager.default.copyItem(at: WorkspaceCommandTests.demoData, to: data)
        // E00104 stays in the Sales West pool but reports to the Iberia lead, not to E00103.
        let roster = data.appendingPathComponent("employees.csv")
        let text = try String(contentsOf: roster, encoding: .utf8)
        XCTAssertTrue(text.contains("\nE00104,何敏,Sales West,E00103,"))
        try text.replacingOccurrences(of: "\nE00104,何敏,Sales West,E00103,", with: "\nE00104,何敏,Sales West,E00112,")
            .write(to: roster, atomically: true, encoding: .utf8)
        let ws = root.appendingPathComponent("ws")
        func local(_ args: [String]) throws -> MeritProcess.Result {
            let r = try MeritProcess.run(args, in: ws)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            return r
        }
        XCTAssertEqual(try MeritProcess.run(["init", ws.path, "--rubrics", WorkspaceCommandTests.rubrics]).status, 0)
        let config = ws.appendingPathComponent("merit.yaml")
        try (try String(contentsOf: config, encoding: .utf8)).replacingOccurrences(of: "\nhr: []", with: "\nhr: [\"\(ScorecardWorkspace.me)\"]")
            .write(
                to: config, atomically: true, encoding: .utf8)
        for d in WorkspaceCommandTests.datasets { _ = try local(["import", d, data.appendingPathComponent("\(d).csv").path]) }
        _ = try local(["review", "2026-Q3"])
        let token = try local(["access", "grant", "E00103"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeCommandTests.Server(workspace: ws)
        defer { server.stop() }

        func bonuses() throws -> [String: String] {
            let entries = try JSONSerialization.jsonObject(with: Data(try local(["history", "--format", "json"]).stdout.utf8)) as! [[String: Any]]
            var out: [String: String] = [:]
            for e in entries where e["period"] as? String == "2026-Q3" && e["rubric"] as? String == "sales-rep" {
                out[e["employee_id"] as! String] = e["bonus"] as? String ?? "-"
            }
            return out
        }
        let before = try bonuses()
        let r = try MeritProcess.run(
            ["adjust", "2026-Q3", "E00105", "--band", "C", "--reason", "Missed the quarter's target", "--server", server.url], in: root,
            environment: ["MERIT_TOKEN": token])
        XCTAssertEqual(r.status, 0, r.stderr)
        let after = try bonuses()
        let moved = Set(after.keys.filter { $0 != "E00105" && after[$0] != before[$0] })
        XCTAssertTrue(moved.contains("E00104"), "the test needs a moved bonus outside the manager's reports: \(moved.sorted())")
        XCTAssertFalse(r.stdout.contains("E00104") || r.stdout.contains("何敏"), r.stdout)
        // E00103's reports in the demo roster: E00105 to E00111 (E00104 moved away above).
        let reports = Set((105...111).map { "E00\($0)" })
        XCTAssertTrue(r.stdout.contains("The pool was split again: bonuses of people outside your reports moved too."), r.stdout)
        for id in moved.intersection(reports) { XCTAssertTrue(r.stdout.contains(id), "\(id)\n\(r.stdout)") }
    }
}
