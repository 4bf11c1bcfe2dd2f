import Foundation
import GRDB
import MeritInput
import MeritTestSupport
import XCTest

/// Pay safety (issue 17, docs/workspace.md): what a review shows is what it stores and pays, looking never writes,
/// and a review is paid only when it is meant to be — not preliminary, not of a period the workspace does not pay,
/// not overlapping another paid review, not stale. Through the real binary on the demo company.
final class PaySafetyCommandTests: XCTestCase {
    static let rubrics = WorkspaceCommandTests.rubrics

    /// A workspace with the demo company's data imported, at `now` (MERIT_TEST_NOW, honoured by debug builds only).
    func demoWorkspace() throws -> URL {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        try merit(["init", ws.path, "--rubrics", Self.rubrics])
        for d in WorkspaceCommandTests.datasets {
            try merit(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
        }
        return ws
    }

    func auditCount(_ ws: URL) throws -> Int {
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? -1 }
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    /// The rows of a sheet as texts (numbers as Swift prints them, empty cells as "").
    func texts(_ path: String, _ sheet: String) throws -> [[String]] {
        try XLSXWorkbookReader(path: path).rows(inSheet: sheet).map { row in
            (0..<((row.cells.last?.column ?? -1) + 1)).map { c -> String in
                switch row.value(at: c) {
                case .text(let s)?: return s
                case .number(let x)?: return String(x)
                default: return ""
                }
            }
        }
    }

    /// The Summary sheet's notices as one text: each is written in lines of at most 70 characters, the first labelled.
    func notices(_ book: String) throws -> String {
        let rows = try texts(book, "Summary")
        guard let first = rows.firstIndex(where: { $0.first == "Notice" }) else { return "" }
        let lines = rows[first...].prefix { $0.first == "Notice" || ($0.first == "" && $0.count > 1 && !$0[1].isEmpty) }
        XCTAssertTrue(lines.allSatisfy { $0[1].count <= 70 }, "\(lines)")
        return lines.map { $0[1] }.joined(separator: " ")
    }

    func employees(_ document: [String: Any]) -> [[String: Any]] { document["employees"] as? [[String: Any]] ?? [] }

    // MARK: shown = stored

    func testShowAndReviewPrintTheStoredAdjustedReviewAndLookingWritesNothing() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        let before = try json(try merit(["show", "2026-Q3", "--format", "json"], in: ws).stdout)
        let cs = try XCTUnwrap(before.first { ($0["rubric"] as? [String: Any])?["id"] as? String == "customer-service" })
        let target = try XCTUnwrap(employees(cs).first { $0["band"] as? String == "D" || $0["band"] as? String == "C" })
        let id = target["employee_id"] as! String
        let computedBand = target["band"] as! String
        try merit(["adjust", "2026-Q3", id, "--band", "A", "--reason", "Covered two territories"], in: ws)

        // Every view shows the stored draft: the official band and bonus, the computed one beside it.
        for args in [["show", "2026-Q3", "--format", "json"], ["review", "2026-Q3", "--format", "json"]] {
            let docs = try json(try merit(args, in: ws).stdout)
            XCTAssertEqual(docs.count, 3, "one document per rubric, in one JSON array")
            let row = try XCTUnwrap(docs.flatMap(employees).first { $0["employee_id"] as? String == id })
            XCTAssertEqual(row["band"] as? String, "A")
            XCTAssertEqual((row["computed"] as? [String: Any])?["band"] as? String, computedBand)
            XCTAssertEqual((row["adjustment"] as? [String: Any])?["reason"] as? String, "Covered two territories")
            XCTAssertNotEqual(row["bonus"] as? String, (row["computed"] as? [String: Any])?["bonus"] as? String)
        }
        let table = try merit(["show", "2026-Q3", "--rubric", "customer-service"], in: ws).stdout
        let line = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix(id) })
        XCTAssertTrue(line.contains("A* (\(computedBand))"), String(line))
        XCTAssertTrue(table.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(": Covered two territories"), table)
        XCTAssertTrue(table.contains("Bands: A "), table)
        assertFitsEightyColumns(table)
        let employeesTable = try merit(["review", "2026-Q3", "--employees"], in: ws).stdout
        XCTAssertTrue(employeesTable.contains("A* (\(computedBand))"), employeesTable)

        // The band totals count the adjusted band.
        let aCount = Int(table.components(separatedBy: "Bands: A ")[1].prefix { $0.isNumber })!
        let docs = try json(try merit(["show", "2026-Q3", "--format", "json", "--rubric", "customer-service"], in: ws).stdout)
        XCTAssertEqual(aCount, employees(docs[0]).filter { $0["band"] as? String == "A" }.count)

        // Looking never writes: show, and a review with nothing changed, leave the audit log as it was.
        let audit = try auditCount(ws)
        for _ in 0..<3 {
            try merit(["show", "2026-Q3"], in: ws)
            let again = try merit(["review", "2026-Q3"], in: ws).stdout
            XCTAssertTrue(again.contains("is up to date") && again.contains("nothing was written"), again)
        }
        XCTAssertEqual(try auditCount(ws), audit)
    }

    func testJSONLinesPrintsOneParsableDocumentPerRubric() throws {
        let ws = try demoWorkspace()
        let out = try merit(["review", "2026-Q3", "--format", "jsonl"], in: ws)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        for line in lines {
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual((doc["review"] as? [String: Any])?["period"] as? String, "2026-Q3")
        }
        XCTAssertTrue(out.stderr.contains("Review of 2026-Q3"), "the summary for people goes to standard error")
    }

    // MARK: paid when it should not be

    func testAReviewBeforeThePeriodEndsIsPreliminaryAndCannotBeFinalized() throws {
        let ws = try demoWorkspace()
        let during = ["MERIT_TEST_NOW": "2026-09-15T12:00:00.000Z"]
        let after = ["MERIT_TEST_NOW": "2026-10-02T09:00:00.000Z"]
        let first = try merit(["review", "2026-Q3"], in: ws, environment: during).stdout
        XCTAssertTrue(first.contains("(preliminary draft)") && first.contains("PRELIMINARY"), first)
        let docs = try json(try merit(["show", "2026-Q3", "--format", "json"], in: ws, environment: during).stdout)
        XCTAssertEqual((docs[0]["review"] as? [String: Any])?["preliminary"] as? Bool, true)
        let refused = try merit(["finalize", "2026-Q3"], in: ws, environment: during, status: 65)
        XCTAssertTrue(refused.stderr.contains("preliminary") && refused.stderr.contains("2026-09-30"), refused.stderr)
        // Still preliminary after the period ended: it was computed before; the review must run again.
        let stale = try merit(["finalize", "2026-Q3"], in: ws, environment: after, status: 65)
        XCTAssertTrue(stale.stderr.contains("merit review 2026-Q3"), stale.stderr)

        // The workbook says so on Summary and beside the Bonus table.
        let book = ws.appendingPathComponent("prelim.xlsx").path
        try merit(["export", "2026-Q3", "--out", book, "--rubric", "customer-service"], in: ws, environment: during)
        XCTAssertTrue(try texts(book, "Summary").contains { $0.first == "Notice" && $0[1].hasPrefix("PRELIMINARY") })
        XCTAssertTrue(try texts(book, "Bonus")[0].contains { $0.hasPrefix("PRELIMINARY") })
        XCTAssertEqual(Array(try texts(book, "Bonus")[0].prefix(10)).last, "Bonus Amount", "the import contract's columns stay as they are")

        // After the period: no longer a no-op, computed again, final.
        let second = try merit(["review", "2026-Q3"], in: ws, environment: after).stdout
        XCTAssertFalse(second.contains("PRELIMINARY") || second.contains("up to date"), second)
        try merit(["finalize", "2026-Q3"], in: ws, environment: after)
    }

    func testADatasetWithNoRecordInThePeriodIsWarnedAbout() throws {
        let ws = try demoWorkspace()
        let docs = try json(try merit(["review", "2027-Q1", "--format", "json"], in: ws).stdout)
        let cs = try XCTUnwrap(docs.first { ($0["rubric"] as? [String: Any])?["id"] as? String == "customer-service" })
        let messages = (cs["warnings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(messages.contains { $0.hasPrefix("no surveys record counts in 2027-Q1") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("no complaints record counts in 2027-Q1") }, "\(messages)")
        // A period with data has no such warning.
        let q3 = try json(try merit(["review", "2026-Q3", "--format", "json"], in: ws).stdout)
        XCTAssertFalse(
            q3.flatMap { $0["warnings"] as? [[String: Any]] ?? [] }.contains { ($0["message"] as? String)?.contains("record counts in") == true })
    }

    func testReviewsOfAnotherCadencePayNoBonusAndPaidReviewsMayNotOverlap() throws {
        let ws = try demoWorkspace()
        let config = ws.appendingPathComponent("merit.yaml")
        XCTAssertTrue(try String(contentsOf: config, encoding: .utf8).contains("bonus_period: quarter"), "merit init writes the default")
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)

        // A month in a quarterly workspace: rated, no bonus, and the workbook says why.
        let month = try merit(["review", "2026-09"], in: ws).stdout
        XCTAssertTrue(month.contains("NO BONUS"), month)
        let docs = try json(try merit(["show", "2026-09", "--format", "json"], in: ws).stdout)
        let all = docs.flatMap(employees)
        XCTAssertTrue(all.contains { $0["band"] is String }, "people are still rated")
        XCTAssertTrue(all.allSatisfy { $0["bonus"] is NSNull }, "no bonus is paid")
        let book = ws.appendingPathComponent("month.xlsx").path
        try merit(["export", "2026-09", "--out", book, "--rubric", "customer-service"], in: ws)
        let bonus = try texts(book, "Bonus")
        let amount = try XCTUnwrap(bonus[0].firstIndex(of: "Bonus Amount"))
        XCTAssertTrue(bonus.dropFirst().allSatisfy { $0.count <= amount || $0[amount].isEmpty })
        XCTAssertTrue(try texts(book, "Summary").contains { $0.first == "Notice" && $0[1].contains("per quarter") })
        try merit(["finalize", "2026-09"], in: ws)

        // A half-year paid over a finalized paid quarter is refused, naming it.
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "bonus_period: quarter", with: "bonus_period: half")
            .write(to: config, atomically: true, encoding: .utf8)
        let later = ["MERIT_TEST_NOW": "2027-01-05T09:00:00.000Z"]
        try merit(["review", "2026-H2"], in: ws, environment: later)
        let refused = try merit(["finalize", "2026-H2"], in: ws, environment: later, status: 65)
        XCTAssertTrue(refused.stderr.contains("2026-Q3 (version 1"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("2026-09"), "the unpaid month overlaps nothing paid: \(refused.stderr)")
        // A bad cadence is refused by name.
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "bonus_period: half", with: "bonus_period: weekly")
            .write(to: config, atomically: true, encoding: .utf8)
        let bad = try merit(["review", "2026-Q4"], in: ws, status: 65)
        XCTAssertTrue(bad.stderr.contains("bonus_period must be one of year, half, quarter, month"), bad.stderr)
    }

    func testFinalizeRefusesADraftWhoseInputsChangedSinceItWasComputed() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        // Two surveys arrive after the review.
        let late = ws.appendingPathComponent("late-surveys.csv")
        try """
        employee_id,responded_at,score,recommend,dimension,customer_id,response_id
        E00042,2026-09-20T10:00:00Z,1,0,attitude,C9999001,R900000001
        E00042,2026-09-21T10:00:00Z,1,0,attitude,C9999002,R900000002

        """.write(to: late, atomically: true, encoding: .utf8)
        try merit(["import", "surveys", late.path], in: ws)
        let refused = try merit(["finalize", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("surveys imported again"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Run merit review 2026-Q3 first"), refused.stderr)
        let rerun = try merit(["review", "2026-Q3"], in: ws).stdout
        XCTAssertFalse(rerun.contains("up to date"), rerun)
        try merit(["finalize", "2026-Q3"], in: ws)
    }

    func testDiscardDropsADraftButNeverAFinalReview() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        let final = try merit(["discard", "2026-Q3", "--reason", "oops"], in: ws, status: 65)
        XCTAssertTrue(final.stderr.contains("never discarded"), final.stderr)
        try merit(["discard", "2026-Q3"], in: ws, status: 64)

        // An amendment draft, discarded: the finalized version is the period's review again.
        try merit(["amend", "2026-Q3", "--reason", "check"], in: ws)
        let gone = try merit(["discard", "2026-Q3", "--reason", "amended by mistake"], in: ws).stdout
        XCTAssertTrue(gone.contains("version 2") && gone.contains("now version 1 (final)"), gone)
        let docs = try json(try merit(["show", "2026-Q3", "--format", "json"], in: ws).stdout)
        XCTAssertEqual((docs[0]["review"] as? [String: Any])?["version"] as? Int, 1)

        // A mistaken monthly draft leaves history and views; the audit log says what it was and why it went.
        try merit(["review", "2026-09"], in: ws)
        try merit(["discard", "2026-09", "--reason", "Monthly review run by mistake"], in: ws)
        try merit(["show", "2026-09"], in: ws, status: 66)
        let history = try json(try merit(["history", "--format", "json"], in: ws).stdout)
        XCTAssertFalse(history.contains { $0["period"] as? String == "2026-09" })
        let audit = try json(try merit(["audit", "--format", "json"], in: ws).stdout)
        let entry = try XCTUnwrap(audit.last { $0["action"] as? String == "discard" })
        XCTAssertEqual(entry["reason"] as? String, "Monthly review run by mistake")
        XCTAssertTrue((entry["old"] as? String)?.contains(" results, 0 adjustments") == true, "\(entry)")
    }

    func testARubricChangedWithoutANewVersionIsWarnedAbout() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q2"], in: ws)
        let rubric = ws.appendingPathComponent("rubrics/customer-service.yaml")
        try (try String(contentsOf: rubric, encoding: .utf8) + "\n# edited without a new version\n").write(
            to: rubric, atomically: true, encoding: .utf8)
        let out = try merit(["review", "2026-Q3"], in: ws).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(out.contains("rubric customer-service v1 (sha256"), out)
        XCTAssertTrue(out.contains("is not the customer-service v1 the review of 2026-Q2 version 1 used"), out)
        let book = ws.appendingPathComponent("q3.xlsx").path
        try merit(["export", "2026-Q3", "--out", book, "--rubric", "customer-service"], in: ws)
        let notices = try notices(book)
        XCTAssertTrue(notices.contains("without a new version"), notices)
        // Another rubric, unchanged, is not named.
        XCTAssertFalse(out.contains("rubric sales-rep v1 (sha256"), out)
    }

    // MARK: a quarter, end to end

    /// A quarter as HR, a manager and the data would walk it (issue 17, "How it is checked"): a preliminary review
    /// refused at finalize, the review after the period, a pool-mode adjustment that moves colleagues' bonuses, a late
    /// import that makes finalize refuse until the review runs again, a mistaken second draft discarded, a workbook
    /// per rubric whose Audit sheet holds only its own people, and history — every JSON output read by a standard
    /// parser.
    func testAQuarterWalkedThrough() throws {
        let during = ["MERIT_TEST_NOW": "2026-09-20T08:00:00.000Z"]
        let after = ["MERIT_TEST_NOW": "2026-10-05T08:00:00.000Z"]
        let ws = try demoWorkspace()

        let early = try merit(["review", "2026-Q3"], in: ws, environment: during).stdout
        XCTAssertTrue(early.contains("preliminary draft"), early)
        try merit(["finalize", "2026-Q3"], in: ws, environment: during, status: 65)
        XCTAssertTrue(try merit(["history"], in: ws, environment: during).stdout.contains("prelim"))

        let review = try merit(["review", "2026-Q3"], in: ws, environment: after).stdout
        XCTAssertFalse(review.contains("preliminary"), review)
        let docs = try json(try merit(["show", "2026-Q3", "--format", "json"], in: ws, environment: after).stdout)
        func people(_ rubric: String) -> [[String: Any]] {
            employees(docs.first { ($0["rubric"] as? [String: Any])?["id"] as? String == rubric } ?? [:])
        }

        // Pool mode: one rep raised to A moves the bonuses of the rest of the team's pool, each printed with currency.
        let rep = try XCTUnwrap(people("sales-rep").first { ["C", "D"].contains($0["band"] as? String ?? "") })
        let repID = rep["employee_id"] as! String
        let pool = try merit(["adjust", "2026-Q3", repID, "--band", "A", "--reason", "Closed the largest account"], in: ws, environment: after)
            .stdout
        let currency = rep["currency"] as! String
        XCTAssertGreaterThan(pool.split(separator: "\n").filter { $0.contains("→") && $0.contains(currency) }.count, 1, pool)

        // A customer-service adjustment whose reason must stay in that rubric's workbook.
        let agent = try XCTUnwrap(people("customer-service").first { $0["band"] as? String == "C" })
        let agentID = agent["employee_id"] as! String
        try merit(
            ["adjust", "2026-Q3", agentID, "--band", "B", "--reason", "Was on parental leave for half the quarter"], in: ws, environment: after)

        // Two late surveys: finalize refuses until the review runs again.
        let late = ws.appendingPathComponent("late.csv")
        try """
        employee_id,responded_at,score,recommend,dimension,customer_id,response_id
        \(agentID),2026-09-29T10:00:00Z,5,10,attitude,C9999101,R910000001
        \(agentID),2026-09-30T10:00:00Z,5,10,attitude,C9999102,R910000002

        """.write(to: late, atomically: true, encoding: .utf8)
        try merit(["import", "surveys", late.path], in: ws, environment: after)
        let stale = try merit(["finalize", "2026-Q3"], in: ws, environment: after, status: 65)
        XCTAssertTrue(stale.stderr.contains("surveys imported again"), stale.stderr)
        try merit(["review", "2026-Q3"], in: ws, environment: after)
        try merit(["finalize", "2026-Q3"], in: ws, environment: after)

        // A second, mistaken draft (a month) is discarded.
        try merit(["review", "2026-09"], in: ws, environment: after)
        try merit(["discard", "2026-09", "--reason", "Run by mistake"], in: ws, environment: after)
        try merit(["show", "2026-09"], in: ws, environment: after, status: 66)

        // A workbook per rubric; each Audit sheet holds only its own people's entries.
        let out = ws.appendingPathComponent("q3.xlsx").path
        try merit(["export", "2026-Q3", "--out", out], in: ws, environment: after)
        func auditText(_ rubric: String) throws -> String {
            try texts(String(out.dropLast(5)) + "-\(rubric).xlsx", "Audit").map { $0.joined(separator: "|") }.joined(separator: "\n")
        }
        XCTAssertTrue(try auditText("customer-service").contains("parental leave"))
        XCTAssertFalse(try auditText("sales-rep").contains("parental leave"))
        XCTAssertFalse(try auditText("account-manager").contains("parental leave"))
        XCTAssertTrue(try auditText("sales-rep").contains("Closed the largest account"))

        // Every JSON output parses; history shows the adjusted, finalized bands.
        let history = try json(try merit(["history", "--format", "json"], in: ws, environment: after).stdout)
        let agentQ3 = try XCTUnwrap(history.first { $0["employee_id"] as? String == agentID && $0["period"] as? String == "2026-Q3" })
        XCTAssertEqual(agentQ3["band"] as? String, "B")
        XCTAssertEqual(agentQ3["status"] as? String, "final")
        _ = try json(try merit(["audit", "--format", "json"], in: ws, environment: after).stdout)
        let final = try json(try merit(["show", "2026-Q3", "--format", "json"], in: ws, environment: after).stdout)
        XCTAssertEqual((final[0]["review"] as? [String: Any])?["status"] as? String, "final")
    }

    // MARK: what the independent review found

    func sqlite(_ ws: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        defer { try? queue.close() }
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// An amendment is computed under the cadence of the review it amends: the amend → adjust → finalize flow works,
    /// and an amended unpaid month still pays nothing.
    func testAnAmendmentKeepsTheCadenceOfTheReviewItAmends() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        let amend = try merit(["amend", "2026-Q3", "--reason", "Recheck"], in: ws).stdout
        XCTAssertTrue(amend.contains("version 2: draft amending version 1"), amend)
        try merit(["adjust", "2026-Q3", "E00005", "--band", "A", "--reason", "Covered a colleague"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)

        try merit(["review", "2026-09"], in: ws)
        try merit(["finalize", "2026-09"], in: ws)
        try merit(["amend", "2026-09", "--reason", "Recheck"], in: ws)
        let docs = try json(try merit(["show", "2026-09", "--format", "json"], in: ws).stdout)
        XCTAssertEqual((docs[0]["review"] as? [String: Any])?["pays_bonus"] as? Bool, false)
        try merit(["verify", "2026-09"], in: ws)
    }

    /// A band override written round Merit (no `adjust` audit entry) is never finalized, even recomputed.
    func testAnAdjustmentWithoutItsAuditEntryIsNeverFinalized() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try sqlite(
            ws,
            "INSERT INTO adjustments VALUES ((SELECT max(id) FROM reviews), 'E00009', 'A', 'Approved by director', '2026-10-01T00:00:00.000Z', 'maria', NULL)"
        )
        try merit(["review", "2026-Q3", "--force"], in: ws)
        let refused = try merit(["finalize", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("E00009: band A") && refused.stderr.contains("no record"), refused.stderr)
        // Made through merit adjust, it is logged, and finalizes.
        try merit(["adjust", "2026-Q3", "E00009", "--band", "A", "--reason", "Approved by the director"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
    }

    /// A discarded draft's version number is not given again, and its audit entry names no employee (it is on every
    /// rubric's Audit sheet).
    func testADiscardedVersionNumberIsNotReusedAndItsEntryNamesNobody() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["adjust", "2026-Q3", "E00005", "--band", "A", "--reason", "x"], in: ws)
        try merit(["discard", "2026-Q3", "--reason", "Wrong data"], in: ws)
        let again = try merit(["review", "2026-Q3"], in: ws).stdout
        XCTAssertTrue(again.contains("version 2"), again)
        let audit = try json(try merit(["audit", "--format", "json"], in: ws).stdout)
        let discard = try XCTUnwrap(audit.last { $0["action"] as? String == "discard" })
        XCTAssertFalse((discard["old"] as? String ?? "").contains("E00005"), "\(discard)")
        XCTAssertTrue((discard["old"] as? String ?? "").contains("1 adjustment"), "\(discard)")
    }

    /// `merit audit --verify --format json` is one JSON value; a row of the wrong type is read, not trapped on.
    func testAuditReadsAnyRowAndVerifiesAsJSON() throws {
        let ws = try demoWorkspace()
        let verdict = try merit(["audit", "--verify", "--format", "json"], in: ws).stdout
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(verdict.utf8)) as? [String: Any], verdict)
        XCTAssertEqual(object["intact"] as? Bool, true)
        try sqlite(
            ws,
            "INSERT INTO audit_log (at, by, action, period, review_version) VALUES ('2026-10-01T00:00:00.000Z', 'x', 'review', '2026-Q3', 'one')")
        XCTAssertTrue(try merit(["audit"], in: ws).stdout.contains("review 2026-Q3"))
        let broken = try merit(["audit", "--verify", "--format", "json"], in: ws, status: 65).stdout
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(broken.utf8)) as? [String: Any])?["intact"] as? Bool, false)
    }

    /// The seal of a finalized review covers the cadence it was paid under.
    func testTheSealCoversTheBonusCadence() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        try sqlite(
            ws,
            """
            DROP TRIGGER final_review_frozen;
            UPDATE reviews SET bonus_period = 'month' WHERE period = '2026-Q3';
            CREATE TRIGGER final_review_frozen BEFORE UPDATE ON reviews WHEN OLD.status = 'final'
            BEGIN SELECT RAISE(ABORT, 'a finalized review cannot change'); END;
            """)
        let broken = try merit(["audit", "--verify"], in: ws, status: 65)
        XCTAssertTrue(broken.stderr.contains("2026-Q3"), broken.stderr)
    }

    /// The chain head is handed out where people keep things: by finalize and on every workbook's Summary.
    func testFinalizeAndTheWorkbookHandOutTheChainHead() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        let finalized = try merit(["finalize", "2026-Q3"], in: ws).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(finalized.contains("Audit log head: entry "), finalized)
        let book = ws.appendingPathComponent("q3.xlsx").path
        try merit(["export", "2026-Q3", "--out", book, "--rubric", "sales-rep"], in: ws)
        let head = try XCTUnwrap(try texts(book, "Summary").first { $0.first == "Audit log head" }?[1])
        XCTAssertTrue(head.hasPrefix("entry ") && head.contains("sha256 "), head)
    }

    /// `--diff` names what merit.yaml changed, and long warnings wrap at 80 columns.
    func testDiffNamesSettingChangesAndWarningsWrap() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        let config = ws.appendingPathComponent("merit.yaml")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "time_zone: \"UTC\"", with: "time_zone: \"+08:00\"")
            .write(to: config, atomically: true, encoding: .utf8)
        let diff = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        XCTAssertTrue(diff.contains("settings: merit.yaml's time_zone changed"), diff)
        assertFitsEightyColumns(try merit(["review", "2026-Q3", "--diff", "--force"], in: ws).stdout)
        try merit(["review", "2026-09"], in: ws)
        assertFitsEightyColumns(try merit(["show", "2026-09"], in: ws).stdout)
    }

    /// Only audit entries of the version and the versions it amends vouch for its band overrides: an entry about a
    /// discarded draft neither covers a row written round Merit nor stands against an adjustment an amendment carried.
    func testOnlyTheVersionsLineageVouchesForItsAdjustments() throws {
        let ws = try demoWorkspace()
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["adjust", "2026-Q3", "E00005", "--band", "A", "--reason", "Covered a colleague"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        // A correction tried and discarded, then a new amendment: E00005's band A, logged on version 1, still stands.
        try merit(["amend", "2026-Q3", "--reason", "try"], in: ws)
        try merit(["adjust", "2026-Q3", "E00005", "--band", "B", "--reason", "try B"], in: ws)
        try merit(["adjust", "2026-Q3", "E00006", "--band", "A", "--reason", "considered, then dropped"], in: ws)
        try merit(["discard", "2026-Q3", "--reason", "not needed"], in: ws)
        try merit(["amend", "2026-Q3", "--reason", "unrelated fix"], in: ws)
        // E00006's band A, adjusted only on the discarded draft, written into the new one round Merit, is refused.
        try sqlite(
            ws,
            "INSERT INTO adjustments VALUES ((SELECT id FROM reviews WHERE status = 'draft'), 'E00006', 'A', 'x', '2026-10-23T09:00:00.000Z', 'mallory', NULL)"
        )
        try merit(["review", "2026-Q3", "--force"], in: ws)
        let refused = try merit(["finalize", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("E00006: band A") && !refused.stderr.contains("E00005:"), refused.stderr)
        try sqlite(ws, "DELETE FROM adjustments WHERE employee_id = 'E00006'")
        try merit(["review", "2026-Q3", "--force"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
    }

    /// A scorecard of a review that pays no bonus says why, instead of a pool share; `--diff` calls a band or bonus
    /// that an adjustment overrides the computed one.
    func testScorecardsSayWhyNoBonusAndDiffNamesComputedValues() throws {
        let ws = try demoWorkspace()
        let config = ws.appendingPathComponent("merit.yaml")
        try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "hr: []", with: "hr: [\"\(ScorecardWorkspace.me)\"]")
            .write(to: config, atomically: true, encoding: .utf8)
        try merit(["review", "2026-09"], in: ws)
        try merit(["finalize", "2026-09"], in: ws)
        let card = try merit(["scorecard", "E00110", "--period", "2026-09"], in: ws).stdout.split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
        XCTAssertTrue(card.contains("No bonus: this workspace pays bonuses per quarter"), card)
        XCTAssertFalse(card.contains("share of"), card)
        let cardJSON = try merit(["scorecard", "E00110", "--period", "2026-09", "--format", "json"], in: ws).stdout
        let official = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(cardJSON.utf8)) as? [String: Any])?["official"] as? [String: Any])
        XCTAssertTrue((official["note"] as? String)?.contains("pays no bonus") == true, "\(official)")

        // The computed band moves under an adjustment that stays: the diff says which band it is.
        try merit(["review", "2026-Q3"], in: ws)
        let docs = try json(try merit(["show", "2026-Q3", "--format", "json", "--rubric", "customer-service"], in: ws).stdout)
        let someone = try XCTUnwrap(employees(docs[0]).first { $0["band"] as? String == "C" })["employee_id"] as! String
        try merit(["adjust", "2026-Q3", someone, "--band", "A", "--reason", "Mentored two new agents"], in: ws)
        // Bands A, B and C out of reach: the computed C falls to D (the override to A stays).
        let rubric = ws.appendingPathComponent("rubrics/customer-service.yaml")
        try String(contentsOf: rubric, encoding: .utf8)
            .replacingOccurrences(of: "{id: C, name: Meets,             min: 55,", with: "{id: C, name: Meets,             min: 99,")
            .replacingOccurrences(of: "{id: B, name: Exceeds,           min: 70,", with: "{id: B, name: Exceeds,           min: 99.5,")
            .replacingOccurrences(of: "{id: A, name: Outstanding,       min: 85,", with: "{id: A, name: Outstanding,       min: 99.9,")
            .replacingOccurrences(of: "\nversion: 1", with: "\nversion: 2")
            .write(to: rubric, atomically: true, encoding: .utf8)
        let diff = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        let line = try XCTUnwrap(diff.split(separator: "\n").first { $0.hasPrefix("  \(someone) ") }, diff)
        XCTAssertTrue(line.contains("computed band C → ") && line.contains("(adjusted to A, which stays)"), String(line))
    }
}
