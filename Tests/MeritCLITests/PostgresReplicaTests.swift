import Foundation
import MeritTestSupport
import XCTest

/// Several `merit serve` replicas on one PostgreSQL store are one system (docs/postgresql.md "Several servers"):
/// whatever one replica (or a local command in another workspace directory) writes, every other replica answers from
/// on its very next request — tokens, revocations, adjustments, finalizations — and writers through different
/// replicas at the same moment neither lose an update nor show the user a deadlock or serialization error.
/// Real processes throughout: two workspace directories made by `merit init --store`, two `merit serve` on loopback,
/// the real client with `--server` and `--token-file`.
final class PostgresReplicaTests: XCTestCase {
    typealias Company = PostgresCompany

    /// The employees' adjustments in a review JSON (`merit show --format json`): employee id → band (nil: none).
    static func adjustments(_ json: String) throws -> [String: String?] {
        let documents = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], json)
        var out: [String: String?] = [:]
        for d in documents {
            for e in d["employees"] as? [[String: Any]] ?? [] {
                guard let id = e["employee_id"] as? String else { continue }
                out[id] = (e["adjustment"] as? [String: Any])?["band"] as? String
            }
        }
        return out
    }

    /// The employees' computed bands in a review JSON: employee id → band.
    static func computedBands(_ json: String) throws -> [String: String] {
        let documents = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], json)
        var out: [String: String] = [:]
        for d in documents {
            for e in d["employees"] as? [[String: Any]] ?? [] {
                if let id = e["employee_id"] as? String, let band = (e["computed"] as? [String: Any])?["band"] as? String { out[id] = band }
            }
        }
        return out
    }

    /// `merit audit --verify --format json` run locally in `workspace`: the chain is intact; its number of entries.
    @discardableResult
    static func assertAuditIntact(_ company: Company, replica: Int = 0, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let r = try MeritProcess.run(["audit", "--verify", "--format", "json"], in: company.replicas[replica], environment: Company.environment)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr, file: file, line: line)
        let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(report?["intact"] as? Bool, true, r.stdout, file: file, line: line)
        return report?["entries"] as? Int ?? -1
    }

    func testTwoReplicasAnswerFromOneStore() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let c = try Company.make(db)
        let hr = try c.tokenFile("E6"), admin = try c.tokenFile("E1"), manager = try c.tokenFile("E2"), e4 = try c.tokenFile("E4")
        let a = try Company.serve(c.replicas[0])
        defer { a.stop() }
        let b = try Company.serve(c.replicas[1])
        defer { b.stop() }

        // One finalized scorecard, the same bytes through either replica and locally in either workspace.
        let viaA = try Company.remote(["scorecard", "--format", "json"], server: a.url, tokenFile: e4)
        let viaB = try Company.remote(["scorecard", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertEqual(viaA.status, 0, viaA.stderr)
        XCTAssertEqual(viaB.status, 0, viaB.stderr)
        XCTAssertTrue(viaA.stdout.contains("\"employee_id\" : \"E4\""), viaA.stdout)
        XCTAssertEqual(viaA.stdout, viaB.stdout)

        // A token granted through A is good on B at once …
        let granted = try Company.remote(["access", "grant", "E5"], server: a.url, tokenFile: hr)
        XCTAssertEqual(granted.status, 0, granted.stderr)
        XCTAssertTrue(granted.stderr.hasPrefix("merit: token ") && granted.stderr.contains(" for E5, expires "), granted.stderr)
        let token = granted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(token.hasPrefix("mrt_") && !token.contains("\n"), granted.stdout)
        XCTAssertEqual(httpGet(b.url + "/v1/scorecards/me", token: token).status, 200)
        let e5 = try c.save(token, as: "E5")
        let own = try Company.remote(["scorecard", "--format", "json"], server: b.url, tokenFile: e5)
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertTrue(own.stdout.contains("\"employee_id\" : \"E5\""), own.stdout)

        // … and, revoked through A, refused by B on the very next request (no replica keeps a copy of a token).
        let revoked = try Company.remote(["access", "revoke", "E5"], server: a.url, tokenFile: hr)
        XCTAssertEqual(revoked.status, 0, revoked.stderr)
        XCTAssertTrue(revoked.stdout.hasPrefix("Revoked 1 token of E5"), revoked.stdout)
        XCTAssertEqual(httpGet(b.url + "/v1/scorecards/me", token: token).status, 401)
        let refused = try Company.remote(["scorecard"], server: b.url, tokenFile: e5)
        XCTAssertEqual(refused.status, 77, refused.stdout + refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(httpGet(a.url + "/v1/scorecards/me", token: token).status, 401)

        // An adjustment of the draft through B is in the draft A shows on the next request, and in either workspace.
        let before = try Company.remote(["show", "2026-Q4", "--format", "json"], server: a.url, tokenFile: hr)
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(try Self.adjustments(before.stdout)["E4"], .some(nil), "no adjustment of E4 yet")
        let adjusted = try Company.remote(
            ["adjust", "2026-Q4", "E4", "--band", "A", "--reason", "Covered for the whole team in December"], server: b.url, tokenFile: manager)
        XCTAssertEqual(adjusted.status, 0, adjusted.stderr)
        XCTAssertEqual(adjusted.stderr, "")
        let shown = try Company.remote(["show", "2026-Q4", "--format", "json"], server: a.url, tokenFile: hr)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(try Self.adjustments(shown.stdout)["E4"], "A")
        XCTAssertEqual(shown.stdout, try c.local(["show", "2026-Q4", "--format", "json"], replica: 1).stdout, "A's answer is B's store")
        XCTAssertEqual(shown.stdout, try c.local(["show", "2026-Q4", "--format", "json"], replica: 0).stdout)
        let draft = try Company.remote(["scorecard", "E4", "--draft", "--period", "2026-Q4"], server: a.url, tokenFile: manager)
        XCTAssertEqual(draft.status, 0, draft.stderr)
        XCTAssertTrue(draft.stdout.contains("DRAFT: a draft (version 1), not final"), draft.stdout)
        XCTAssertTrue(draft.stdout.contains("Covered for the whole team in December"), draft.stdout)

        // Finalized through A: B serves the 2026-Q4 scorecard at once (it refused it while it was a draft).
        let notYet = try Company.remote(["scorecard", "--period", "2026-Q4", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertNotEqual(notYet.status, 0, notYet.stdout)
        let finalized = try Company.remote(["finalize", "2026-Q4"], server: a.url, tokenFile: admin)
        XCTAssertEqual(finalized.status, 0, finalized.stderr)
        let q4B = try Company.remote(["scorecard", "--period", "2026-Q4", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertEqual(q4B.status, 0, q4B.stderr)
        XCTAssertTrue(q4B.stdout.contains("\"period\" : \"2026-Q4\""), q4B.stdout)
        XCTAssertTrue(q4B.stdout.contains("Covered for the whole team in December"), q4B.stdout)
        let q4A = try Company.remote(["scorecard", "--period", "2026-Q4", "--format", "json"], server: a.url, tokenFile: e4)
        XCTAssertEqual(q4A.stdout, q4B.stdout)
        // The latest finalized scorecard (no --period) moved on to 2026-Q4 on B as well.
        let latest = try Company.remote(["scorecard", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertEqual(latest.stdout, q4B.stdout)
        // A second finalize, through B, is refused: there is one truth about what is final.
        let again = try Company.remote(["finalize", "2026-Q4"], server: b.url, tokenFile: admin)
        XCTAssertNotEqual(again.status, 0, again.stdout)

        try Self.assertAuditIntact(c, replica: 1)
    }

    /// Three people adjust different employees of one draft at the same moment through both replicas, round after
    /// round: every adjustment lands, none waits for ever, and no user sees a database error.
    func testConcurrentAdjustmentsThroughBothReplicasAllLand() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let c = try Company.make(db)
        let hr = try c.tokenFile("E6"), admin = try c.tokenFile("E1"), manager = try c.tokenFile("E2")
        let a = try Company.serve(c.replicas[0])
        defer { a.stop() }
        let b = try Company.serve(c.replicas[1])
        defer { b.stop() }
        let entries = try Self.assertAuditIntact(c)
        // An adjustment to the computed band removes the adjustment (docs/workspace.md): expected as none.
        let computed = try Self.computedBands(try c.local(["show", "2026-Q4", "--format", "json"]).stdout)
        XCTAssertEqual(Set(computed.keys), ["E1", "E2", "E3", "E4", "E5", "E6"])

        let bands = ["A", "B", "C", "D"]
        let rounds = 3
        for round in 0..<rounds {
            // (who, through, employee, band): HR through A, the admin through B, E2 (manager of E3) through A and B in turn.
            let writers = [
                (hr, a.url, "E4", bands[round % 4]), (admin, b.url, "E5", bands[(round + 1) % 4]),
                (manager, round % 2 == 0 ? b.url : a.url, "E3", bands[(round + 2) % 4]),
            ]
            let running = try writers.map { token, server, employee, band in
                try RunningMerit(
                    ["adjust", "2026-Q4", employee, "--band", band, "--reason", "Round \(round)", "--server", server, "--token-file", token],
                    in: c.root, environment: Company.environment.merging(["MERIT_TOKEN": ""]) { x, _ in x })
            }
            for (r, w) in zip(running.map { $0.wait() }, writers) {
                XCTAssertEqual(r.status, 0, "round \(round), \(w.2): \(r.stderr)")
                XCTAssertEqual(r.stderr, "", "round \(round), \(w.2)")
            }
            // Every one landed (no lost update), seen through either replica.
            var expected: [String: String?] = [:]
            for w in writers { expected[w.2] = computed[w.2] == w.3 ? .some(nil) : w.3 }
            for server in [a.url, b.url] {
                let shown = try Company.remote(["show", "2026-Q4", "--format", "json"], server: server, tokenFile: hr)
                XCTAssertEqual(shown.status, 0, shown.stderr)
                let got = try Self.adjustments(shown.stdout)
                for (employee, band) in expected { XCTAssertEqual(got[employee], band, "round \(round), \(employee) through \(server)") }
            }
        }

        // The audit log has each adjustment once, by whom it was made, and its chain is intact.
        let log = try c.local(["audit", "2026-Q4", "--format", "json"], replica: 1).stdout
        let adjusts = (try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]] ?? []).filter {
            $0["action"] as? String == "adjust"
        }
        XCTAssertEqual(adjusts.count, 3 * rounds, log)
        XCTAssertEqual(Set(adjusts.compactMap { $0["by"] as? String }), ["u6", "u1", "u2"])
        // Besides, each `show` of others' results through a server is audited (two a round).
        XCTAssertEqual(try Self.assertAuditIntact(c, replica: 1), entries + 3 * rounds + 2 * rounds)
        // Nothing is left waiting on the writer lock.
        XCTAssertEqual(try db.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'").trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }

    /// Two `merit review` of the same period started at the same moment, one in each workspace: the writer lock makes
    /// them take turns, both succeed, and the period has one draft (version 1), whether the second found it up to
    /// date or computed it again (docs/workspace.md "Re-running a review").
    func testTwoReviewsAtTheSameMomentMakeOneDraft() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let c = try Company.make(db)
        let entries = try Self.assertAuditIntact(c)

        func reviewTwiceAtOnce(_ round: String) throws -> [RunningMerit.Result] {
            let both = try c.replicas.map { ws in try RunningMerit(["review", "2026-Q4"], in: ws, environment: Company.environment) }
            let results = both.map { $0.wait() }
            for r in results {
                XCTAssertEqual(r.status, 0, "\(round): \(r.stderr)")
                XCTAssertEqual(r.stderr, "", round)
                XCTAssertTrue(r.stdout.hasPrefix("Review of 2026-Q4, version 1 (draft)"), "\(round): \(r.stdout)")
            }
            XCTAssertEqual(
                try db.query("SELECT period || ' v' || version || ' ' || status FROM reviews WHERE period = '2026-Q4'"), "2026-Q4 v1 draft\n", round)
            return results
        }

        // New 2026-Q4 surveys make the draft out of date; both reviews rerun it (or the second finds it up to date).
        var surveys = "employee_id,responded_at,score\n"
        for (i, p) in ScorecardWorkspace.people.enumerated() {
            for d in 13...20 { surveys += "\(p.id),2026-10-\(d)T10:00:00Z,\((i + d) % 5 + 1)\n" }
        }
        let file = c.root.appendingPathComponent("more-surveys.csv")
        try surveys.write(to: file, atomically: true, encoding: .utf8)
        try c.local(["import", "surveys", file.path])
        let results = try reviewTwiceAtOnce("rerun")
        let reran = results.filter { $0.stdout.contains("replacing the previous draft") }.count
        let upToDate = results.filter { $0.stdout.contains("is up to date") }.count
        XCTAssertEqual(reran + upToDate, 2, results.map(\.stdout).joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(reran, 1, "the new surveys were reviewed")
        // The audit log records each computation (an up-to-date review computes and writes nothing).
        let log = try c.local(["audit", "2026-Q4", "--format", "json"]).stdout
        let reruns = (try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]] ?? []).filter {
            $0["action"] as? String == "review-rerun"
        }
        XCTAssertEqual(reruns.count, reran, log)
        XCTAssertEqual(try Self.assertAuditIntact(c, replica: 1), entries + 1 + reran, "the import, then the reruns")

        // Either way the draft is the one a single review computes: `merit verify` recomputes it and agrees.
        let verified = try MeritProcess.run(["verify", "2026-Q4"], in: c.replicas[1], environment: Company.environment)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        let same = try MeritProcess.run(["review", "2026-Q4"], in: c.replicas[0], environment: Company.environment)
        XCTAssertTrue(same.stdout.hasPrefix("Review of 2026-Q4, version 1 (draft) is up to date"), same.stdout)
    }
}
