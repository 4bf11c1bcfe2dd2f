import Foundation
import GRDB
import MeritInput
import MeritTestSupport
import XCTest

/// The workspace commands end to end, through the real binary (issue 5, docs/reference.md §10):
/// init → import (CSV and XLSX) → review → adjust → finalize → amend → export → history,
/// and the reliability promises: all-or-nothing imports under SIGKILL, concurrent
/// processes, damaged or foreign stores.
final class WorkspaceCommandTests: XCTestCase {
    static let rubrics = MeritProcess.packageRoot.appendingPathComponent("rubrics").path
    static let seed = MeritProcess.packageRoot.appendingPathComponent("examples/seed-example")
    static let fixtures = MeritProcess.packageRoot.appendingPathComponent("Tests/MeritCLITests/Fixtures/libreoffice")
    static let datasets = ["employees", "surveys", "accounts", "complaints", "sales", "feedback", "quotas", "pools"]

    /// The demo company's data, generated once.
    static let demoData: URL = {
        let dir = MeritProcess.temporaryDirectory()
        let r = try! MeritProcess.run(["demo", "--dir", dir.path, "--data-only", "--rubrics", rubrics])
        precondition(r.status == 0, r.stderr)
        return dir.appendingPathComponent("data")
    }()

    func newWorkspace() throws -> URL {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        let r = try MeritProcess.run(["init", ws.path, "--rubrics", Self.rubrics])
        XCTAssertEqual(r.status, 0, r.stderr)
        assertFitsEightyColumns(r.stdout)
        return ws
    }

    func importDemo(into ws: URL) throws {
        for d in Self.datasets {
            try merit(["import", d, Self.demoData.appendingPathComponent("\(d).csv").path], in: ws)
        }
    }

