import Foundation
import GRDB
import MeritInput
import MeritTestSupport
import XCTest

/// Issue 17 "Pay safety", through the real binary on the demo company (docs/workspace.md "Tamper evidence"):
/// every bonus an adjustment moves is shown and logged with its currency, the store cannot be reopened by
/// INSERT OR REPLACE, tampering with the file is reported where it starts, each rubric's workbook shows only its own
/// people's audit entries, and free text has a limit.
final class AuditIntegrityCommandTests: XCTestCase {
    /// The demo company imported and its 2026-Q3 review drafted, made once; each test works on a copy.
    static let drafted: URL = {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        func run(_ args: [String]) {
            let r = try! MeritProcess.run(args, in: ws.deletingLastPathComponent())
            precondition(r.status == 0, "merit \(args.joined(separator: " ")): \(r.stderr)")
        }
        run(["init", ws.path, "--rubrics", WorkspaceCommandTests.rubrics])
        for d in WorkspaceCommandTests.datasets {
            run(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path, "--workspace", ws.path])
        }
        run(["review", "2026-Q3", "--workspace", ws.path])
        return ws
    }()

    /// `drafted`, with a customer-service employee adjusted ("Was on parental leave"), then finalized.
    static let finalized: (ws: URL, employee: String) = {
        let ws = copy(drafted)
        let employee = customerServiceEmployee(ws)
        for args in [
            ["adjust", "2026-Q3", employee, "--band", "A", "--reason", "Was on parental leave"], ["finalize", "2026-Q3"],
        ] {
            let r = try! MeritProcess.run(args + ["--workspace", ws.path])
            precondition(r.status == 0, "merit \(args.joined(separator: " ")): \(r.stderr)")
        }
        return (ws, employee)
    }()

    static func copy(_ ws: URL) -> URL {
        let dest = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        try! FileManager.default.copyItem(at: ws, to: dest)
        return dest
    }

    static func history(_ ws: URL) -> [[String: Any]] {
        let r = try! MeritProcess.run(["history", "--format", "json", "--workspace", ws.path])
        precondition(r.status == 0, r.stderr)
        return try! JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
    }

    /// A rated customer-service employee in band B or C.
    static func customerServiceEmployee(_ ws: URL) -> String {
        history(ws).first {
            $0["period"] as? String == "2026-Q3" && $0["rubric"] as? String == "customer-service"
                && ["B", "C"].contains($0["band"] as? String ?? "")
        }!["employee_id"] as! String
    }

    func audit(_ ws: URL) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(try merit(["audit", "--format", "json"], in: ws).stdout.utf8)) as! [[String: Any]]
    }

    /// Raw SQL on the workspace's file, as anyone holding it could run (SQLite's defaults, none of Merit's setup).
    func raw(_ ws: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        defer { try? queue.close() }
        try queue.write { db in try db.execute(sql: sql) }
    }

    /// `1,050.00` from `1050.00`.
    func grouped(_ amount: String) -> String {
        let negative = amount.hasPrefix("-")
        let body = negative ? String(amount.dropFirst()) : amount
        let parts = body.split(separator: ".", maxSplits: 1)
        let digits = String(parts[0])
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    // MARK: pool mode

    /// In pool mode an adjusted band moves every colleague's share of the pool: each is printed (old → new, with
    /// the currency) and gets an audit entry of its own; the adjusted person's entry carries the currency too.
    func testAdjustInPoolModeShowsAndLogsEveryBonusItMoves() throws {
        let ws = Self.copy(Self.drafted)
        func reps() -> [String: [String: Any]] {
            var out: [String: [String: Any]] = [:]
            for e in Self.history(ws) where e["rubric"] as? String == "sales-rep" && e["period"] as? String == "2026-Q3" {
                out[e["employee_id"] as! String] = e
            }
            return out
        }
        let before = reps()
        let target = try XCTUnwrap(
            before.values.sorted { ($0["employee_id"] as! String) < ($1["employee_id"] as! String) }.first {
                ($0["band"] as? String) != "A" && $0["bonus"] is String
            })
        let id = target["employee_id"] as! String
        let r = try merit(["adjust", "2026-Q3", id, "--band", "A", "--reason", "Closed the year's largest deal"], in: ws)
        let printed = r.stdout.replacingOccurrences(of: "\n  ", with: " ")
        let after = reps()
        let moved = after.keys.filter { $0 != id && (after[$0]?["bonus"] as? String) != (before[$0]?["bonus"] as? String) }.sorted()
        XCTAssertFalse(moved.isEmpty, "a pool split again moves colleagues' bonuses")
        for m in moved {
            let currency = after[m]!["currency"] as! String
            let old = before[m]!["bonus"] as! String, new = after[m]!["bonus"] as! String
            let line =
                "\(m) \(after[m]!["name"] as? String ?? ""): bonus \(grouped(old)) \(currency) → \(grouped(new)) \(currency) (pool split again)"
            XCTAssertTrue(printed.contains(line), "\(line)\n\(r.stdout)")
        }
        XCTAssertEqual(printed.components(separatedBy: "(pool split again)").count - 1, moved.count, r.stdout)

        let entries = try audit(ws)
        let resplit = entries.filter { $0["action"] as? String == "pool-resplit" }
        XCTAssertEqual(resplit.map { $0["employee_id"] as! String }.sorted(), moved)
        for e in resplit {
            let m = e["employee_id"] as! String, currency = after[m]!["currency"] as! String
            XCTAssertEqual(e["old"] as? String, "bonus \(before[m]!["bonus"] as! String) \(currency)")
            XCTAssertEqual(e["new"] as? String, "bonus \(after[m]!["bonus"] as! String) \(currency)")
            XCTAssertEqual(e["reason"] as? String, "split again after the adjustment of \(id) to band A")
        }
        let own = try XCTUnwrap(entries.last { $0["action"] as? String == "adjust" })
        let currency = target["currency"] as! String
        XCTAssertTrue((own["old"] as! String).hasSuffix("bonus \(target["bonus"] as! String) \(currency)"), "\(own)")
        XCTAssertTrue((own["new"] as! String).hasSuffix("bonus \(after[id]!["bonus"] as! String) \(currency)"), "\(own)")
        XCTAssertTrue(try merit(["audit", "--verify"], in: ws).stdout.hasPrefix("audit log intact: "))
    }

    // MARK: tamper evidence

    /// INSERT OR REPLACE turned a finalized review back into a draft, and merit adjust then changed it.
    func testAFinalizedReviewCannotBeReplacedBackIntoADraft() throws {
        let ws = Self.copy(Self.finalized.ws)
        let columns = "id, period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by"
        XCTAssertThrowsError(
            try raw(
                ws,
                "INSERT OR REPLACE INTO reviews (\(columns)) SELECT \(columns.replacingOccurrences(of: "status", with: "'draft'")) FROM reviews WHERE period = '2026-Q3'"
            )
        ) { XCTAssertTrue("\($0)".contains("a finalized review cannot change"), "\($0)") }
        let refused = try merit(["adjust", "2026-Q3", Self.finalized.employee, "--band", "B", "--reason", "second thoughts"], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("finalized"), refused.stderr)
        XCTAssertThrowsError(try raw(ws, "INSERT OR REPLACE INTO audit_log (id, at, by, action) VALUES (1, 'now', 'me', 'import')"))
        let intact = try merit(["audit", "--verify"], in: ws).stdout
        XCTAssertTrue(intact.hasPrefix("audit log intact: ") && intact.contains(" entries, chain head sha256 "), intact)
        XCTAssertEqual(intact.split(separator: "\n").count, 1, intact)
    }

    /// Each change made to the file with the triggers dropped is reported by merit audit --verify (and merit verify),
    /// exit 65, naming the entry or review where the break starts.
    func testTamperingWithTheStoreIsReportedWhereItStarts() throws {
        let employee = Self.finalized.employee
        let ids = try audit(Self.finalized.ws).enumerated().reduce(into: [String: Int]()) { $0[$1.element["action"] as! String] = $1.offset + 1 }
        let adjustID = try XCTUnwrap(ids["adjust"]), reviewID = try XCTUnwrap(ids["review"])
        let cases: [(String, String, [String])] = [
            (
                "a reason", "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'Policy exception' WHERE action = 'adjust'",
                ["entry \(adjustID) (", "adjust 2026-Q3 v1 \(employee)", "no longer matches its hash"]
            ),
            (
                "an amount",
                "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET new_value = 'band A, bonus 99999.00 USD' WHERE action = 'adjust'",
                ["entry \(adjustID) (", "no longer matches its hash"]
            ),
            (
                "a deleted entry", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE action = 'review'",
                ["entry \(reviewID) is missing: the log jumps from entry \(reviewID - 1) ("]
            ),
            (
                "a finalized result",
                "DROP TRIGGER final_results_frozen; UPDATE review_results SET adjusted_bonus = '99999.00' WHERE employee_id = '\(employee)'",
                ["review of 2026-Q3 version 1 (final): its results, rubrics or adjustments no longer match the sha256 sealed when it was finalized"]
            ),
        ]
        for (what, sql, expected) in cases {
            let ws = Self.copy(Self.finalized.ws)
            try raw(ws, sql)
            let r = try merit(["audit", "--verify"], in: ws, status: 65)
            for e in expected { XCTAssertTrue(r.stderr.contains(e), "\(what): \(e)\n\(r.stderr)") }
            XCTAssertFalse(r.stdout.contains("intact"), what)
            let verify = try merit(["verify", "2026-Q3"], in: ws, status: 65)
            XCTAssertTrue(verify.stderr.contains(expected[0]), "\(what): merit verify\n\(verify.stderr)")
        }
    }

    // MARK: workbooks

    /// One workbook per rubric: its Audit sheet holds its own people's entries and the review-wide ones, never
    /// another rubric's adjustment reasons, and its Summary counts its own adjustments.
    func testEachRubricsWorkbookShowsOnlyItsOwnAuditEntriesAndAdjustments() throws {
        let (template, employee) = Self.finalized
        let ws = Self.copy(template)
        let out = ws.appendingPathComponent("review.xlsx")
        try merit(["export", "2026-Q3", "--out", out.path], in: ws)
        func texts(_ book: XLSXWorkbookReader, _ sheet: String) throws -> [[String]] {
            try book.rows(inSheet: sheet).map { row in
                (0..<((row.cells.last?.column ?? -1) + 1)).map { c -> String in
                    if case .text(let s)? = row.value(at: c) { return s }
                    return ""
                }
            }
        }
        var seen = 0
        for rubric in ["customer-service", "account-manager", "sales-rep"] {
            let book = try XLSXWorkbookReader(path: ws.appendingPathComponent("review-\(rubric).xlsx").path)
            let audit = try texts(book, "Audit")
            let review = try XCTUnwrap(try texts(book, "Summary").first { $0.first == "Review" }?.dropFirst().first { !$0.isEmpty })
            XCTAssertTrue(audit.contains { $0.contains("finalize") } && audit.contains { $0.contains("review") }, "\(rubric): review-wide entries")
            // Every entry about someone is about one of this workbook's people.
            let people = Set(try texts(book, "Scorecards").dropFirst().compactMap(\.first))
            let column = try XCTUnwrap(audit.first?.firstIndex(of: "Employee ID"))
            for row in audit.dropFirst() where row.count > column && !row[column].isEmpty {
                XCTAssertTrue(people.contains(row[column]), "\(rubric): \(row)")
            }
            if rubric == "customer-service" {
                XCTAssertTrue(audit.contains { $0.contains("Was on parental leave") && $0.contains(employee) }, "\(audit)")
                XCTAssertTrue(review.hasSuffix("; 1 band adjustment"), review)
            } else {
                XCTAssertFalse(audit.contains { $0.contains("Was on parental leave") || $0.contains(employee) }, "\(rubric): \(audit)")
                XCTAssertTrue(review.hasSuffix("; 0 band adjustments"), "\(rubric): \(review)")
            }
            seen += 1
        }
        XCTAssertEqual(seen, 3)
    }

    // MARK: free text

    /// A 40,000-character reason was accepted, and every export of the finalized period failed after (exit 74).
    func testATooLongReasonIsRefusedAndNothingIsWritten() throws {
        let ws = Self.copy(Self.drafted)
        let store = ws.appendingPathComponent(".merit/merit.sqlite")
        func state() throws -> [Int] {
            let queue = try DatabaseQueue(path: store.path)
            defer { try? queue.close() }
            return try queue.read { db in
                [try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log")!, try Int.fetchOne(db, sql: "SELECT count(*) FROM adjustments")!]
            }
        }
        let before = try state()
        let long = String(repeating: "x", count: 40_000)
        let employee = Self.customerServiceEmployee(ws)
        let adjust = try merit(["adjust", "2026-Q3", employee, "--band", "A", "--reason", long], in: ws, status: 64)
        XCTAssertTrue(adjust.stderr.contains("--reason is 40,000 characters long; at most 2,000 are kept"), adjust.stderr)
        let amend = try merit(["amend", "2026-Q3", "--reason", long], in: ws, status: 64)
        XCTAssertTrue(amend.stderr.contains("--reason is 40,000 characters long"), amend.stderr)
        XCTAssertEqual(try state(), before)
        // The limit itself is accepted.
        try merit(["adjust", "2026-Q3", employee, "--band", "A", "--reason", String(repeating: "x", count: 2_000)], in: ws)
    }
}
