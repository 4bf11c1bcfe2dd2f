import Foundation
import MeritEngine
import MeritSQL
import XCTest

@testable import MeritStore

/// The store's promises, checked on every database it can live in (docs/postgresql.md "One store, two databases"): the
/// same quarter — imports, a review, adjustments, finalizing, an amendment, a discarded draft, tokens — stores the same
/// results bit for bit on SQLite and on PostgreSQL, keeps the same audit chain intact, and refuses the same changes.
final class BackendContractTests: XCTestCase {
    var root: URL!
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// What a quarter leaves in the store, without the times and accounts that differ from run to run.
    struct Fingerprint: Equatable {
        var versions: [String] = []
        var results: [[StoreValue]] = []
        var rubrics: [[StoreValue]] = []
        var adjustments: [[StoreValue]] = []
        var actions: [String] = []
        var history: [String] = []
    }

    struct Seeded {
        let workspace: Workspace
        let config: WorkspaceConfig
        let store: Store
        let cleanUp: () -> Void
    }

    /// The seed company imported into a new workspace on `kind`, with a draft review of 2026-Q3.
    func seeded(on kind: Backends.Kind) async throws -> Seeded {
        let rubric = try String(contentsOf: package.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        let (ws, cleanUp) = try Backends.workspace(
            kind, in: root.appendingPathComponent(kind.rawValue), rubrics: [("seed-example.yaml", rubric)])
        var config = try ws.config()
        config.rubrics = [.init(file: "rubrics/seed-example.yaml")]
        try config.yaml().write(toFile: ws.configPath, atomically: true, encoding: .utf8)
        let store = try ws.openStore()
        XCTAssertEqual(store.kind.rawValue, kind.rawValue)
        for d in ["employees", "surveys", "accounts", "sales", "feedback"] {
            _ = try Importer.run(
                store: store, config: config, dataset: Dataset(rawValue: d)!,
                path: package.appendingPathComponent("examples/seed-example/\(d).csv").path, options: .init())
        }
        _ = try await Reviews.review(store: store, workspace: ws, config: config, period: q3)
        return Seeded(workspace: ws, config: config, store: store, cleanUp: cleanUp)
    }

    let q3 = Period("2026-Q3")!

    /// Runs the same quarter on `kind` and returns what it stored.
    func quarter(on kind: Backends.Kind) async throws -> Fingerprint {
        let seed = try await seeded(on: kind)
        defer { seed.cleanUp() }
        let (ws, config, store) = (seed.workspace, seed.config, seed.store)
        let (_, first, _) = try Reviews.results(store: store, period: q3)
        let someone = try XCTUnwrap(first.first { $0.band != nil && $0.band != "A" })
        _ = try await Reviews.adjust(store: store, period: q3, employeeID: someone.employeeID, band: "A", reason: "carried the team")
        _ = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3)
        _ = try Reviews.amend(store: store, period: q3, reason: "a survey was filed late")
        _ = try await Reviews.adjust(store: store, period: q3, employeeID: someone.employeeID, band: "B", reason: "on reflection")
        _ = try Reviews.discard(store: store, period: q3, reason: "start again")
        _ = try Reviews.amend(store: store, period: q3, reason: "the survey, once more")
        _ = try await Reviews.review(store: store, workspace: ws, config: config, period: q3, force: true)
        _ = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3)
        let granted = try AccessTokens.grant(store: store, employeeID: someone.employeeID)
        XCTAssertEqual(try AccessTokens.verify(store: store, token: granted.token), someone.employeeID)
        XCTAssertEqual(try AccessTokens.revoke(store: store, employeeID: someone.employeeID, id: nil), [granted.id])
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token))

        XCTAssertEqual(try TamperCheck.check(store: store).breaks, [], "\(kind)")
        let verified = try await Reviews.verify(store: store, period: q3)
        XCTAssertEqual(verified.differences, [], "\(kind)")

        var print = Fingerprint()
        print.versions = try Reviews.versions(store: store, period: q3).map { "v\($0.version) \($0.status.rawValue) amends \($0.amendsVersion ?? 0)" }
        // By version, not by row id: SQLite numbers a review after a discarded draft with the discarded one's id again,
        // PostgreSQL never reuses one; the ids are the store's own and appear nowhere else.
        try store.read { db in
            let results = Reviews.resultColumns.map { "x.\($0)" }.joined(separator: ", ")
            print.results = try db.fetchAll(
                sql: "SELECT r.version, \(results) FROM review_results x JOIN reviews r ON r.id = x.review_id ORDER BY r.version, x.employee_id"
            ).map(\.values)
            print.rubrics = try db.fetchAll(
                sql: """
                    SELECT r.version, x.position, x.rubric_id, x.rubric_version, x.sha256, x.document, x.evaluation, x.adjusted_evaluation
                    FROM review_rubrics x JOIN reviews r ON r.id = x.review_id ORDER BY r.version, x.position
                    """
            ).map(\.values)
            print.adjustments = try db.fetchAll(
                sql: """
                    SELECT r.version, x.employee_id, x.band, x.reason FROM adjustments x JOIN reviews r ON r.id = x.review_id
                    ORDER BY r.version, x.employee_id
                    """
            ).map(\.values)
        }
        print.actions = try AuditLog.entries(store).map { "\($0.action) \($0.period ?? "-") \($0.reviewVersion ?? 0) \($0.employeeID ?? "-")" }
        print.history = try History.entries(store: store, employeeID: someone.employeeID).map { "\($0.period) v\($0.version) \($0.band ?? "-")" }
        return print
    }

    func testAQuarterStoresTheSameOnEveryDatabase() async throws {
        var prints: [Backends.Kind: Fingerprint] = [:]
        for kind in Backends.available { prints[kind] = try await quarter(on: kind) }
        let sqlite = try XCTUnwrap(prints[.sqlite])
        XCTAssertEqual(sqlite.versions, ["v1 final amends 0", "v3 final amends 1"])
        XCTAssertGreaterThan(sqlite.results.count, 0)
        XCTAssertTrue(sqlite.actions.contains { $0.hasPrefix("discard 2026-Q3") })
        guard let postgres = prints[.postgresql] else { return }
        XCTAssertEqual(postgres.versions, sqlite.versions)
        XCTAssertEqual(postgres.results, sqlite.results)
        XCTAssertEqual(postgres.rubrics, sqlite.rubrics)
        XCTAssertEqual(postgres.adjustments, sqlite.adjustments)
        XCTAssertEqual(postgres.actions, sqlite.actions)
        XCTAssertEqual(postgres.history, sqlite.history)
    }

    /// The rules of the schema refuse the same changes on both databases, and say so as `StoreError.refused`.
    func testTheSameChangesAreRefusedEverywhere() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let store = seed.store
            _ = try await Reviews.finalize(store: store, workspace: seed.workspace, config: seed.config, period: q3)
            let granted = try AccessTokens.grant(store: store, employeeID: "E001")
            _ = try AccessTokens.revoke(store: store, employeeID: nil, id: granted.id)
            let attempts: [(String, String)] = [
                ("UPDATE audit_log SET reason = 'rewritten'", "the audit log is append-only"),
                ("DELETE FROM audit_log", "the audit log is append-only"),
                ("UPDATE review_results SET bonus = '9999.00'", "a finalized review cannot change"),
                ("DELETE FROM adjustments", ""),
                ("UPDATE reviews SET status = 'draft'", "a finalized review cannot change"),
                ("UPDATE access_tokens SET revoked_at = NULL", "a revoked access token stays revoked"),
                ("DELETE FROM access_tokens", "access tokens are revoked, never deleted"),
            ]
            let before = try AuditLog.entries(store).count
            for (sql, message) in attempts where !message.isEmpty {
                XCTAssertThrowsError(try store.write { db in try db.execute(sql: sql) }, "\(kind): \(sql)") { error in
                    guard case .refused(let text) = error as? StoreError else { return XCTFail("\(kind): \(sql): \(error)") }
                    XCTAssertTrue(text.contains(message), "\(kind): \(sql): \(text)")
                }
            }
            do {
                _ = try await Reviews.adjust(store: store, period: q3, employeeID: "E001", band: "A", reason: "too late")
                XCTFail("\(kind): adjusting a finalized review")
            } catch {
                XCTAssertTrue("\(error)".contains("finalized"), "\(kind): \(error)")
            }
            XCTAssertEqual(try AuditLog.entries(store).count, before, "\(kind): a refused change writes nothing")
            XCTAssertEqual(try TamperCheck.check(store: store).breaks, [], "\(kind)")
        }
    }

    /// An import that fails leaves the store exactly as it was: no import row, no chunk, no audit entry.
    func testAFailedImportChangesNothing() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let counts = { () throws -> [Int] in
                try seed.store.read { db in
                    try ["imports", "chunks", "dataset_versions", "version_chunks", "audit_log"].map {
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1
                    }
                }
            }
            let before = try counts()
            let bad = root.appendingPathComponent("surveys-\(kind).csv")
            let good = try String(contentsOf: package.appendingPathComponent("examples/seed-example/surveys.csv"), encoding: .utf8)
            try (good + "E001,not-a-date,5\n").write(to: bad, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(
                try Importer.run(store: seed.store, config: seed.config, dataset: .surveys, path: bad.path, options: .init()), "\(kind)")
            XCTAssertEqual(try counts(), before, "\(kind)")
        }
    }

    /// Writers take turns: adjustments made at the same moment all land, one after another — every one has its audit
    /// entry, the one stored is the last entry's, and the audit chain stays one chain (no lost update, no deadlock).
    func testConcurrentWritersLoseNothing() async throws {
        for kind in Backends.available {
            let seed = try await seeded(on: kind)
            defer { seed.cleanUp() }
            let (_, results, _) = try Reviews.results(store: seed.store, period: q3)
            let person = try XCTUnwrap(results.first { $0.band != nil }).employeeID
            let store = seed.store, period = q3, rounds = 12
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<rounds {
                    group.addTask {
                        _ = try await Reviews.adjust(
                            store: store, period: period, employeeID: person, band: ["A", "B", "C"][i % 3], reason: "round \(i)")
                    }
                }
                try await group.waitForAll()
            }
            let adjusts = try AuditLog.entries(store).filter { $0.action == "adjust" }
            XCTAssertEqual(adjusts.count, rounds, "\(kind)")
            let (_, _, adjustments) = try Reviews.results(store: store, period: q3)
            XCTAssertEqual(adjustments.count, 1, "\(kind)")
            XCTAssertEqual(adjustments.first?.reason, adjusts.last?.reason, "\(kind): the stored adjustment is the last one made")
            XCTAssertEqual(try TamperCheck.check(store: store).breaks, [], "\(kind)")
        }
    }
}