    /// Rows of the store, read directly (what a test compares before and after).
    func storeState(_ ws: URL) throws -> [String] {
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in
            [
                try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "",
                "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? -1)",
                "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM imports") ?? -1)",
                "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? -1)",
                try String.fetchOne(
                    db,
                    sql: """
                        SELECT group_concat(dataset || '=' || version_id || ':' || digest, '|')
                        FROM (SELECT c.dataset, c.version_id, v.digest FROM current_datasets c JOIN dataset_versions v ON v.id = c.version_id ORDER BY c.dataset)
                        """) ?? "",
            ]
        }
    }

    /// Everything stored for a version of the 2026-Q3 review, as text.
    func versionRows(_ ws: URL, version: Int) throws -> [String] {
        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        defer { try? queue.close() }
        return try queue.read { db in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM reviews WHERE period = '2026-Q3' AND version = ?", arguments: [version])!
            var out = try Row.fetchAll(db, sql: "SELECT * FROM reviews WHERE id = ?", arguments: [id]).map(\.description)
            for table in ["review_results", "review_rubrics", "review_datasets", "adjustments"] {
                out += try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE review_id = ? ORDER BY 2", arguments: [id]).map(\.description)
            }
            return out
        }
    }

    // MARK: the lifecycle

    func testLifecycleFromInitToHistory() throws {
        let ws = try newWorkspace()
        try importDemo(into: ws)
        try merit(["review", "2026-Q2"], in: ws)
        try merit(["review", "2026-Q3"], in: ws)

        // A stored review gives exactly what merit evaluate gives on the same data.
        let stored = try merit(["review", "2026-Q3", "--format", "json"], in: ws).stdout
        var evaluated: [String] = []
        for r in ["customer-service", "account-manager", "sales-rep"] {
            evaluated.append(
                try merit(
                    [
                        "evaluate", "--data", Self.demoData.path, "--rubric", ws.appendingPathComponent("rubrics/\(r).yaml").path,
                        "--period", "2026-Q3", "--format", "json",
                    ], in: ws
                ).stdout)
        }
        XCTAssertEqual(try ReviewJSON.conformanceDocuments(stored), try ReviewJSON.documents(evaluated))

        // Re-running the draft with nothing changed writes nothing; --force replaces it, and --diff says nothing changed.
        let same = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        XCTAssertTrue(same.contains("is up to date") && same.contains("Nothing changed since version 1"), same)
        let again = try merit(["review", "2026-Q3", "--diff", "--force"], in: ws).stdout.diffUnwrapped
        XCTAssertTrue(again.contains("replacing the previous draft"), again)
        XCTAssertTrue(again.contains("inputs: unchanged") && again.contains("0 employees changed"), again)

        // Pick a rated customer-service employee in band B or C.
        let history = try merit(["history", "--format", "json"], in: ws).stdout
        let entries = try JSONSerialization.jsonObject(with: Data(history.utf8)) as! [[String: Any]]
        let q3 = entries.filter { $0["period"] as? String == "2026-Q3" && $0["rubric"] as? String == "customer-service" }
        let target = try XCTUnwrap(q3.first { ($0["band"] as? String).map { ["B", "C"].contains($0) } ?? false })
        let employee = target["employee_id"] as! String
        // The same history for people: a heading per rubric, every line within 80 columns (names give way).
        let people = try merit(["history"], in: ws).stdout
        XCTAssertTrue(people.contains("\nRubric customer-service\n") && people.contains("\nRubric sales-rep\n"), people)
        assertFitsEightyColumns(people)
        XCTAssertEqual(people.split(separator: "\n").filter { $0.hasPrefix("E") && !$0.hasPrefix("Employee") }.count, entries.count)

        // Adjust: a reason is required (64), the band must exist (65, listing the bands).
        try merit(["adjust", "2026-Q3", employee, "--band", "A"], in: ws, status: 64)
        let unknown = try merit(["adjust", "2026-Q3", employee, "--band", "Z", "--reason", "x"], in: ws, status: 65)
        XCTAssertTrue(unknown.stderr.contains("bands: A, B, C, D, E"), unknown.stderr)
        let adjusted = try merit(["adjust", "2026-Q3", employee, "--band", "A", "--reason", "Covered two territories for six weeks"], in: ws)
        XCTAssertTrue(adjusted.stdout.contains("→ A"), adjusted.stdout)

        // Finalize locks it: adjusting or re-reviewing is refused with 65.
        try merit(["finalize", "2026-Q3"], in: ws)
        let refused = try merit(["adjust", "2026-Q3", employee, "--band", "B", "--reason", "second thoughts"], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("finalized"), refused.stderr)
        try merit(["review", "2026-Q3"], in: ws, status: 65)
        try merit(["finalize", "2026-Q3"], in: ws, status: 65)

        // Amend: a new draft version referencing the final one, adjustments carried over.
        try merit(["amend", "2026-Q3"], in: ws, status: 64)
        let finalBefore = try versionRows(ws, version: 1)
        assertFitsEightyColumns(try merit(["amend", "2026-Q3", "--reason", "Late surveys arrived"], in: ws).stdout)
        // Late data: the amended draft is recomputed, and --diff says what moved and why.
        var late = "employee_id,responded_at,score,recommend\n"
        for day in 1...9 { late += "\(employee),2026-09-0\(day)T09:00:00+02:00,5,10\n" }
        let lateFile = MeritProcess.temporaryDirectory(["late.csv": late]).appendingPathComponent("late.csv")
        try merit(["import", "surveys", lateFile.path], in: ws)
        let diff = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        XCTAssertTrue(diff.contains("surveys imported again (12,000 → 12,009 records)"), diff)
        XCTAssertTrue(diff.contains("  \(employee) ") && diff.contains("because"), diff)
        // The finalized version is exactly as it was, and the amendment references it.
        XCTAssertEqual(try versionRows(ws, version: 1), finalBefore)
        let amends = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path).read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT a.amends = f.id AS ok, a.amend_reason FROM reviews a, reviews f WHERE a.period = '2026-Q3' AND a.version = 2 AND f.version = 1 AND f.period = a.period"
            )
        }
        XCTAssertEqual(amends?["ok"] as Bool?, true)
        XCTAssertEqual(amends?["amend_reason"] as String?, "Late surveys arrived")

        // History: the adjusted band, and the change since 2026-Q2.
        let after =
            try JSONSerialization.jsonObject(with: Data(try merit(["history", employee, "--format", "json"], in: ws).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(after.map { $0["period"] as! String }, ["2026-Q2", "2026-Q3"])
        let now = after[1], before = after[0]
        XCTAssertEqual(now["band"] as? String, "A")
        XCTAssertEqual(now["adjusted"] as? Bool, true)
        XCTAssertEqual(now["version"] as? Int, 2)
        XCTAssertEqual(now["status"] as? String, "draft")
        let change = try XCTUnwrap(now["change"] as? Double)
        XCTAssertEqual(change, ((now["total"] as! Double) - (before["total"] as! Double)), accuracy: 0.051)
        let table = try merit(["history", employee], in: ws).stdout
        XCTAssertTrue(table.contains("A*"), table)

        // Export: the six sheets, then Audit; the adjusted band is paid and marked.
        let out = ws.appendingPathComponent("review.xlsx")
        assertFitsEightyColumns(try merit(["export", "2026-Q3", "--out", out.path, "--rubric", "customer-service"], in: ws).stdout)
        let book = try XLSXWorkbookReader(path: out.path)
        XCTAssertEqual(book.sheetNames, ["Summary", "Scorecards", "Bonus", "Training", "Rubric", "Data Quality", "Audit"])
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
        let bonus = try texts("Bonus")
        let bandColumn = bonus[0].firstIndex(of: "Band")!
        XCTAssertEqual(bonus.first { $0.first == employee }?[bandColumn], "A")
        let cards = try texts("Scorecards")
        let reasonColumn = try XCTUnwrap(cards[0].firstIndex(of: "Adjustment Reason"))
        let computedColumn = try XCTUnwrap(cards[0].firstIndex(of: "Computed Band"))
        let row = try XCTUnwrap(cards.first { $0.first == employee })
        XCTAssertEqual(row[reasonColumn], "Covered two territories for six weeks")
        XCTAssertEqual(row[computedColumn], target["band"] as? String)
        let changeColumn = cards[0].firstIndex(of: "Change")!
        XCTAssertFalse(row[changeColumn].isEmpty, "the change since 2026-Q2 is filled in")
        let audit = try texts("Audit")
        XCTAssertTrue(audit.contains { $0.contains("adjust") && $0.contains("Covered two territories for six weeks") })
        XCTAssertTrue(audit.contains { $0.contains("finalize") })
        XCTAssertTrue(audit.contains { $0.contains("amend") && $0.contains("Late surveys arrived") })
        let log = try merit(["audit", "2026-Q3"], in: ws).stdout
        XCTAssertTrue(log.contains("adjust 2026-Q3 v1 \(employee)") && log.contains("why: Covered two territories for six weeks"), log)
        // Free text wraps at its spaces within 80 columns; only a single unbreakable word (a long path) may pass it.
        assertFitsEightyColumns(log)
        let full = try merit(["audit"], in: ws).stdout
        XCTAssertTrue(
            full.replacingOccurrences(of: "\n         ", with: " ").contains("employees.csv: 120 read, 120 loaded (120 new, 0 changed), 0 rejected"),
            full)
    }

    /// In pool mode one person's adjusted band moves everyone's share: the pool is split again and still sums to itself.
    func testAdjustingInPoolModeSplitsThePoolAgain() throws {
        let ws = try newWorkspace()
        try importDemo(into: ws)
        try merit(["review", "2026-Q3"], in: ws)
        func salesReps() throws -> [[String: Any]] {
            let all =
                try JSONSerialization.jsonObject(with: Data(try merit(["history", "--format", "json"], in: ws).stdout.utf8)) as! [[String: Any]]
            return all.filter { $0["rubric"] as? String == "sales-rep" }
        }
        func sums(_ entries: [[String: Any]]) -> [String: Decimal] {
            var out: [String: Decimal] = [:]
            for e in entries { if let b = e["bonus"] as? String { out[e["currency"] as! String, default: 0] += Decimal(string: b)! } }
            return out
        }
        let before = try salesReps()
        let target = try XCTUnwrap(before.first { ($0["band"] as? String) != "A" && $0["bonus"] is String })
        let id = target["employee_id"] as! String
        try merit(["adjust", "2026-Q3", id, "--band", "A", "--reason", "Closed the year's largest deal"], in: ws)
        let after = try salesReps()
        XCTAssertEqual(sums(after), sums(before))
        let mine = after.first { $0["employee_id"] as? String == id }!
        XCTAssertEqual(mine["band"] as? String, "A")
        XCTAssertGreaterThan(Decimal(string: mine["bonus"] as! String)!, Decimal(string: target["bonus"] as! String)!)
        XCTAssertEqual(mine["total"] as? Double, target["total"] as? Double, "the computed total stays")
        // Giving the computed band back removes the override.
        try merit(["adjust", "2026-Q3", id, "--band", target["band"] as! String, "--reason", "Deal fell through"], in: ws)
        XCTAssertEqual(try salesReps().map { $0["bonus"] as? String }, before.map { $0["bonus"] as? String })
    }

    /// The seed example through a workspace configured for its rubric: 65.5, as merit evaluate says; and an export
    /// refuses to write numbers other than the stored ones.
    func testSeedExampleAndVerifyFindsAStoredResultThatDiffers() throws {
        let ws = try newWorkspace()
        try "currency: USD\ntime_zone: UTC\nrubrics:\n  - file: rubrics/seed-example.yaml\n"
            .write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
        for d in ["employees", "surveys", "accounts", "sales", "feedback"] {
            try merit(["import", d, Self.seed.appendingPathComponent("\(d).csv").path], in: ws)
        }
        try merit(["review", "2026-Q3"], in: ws)
        let history = try merit(["history", "E001"], in: ws).stdout
        XCTAssertTrue(history.contains("65.5"), history)
        // Target mode: 2000.00 × 1.2 for band B.
        let adjusted = try merit(["adjust", "2026-Q3", "E001", "--band", "B", "--reason", "Mentored two new agents"], in: ws).stdout
        XCTAssertTrue(adjusted.contains("bonus 2,000.00 → 2,400.00 USD"), adjusted)
        assertFitsEightyColumns(adjusted)
        // The rubric loses band B: the re-run draft keeps the adjustment but says it no longer applies.
        let rubric = ws.appendingPathComponent("rubrics/seed-example.yaml")
        try String(contentsOf: rubric, encoding: .utf8).replacingOccurrences(of: "{id: B,", with: "{id: B2,")
            .write(to: rubric, atomically: true, encoding: .utf8)
        let rerun = try merit(["review", "2026-Q3"], in: ws)
        XCTAssertTrue(rerun.stderr.contains("the adjustment of E001 to band B no longer applies"), rerun.stderr)
        let now = try merit(["history", "E001"], in: ws).stdout
        XCTAssertTrue(now.contains(" C ") && !now.contains("*"), now)
        // Two rubrics covering one person is an error, not a silent choice.
        let config = ws.appendingPathComponent("merit.yaml")
        let seedRubric = try String(contentsOf: ws.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        try seedRubric.replacingOccurrences(of: "id: seed-example", with: "id: seed-copy")
            .write(to: ws.appendingPathComponent("rubrics/seed-copy.yaml"), atomically: true, encoding: .utf8)
        let single = try String(contentsOf: config, encoding: .utf8)
        try (single + "  - file: rubrics/seed-copy.yaml\n").write(to: config, atomically: true, encoding: .utf8)
        let overlap = try merit(["review", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(overlap.stderr.contains("'E001' (role agent) is covered by two rubrics, seed-example and seed-copy"), overlap.stderr)
        try single.write(to: config, atomically: true, encoding: .utf8)

        let queue = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path)
        try queue.write { db in try db.execute(sql: "UPDATE review_results SET total_tenths = total_tenths + 1") }
        try queue.close()
        // The views show what was stored; verify and finalize compute the review again and find the difference.
        let verify = try merit(["verify", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(verify.stderr.contains("E001: total_tenths differs"), verify.stderr)
        let finalize = try merit(["finalize", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(finalize.stderr.contains("differ from a recomputation; nothing was finalized"), finalize.stderr)
        XCTAssertTrue(try merit(["history"], in: ws).stdout.contains("draft"))
        // Nothing it reads changed, so a plain review writes nothing; --force stores it again.
        XCTAssertTrue(try merit(["review", "2026-Q3"], in: ws).stdout.contains("up to date"))
        try merit(["verify", "2026-Q3"], in: ws, status: 65)
        try merit(["review", "2026-Q3", "--force"], in: ws)
        XCTAssertTrue(try merit(["verify", "2026-Q3"], in: ws).stdout.contains("identical to what is stored"))
    }

    /// A workspace reviews each employee with the rubric of their role; rubrics that read alike read the stored data
    /// once together (docs/workspace.md "How data is stored"). Each rubric's document is still byte for byte what
    /// `merit evaluate` gives with that rubric on the files the data was imported from.
    func testAReviewOfSeveralRubricsEqualsEvaluateOfEach() throws {
        // Customer service and account managers read the surveys together here (ReviewInputLoader.loadShared); a score
        // that cannot be read together is SharedReadTests'.
        let data = Self.demoData
        let ws = try newWorkspace()
        try importDemo(into: ws)
        let config = try String(contentsOf: ws.appendingPathComponent("merit.yaml"), encoding: .utf8)
        let files = config.split(separator: "\n").compactMap { line -> String? in
            guard line.trimmingCharacters(in: .whitespaces).hasPrefix("- file: "), let r = line.range(of: "- file: ") else { return nil }
            return line[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
        XCTAssertGreaterThanOrEqual(files.count, 3, config)
        let review = try merit(["review", "2026-Q3", "--format", "json"], in: ws).stdout
        let each = try files.map { file in
            try merit(
                [
                    "evaluate", "--data", data.path, "--rubric", ws.appendingPathComponent(file).path, "--period", "2026-Q3", "--format",
                    "json",
                ]
            ).stdout
        }
        XCTAssertEqual(try ReviewJSON.conformanceDocuments(review), try ReviewJSON.documents(each))
        XCTAssertTrue(try merit(["verify", "2026-Q3"], in: ws).stdout.contains("identical to what is stored"))
        // A workbook of one rubric reads only its results, and an unknown rubric names those there are.
        let ids = files.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        let unknown = try merit(["export", "2026-Q3", "--out", ws.appendingPathComponent("x.xlsx").path, "--rubric", "nope"], in: ws, status: 65)
        XCTAssertTrue(unknown.stderr.contains("has no rubric 'nope' (it has \(ids.joined(separator: ", ")))"), unknown.stderr)
    }

    /// The workspace time zone reduces timestamps to dates (docs/reference.md §1): 20:00 UTC on the last day of June is
    /// 1 July in +08:00, so the response belongs to Q3 there and to Q2 in UTC.
    func testTimeZoneDecidesWhichPeriodATimestampBelongsTo() throws {
        func satisfactionN(zone: String) throws -> Int {
            let ws = try newWorkspace()
            try "currency: USD\ntime_zone: \"\(zone)\"\nrubrics:\n  - file: rubrics/seed-example.yaml\n"
                .write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
            for d in ["employees", "accounts", "sales", "feedback"] {
                try merit(["import", d, Self.seed.appendingPathComponent("\(d).csv").path], in: ws)
            }
            let data = MeritProcess.temporaryDirectory([
                "surveys.csv": "employee_id,responded_at,score\nE001,2026-06-30T20:00:00Z,5\nE001,2026-07-02T10:00:00Z,4\n"
            ])
            try merit(["import", "surveys", data.appendingPathComponent("surveys.csv").path], in: ws)
            let json = try merit(["review", "2026-Q3", "--format", "json"], in: ws).stdout
            let doc = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]])[0]
            let metrics = (doc["employees"] as! [[String: Any]])[0]["metrics"] as! [[String: Any]]
            return metrics.first { $0["id"] as? String == "satisfaction" }!["n"] as! Int
        }
        XCTAssertEqual(try satisfactionN(zone: "UTC"), 1)
        XCTAssertEqual(try satisfactionN(zone: "+08:00"), 2)
        XCTAssertEqual(try satisfactionN(zone: "Asia/Shanghai"), 2)
    }

    // MARK: import

    func testImportIsStrictIdempotentAndNamesTheUsersFile() throws {
        let ws = try newWorkspace()
        let surveys = Self.seed.appendingPathComponent("surveys.csv").path
        // Records before the roster: a clear error.
        let early = try merit(["import", "surveys", surveys], in: ws, status: 66)
        XCTAssertTrue(early.stderr.contains("import the roster first"), early.stderr)
        try merit(["import", "employees", Self.seed.appendingPathComponent("employees.csv").path], in: ws)
        let first = try merit(["import", "surveys", surveys], in: ws).stdout
        XCTAssertTrue(first.unwrapped.contains("surveys.csv → surveys: 20 read, 20 loaded (20 new, 0 changed, 0 unchanged), 0 rejected"), first)
        assertFitsEightyColumns(first)
        XCTAssertTrue(try merit(["import", "surveys", surveys], in: ws).stdout.unwrapped.contains("20 loaded (0 new, 0 changed, 20 unchanged)"))
        // The audit log records the SHA-256 of the bytes the import read (docs/workspace.md "Imports").
        let sha = try MeritProcess.run([surveys], executable: URL(fileURLWithPath: "/usr/bin/sha256sum")).stdout.prefix(64)
        let audit = try merit(["audit"], in: ws).stdout.replacingOccurrences(of: "\n         ", with: " ")
        XCTAssertTrue(audit.contains("file sha256 \(sha)"), audit)
        let state = try storeState(ws)

        let dir = MeritProcess.temporaryDirectory([
            "crm-surveys.csv": "employee_id,responded_at,score\nE001,2026-08-01,4\nE999,2026-08-02,5\nE001,yesterday,3\n"
        ])
        let bad = dir.appendingPathComponent("crm-surveys.csv").path
        let strict = try merit(["import", "surveys", bad], in: ws, status: 65)
        XCTAssertTrue(strict.stderr.contains("crm-surveys.csv:3: employee_id: employee_id 'E999' is not in employees"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("crm-surveys.csv:4: responded_at:"), strict.stderr)
        XCTAssertTrue(strict.stderr.contains("use --skip-invalid to drop bad rows"), "merit import takes it: \(strict.stderr)")
        XCTAssertEqual(try storeState(ws), state, "a failed import leaves the store exactly as it was")

        let dry = try merit(["import", "surveys", bad, "--skip-invalid", "--dry-run"], in: ws)
        XCTAssertTrue(dry.stdout.unwrapped.contains("3 read, 1 loaded (1 new, 0 changed, 0 unchanged), 2 rejected — dry run"), dry.stdout)
        XCTAssertEqual(try storeState(ws), state, "a dry run stores nothing")

        let skipped = try merit(["import", "surveys", bad, "--skip-invalid"], in: ws)
        XCTAssertTrue(skipped.stdout.unwrapped.contains("1 loaded (1 new"), skipped.stdout)
        XCTAssertTrue(skipped.stderr.contains("warning: crm-surveys.csv:3: employee_id: row dropped"), skipped.stderr)

        // A record whose cells changed replaces the stored one (its key: response_id); --replace empties the dataset first.
        let keyed = MeritProcess.temporaryDirectory([
            "v1.csv": "employee_id,responded_at,score,response_id\nE001,2026-08-01,4,R1\nE001,2026-08-02,5,R2\n",
            "v2.csv": "employee_id,responded_at,score,response_id\nE001,2026-08-01,3,R1\nE001,2026-08-02,5,R2\nE001,2026-08-03,5,R3\n",
        ])
        try merit(["import", "surveys", keyed.appendingPathComponent("v1.csv").path], in: ws)
        let v2 = try merit(["import", "surveys", keyed.appendingPathComponent("v2.csv").path], in: ws).stdout
        XCTAssertTrue(v2.unwrapped.contains("3 loaded (1 new, 1 changed, 1 unchanged)"), v2)
        let replaced = try merit(["import", "surveys", keyed.appendingPathComponent("v2.csv").path, "--replace"], in: ws).stdout
        XCTAssertTrue(
            replaced.unwrapped.contains("3 loaded (3 new, 0 changed, 0 unchanged)") && replaced.unwrapped.contains("24 stored records removed first"),
            replaced)
        // A replacement from a file that gives no valid record (every row rejected) removes nothing and says so.
        let before = try storeState(ws)
        let rejected = MeritProcess.temporaryDirectory(["all-bad.csv": "employee_id,responded_at,score\nE999,2026-08-02,5\nE001,yesterday,3\n"])
        let empty = try merit(
            ["import", "surveys", rejected.appendingPathComponent("all-bad.csv").path, "--replace", "--skip-invalid"],
            in: ws, status: 65)
        XCTAssertTrue(
            empty.stderr.unwrapped.contains("all-bad.csv gave no valid surveys record (2 read, 2 rejected)")
                && empty.stderr.unwrapped.contains("would remove the 3 stored records and load none"), empty.stderr)
        XCTAssertEqual(try storeState(ws), before, "nothing removed")
        try merit(["import", "surveys", "surveys.ods"], in: ws, status: 64)

        let dataset = try merit(["import", "bonuses", bad], in: ws, status: 64)
        XCTAssertTrue(dataset.stderr.contains("not a dataset"), dataset.stderr)
        try merit(["import", "surveys", dir.appendingPathComponent("none.csv").path], in: ws, status: 66)
    }

    /// A workbook saved by LibreOffice: dates as date cells, numbers stored as text, a Chinese header row mapped.
    func testLibreOfficeWorkbookWithChineseHeadersImportsAsItsCSV() throws {
        let ws = try newWorkspace()
        try merit(["import", "employees", Self.fixtures.appendingPathComponent("employees.csv").path], in: ws)
        let xlsx = try merit(
            [
                "import", "surveys", Self.fixtures.appendingPathComponent("surveys-libreoffice.xlsx").path,
                "--mapping", Self.fixtures.appendingPathComponent("mapping.yaml").path,
            ], in: ws)
        XCTAssertTrue(xlsx.stdout.unwrapped.contains("30 read, 30 loaded (30 new"), xlsx.stdout)
        // The same records as CSV with Merit's own headers are exactly what was stored: nothing new, nothing changed.
        let csv = try merit(["import", "surveys", Self.fixtures.appendingPathComponent("surveys-expected.csv").path], in: ws)
        XCTAssertTrue(csv.stdout.unwrapped.contains("30 loaded (0 new, 0 changed, 30 unchanged)"), csv.stdout)
        // Without the mapping the Chinese headers are not Merit's columns.
        let unmapped = try merit(["import", "surveys", Self.fixtures.appendingPathComponent("surveys-libreoffice.xlsx").path], in: ws, status: 65)
        XCTAssertTrue(unmapped.stderr.contains("missing required column"), unmapped.stderr)
    }

    /// A value only a rubric can judge (a score outside its scale) stops the review, named by the file it was imported from.
    func testReviewNamesTheImportedFileAndLineOfARubricError() throws {
        let ws = try newWorkspace()
        try importDemo(into: ws)
        let roster = try String(contentsOf: Self.demoData.appendingPathComponent("employees.csv"), encoding: .utf8)
        let header = roster.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let agent = try XCTUnwrap(
            roster.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                .first { $0[header.firstIndex(of: "role")!] == "agent" })[0]
        let dir = MeritProcess.temporaryDirectory([
            "late-surveys.csv": "employee_id,responded_at,score\n\(agent),2026-08-03,4\n\(agent),2026-08-04,9\n"
        ])
        try merit(["import", "surveys", dir.appendingPathComponent("late-surveys.csv").path], in: ws)
        let r = try merit(["review", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(r.stderr.contains("late-surveys.csv:3: score: score 9 is outside the scale"), r.stderr)
        XCTAssertTrue(r.stderr.contains("(rubric rubrics/customer-service.yaml)"), r.stderr)
        // The hint fits the command (issue 17): `review` takes no --skip-invalid; the fix is a corrected import. Every
        // option the message names is one `merit review --help` lists, or `merit import --help` when it names that command.
        XCTAssertTrue(r.stderr.contains("import them again with merit import"), r.stderr)
        assertNamesOnlyRealOptions(r.stderr, command: "review")
    }

    /// Every `--option` in `message` is listed by `merit COMMAND --help` (or by `merit import --help`, when the
    /// message tells the user to run merit import).
    func assertNamesOnlyRealOptions(_ message: String, command: String, file: StaticString = #filePath, line: UInt = #line) {
        let help = (try? MeritProcess.run([command, "--help"]).stdout) ?? ""
        let importHelp = message.contains("merit import") ? ((try? MeritProcess.run(["import", "--help"]).stdout) ?? "") : ""
        let options = Set(message.matches(of: /--[a-z][a-z-]*/).map { String($0.output) })
        for option in options {
            XCTAssertTrue(
                help.contains(option) || importHelp.contains(option), "\(option) is not an option of merit \(command): \(message)", file: file,
                line: line)
        }
        XCTAssertFalse(help.contains("--skip-invalid"), "merit \(command) takes no --skip-invalid (else this test proves nothing)")
        XCTAssertFalse(message.contains("--skip-invalid"), message, file: file, line: line)
    }

    /// `--diff` calls a shrunk value what it is — adjusted for sample size, not raw — and says why it moved: E1's
    /// thirty new answers change E1's own data; E2 and E3 answered nothing new, and theirs moved only because the
    /// population mean they are pulled towards did (docs/reference.md §5.2; issue 17).
    func testDiffSaysWhetherAnAdjustedValueMovedWithThePersonsOwnDataOrThePopulationMean() throws {
        let ws = try newWorkspace()
        let dir = MeritProcess.temporaryDirectory([
            "shrunk.yaml": """
            id: shrunk
            version: 1
            metrics:
              - {id: csat, name: Customer satisfaction, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1,
                 scoring: {curve: linear, zero_at: 1, full_at: 5}, shrink: 10}
            bands:
              - {id: A, min: 70, multiplier: 1.5}
              - {id: C, min: 0, multiplier: 1}

            """,
            "employees.csv": "employee_id,name,bonus_target,currency\nE1,Ana,1000.00,USD\nE2,Bo,1000.00,USD\nE3,Cy,1000.00,USD\n",
            "surveys.csv": "employee_id,responded_at,score\n"
                + (1...10).map { "E1,2026-07-\(String(format: "%02d", $0)),5\n" }.joined()
                + "E2,2026-07-01,4\nE2,2026-07-02,4\nE3,2026-07-01,3\nE3,2026-07-02,3\n",
            "late.csv": "employee_id,responded_at,score\n" + (1...30).map { "E1,2026-08-\(String(format: "%02d", $0)),1\n" }.joined(),
        ])
        try """
        currency: USD
        time_zone: UTC
        rubrics:
          - file: "\(dir.appendingPathComponent("shrunk.yaml").path)"
        hr: []
        admins: []

        """.write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
        try merit(["import", "employees", dir.appendingPathComponent("employees.csv").path], in: ws)
        try merit(["import", "surveys", dir.appendingPathComponent("surveys.csv").path], in: ws)
        try merit(["review", "2026-Q3"], in: ws)
        try merit(["import", "surveys", dir.appendingPathComponent("late.csv").path], in: ws)
        let diff = try merit(["review", "2026-Q3", "--diff"], in: ws).stdout.diffUnwrapped
        let lines = diff.split(separator: "\n").map(String.init)
        let e1 = try XCTUnwrap(lines.first { $0.hasPrefix("  E1 Ana:") }, diff)
        XCTAssertTrue(e1.contains("csat n 10 → 40, (adjusted for sample size) "), e1)
        XCTAssertTrue(e1.hasSuffix("because their own data changed"), e1)
        // μ: (50 + 8 + 6) ÷ 14 = 4.5714 before, (50 + 30 + 8 + 6) ÷ 44 = 2.1364 after.
        for (id, name) in [("E2", "Bo"), ("E3", "Cy")] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("  \(id) \(name):") }, diff)
            XCTAssertTrue(line.contains("csat (adjusted for sample size) "), line)
            XCTAssertTrue(line.hasSuffix("because the population mean moved (4.5714 → 2.1364), not their own data"), line)
            XCTAssertFalse(line.contains(" n "), "their n did not change: \(line)")
        }
        XCTAssertFalse(diff.contains("raw"), "a shrunk value is not called raw:\n\(diff)")
    }

    // MARK: reliability

    /// Two processes on one workspace: both succeed (one waits), nothing lost, no "database is locked".
    func testConcurrentImportsAndReviewsBothSucceed() throws {
        let ws = try newWorkspace()
        try merit(["import", "employees", Self.demoData.appendingPathComponent("employees.csv").path], in: ws)
        func both(_ a: [String], _ b: [String]) -> [MeritProcess.Result] {
            final class Box: @unchecked Sendable {
                let lock = NSLock()
                var results = [MeritProcess.Result?](repeating: nil, count: 2)
            }
            let box = Box()
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                let r = try! MeritProcess.run(i == 0 ? a : b, in: ws)
                box.lock.lock(); box.results[i] = r; box.lock.unlock()
            }
            return box.results.map { $0! }
        }
        let rest = Self.datasets.dropFirst().map { Self.demoData.appendingPathComponent("\($0).csv").path }
        for pair in stride(from: 0, to: rest.count - 1, by: 2) {
            let name = { (p: String) in (p as NSString).lastPathComponent.replacingOccurrences(of: ".csv", with: "") }
            for r in both(["import", name(rest[pair]), rest[pair]], ["import", name(rest[pair + 1]), rest[pair + 1]]) {
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertFalse(r.stderr.contains("locked"), r.stderr)
            }
        }
        let last = rest.last!
        try merit(["import", "pools", last], in: ws)
        // The same file twice at once: one stores, the other finds it all there.
        let same = both(["import", "surveys", rest[0]], ["import", "surveys", rest[0]])
        XCTAssertEqual(same.map(\.status), [0, 0], same.map(\.stderr).joined())
        let reviews = both(["review", "2026-Q3"], ["review", "2026-Q3"])
        XCTAssertEqual(reviews.map(\.status), [0, 0], reviews.map(\.stderr).joined())
        let state = try storeState(ws)
        XCTAssertEqual(state[0], "ok")
        let counts = try DatabaseQueue(path: ws.appendingPathComponent(".merit/merit.sqlite").path).read { db in
            (
                try Int.fetchOne(
                    db, sql: "SELECT v.records FROM current_datasets c JOIN dataset_versions v ON v.id = c.version_id WHERE c.dataset = 'surveys'")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM reviews")!
            )
        }
        XCTAssertEqual(counts.0, 12_000)
        XCTAssertEqual(counts.1, 1, "the second review replaced the first one's draft")
    }

    func testDamagedOrForeignWorkspaceIsAPlainMessage() throws {
        let ws = try newWorkspace()
        let store = ws.appendingPathComponent(".merit/merit.sqlite")
        try Data(repeating: 0x5A, count: 20_000).write(to: store)
        let garbage = try merit(["history"], in: ws, status: 65)
        XCTAssertTrue(garbage.stderr.contains("not a Merit workspace store"), garbage.stderr)

        try FileManager.default.removeItem(at: store)
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE songs (title TEXT)") }
        try queue.close()
        let foreign = try merit(["review", "2026-Q3"], in: ws, status: 65)
        XCTAssertTrue(foreign.stderr.contains("another application"), foreign.stderr)

        let file = ws.appendingPathComponent("merit.yaml").path
        try merit(["history", "--workspace", file], in: ws, status: 65)
        let elsewhere = MeritProcess.temporaryDirectory()
        let none = try merit(["history"], in: elsewhere, status: 66)
        XCTAssertTrue(none.stderr.contains("merit init"), none.stderr)
    }

    func testCommandsFindTheWorkspaceFromASubdirectory() throws {
        let ws = try newWorkspace()
        let sub = ws.appendingPathComponent("incoming/q3")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.seed.appendingPathComponent("employees.csv"), to: sub.appendingPathComponent("employees.csv"))
        let r = try merit(["import", "employees", "employees.csv"], in: sub)
        XCTAssertTrue(r.stdout.contains("1 loaded"), r.stdout)
    }
}

private extension String {
    /// A summary as one line again: `WrappedLine` breaks a long one between its pieces, indenting the rest by two.
    var unwrapped: String { replacingOccurrences(of: "\n  ", with: " ") }
}
