import Foundation
import MeritInput
import MeritTestSupport
import XCTest

/// `merit dispute` end to end (issue 20, docs/disputes.md): the role table's dispute rows through the real
/// `merit serve` and client, the operators' local rules, and what list, show, stats and the scorecard print.
///
///     E1 Ada (admin) ── E2 Bruno (manager) ── E3 Chen (manager) ── E4 王小明 (employee)
///                                          └─ E5 Dora (employee)
///     E6 Hana (hr)
final class DisputeCommandTests: XCTestCase {
    typealias Company = RoleTableCommandTests.Company

    /// An id from "Opened dispute N of …".
    func openedID(_ r: MeritProcess.Result, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stdout.hasPrefix("Opened dispute "), r.stdout, file: file, line: line)
        return r.stdout.dropFirst("Opened dispute ".count).prefix { $0.isNumber }.description
    }

    func testTheRoleTableDecidesWhoOpensSeesAndResolvesThroughTheServer() throws {
        let c = try RoleTableCommandTests.company()
        defer { c.server.stop() }
        func ids(_ who: String, _ extra: [String] = []) throws -> [String] {
            let out = try c.allowed(who, ["dispute", "list", "--format", "json"] + extra).stdout
            let rows = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]
            return rows.map { "\($0["id"]!)" }
        }

        let e4 = openedID(
            try c.run("E4", ["dispute", "open", "--period", "2026-Q3", "--metric", "satisfaction", "--message", "My surveys were someone else's"]))
        let e5 = openedID(try c.run("E5", ["dispute", "open", "--period", "2026-Q3", "--message", "Too low"]))
        // Nobody opens a dispute for someone else through the server.
        try c.refused("E4", ["dispute", "open", "--period", "2026-Q3", "--employee", "E5", "--message", "for a colleague"])
        try c.refused("E2", ["dispute", "open", "--period", "2026-Q3", "--employee", "E4", "--message", "for my report"])

        // Seeing: an employee their own, a manager theirs and their reports', HR and admins everyone.
        XCTAssertEqual(try ids("E4"), [e4])
        XCTAssertEqual(try ids("E5"), [e5])
        XCTAssertEqual(try ids("E3"), [e4], "E5 is not in Chen's tree")
        XCTAssertEqual(try ids("E2"), [e4, e5])
        XCTAssertEqual(try ids("E6"), [e4, e5])
        XCTAssertEqual(try ids("E1", ["--open", "--period", "2026-Q3"]), [e4, e5])
        try c.refused("E3", ["dispute", "show", e5])
        try c.refused("E5", ["dispute", "show", e4])
        try c.refused("E3", ["dispute", "show", "999"])
        XCTAssertTrue(try c.allowed("E3", ["dispute", "show", e4]).stdout.contains("Dispute \(e4): open"))
        XCTAssertEqual(try c.run("E6", ["dispute", "show", "999"]).status, 66, "HR sees every dispute, so may learn one does not exist")

        // Resolving: never one's own, a manager only inside their tree (an unknown id is the same refusal).
        try c.refused("E4", ["dispute", "accept", e4, "--comment", "I agree with myself"])
        try c.refused("E5", ["dispute", "accept", e4, "--comment", "a colleague"])
        try c.refused("E3", ["dispute", "reject", e5, "--comment", "not my report"])
        try c.refused("E3", ["dispute", "accept", "999", "--comment", "no such dispute"])
        try c.refused("E3", ["dispute", "accept", "abc", "--comment", "not an id"])
        try c.refused("E4", ["dispute", "withdraw", e5])
        try c.refused("E2", ["dispute", "withdraw", e5, "--comment", "a manager withdraws nothing of others"])
        XCTAssertTrue(try c.allowed("E3", ["dispute", "accept", e4, "--comment", "Checked the CRM"]).stdout.contains("is accepted"))
        let again = try c.run("E2", ["dispute", "reject", e4, "--comment", "too late"])
        XCTAssertEqual(again.status, 65, again.stderr)
        XCTAssertTrue(again.stderr.contains("only an open dispute is resolved or withdrawn"), again.stderr)
        XCTAssertTrue(try c.allowed("E5", ["dispute", "withdraw", e5, "--comment", "Sorted out"]).stdout.contains("is withdrawn"))

        // A manager's own dispute is resolved above them, never by themself.
        let e2 = openedID(try c.run("E2", ["dispute", "open", "--period", "2026-Q3", "--message", "My own result"]))
        try c.refused("E2", ["dispute", "reject", e2, "--comment", "myself"])
        try c.refused("E6", ["dispute", "withdraw", e2])
        try c.allowed("E1", ["dispute", "reject", e2, "--comment", "The admin reviewed it"])

        // Statistics: HR and admins only.
        try c.refused("E4", ["dispute", "stats"])
        try c.refused("E2", ["dispute", "stats"])
        let stats = try c.allowed("E6", ["dispute", "stats", "--format", "json"]).stdout
        let rows = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.map { $0["manager_id"] as? String }, ["E1", "E2", "E3"])
        XCTAssertEqual(rows[2]["accepted"] as? Int, 1)
        XCTAssertEqual(rows[2]["acceptance_ratio"] as? Double, 1)
        XCTAssertEqual(rows[1]["withdrawn"] as? Int, 1)
        XCTAssertEqual(rows[0]["rejected"] as? Int, 1)

        // The scorecard shows the person's own disputes of the period.
        let card = try c.allowed("E4", ["scorecard", "--period", "2026-Q3"]).stdout
        XCTAssertTrue(card.contains("Disputes") && card.contains("Dispute \(e4) accepted"), card)
        XCTAssertTrue(card.contains("Comment: Checked the CRM"), card)
        let json = try c.allowed("E4", ["scorecard", "--period", "2026-Q3", "--format", "json"]).stdout
        XCTAssertTrue(json.contains("\"disputes\""), json)
        XCTAssertFalse(try c.allowed("E6", ["scorecard", "--period", "2026-Q3", "--format", "json"]).stdout.contains("\"disputes\""))

        // Every change is in the audit log, by the token's holder.
        let audit = try MeritProcess.run(["audit", "--format", "json"], in: c.workspace).stdout
        for action in ["dispute-open", "dispute-accept", "dispute-withdraw", "dispute-reject", "server-dispute list, show", "server-dispute stats"] {
            XCTAssertTrue(audit.contains("\"\(action)\""), action)
        }
    }

    func testOperatorsLocallyDoEverythingButResolveTheirOwn() throws {
        // The operator is HR (to read others' scorecards), on no roster row at first.
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        let now = ScorecardWorkspace.reviewedAt
        func run(_ args: [String], at env: [String: String] = ScorecardWorkspace.reviewedAt) throws -> MeritProcess.Result {
            try MeritProcess.run(args, in: ws, environment: env)
        }
        let before = try run(["scorecard", "E5", "--period", "2026-Q3"]).stdout
        let beforeJSON = try run(["scorecard", "E5", "--period", "2026-Q3", "--format", "json"]).stdout

        // An operator whose login is on no roster row names the employee.
        let nobody = try run(["dispute", "open", "--period", "2026-Q3", "--message", "whose?"])
        XCTAssertEqual(nobody.status, 64, nobody.stderr)
        XCTAssertTrue(nobody.stderr.contains("pass --employee ID"), nobody.stderr)
        let forE5 = openedID(try run(["dispute", "open", "--period", "2026-Q3", "--employee", "E5", "--message", "on Dora's behalf"]))

        // The operator as E4: their own dispute, which they may not resolve.
        try ScorecardWorkspace.become("E4", in: ws)
        let own = openedID(try run(["dispute", "open", "--period", "2026-Q3", "--message", "Surveys\tfrom the wrong queue"]))
        let mine = try run(["dispute", "accept", own, "--comment", "self"])
        XCTAssertEqual(mine.status, 77, mine.stderr)
        XCTAssertEqual(try run(["dispute", "accept", forE5, "--comment", "Confirmed with Dora"]).status, 0)
        let usage = try run(["dispute", "reject", own, "--comment", "  "])
        XCTAssertEqual(usage.status, 64, usage.stderr)
        XCTAssertEqual(try run(["dispute", "withdraw", own]).status, 0)

        // The window: 14 days after 2026-Q3 was finalized (at reviewedAt), by default.
        let late = try run(["dispute", "open", "--period", "2026-Q3", "--message", "late"], at: ["MERIT_TEST_NOW": "2027-01-24T09:00:01.000Z"])
        XCTAssertEqual(late.status, 65, late.stderr)
        XCTAssertTrue(late.stderr.contains("merit.yaml dispute_days"), late.stderr)
        let draft = try run(["dispute", "open", "--period", "2026-Q4", "--message", "a draft"])
        XCTAssertEqual(draft.status, 65, draft.stderr)

        // list, show and stats as people read them.
        let list = try run(["dispute", "list"]).stdout
        let lines = list.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "ID  Period   Employee  State      Opened      Resolved    About")
        XCTAssertEqual(lines.count, 3, list)
        XCTAssertTrue(lines[1].hasPrefix("\(forE5)   2026-Q3  E5        accepted   2027-01-10  2027-01-10  the result"), list)
        XCTAssertEqual(try run(["dispute", "list", "--open"]).stdout, "No open dispute.\n")
        let show = try run(["dispute", "show", own]).stdout
        XCTAssertTrue(show.hasPrefix("Dispute \(own): withdrawn\nPeriod:    2026-Q3 (finalized version "), show)
        XCTAssertTrue(show.contains("Employee:  E4 (manager E3 when opened)"), show)
        XCTAssertTrue(show.contains("Message:   Surveys\\x09from the wrong queue"), "control characters are shown escaped: \(show)")
        XCTAssertTrue(show.contains("\nWithdrawn: 2027-01-10T09:00:00.000Z by "), show)
        XCTAssertTrue(show.contains("dispute-open") && show.contains("dispute-withdraw"), show)
        XCTAssertTrue(show.contains("Exclusions: none\nAmendments answering it: none\n"), show)
        let shown =
            try JSONSerialization.jsonObject(with: Data(try run(["dispute", "show", forE5, "--format", "json"]).stdout.utf8)) as! [String: Any]
        XCTAssertEqual(shown["state"] as? String, "accepted")
        XCTAssertEqual(shown["employee_id"] as? String, "E5")
        XCTAssertEqual(shown["comment"] as? String, "Confirmed with Dora")
        XCTAssertEqual((shown["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String }, ["dispute-open", "dispute-accept"])
        XCTAssertEqual((shown["exclusions"] as? [Any])?.count, 0)
        XCTAssertEqual((shown["amendments"] as? [Any])?.count, 0)
        let unknown = try run(["dispute", "show", "999"])
        XCTAssertEqual(unknown.status, 66, "an operator learns that an id does not exist: \(unknown.stderr)")
        let stats = try run(["dispute", "stats"]).stdout
        XCTAssertTrue(stats.hasPrefix("Manager  Open  Accepted  Rejected  Withdrawn  Acceptance  Median hours\n"), stats)
        XCTAssertTrue(stats.contains("Acceptance = accepted / (accepted + rejected)"), stats)
        XCTAssertTrue(stats.contains("of an even count, the mean of the two middle times"), stats)

        // E5's scorecard shows their dispute; someone without one reads exactly what they read before.
        let after = try run(["scorecard", "E5", "--period", "2026-Q3"]).stdout
        XCTAssertNotEqual(after, before)
        XCTAssertTrue(after.hasPrefix(before.dropLast().description), "the disputes come after everything else")
        XCTAssertTrue(after.contains("Dispute \(forE5) accepted"), after)
        _ = beforeJSON
        let chen = try run(["scorecard", "E3", "--period", "2026-Q3", "--format", "json"]).stdout
        XCTAssertFalse(chen.contains("disputes"), chen)
        _ = now
    }

    /// The Summary sheet's label/value pairs of a workbook.
    func summary(_ path: URL) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try XLSXWorkbookReader(path: path.path).rows(inSheet: "Summary") {
            guard case .text(let label)? = row.value(at: 0) else { continue }
            switch row.value(at: 1) {
            case .text(let s)?: out[label] = s
            case .number(let x)?: out[label] = String(x)
            default: break
            }
        }
        return out
    }

    func testTheSummarySheetCountsThePeriodsDisputesOnlyWhenThereAreSome() throws {
        let ws = try ScorecardWorkspace.make()
        let env = ScorecardWorkspace.reviewedAt
        func run(_ args: [String]) throws -> MeritProcess.Result {
            let r = try MeritProcess.run(args, in: ws, environment: env)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            return r
        }
        let without = ws.deletingLastPathComponent().appendingPathComponent("without.xlsx")
        try run(["export", "2026-Q3", "--out", without.path])
        XCTAssertFalse(try summary(without).keys.contains { $0.hasPrefix("Disputes") })
        let a = openedID(try run(["dispute", "open", "--period", "2026-Q3", "--employee", "E4", "--message", "one"]))
        _ = openedID(try run(["dispute", "open", "--period", "2026-Q3", "--employee", "E5", "--message", "two"]))
        _ = openedID(try run(["dispute", "open", "--period", "2026-Q3", "--employee", "E5", "--message", "three"]))
        try run(["dispute", "accept", a, "--comment", "yes"])
        let with = ws.deletingLastPathComponent().appendingPathComponent("with.xlsx")
        try run(["export", "2026-Q3", "--out", with.path])
        let s = try summary(with)
        XCTAssertEqual(s["Disputes open"], "2.0")
        XCTAssertEqual(s["Disputes accepted"], "1.0")
        XCTAssertEqual(s["Disputes rejected"], "0.0")
        XCTAssertEqual(s["Disputes withdrawn"], "0.0")
        // Another period's workbook says nothing of them.
        let q2 = ws.deletingLastPathComponent().appendingPathComponent("q2.xlsx")
        try run(["export", "2026-Q2", "--out", q2.path])
        XCTAssertFalse(try summary(q2).keys.contains { $0.hasPrefix("Disputes") })
    }

    func testAScorecardWithoutDisputesIsByteIdentical() throws {
        let ws = try ScorecardWorkspace.make()
        let env = ScorecardWorkspace.reviewedAt
        let text = try MeritProcess.run(["scorecard", "E5", "--period", "2026-Q3"], in: ws, environment: env).stdout
        let json = try MeritProcess.run(["scorecard", "E5", "--period", "2026-Q3", "--format", "json"], in: ws, environment: env).stdout
        XCTAssertEqual(
            try MeritProcess.run(["dispute", "open", "--period", "2026-Q3", "--employee", "E4", "--message", "x"], in: ws, environment: env).status, 0
        )
        XCTAssertEqual(try MeritProcess.run(["scorecard", "E5", "--period", "2026-Q3"], in: ws, environment: env).stdout, text)
        XCTAssertEqual(try MeritProcess.run(["scorecard", "E5", "--period", "2026-Q3", "--format", "json"], in: ws, environment: env).stdout, json)
        XCTAssertFalse(json.contains("disputes"))
    }
}
