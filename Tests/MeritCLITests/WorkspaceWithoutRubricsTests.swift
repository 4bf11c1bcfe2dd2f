import Foundation
import MeritTestSupport
import XCTest

/// A merit.yaml that lists no rubric is valid: data can be imported, and merit review says how to add a rubric
/// (exit 66: the rubric a review needs is missing input, as a rubric file that cannot be read is).
final class WorkspaceWithoutRubricsTests: XCTestCase {
    func workspace(_ rubrics: String) throws -> URL {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        let r = try MeritProcess.run(["init", ws.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        try "currency: USD\ntime_zone: UTC\n\(rubrics)hr: []\nadmins:\n".write(
            to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
        return ws
    }

    func testNoRubricsImportsAndReviewSaysHowToAddOne() throws {
        let data = WorkspaceCommandTests.demoData
        for rubrics in ["rubrics:\n", "rubrics: []\n", "rubrics: ~\n", ""] {
            let ws = try workspace(rubrics)
            var r = try MeritProcess.run(["import", "employees", data.appendingPathComponent("employees.csv").path], in: ws)
            XCTAssertEqual(r.status, 0, "\(rubrics): \(r.stderr)")
            r = try MeritProcess.run(["import", "surveys", data.appendingPathComponent("surveys.csv").path], in: ws)
            XCTAssertEqual(r.status, 0, "\(rubrics): \(r.stderr)")
            r = try MeritProcess.run(["review", "2026-Q3"], in: ws)
            XCTAssertEqual(r.status, 66, "\(rubrics): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
            for advice in [
                "lists no rubric under rubrics:", "merit rubrics list",
                "merit rubrics show customer-service > rubrics/customer-service.yaml",
                "  rubrics:\n    - file: rubrics/customer-service.yaml",
            ] {
                XCTAssertTrue(r.stderr.contains(advice), "\(rubrics): \(advice) in \(r.stderr)")
            }
            XCTAssertTrue(try MeritProcess.run(["audit"], in: ws).stdout.contains("import"))
        }
    }

    /// Doing what the message says gives a workspace that reviews.
    func testTheAdviceWorks() throws {
        let ws = try workspace("rubrics:\n")
        for d in WorkspaceCommandTests.datasets {
            let r = try MeritProcess.run(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        try FileManager.default.removeItem(at: ws.appendingPathComponent("rubrics"))
        try FileManager.default.createDirectory(at: ws.appendingPathComponent("rubrics"), withIntermediateDirectories: true)
        let shown = try MeritProcess.run(["rubrics", "show", "customer-service"], in: ws)
        try shown.stdout.write(to: ws.appendingPathComponent("rubrics/customer-service.yaml"), atomically: true, encoding: .utf8)
        try "currency: USD\ntime_zone: UTC\nrubrics:\n    - file: rubrics/customer-service.yaml\nhr: []\n"
            .write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
        let r = try MeritProcess.run(["review", "2026-Q3"], in: ws)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  customer-service v1 "), r.stdout)
    }
}
