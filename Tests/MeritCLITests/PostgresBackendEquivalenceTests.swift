import Foundation
import MeritTestSupport
import XCTest
import ZIPFoundation

/// One store, two databases (docs/postgresql.md): the same company, imports, reviews, adjustments and finalizations
/// on a SQLite workspace and on a PostgreSQL one give the same bytes — the stored review documents (themselves
/// `merit evaluate`'s documents plus what a stored review adds), the history, the audit log, the payroll file and
/// the HR workbooks.
final class PostgresBackendEquivalenceTests: XCTestCase {
    static let environment = ScorecardWorkspace.reviewedAt

    /// The workbook's parts, by name, without the one that holds the time it was written (docProps/core.xml) and with
    /// the time of the export (the wall clock's, today, in the sheets' "exported" lines) written as EXPORTED-AT; the
    /// review's own times are MERIT_TEST_NOW's and stay.
    static func parts(_ url: URL) throws -> [String: String] {
        let archive = try Archive(url: url, accessMode: .read)
        let today = ISO8601DateFormatter().string(from: Date()).prefix(10)
        var out: [String: String] = [:]
        for entry in archive where entry.path != "docProps/core.xml" {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            out[entry.path] = String(decoding: data, as: UTF8.self).replacingOccurrences(
                of: "\(today)T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", with: "EXPORTED-AT", options: .regularExpression)
        }
        return out
    }

    func testSQLiteAndPostgreSQLWorkspacesGiveTheSameBytes() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let root = MeritProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let sqlite = root.appendingPathComponent("sqlite"), postgres = root.appendingPathComponent("postgres")
        try merit(["init", sqlite.path, "--rubrics", WorkspaceCommandTests.rubrics])
        try merit(["init", postgres.path, "--rubrics", WorkspaceCommandTests.rubrics, "--store", db.url])
        // The same merit.yaml but for the store's line.
        let config = try String(contentsOf: sqlite.appendingPathComponent("merit.yaml"), encoding: .utf8)
        let pgConfig = try String(contentsOf: postgres.appendingPathComponent("merit.yaml"), encoding: .utf8)
        let storeLines = pgConfig.split(separator: "\n").filter { $0.hasPrefix("store:") || $0.hasPrefix("# The store is in PostgreSQL") }
        XCTAssertEqual(pgConfig.split(separator: "\n").filter { !storeLines.contains($0) }, config.split(separator: "\n"))
        XCTAssertEqual(storeLines.count, 2, pgConfig)
        XCTAssertTrue(pgConfig.contains(db.url), pgConfig)

        /// `merit ARGS` in both workspaces: the same exit status, output and error output.
        @discardableResult
        func both(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
            let s = try merit(args, in: sqlite, environment: Self.environment, file: file, line: line)
            let p = try merit(args, in: postgres, environment: Self.environment, file: file, line: line)
            XCTAssertEqual(p.stdout, s.stdout, "merit \(args.joined(separator: " "))", file: file, line: line)
            XCTAssertEqual(p.stderr, s.stderr, "merit \(args.joined(separator: " "))", file: file, line: line)
            return s.stdout
        }

        let data = WorkspaceCommandTests.demoData
        for d in WorkspaceCommandTests.datasets {
            let s = try merit(["import", d, data.appendingPathComponent("\(d).csv").path], in: sqlite, environment: Self.environment)
            let p = try merit(["import", d, data.appendingPathComponent("\(d).csv").path], in: postgres, environment: Self.environment)
            // The summary names the store; the rest is the same.
            XCTAssertEqual(
                p.stdout.replacingOccurrences(of: db.url, with: "STORE"),
                s.stdout.replacingOccurrences(of: sqlite.path + "/.merit/merit.sqlite", with: "STORE"), d)
        }

        // 2026-Q2: reviewed and finalized as computed, and bit for bit merit evaluate's documents.
        let q2 = try both(["review", "2026-Q2", "--format", "json"])
        var evaluated: [String] = []
        for r in ["customer-service", "account-manager", "sales-rep"] {
            evaluated.append(
                try merit(
                    [
                        "evaluate", "--data", data.path, "--rubric", postgres.appendingPathComponent("rubrics/\(r).yaml").path, "--period", "2026-Q2",
                        "--format", "json",
                    ], in: postgres, environment: Self.environment
                ).stdout)
        }
        XCTAssertEqual(try ReviewJSON.conformanceDocuments(q2), try ReviewJSON.documents(evaluated))
        try both(["finalize", "2026-Q2"])

        // 2026-Q3: an adjustment (a rated customer-service employee in band B or C moved to A), then finalized.
        try both(["review", "2026-Q3"])
        let history = try both(["history", "--format", "json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
        let target = try XCTUnwrap(
            entries.first {
                $0["period"] as? String == "2026-Q3" && $0["rubric"] as? String == "customer-service"
                    && ["B", "C"].contains($0["band"] as? String ?? "")
            })
        let employee = try XCTUnwrap(target["employee_id"] as? String)
        try both(["adjust", "2026-Q3", employee, "--band", "A", "--reason", "Covered two territories all quarter"])
        try both(["show", "2026-Q3", "--format", "json"])
        try both(["finalize", "2026-Q3"])
        for period in ["2026-Q2", "2026-Q3"] {
            try both(["show", period, "--format", "json"])
            try both(["show", period])
        }
        try both(["history", "--format", "json"])
        try both(["history", employee])
        try both(["verify", "2026-Q3"])

        // The audit log: the same entries, chained to the same head.
        try both(["audit", "--format", "json"])
        try both(["audit", "--verify", "--format", "json"])

        // The payroll file and the workbooks of the final review.
        for ws in [sqlite, postgres] {
            try FileManager.default.createDirectory(at: ws.appendingPathComponent("out"), withIntermediateDirectories: true)
            try merit(
                [
                    "export", "2026-Q3", "--out", ws.appendingPathComponent("out/review.xlsx").path, "--payroll",
                    ws.appendingPathComponent("out/pay.csv").path,
                ], in: ws, environment: Self.environment)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: sqlite.appendingPathComponent("out").path).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: postgres.appendingPathComponent("out").path).sorted(), files)
        XCTAssertTrue(files.contains("pay.csv") && files.filter { $0.hasSuffix(".xlsx") }.count == 3, "\(files)")
        for name in files {
            let s = sqlite.appendingPathComponent("out/\(name)"), p = postgres.appendingPathComponent("out/\(name)")
            if name.hasSuffix(".xlsx") {
                let sp = try Self.parts(s), pp = try Self.parts(p)
                XCTAssertEqual(pp.keys.sorted(), sp.keys.sorted(), name)
                for (part, bytes) in sp { XCTAssertEqual(pp[part], bytes, "\(name): \(part)") }
            } else {
                XCTAssertEqual(try Data(contentsOf: p), try Data(contentsOf: s), name)
            }
        }
    }
}
