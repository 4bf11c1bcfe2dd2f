import Foundation
import MeritEngine
import MeritSQL
import XCTest

@testable import MeritStore

/// Disputes in the store (issue 20, docs/disputes.md), on every database a store can live in: opening, the window,
/// what is validated, the one-way states, exclusions, and the triggers that keep a resolved dispute as it was.
final class DisputeStoreTests: XCTestCase {
    var root: URL!
    let q3 = Period("2026-Q3")!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-disputes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        unsetenv("MERIT_TEST_NOW")
        try? FileManager.default.removeItem(at: root)
    }

    /// The seed example's data for three people — E001 and E002 report to M1 — with survey response ids `R1…`
    /// (E001), `S1…` (E002), `T1…` (M1) and order ids, imported into a new workspace on `kind`; 2026-Q3 reviewed and
    /// finalized unless `finalize` is false.
    func seeded(on kind: Backends.Kind, finalize: Bool = true) async throws -> SeedWorkspace {
        let data = root.appendingPathComponent("data-\(kind.rawValue)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let people = [("E001", "R"), ("E002", "S"), ("M1", "T")]
        func lines(_ name: String) throws -> [String] {
            try String(contentsOf: SeedWorkspace.example(Dataset(rawValue: name)!), encoding: .utf8)
                .split(separator: "\n").dropFirst().map(String.init)
        }
        var files: [String: String] = [
            "employees":
                "employee_id,name,team,role,bonus_target,currency,manager_id,login\nE001,Lin Wei,North,agent,2000.00,USD,M1,lin\nE002,Ann Lee,North,agent,2000.00,USD,M1,ann\nM1,Mo Chen,North,agent,2000.00,USD,,mo\n",
            "surveys": "employee_id,responded_at,score,response_id\n", "sales": "employee_id,date,amount,order_id\n",
            "accounts": "customer_id,employee_id,since,until,end_reason\n", "feedback": "employee_id,received_at,sentiment\n",
        ]
        for (id, prefix) in people {
            for (i, l) in try lines("surveys").enumerated() {
                files["surveys"]! += l.replacingOccurrences(of: "E001", with: id) + ",\(prefix)\(i + 1)\n"
            }
            for (i, l) in try lines("sales").enumerated() {
                files["sales"]! += l.replacingOccurrences(of: "E001", with: id) + ",O\(prefix)\(i + 1)\n"
            }
            for l in try lines("accounts") {
                files["accounts"]! += l.replacingOccurrences(of: "E001", with: id).replacingOccurrences(of: "C", with: "C\(id)-") + "\n"
            }
            for l in try lines("feedback") { files["feedback"]! += l.replacingOccurrences(of: "E001", with: id) + "\n" }
        }
        var imported: [(Dataset, URL)] = []
        for name in ["employees", "surveys", "sales", "accounts", "feedback"] {
            let path = data.appendingPathComponent("\(name).csv")
            try files[name]!.write(to: path, atomically: true, encoding: .utf8)
            imported.append((Dataset(rawValue: name)!, path))
        }
        let seed = try SeedWorkspace.make(kind, in: root.appendingPathComponent(kind.rawValue), files: imported)
        _ = try await Reviews.review(store: seed.store, workspace: seed.workspace, config: seed.config, period: q3)
        if finalize { _ = try await Reviews.finalize(store: seed.store, workspace: seed.workspace, config: seed.config, period: q3) }
        return seed
    }

    func refusal(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> StoreError? {
        do {
            try body()
            XCTFail("not refused", file: file, line: line)
            return nil
        } catch let e as StoreError {
            return e
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testADisputeIsOpenedResolvedOnceAndKeptOnEveryBackend() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let store = seed.store
            let d = try Disputes.open(
                store: store, config: seed.config, period: q3, employeeID: "E001", managerID: "M1", metric: "satisfaction",
                records: ["surveys:R1", "surveys:R1", "sales:OR2"], message: "  R1 was about another agent's ticket ")
            XCTAssertEqual(d.state, .open, "\(kind)")
            XCTAssertEqual(d.message, "R1 was about another agent's ticket")
            XCTAssertEqual(d.records.map(\.description), ["surveys:R1", "sales:OR2"], "a record named twice is kept once")
            XCTAssertEqual(d.reviewVersion, 1)
            XCTAssertEqual(d.managerID, "M1")

            let accepted = try Disputes.accept(store: store, id: d.id, comment: "The CRM agrees", exclude: ["surveys:R1", "surveys:R2"])
            XCTAssertEqual(accepted.state, .accepted)
            XCTAssertEqual(accepted.comment, "The CRM agrees")
            XCTAssertNotNil(accepted.resolvedAt)
            XCTAssertEqual(try Disputes.exclusions(store: store).map(\.record.description), ["surveys:R1", "surveys:R2"], "\(kind)")
            XCTAssertEqual(try Disputes.exclusions(store: store).map(\.disputeID), [d.id, d.id])

            // Only an open dispute changes.
            for change in [
                { _ = try Disputes.reject(store: store, id: d.id, comment: "no") },
                { _ = try Disputes.withdraw(store: store, id: d.id, comment: nil) },
                { _ = try Disputes.accept(store: store, id: d.id, comment: "again") },
            ] {
                let e = refusal(change)
                XCTAssertEqual(e?.exitCode, 65, "\(kind)")
                XCTAssertTrue(e?.description.contains("dispute \(d.id) is already accepted") == true, e?.description ?? "")
            }

            let second = try Disputes.open(
                store: store, config: seed.config, period: q3, employeeID: "E002", managerID: "M1", metric: nil, records: [], message: "Too low")
            // A record already excluded is refused, naming the dispute that excluded it; nothing of the acceptance stays.
            let twice = refusal { _ = try Disputes.accept(store: store, id: second.id, comment: "yes", exclude: ["surveys:S1", "surveys:R1"]) }
            XCTAssertEqual(twice?.exitCode, 65)
            XCTAssertTrue(
                twice?.description.contains("already excluded by dispute") == true || twice?.description.contains("not a record of E002") == true)
            XCTAssertEqual(try Disputes.dispute(store: store, id: second.id)?.state, .open, "a refused accept changes nothing")
            XCTAssertEqual(try Disputes.reject(store: store, id: second.id, comment: "The surveys are yours").state, .rejected)
            let third = try Disputes.open(
                store: store, config: seed.config, period: q3, employeeID: "E002", managerID: "M1", metric: nil, records: [], message: "Again")
            XCTAssertEqual(try Disputes.withdraw(store: store, id: third.id, comment: nil).state, .withdrawn)
            XCTAssertNil(try Disputes.dispute(store: store, id: third.id)?.comment)

            let fourth = try Disputes.open(
                store: store, config: seed.config, period: q3, employeeID: "E001", managerID: "M1", metric: nil, records: [], message: "R1 again")
            let excluded = refusal { _ = try Disputes.accept(store: store, id: fourth.id, comment: "yes", exclude: ["surveys:R3", "surveys:R1"]) }
            XCTAssertEqual(excluded?.description, "surveys:R1 is already excluded by dispute \(d.id); nothing was changed", "\(kind)")
            XCTAssertEqual(try Disputes.withdraw(store: store, id: fourth.id, comment: "fine").state, .withdrawn)
            XCTAssertEqual(try Disputes.exclusions(store: store).count, 2, "nothing of the refused acceptance stays")

            XCTAssertEqual(try Disputes.list(store: store).map(\.id), [d.id, second.id, third.id, fourth.id])
            XCTAssertEqual(try Disputes.list(store: store, openOnly: true).map(\.id), [])
            XCTAssertEqual(try Disputes.list(store: store, period: "2026-Q2").map(\.id), [])

            let detail = try XCTUnwrap(try Disputes.detail(store: store, id: d.id))
            XCTAssertEqual(detail.history.map(\.action), ["dispute-open", "dispute-accept"], "\(kind)")
            XCTAssertEqual(detail.history.last?.newValue, "dispute \(d.id): accepted, excludes surveys:R1, surveys:R2")
            XCTAssertEqual(detail.history.last?.reason, "The CRM agrees")
            XCTAssertEqual(detail.history.first?.employeeID, "E001")
            XCTAssertEqual(detail.history.first?.reviewVersion, 1)
            XCTAssertEqual(detail.exclusions.count, 2)
            XCTAssertEqual(detail.amendments, [])
            // The amendment that answers it (written by `merit amend --dispute`; here by hand) is shown with its status.
            let amendment = try Reviews.amend(store: store, period: q3, reason: "answers the dispute")
            try store.write { db in
                try db.execute(sql: "INSERT INTO review_disputes (review_id, dispute_id) VALUES (?, ?)", arguments: [amendment.id, d.id])
            }
            let answered = try XCTUnwrap(try Disputes.detail(store: store, id: d.id)).amendments
            XCTAssertEqual(answered.map { "\($0.version) \($0.status.rawValue)" }, ["2 draft"], "\(kind)")
            let actions = try AuditLog.entries(store).map(\.action).filter { $0.hasPrefix("dispute-") }
            XCTAssertEqual(
                actions,
                [
                    "dispute-open", "dispute-accept", "dispute-open", "dispute-reject", "dispute-open", "dispute-withdraw", "dispute-open",
                    "dispute-withdraw",
                ])

            // For `merit amend --dispute`: accepted and of the period, or a refusal.
            XCTAssertEqual(try Disputes.acceptedDispute(store: store, id: d.id, period: "2026-Q3").id, d.id)
            XCTAssertEqual(refusal { _ = try Disputes.acceptedDispute(store: store, id: second.id, period: "2026-Q3") }?.exitCode, 65)
            XCTAssertEqual(refusal { _ = try Disputes.acceptedDispute(store: store, id: d.id, period: "2026-Q2") }?.exitCode, 65)
            XCTAssertEqual(refusal { _ = try Disputes.acceptedDispute(store: store, id: 999, period: "2026-Q3") }?.exitCode, 66)

            let stats = try Disputes.stats(store: store)
            XCTAssertEqual(stats.count, 1)
            XCTAssertEqual(stats[0].managerID, "M1")
            XCTAssertEqual([stats[0].open, stats[0].accepted, stats[0].rejected, stats[0].withdrawn], [0, 1, 1, 2])
            XCTAssertEqual(stats[0].acceptanceRatio, 0.5)
            XCTAssertNotNil(stats[0].medianResolutionHours)
            XCTAssertEqual(try TamperCheck.check(store: store).breaks, [], "\(kind)")
        }
    }

    func testWhatADisputeNamesIsValidatedWithoutSayingWhoseARecordIs() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind, finalize: false)
            defer { seed.cleanUp() }
            let store = seed.store, config = seed.config
            func open(_ employee: String = "E001", metric: String? = nil, records: [String] = [], message: String = "wrong") throws {
                _ = try Disputes.open(
                    store: store, config: config, period: q3, employeeID: employee, managerID: nil, metric: metric, records: records, message: message
                )
            }
            // Only a finalized result is disputed.
            XCTAssertTrue(refusal { try open() }?.description.contains("no finalized review of 2026-Q3") == true, "\(kind)")
            _ = try await Reviews.finalize(store: store, workspace: seed.workspace, config: config, period: q3)
            XCTAssertTrue(refusal { try open("E404") }?.description.contains("not evaluated") == true)
            let metric = refusal { try open(metric: "speed") }
            XCTAssertEqual(metric?.exitCode, 65)
            XCTAssertTrue(metric?.description.contains("satisfaction") == true, metric?.description ?? "")
            // Another person's record and a record that does not exist get the same answer, naming nobody else.
            let others = refusal { try open(records: ["surveys:S1"]) }
            let missing = refusal { try open(records: ["surveys:NOPE"]) }
            XCTAssertEqual(others?.exitCode, 65)
            XCTAssertEqual(
                others?.description,
                "surveys:S1 is not a record of E001 in the data the review of 2026-Q3 (version 1) read; name a record by its response_id")
            XCTAssertEqual(missing?.description, others?.description.replacingOccurrences(of: "S1", with: "NOPE"))
            XCTAssertFalse(others?.description.contains("E002") ?? true)
            // The wrong dataset, form or message is a usage error.
            XCTAssertEqual(refusal { try open(records: ["accounts:C1"]) }?.exitCode, 64)
            XCTAssertEqual(refusal { try open(records: ["R1"]) }?.exitCode, 64)
            XCTAssertEqual(refusal { try open(records: ["surveys:"]) }?.exitCode, 64)
            XCTAssertEqual(refusal { try open(message: "   ") }?.exitCode, 64)
            XCTAssertEqual(refusal { try open(message: String(repeating: "x", count: FreeText.limit + 1)) }?.exitCode, 64)
            // Text a terminal or a database would not show as typed: NUL, other controls, bidirectional overrides.
            for hostile in ["a\u{0}b", "a\u{1B}[2Jb", "pay \u{202E}001 mreT", "a\u{2066}b"] {
                XCTAssertEqual(refusal { try open(message: hostile) }?.exitCode, 64, hostile.debugDescription)
                XCTAssertEqual(refusal { try open(records: ["surveys:R\(hostile)"]) }?.exitCode, 64, hostile.debugDescription)
            }
            XCTAssertNoThrow(try Disputes.named(["surveys:R3"], option: "--record"))
            // At most `recordLimit` records, so that the audit entry naming them fits a workbook cell; each once.
            let many = (1...(Disputes.recordLimit + 1)).map { "surveys:R\($0)" }
            XCTAssertEqual(refusal { try open(records: many) }?.exitCode, 64)
            XCTAssertEqual(
                try Disputes.named(["surveys:R3", "surveys:R3", "sales:OR1"], option: "--record").map(\.description), ["surveys:R3", "sales:OR1"])
            // A long or hostile record is quoted short in the message (docs/reference.md §15).
            let long = refusal { try open(records: ["nope:" + String(repeating: "k", count: 10_000)]) }
            XCTAssertEqual(long?.exitCode, 64)
            XCTAssertLessThan(long?.description.count ?? .max, 400, long?.description ?? "")
            // Their own records pass; a withdrawn dispute's --comment is optional, an accept's is not.
            try open(metric: "satisfaction", records: ["surveys:R3", "sales:OR1"])
            let id = try Disputes.list(store: store).last!.id
            XCTAssertEqual(refusal { _ = try Disputes.accept(store: store, id: id, comment: " ") }?.exitCode, 64)
            XCTAssertEqual(refusal { _ = try Disputes.accept(store: store, id: id, comment: "ok", exclude: ["surveys:S2"]) }?.exitCode, 65)
            XCTAssertEqual(refusal { _ = try Disputes.reject(store: store, id: 999, comment: "no") }?.exitCode, 66)
            XCTAssertEqual(try Disputes.list(store: store).count, 1, "\(kind): nothing refused was stored")
            XCTAssertEqual(try Disputes.exclusions(store: store), [])
        }
    }

    func testTheWindowIsDisputeDaysFromTheFinalization() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let finalizedAt = try XCTUnwrap(Reviews.versions(store: seed.store, period: q3).last?.finalizedAt)
            let finalized = try XCTUnwrap(Clock.seconds(finalizedAt))
            func at(days: Double) -> String { Clock.text(Date(timeIntervalSince1970: TimeInterval(finalized) + days * 86_400)) }
            func open(_ config: WorkspaceConfig) throws {
                _ = try Disputes.open(
                    store: seed.store, config: config, period: q3, employeeID: "E001", managerID: "M1", metric: nil, records: [], message: "late")
            }
            setenv("MERIT_TEST_NOW", at(days: 14), 1)
            try open(seed.config)
            setenv("MERIT_TEST_NOW", at(days: 14.001), 1)
            let late = refusal { try open(seed.config) }
            XCTAssertEqual(late?.exitCode, 65, "\(kind)")
            XCTAssertTrue(late?.description.contains("for 14 days (merit.yaml dispute_days)") == true, late?.description ?? "")
            var longer = seed.config
            longer.disputeDays = 30
            try open(longer)
            unsetenv("MERIT_TEST_NOW")
            XCTAssertEqual(try Disputes.list(store: seed.store).count, 2)
        }
    }

    func testTheStoreRefusesChangingAResolvedDisputeOrDeletingAny() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let store = seed.store
            let d = try Disputes.open(
                store: store, config: seed.config, period: q3, employeeID: "E001", managerID: "M1", metric: nil, records: [], message: "wrong")
            for sql in ["UPDATE disputes SET message = 'other' WHERE id = ?", "DELETE FROM disputes WHERE id = ?"] {
                XCTAssertThrowsError(try store.write { db in try db.execute(sql: sql, arguments: [d.id]) }, "\(kind): \(sql)")
            }
            _ = try Disputes.accept(store: store, id: d.id, comment: "yes", exclude: ["surveys:R1"])
            for sql in [
                "UPDATE disputes SET state = 'open' WHERE id = ?", "UPDATE disputes SET comment = 'edited' WHERE id = ?",
                "DELETE FROM disputes WHERE id = ?", "DELETE FROM exclusions WHERE dispute_id = ?",
                "UPDATE exclusions SET record_key = 'R2' WHERE dispute_id = ?",
            ] {
                XCTAssertThrowsError(try store.write { db in try db.execute(sql: sql, arguments: [d.id]) }, "\(kind): \(sql)")
            }
            let kept = try XCTUnwrap(Disputes.dispute(store: store, id: d.id))
            XCTAssertEqual(kept.state, .accepted)
            XCTAssertEqual(kept.comment, "yes")
            XCTAssertEqual(try Disputes.exclusions(store: store).count, 1)
        }
    }

    func testDisputeDaysIsAnOptionalKeyOfMeritYAML() throws {
        let path = root.appendingPathComponent("merit.yaml").path
        func load(_ extra: String) throws -> WorkspaceConfig {
            try "currency: USD\ntime_zone: UTC\nrubrics:\n\(extra)".write(toFile: path, atomically: true, encoding: .utf8)
            return try WorkspaceConfig.load(path: path)
        }
        XCTAssertEqual(try load("").disputeDays, 14)
        XCTAssertEqual(try load("dispute_days: 30\n").disputeDays, 30)
        XCTAssertEqual(try load("dispute_days: 0\n").disputeDays, 0)
        for bad in ["dispute_days: -1\n", "dispute_days: two weeks\n", "dispute_days: 1.5\n", "dispute_days: [14]\n"] {
            XCTAssertThrowsError(try load(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("dispute_days must be a whole number of days"), "\(error)")
            }
        }
        // merit init writes what it always wrote.
        XCTAssertFalse(WorkspaceConfig().yaml().contains("dispute"))
    }

    func testStatsStateTheRatioAndTheMedianOfAnEvenCount() {
        func row(_ id: Int64, _ manager: String?, _ state: Dispute.State, hours: Int?) -> Dispute {
            Dispute(
                id: id, period: "2026-Q3", reviewVersion: 1, employeeID: "E\(id)", managerID: manager, metric: nil, records: [], message: "m",
                state: state, openedAt: "2026-10-01T00:00:00.000Z", openedBy: "x",
                resolvedAt: hours.map { Clock.text(Date(timeIntervalSince1970: 1_790_812_800 + Double($0) * 3600)) }, resolvedBy: "y", comment: nil)
        }
        let stats = DisputeStats.compute([
            row(1, "M2", .accepted, hours: 2), row(2, "M2", .rejected, hours: 10), row(3, "M2", .accepted, hours: 4),
            row(4, "M2", .rejected, hours: 30), row(5, "M2", .withdrawn, hours: 1), row(6, "M2", .open, hours: nil), row(7, nil, .open, hours: nil),
            row(8, "M10", .withdrawn, hours: 5),
        ])
        XCTAssertEqual(stats.map(\.managerID), ["M10", "M2", nil], "byte order, no manager last")
        XCTAssertEqual(stats[1].acceptanceRatio, 0.5, "2 accepted of 4 accepted or rejected; the withdrawn one counts in neither")
        XCTAssertEqual(stats[1].medianResolutionHours, 7, "2, 4, 10, 30: the mean of 4 and 10")
        XCTAssertEqual([stats[1].open, stats[1].accepted, stats[1].rejected, stats[1].withdrawn], [1, 2, 2, 1])
        XCTAssertNil(stats[0].acceptanceRatio)
        XCTAssertNil(stats[0].medianResolutionHours, "a withdrawn dispute has no resolution time")
    }
}
