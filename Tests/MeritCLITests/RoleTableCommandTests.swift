import Foundation
import MeritTestSupport
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The role table of docs/roles.md walked cell by cell through the real `merit serve` on loopback with the real
/// client (issue 18): every workspace command run remotely as an employee, a manager (who is also someone's
/// report), a manager of one, HR and an admin, with the output and exit codes a local run gives.
///
///     E1 Ada (admin) ── E2 Bruno (manager) ── E3 Chen (manager) ── E4 王小明 (employee)
///                                          └─ E5 Dora (employee)
///     E6 Hana (hr)
final class RoleTableCommandTests: XCTestCase {
    typealias Server = ServeCommandTests.Server

    /// The workspace, its server and a token per person.
    struct Company {
        let workspace: URL
        let server: Server
        let tokens: [String: String]

        /// `merit ARGS --server URL` as `employee`, the token in MERIT_TOKEN.
        @discardableResult
        func run(_ employee: String, _ arguments: [String], in directory: URL? = nil) throws -> MeritProcess.Result {
            try MeritProcess.run(
                arguments + ["--server", server.url], in: directory ?? workspace.deletingLastPathComponent(),
                environment: ["MERIT_TOKEN": tokens[employee]!].merging(ScorecardWorkspace.reviewedAt) { a, _ in a })
        }

        /// `run`, asserting it succeeded.
        @discardableResult
        func allowed(_ who: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> MeritProcess.Result {
            let r = try run(who, args)
            XCTAssertEqual(r.status, 0, "\(who) \(args): \(r.stderr)", file: file, line: line)
            return r
        }

        /// `run`, asserting it was refused with the one message and exit 77, and printed nothing else.
        func refused(_ who: String, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
            let r = try run(who, args)
            XCTAssertEqual(r.status, 77, "\(who) \(args): \(r.stdout) \(r.stderr)", file: file, line: line)
            XCTAssertEqual(r.stderr, RoleTableCommandTests.refusal, "\(who) \(args)", file: file, line: line)
            XCTAssertEqual(r.stdout, "", file: file, line: line)
        }
    }

    /// The one message of every refusal: it never says whether a person or review exists.
    static let refusal =
        "merit: refused: that is not yours to do or see (your role does not allow it, or there is no such person for you); ask HR if it should be\n"

