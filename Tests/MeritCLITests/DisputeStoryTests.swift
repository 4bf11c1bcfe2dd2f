import Foundation
import MeritTestSupport
import XCTest

/// The whole story of a dispute through the real binary, the real `merit serve` and the real client (issue 20,
/// docs/disputes.md): an employee disputes a survey of their finalized quarter, their manager accepts it excluding
/// that survey, HR amends and finalizes. The new numbers are `merit evaluate`'s on the data without that survey, the
/// version that was paid is unchanged, and the audit log tells the story in order.
///
///     E1 Ada ── E2 Bruno (manager) ── E3 Chen ── E4 王小明
///                                  └─ E5 Dora (disputes)
///     E6 Hana (hr)
final class DisputeStoryTests: XCTestCase {
    typealias Server = ServeCommandTests.Server
    let env = ScorecardWorkspace.reviewedAt

    /// The ScorecardWorkspace data with a `response_id` on every survey (S1, S2, … in file order), without `dropping`.
    func data(_ dir: URL, dropping: String? = nil) throws -> [(id: String, line: String)] {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try ScorecardWorkspace.data(dir)
        try ScorecardWorkspace.roster(loginOf: nil).write(to: dir.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("surveys.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let surveys = lines.dropFirst().enumerated().map { (id: "S\($0.offset + 1)", line: $0.element) }
        let kept = surveys.filter { $0.id != dropping }.map { "\($0.line),\($0.id)" }
        try ([lines[0] + ",response_id"] + kept).joined(separator: "\n").appending("\n").write(to: file, atomically: true, encoding: .utf8)
        return surveys
    }

    func merit(
        _ args: [String], in dir: URL, _ env: [String: String]? = nil, file: StaticString = #filePath, line: UInt = #line
    ) throws
        -> MeritProcess.Result
    {
        let r = try MeritProcess.run(args, in: dir, environment: env ?? self.env)
        XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)", file: file, line: line)
        return r
    }

    /// The employees of a review's or an evaluation's JSON documents, without what a stored review adds.
    func employees(_ json: String) throws -> [NSDictionary] {
        try ReviewJSON.conformanceDocuments(json).flatMap { ($0["employees"] as? [NSDictionary]) ?? [] }
    }

    func testAnEmployeeDisputesASurveyTheManagerExcludesItAndHRAmends() throws { try story(store: nil) }

    func testTheSameStoryOnPostgreSQL() throws {
        let database = try TestDatabase()
        defer { database.drop() }
        try story(store: database.url)
    }

    /// The story on a workspace whose store is its SQLite file, or the PostgreSQL database `store` names.
    func story(store: String?) throws {
        let root = MeritProcess.temporaryDirectory()
        let ws = root.appendingPathComponent("ws")
        try merit(
            ["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path] + (store.map { ["--store", $0] } ?? []),
            in: root)
        try ScorecardWorkspace.writeConfig(ws, hr: [ScorecardWorkspace.me])
        if let store {
            let config = ws.appendingPathComponent("merit.yaml")
            try (try String(contentsOf: config, encoding: .utf8) + "store: \(store)\n").write(to: config, atomically: true, encoding: .utf8)
        }
        let surveys = try data(root.appendingPathComponent("data"))
        for d in ["employees", "surveys", "feedback", "accounts", "sales"] {
            try merit(["import", d, root.appendingPathComponent("data/\(d).csv").path], in: ws)
        }
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        let paid = try merit(["show", "2026-Q3", "--format", "json"], in: ws).stdout

        // A July survey of Dora's that was not top-box: leaving it out raises her satisfaction.
        let disputed = try XCTUnwrap(surveys.first { $0.line.hasPrefix("E5,2026-07-") && $0.line.hasSuffix(",3") }).id
        var tokens: [String: String] = [:]
        for e in ["E5", "E2", "E3"] { tokens[e] = try merit(["access", "grant", e], in: ws).stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        let server = try Server(workspace: ws, environment: env)
        defer { server.stop() }
        func remote(_ who: String, _ args: [String]) throws -> MeritProcess.Result {
            try MeritProcess.run(args + ["--server", server.url], in: root, environment: env.merging(["MERIT_TOKEN": tokens[who]!]) { a, _ in a })
        }

        // Dora disputes it through the server, with her token.
        let opened = try remote(
            "E5",
            [
                "dispute", "open", "--period", "2026-Q3", "--metric", "satisfaction", "--record", "surveys:\(disputed)", "--message",
                "That customer was Chen's",
            ])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let id = String(opened.stdout.dropFirst("Opened dispute ".count).prefix { $0.isNumber })
        XCTAssertFalse(id.isEmpty, opened.stdout)

        // Chen is not her manager: refused, in the one message. Bruno accepts, excluding the survey.
        let chen = try remote("E3", ["dispute", "accept", id, "--comment", "Fine by me", "--exclude", "surveys:\(disputed)"])
        XCTAssertEqual(chen.status, 77, chen.stderr)
        XCTAssertEqual(chen.stderr, RoleTableCommandTests.refusal)
        let accepted = try remote("E2", ["dispute", "accept", id, "--comment", "The CRM shows Chen handled it", "--exclude", "surveys:\(disputed)"])
        XCTAssertEqual(accepted.status, 0, accepted.stderr)

        // The paid version is final: nothing moves until HR amends. The amendment, computed again, leaves the survey out.
        XCTAssertEqual(try merit(["show", "2026-Q3", "--format", "json"], in: ws).stdout, paid)
        let amended = try merit(["amend", "2026-Q3", "--dispute", id], in: ws).stdout
        XCTAssertTrue(amended.contains("answering dispute \(id)"), amended)
        let refused = try MeritProcess.run(["finalize", "2026-Q3"], in: ws, environment: env)
        XCTAssertEqual(refused.status, 65, "the copy still counts the survey: \(refused.stderr)")
        XCTAssertTrue(refused.stderr.diffUnwrapped.contains("surveys \(disputed) of E5 excluded by dispute \(id)"), refused.stderr)
        let diff = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        XCTAssertTrue(diff.contains("surveys \(disputed) of E5 excluded by dispute \(id)"), diff)
        XCTAssertTrue(diff.contains("E5 Dora Peer: total"), diff)
        try merit(["finalize", "2026-Q3"], in: ws)

        // The new numbers are merit evaluate's on the data without that survey, for everyone.
        let clean = root.appendingPathComponent("clean")
        _ = try data(clean, dropping: disputed)
        let evaluated = try merit(
            ["evaluate", "--data", clean.path, "--rubric", ScorecardWorkspace.rubric, "--period", "2026-Q3", "--format", "json"], in: root
        ).stdout
        let now = try merit(["show", "2026-Q3", "--format", "json"], in: ws).stdout
        XCTAssertEqual(try employees(now), try ReviewJSON.documents([evaluated]).flatMap { ($0["employees"] as? [NSDictionary]) ?? [] })
        XCTAssertNotEqual(try employees(now), try employees(paid), "the survey counted before")
        XCTAssertTrue(now.contains("left out of this review: excluded by accepted dispute \(id) of 2026-Q3"), "Data Quality says so")

        // The version that was paid is as it was: its seal holds, and the history keeps both versions.
        XCTAssertTrue(try merit(["audit", "--verify"], in: ws).stdout.contains("intact"))
        XCTAssertTrue(try merit(["verify", "2026-Q3"], in: ws).stdout.contains("identical"))
        let shown = try merit(["dispute", "show", id], in: ws).stdout
        XCTAssertTrue(shown.contains("accepted"), shown)
        XCTAssertTrue(shown.contains("version 2"), "the amendment that answers it: \(shown)")

        // The audit log tells the story, in order.
        let log = try merit(["audit", "2026-Q3", "--format", "json"], in: ws).stdout
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]])
        let actions = entries.compactMap { $0["action"] as? String }
        let story = actions.filter { ["finalize", "dispute-open", "dispute-accept", "amend", "review-rerun"].contains($0) }
        XCTAssertEqual(story, ["finalize", "dispute-open", "dispute-accept", "amend", "review-rerun", "finalize"], log)
        XCTAssertTrue(log.contains("answering dispute \(id)"), log)
        XCTAssertTrue(log.contains("surveys:\(disputed)"), "the acceptance names its exclusion: \(log)")
    }
}