    static func company() throws -> Company {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        // u1… are the roster's logins (ScorecardWorkspace.roster): E1 is an admin, E6 HR.
        try """
        currency: USD
        time_zone: UTC
        rubrics:
          - file: "\(ScorecardWorkspace.rubric)"
        hr: ["\(ScorecardWorkspace.me)", "u6"]
        admins: ["u1"]

        """.write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
        var tokens: [String: String] = [:]
        for e in ["E1", "E2", "E3", "E4", "E5", "E6"] {
            let r = try MeritProcess.run(["access", "grant", e], in: ws)
            XCTAssertEqual(r.status, 0, r.stderr)
            tokens[e] = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try Server(workspace: ws, environment: ScorecardWorkspace.reviewedAt)
        return Company(workspace: ws, server: server, tokens: tokens)
    }

    /// The employees of review documents.
    static func ids(_ documents: [NSDictionary]) -> Set<String> {
        Set(documents.flatMap { ($0["employees"] as? [[String: Any]] ?? []).compactMap { $0["employee_id"] as? String } })
    }

    func testEveryCellOfTheRoleTable() throws {
        let c = try Self.company()
        defer { c.server.stop() }

        // show: managers see their reports' rows only; employees nothing; HR and admins everyone.
        try c.refused("E4", ["show", "2026-Q4"])
        let managers = try c.allowed("E2", ["show", "2026-Q4", "--format", "json"]).stdout
        let shownIDs = Self.ids(try ReviewJSON.conformanceDocuments(managers))
        XCTAssertEqual(shownIDs, ["E3", "E4", "E5"])
        let ofOne = try ReviewJSON.conformanceDocuments(try c.allowed("E3", ["show", "2026-Q4", "--format", "json"]).stdout)
        XCTAssertEqual(Self.ids(ofOne), ["E4"])
        for who in ["E6", "E1"] {
            let everyone = try ReviewJSON.conformanceDocuments(try c.allowed(who, ["show", "2026-Q4", "--format", "json"]).stdout)
            XCTAssertEqual(Self.ids(everyone), ["E1", "E2", "E3", "E4", "E5", "E6"])
        }
        // The same output as the operator's local command, byte for byte.
        let local = try MeritProcess.run(["show", "2026-Q3"], in: c.workspace)
        XCTAssertEqual(try c.allowed("E6", ["show", "2026-Q3"]).stdout, local.stdout)

        // history: an employee's own finalized periods; a manager's reports with drafts, and their own finalized.
        let own = try c.allowed("E4", ["history", "E4", "--format", "json"]).stdout
        XCTAssertTrue(own.contains("2026-Q3") && !own.contains("2026-Q4"), own)
        try c.refused("E4", ["history", "E5"])
        let mine = try c.allowed("E4", ["history", "--format", "json"]).stdout
        XCTAssertFalse(mine.contains("\"E5\""), mine)
        let reports = try c.allowed("E2", ["history", "--format", "json"]).stdout
        XCTAssertTrue(reports.contains("\"E4\"") && reports.contains("2026-Q4") && !reports.contains("\"E1\""), reports)
        let bruno = try JSONSerialization.jsonObject(with: Data(reports.utf8)) as! [[String: Any]]
        XCTAssertFalse(bruno.contains { $0["employee_id"] as? String == "E2" && $0["period"] as? String == "2026-Q4" }, "own draft hidden")
        XCTAssertTrue(bruno.contains { $0["employee_id"] as? String == "E2" && $0["period"] as? String == "2026-Q3" }, "own final shown")
        try c.refused("E3", ["history", "E5"])
        try c.allowed("E6", ["history", "E1"])
        try c.allowed("E1", ["history", "E6"])

        // calibrate: managers their reports' part (docs/calibration.md), HR and admins everyone, employees nothing.
        try c.refused("E4", ["calibrate", "2026-Q4"])
        try c.refused("E5", ["calibrate", "2026-Q4", "--format", "json"])
        func gridPeople(_ who: String) throws -> Set<String> {
            let doc = try JSONSerialization.jsonObject(with: Data(try c.allowed(who, ["calibrate", "2026-Q4", "--format", "json"]).stdout.utf8))
            let grid = (((doc as? [String: Any])?["rubrics"] as? [[String: Any]])?.first?["grid"] as? [String: Any])?["people"]
            return Set((grid as? [[String: Any]] ?? []).compactMap { $0["employee_id"] as? String })
        }
        XCTAssertEqual(try gridPeople("E2"), ["E3", "E4", "E5"])
        XCTAssertEqual(try gridPeople("E3"), ["E4"])
        XCTAssertEqual(try gridPeople("E6"), ["E1", "E2", "E3", "E4", "E5", "E6"])
        XCTAssertEqual(try gridPeople("E1"), ["E1", "E2", "E3", "E4", "E5", "E6"])

        // adjust: a manager their reports' drafts (indirect ones too), never anyone else; HR and admins anyone.
        try c.refused("E4", ["adjust", "2026-Q4", "E4", "--band", "A", "--reason", "me"])
        try c.refused("E5", ["adjust", "2026-Q4", "E4", "--band", "A", "--reason", "colleague"])
        try c.refused("E3", ["adjust", "2026-Q4", "E5", "--band", "A", "--reason", "not mine"])
        try c.refused("E2", ["adjust", "2026-Q4", "E2", "--band", "A", "--reason", "myself"])
        try c.refused("E2", ["adjust", "2026-Q4", "E1", "--band", "A", "--reason", "my boss"])
        try c.refused("E2", ["adjust", "2026-Q4", "NOBODY", "--band", "A", "--reason", "made up"])
        try c.allowed("E2", ["adjust", "2026-Q4", "E4", "--band", "A", "--reason", "Indirect report, covered nights"])
        try c.allowed("E3", ["adjust", "2026-Q4", "E4", "--band", "B", "--reason", "Direct report"])
        try c.allowed("E6", ["adjust", "2026-Q4", "E1", "--band", "B", "--reason", "HR may adjust anyone"])
        // ... but themselves: nobody changes their own band, whatever their role.
        try c.refused("E6", ["adjust", "2026-Q4", "E6", "--band", "A", "--reason", "myself"])
        try c.refused("E1", ["adjust", "2026-Q4", "E1", "--band", "A", "--reason", "myself"])
        try c.allowed("E1", ["adjust", "2026-Q4", "E6", "--band", "B", "--reason", "An admin may adjust anyone"])

        // audit: HR and admins; the adjustments name the token holders, never the server's account.
        for who in ["E2", "E3", "E4"] { try c.refused(who, ["audit", "2026-Q4"]) }
        let audit = try c.allowed("E6", ["audit", "2026-Q4", "--format", "json"]).stdout
        let entries = try JSONSerialization.jsonObject(with: Data(audit.utf8)) as! [[String: Any]]
        let adjusters = entries.filter { $0["action"] as? String == "adjust" }.compactMap { $0["by"] as? String }
        XCTAssertEqual(Set(adjusters), ["u2", "u3", "u6", "u1"], audit)
        try c.allowed("E1", ["audit", "--verify"])

        // scorecard --draft: a manager's reports' drafts (never their own), HR and admins anyone's; no employee's.
        XCTAssertEqual(try c.run("E4", ["scorecard", "--draft", "--period", "2026-Q4"]).status, 77, "not even one's own draft")
        XCTAssertEqual(try c.run("E2", ["scorecard", "E2", "--draft", "--period", "2026-Q4"]).status, 77)
        XCTAssertEqual(try c.run("E3", ["scorecard", "E5", "--draft", "--period", "2026-Q4"]).status, 77)
        let draft = try c.allowed("E2", ["scorecard", "E4", "--draft", "--period", "2026-Q4", "--format", "json"]).stdout
        XCTAssertTrue(draft.contains("\"draft\" : \"a draft (version"), draft)
        XCTAssertTrue(try c.allowed("E3", ["scorecard", "E4", "--draft", "--period", "2026-Q4"]).stdout.contains("DRAFT: a draft"))
        try c.allowed("E6", ["scorecard", "E1", "--draft", "--period", "2026-Q4"])
        try c.allowed("E1", ["scorecard", "E6", "--draft", "--period", "2026-Q4"])
        XCTAssertEqual(try c.run("E2", ["scorecard", "E4", "--period", "2026-Q4"]).status, 77, "without --draft, finalized only")

        // access: HR and admins issue, revoke and list tokens through the server too; nobody else.
        for who in ["E2", "E3", "E4"] {
            try c.refused(who, ["access", "list"])
            try c.refused(who, ["access", "grant", "E5"])
            try c.refused(who, ["access", "revoke", "E5"])
        }
        let granted = try c.allowed("E6", ["access", "grant", "E5", "--expires", "30d"])
        XCTAssertTrue(granted.stdout.hasPrefix("mrt_"), granted.stdout)
        XCTAssertTrue(try c.allowed("E1", ["access", "list"]).stdout.contains("E5"))
        XCTAssertTrue(try c.allowed("E1", ["access", "revoke", "E5"]).stdout.hasPrefix("Revoked 2 tokens of E5"))
        let log = try JSONSerialization.jsonObject(with: Data(try MeritProcess.run(["audit", "--format", "json"], in: c.workspace).stdout.utf8))
        let grants = (log as? [[String: Any]] ?? []).filter { $0["action"] as? String == "access-grant" && $0["employee_id"] as? String == "E5" }
        XCTAssertEqual(grants.last?["by"] as? String, "u6", "the remote grant is HR's (u6), not the server's account")
        let revokes = (log as? [[String: Any]] ?? []).filter { $0["action"] as? String == "access-revoke" && $0["employee_id"] as? String == "E5" }
        XCTAssertEqual(Set(revokes.compactMap { $0["by"] as? String }), ["u1"], "revoked by the admin")

        // review, finalize, amend, discard, export: HR and admins only.
        for who in ["E2", "E3", "E4"] {
            try c.refused(who, ["review", "2026-Q4", "--force"])
            try c.refused(who, ["finalize", "2026-Q4"])
            try c.refused(who, ["amend", "2026-Q3", "--reason", "x"])
            try c.refused(who, ["discard", "2026-Q4", "--reason", "x"])
            try c.refused(who, ["export", "2026-Q3", "--out", "x.xlsx"])
        }
        try c.allowed("E6", ["review", "2026-Q4", "--force"])
        try c.allowed("E1", ["review", "2026-Q4"])
        try c.allowed("E1", ["finalize", "2026-Q4"])
        try c.allowed("E6", ["amend", "2026-Q4", "--reason", "A late complaint"])
        try c.allowed("E1", ["discard", "2026-Q4", "--reason", "The complaint was withdrawn"])
        try c.allowed("E1", ["amend", "2026-Q4", "--reason", "Another late complaint"])
        try c.allowed("E6", ["discard", "2026-Q4", "--reason", "Withdrawn too"])
        try c.allowed("E1", ["export", "2026-Q3", "--out", MeritProcess.temporaryDirectory().path + "/q3.xlsx"])
        try c.allowed("E1", ["audit", "2026-Q3"])
        let out = MeritProcess.temporaryDirectory()
        let export = try c.allowed("E6", ["export", "2026-Q3", "--out", out.path + "/q3.xlsx", "--payroll", out.path + "/pay.csv"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path + "/q3.xlsx"), export.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path + "/pay.csv"), export.stdout)
        XCTAssertTrue(export.stdout.contains(out.path + "/q3.xlsx"), export.stdout)

        // scorecard: finalized ones, own; a manager's reports; HR and admins everyone.
        try c.allowed("E4", ["scorecard"])
        XCTAssertEqual(try c.run("E4", ["scorecard", "E5"]).status, 77)
        try c.allowed("E2", ["scorecard", "E4", "--format", "json"])
        XCTAssertEqual(try c.run("E2", ["scorecard", "E1"]).status, 77)
        try c.allowed("E6", ["scorecard", "E1", "--format", "json"])
        try c.allowed("E1", ["scorecard", "E6", "--format", "json"])
    }

    /// Locally, `--draft` follows the same table by OS login: a manager their reports' drafts, never their own.
    func testALocalManagerReadsTheirReportsDrafts() throws {
        let ws = try ScorecardWorkspace.make()
        try ScorecardWorkspace.become("E3", in: ws)
        let report = try MeritProcess.run(["scorecard", "E4", "--draft", "--period", "2026-Q4"], in: ws)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("DRAFT: a draft (version 1), not final"), report.stdout)
        XCTAssertEqual(try MeritProcess.run(["scorecard", "E3", "--draft", "--period", "2026-Q4"], in: ws).status, 77)
        XCTAssertEqual(try MeritProcess.run(["scorecard", "E5", "--draft", "--period", "2026-Q4"], in: ws).status, 77)
        XCTAssertEqual(try MeritProcess.run(["scorecard", "E4", "--period", "2026-Q4"], in: ws).status, 77, "no finalized Q4")
        let audit = try MeritProcess.run(["audit", "2026-Q4", "--format", "json"], in: ws).stdout
        XCTAssertTrue(audit.contains("via local (draft)"), audit)
    }

    /// Tokens that no longer identify anyone get nothing, through every command: a revoked one, an expired one and a
    /// leaver's (an end_date before today) are refused before the role table is even read (exit 77).
    func testRevokedExpiredAndLeaversTokensGetNothing() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        let tokenRefused = "merit: the server refused your access token (missing, wrong, revoked or expired, or its holder has left)"
        // Revoked: E6 (HR) loses everything at once.
        XCTAssertEqual(try c.run("E6", ["show", "2026-Q3"]).status, 0)
        XCTAssertEqual(try MeritProcess.run(["access", "revoke", "E6"], in: c.workspace).status, 0)
        // (Two tries only: five failures from one address within a minute throttle it, docs/server.md.)
        for args in [["show", "2026-Q3"], ["finalize", "2026-Q4"]] {
            let r = try c.run("E6", args)
            XCTAssertEqual(r.status, 77, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix(tokenRefused), r.stderr)
        }
        // A leaver: E2 (a manager) left before today; their reports' drafts are no longer theirs to adjust.
        let roster =
            ScorecardWorkspace.roster(loginOf: nil).split(separator: "\n").enumerated().map { i, line in
                line + (i == 0 ? ",end_date" : line.hasPrefix("E2,") ? ",2026-12-31" : ",")
            }.joined(separator: "\n") + "\n"
        let file = c.workspace.deletingLastPathComponent().appendingPathComponent("leaver.csv")
        try roster.write(to: file, atomically: true, encoding: .utf8)
        let imported = try MeritProcess.run(["import", "employees", file.path], in: c.workspace)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let left = try c.run("E2", ["adjust", "2026-Q4", "E4", "--band", "A", "--reason", "after leaving"])
        XCTAssertEqual(left.status, 77)
        XCTAssertTrue(left.stderr.hasPrefix(tokenRefused), left.stderr)
        let other = try c.run("E3", ["scorecard", "E4", "--draft", "--period", "2026-Q4"])
        XCTAssertEqual(other.status, 0, "others keep theirs: \(other.stderr)")
        // Expired: the same tokens, half a year and more later (grants last 180 days).
        let later = try Server(workspace: c.workspace, environment: ["MERIT_TEST_NOW": "2028-01-01T09:00:00.000Z"])
        defer { later.stop() }
        let expired = try MeritProcess.run(
            ["scorecard", "--server", later.url], in: c.workspace.deletingLastPathComponent(), environment: ["MERIT_TOKEN": c.tokens["E4"]!])
        XCTAssertEqual(expired.status, 77)
        XCTAssertTrue(expired.stderr.hasPrefix(tokenRefused), expired.stderr)
    }

    /// Views of others' scorecards wait for their audit entry while another process writes the store; they must not
    /// take the server's few threads with them: health checks and one's own scorecard still answer at once.
    func testWritesWaitingForTheStoreLeaveTheServerAnswering() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        let holder = try HeldWriteTransaction(store: c.workspace.appendingPathComponent(".merit/merit.sqlite"))
        var released = false
        defer { if !released { holder.release() } }
        let waiting = DispatchGroup()
        nonisolated(unsafe) var statuses: [Int] = []
        let lock = NSLock()
        for (viewer, subject) in [("E2", "E4"), ("E3", "E4"), ("E6", "E1"), ("E1", "E6"), ("E2", "E5"), ("E6", "E2")] {
            var request = URLRequest(url: URL(string: c.server.url + "/v1/scorecards/\(subject)")!, timeoutInterval: 120)
            request.setValue("Bearer \(c.tokens[viewer]!)", forHTTPHeaderField: "Authorization")
            waiting.enter()
            // A session each: one shared session would queue requests to one host behind each other.
            URLSession(configuration: .ephemeral).dataTask(with: request) { _, response, _ in
                lock.withLock { statuses.append((response as? HTTPURLResponse)?.statusCode ?? 0) }
                waiting.leave()
            }.resume()
        }
        Thread.sleep(forTimeInterval: 1)
        let started = Date()
        var health = URLRequest(url: URL(string: c.server.url + "/healthz")!, timeoutInterval: 30)
        health.httpMethod = "GET"
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var healthStatus = 0
        URLSession(configuration: .ephemeral).dataTask(with: health) { _, response, _ in
            healthStatus = (response as? HTTPURLResponse)?.statusCode ?? 0
            answered.signal()
        }.resume()
        answered.wait()
        XCTAssertEqual(healthStatus, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, "/healthz waited for the store's writer (held until the end)")
        let own = try c.run("E5", ["scorecard", "--format", "json"])
        XCTAssertEqual(own.status, 0, own.stderr)
        holder.release()
        released = true
        XCTAssertEqual(waiting.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(statuses, Array(repeating: 200, count: 6), "every view is answered once the store is free")
    }

    /// settings (merit.yaml through GET /v1/settings) is the one cell where admins differ from HR.
    func testOnlyAdminsReadTheSettings() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        let expected = try String(contentsOf: c.workspace.appendingPathComponent("merit.yaml"), encoding: .utf8)
        for (who, status) in [("E1", 200), ("E6", 403), ("E2", 403), ("E4", 403)] {
            var request = URLRequest(url: URL(string: c.server.url + "/v1/settings")!)
            request.setValue("Bearer \(c.tokens[who]!)", forHTTPHeaderField: "Authorization")
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var answer: (Int, Data) = (0, Data())
            URLSession(configuration: .ephemeral).dataTask(with: request) { data, response, _ in
                answer = ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
                done.signal()
            }.resume()
            done.wait()
            XCTAssertEqual(answer.0, status, who)
            let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: answer.1) as? [String: Any])
            if status == 200 { XCTAssertEqual(body["stdout"] as? String, expected) } else { XCTAssertEqual(body["error"] as? String, "forbidden") }
        }
    }

    /// An employee's history is their finalized reviews' figures only: a draft amendment of an earlier period is
    /// neither shown nor used for "change" and "was" (the finalized version in force and paid stays).
    func testAnEmployeesHistoryNeverReadsADraftAmendment() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        for step in [
            ["finalize", "2026-Q4"], ["amend", "2026-Q3", "--reason", "A late complaint"],
            ["adjust", "2026-Q3", "E4", "--band", "E", "--reason", "Confidential: disciplinary case pending"],
        ] {
            let r = try MeritProcess.run(step, in: c.workspace, environment: ScorecardWorkspace.reviewedAt)
            XCTAssertEqual(r.status, 0, "\(step): \(r.stderr)")
        }
        let mine = try c.run("E4", ["history", "E4", "--format", "json"])
        XCTAssertEqual(mine.status, 0, mine.stderr)
        let entries = try JSONSerialization.jsonObject(with: Data(mine.stdout.utf8)) as! [[String: Any]]
        let q3 = try XCTUnwrap(entries.first { $0["period"] as? String == "2026-Q3" }, mine.stdout)
        XCTAssertEqual(q3["status"] as? String, "final")
        XCTAssertEqual(q3["band"] as? String, "A", "the finalized band in force")
        let q4 = try XCTUnwrap(entries.first { $0["period"] as? String == "2026-Q4" })
        XCTAssertEqual(q4["previous_band"] as? String, "A", "never the draft's E")
        XCTAssertFalse(mine.stdout.contains("\"E\""), mine.stdout)
        // Their manager reviews the draft amendment.
        let manager = try c.run("E3", ["history", "E4", "--format", "json"]).stdout
        XCTAssertTrue(manager.contains("\"band\" : \"E\""), manager)
    }

    /// Where a command runs: `--server` always remotely; a workspace named or found here locally, whatever
    /// MERIT_SERVER says (an operator's shell may keep it); else MERIT_SERVER, else the client config.
    func testWhereACommandRuns() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        let nowhere = "http://127.0.0.1:9"  // nothing listens on the discard port
        let inside = try MeritProcess.run(["show", "2026-Q3"], in: c.workspace, environment: ["MERIT_SERVER": nowhere])
        XCTAssertEqual(inside.status, 0, "local, inside the workspace: \(inside.stderr)")
        let named = try MeritProcess.run(
            ["show", "2026-Q3", "--workspace", c.workspace.path], in: MeritProcess.temporaryDirectory(), environment: ["MERIT_SERVER": nowhere])
        XCTAssertEqual(named.status, 0, "local, --workspace named: \(named.stderr)")
        let outside = try MeritProcess.run(
            ["show", "2026-Q3"], in: MeritProcess.temporaryDirectory(), environment: ["MERIT_SERVER": c.server.url, "MERIT_TOKEN": c.tokens["E6"]!])
        XCTAssertEqual(outside.status, 0, outside.stderr)
        XCTAssertEqual(outside.stdout, inside.stdout, "the same output through the server")
        // The client config, with --token-file.
        let home = MeritProcess.temporaryDirectory()
        try FileManager.default.createDirectory(at: home.appendingPathComponent("merit"), withIntermediateDirectories: true)
        try "server: \(c.server.url)\n".write(to: home.appendingPathComponent("merit/client.yaml"), atomically: true, encoding: .utf8)
        let tokenFile = home.appendingPathComponent("token")
        try c.tokens["E4"]!.write(to: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile.path, 0o600)
        let configured = try MeritProcess.run(
            ["history", "--token-file", tokenFile.path], in: MeritProcess.temporaryDirectory(),
            environment: ["XDG_CONFIG_HOME": home.path, "MERIT_SERVER": "", "MERIT_TOKEN": ""])
        XCTAssertEqual(configured.status, 0, configured.stderr)
        XCTAssertTrue(configured.stdout.contains("王小明"), configured.stdout)
        let noServer = try MeritProcess.run(
            ["history", "--token-file", tokenFile.path], in: MeritProcess.temporaryDirectory(),
            environment: ["XDG_CONFIG_HOME": MeritProcess.temporaryDirectory().path, "MERIT_SERVER": ""])
        XCTAssertEqual(noServer.status, 64, noServer.stderr)
    }

    /// A refusal says nothing about who exists: adjusting someone outside one's tree and a made-up id read the same.
    func testARefusalNeverSaysWhetherAPersonExists() throws {
        let c = try Self.company()
        defer { c.server.stop() }
        for args in [
            ["adjust", "2026-Q4", "{}", "--band", "A", "--reason", "x"], ["history", "{}"], ["scorecard", "{}", "--draft", "--period", "2026-Q4"],
            ["scorecard", "{}"],
        ] {
            let outside = try c.run("E3", args.map { $0 == "{}" ? "E1" : $0 })
            let madeUp = try c.run("E3", args.map { $0 == "{}" ? "E999" : $0 })
            XCTAssertEqual(outside.status, 77, "\(args)")
            XCTAssertEqual(outside.stderr.replacingOccurrences(of: "E1", with: "E999"), madeUp.stderr, "\(args)")
            XCTAssertEqual(outside.status, madeUp.status)
        }
        // A manager's show names their reports only, in every format.
        let table = try c.run("E3", ["show", "2026-Q4"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("E4"), table.stdout)
        XCTAssertFalse(table.stdout.contains("Ada Boss") || table.stdout.contains("Dora Peer") || table.stdout.contains("Hana HR"), table.stdout)
    }
}
