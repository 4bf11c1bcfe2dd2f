import Foundation
import MeritTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL on PostgreSQL (docs/reference.md §10: "an import that fails or is killed changes nothing"): a `merit import`
/// killed in the middle of its transaction leaves every table as it was, and a `merit serve` replica killed with
/// requests in flight leaves a consistent store that the other replica goes on serving. The database is compared as
/// PostgreSQL's own dump (`pg_dump --data-only --inserts`), never through Merit.
final class PostgresKillTests: XCTestCase {
    typealias Company = PostgresCompany

    /// Surveys enough for an import to be caught in the middle of writing: `rows` records, all in 2026-Q4.
    static func bigSurveys(_ url: URL, rows: Int) throws {
        var text = "employee_id,responded_at,score\n"
        text.reserveCapacity(rows * 40)
        for n in 0..<rows {
            let e = n % 6 + 1, t = n / 6
            text +=
                "E\(e),2026-11-\(String(format: "%02d", 1 + t / 86_400))T\(String(format: "%02d:%02d:%02d", t / 3600 % 24, t / 60 % 60, t % 60))Z,\(n % 5 + 1)\n"
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func testAKilledImportChangesNothing() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let c = try Company.make(db, replicas: ["A"])
        let ws = c.replicas[0]
        let file = c.root.appendingPathComponent("big-surveys.csv")
        try Self.bigSurveys(file, rows: 120_000)
        try db.waitForOtherSessionsToEnd()
        let before = try db.dump()
        XCTAssertGreaterThan(before.count, 50, "the company's rows")
        let entries = try PostgresReplicaTests.assertAuditIntact(c)

        // Killed once it has written in its transaction, then a little later each time: every kill that lands
        // leaves the database as it was.
        var landed = 0
        var log: [String] = []
        var committed = 0
        for extra in [0.0, 0.2, 0.6, 1.0] {
            let run = try RunningMerit(["import", "surveys", file.path], in: ws, environment: Company.environment)
            let start = Date()
            var writing = false
            while run.process.isRunning, Date().timeIntervalSince(start) < 60 {
                if try db.someoneIsWriting() {
                    writing = true
                    break
                }
                usleep(5_000)
            }
            if writing, extra > 0 { usleep(useconds_t(extra * 1_000_000)) }
            let inTransaction = try db.someoneIsWriting()
            let running = run.process.isRunning
            if running { run.kill() }
            let r = run.wait()
            // Killed, unless it ended on its own between the look and the signal.
            let killed = running && run.process.terminationReason == .uncaughtSignal
            log.append("+\(extra) s: " + (killed ? (inTransaction ? "killed mid-transaction" : "killed") : "finished (\(r.status))"))
            guard killed else {
                // It committed before the kill: later attempts would start from another state.
                XCTAssertEqual(r.status, 0, r.stderr)
                committed = 1
                break
            }
            try db.waitForOtherSessionsToEnd()
            let after = try db.dump()
            XCTAssertEqual(after.count, before.count, "\(log.last!): rows")
            XCTAssertEqual(after, before, "\(log.last!): the database changed")
            if inTransaction { landed += 1 }
        }
        XCTAssertGreaterThanOrEqual(landed, 1, "no kill landed in the middle of the import's transaction: \(log)")
        XCTAssertEqual(try PostgresReplicaTests.assertAuditIntact(c), entries + committed, "\(log)")

        // The import run again completes, and what it wrote is there.
        let again = try MeritProcess.run(["import", "surveys", file.path], in: ws, environment: Company.environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertNotEqual(try db.dump(), before)
        XCTAssertGreaterThanOrEqual(try PostgresReplicaTests.assertAuditIntact(c), entries + 1)
        print("PostgresKillTests import kills: \(log.joined(separator: "; "))")
    }

    func testAReplicaKilledMidRequestLeavesTheOtherServing() throws {
        let db = try TestDatabase()
        defer { db.drop() }
        let c = try Company.make(db)
        let hr = try c.tokenFile("E6"), admin = try c.tokenFile("E1"), e4 = try c.tokenFile("E4")
        let a = try Company.serve(c.replicas[0])
        defer { a.stop() }
        let b = try Company.serve(c.replicas[1])
        defer { b.stop() }
        let scorecard = try Company.remote(["scorecard", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertEqual(scorecard.status, 0, scorecard.stderr)

        // Writes and reads in flight through A (and some through B) when A is killed.
        let environment = Company.environment.merging(["MERIT_TOKEN": ""]) { x, _ in x }
        var inFlight: [(String, RunningMerit)] = []
        for i in 0..<4 {
            inFlight.append(
                (
                    "A adjust \(i)",
                    try RunningMerit(
                        [
                            "adjust", "2026-Q4", i % 2 == 0 ? "E4" : "E5", "--band", ["A", "B", "C", "D"][i], "--reason", "In flight \(i)",
                            "--server", a.url, "--token-file", i % 2 == 0 ? hr : admin,
                        ],
                        in: c.root, environment: environment)
                ))
            inFlight.append(
                (
                    "A show \(i)",
                    try RunningMerit(
                        ["show", "2026-Q4", "--format", "json", "--server", a.url, "--token-file", hr], in: c.root, environment: environment)
                ))
            inFlight.append(
                (
                    "B adjust \(i)",
                    try RunningMerit(
                        [
                            "adjust", "2026-Q4", "E3", "--band", ["A", "B", "C", "D"][i], "--reason", "Through B \(i)", "--server", b.url,
                            "--token-file", hr,
                        ],
                        in: c.root, environment: environment)
                ))
        }
        usleep(150_000)
        kill(a.process.processIdentifier, SIGKILL)
        a.process.waitUntilExit()
        XCTAssertEqual(a.process.terminationReason, .uncaughtSignal)

        // Every client ends: those of A with their answer or "unreachable" (exit 74), never a hang or a crash;
        // B's all succeed.
        for (name, run) in inFlight {
            let r = run.wait()
            XCTAssertFalse(r.stderr.contains("Fatal error"), "\(name): \(r.stderr)")
            if name.hasPrefix("B") {
                XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            } else {
                XCTAssertTrue([0, 74].contains(r.status), "\(name): exit \(r.status): \(r.stderr)")
            }
        }

        // B goes on answering, reads and writes (A's sessions held no lock that B now waits for).
        let after = try Company.remote(["scorecard", "--format", "json"], server: b.url, tokenFile: e4)
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(after.stdout, scorecard.stdout)
        let adjusted = try Company.remote(["adjust", "2026-Q4", "E5", "--band", "E", "--reason", "After the crash"], server: b.url, tokenFile: hr)
        XCTAssertEqual(adjusted.status, 0, adjusted.stderr)
        let shown = try Company.remote(["show", "2026-Q4", "--format", "json"], server: b.url, tokenFile: admin)
        XCTAssertEqual(try PostgresReplicaTests.adjustments(shown.stdout)["E5"], "E")
        let finalized = try Company.remote(["finalize", "2026-Q4"], server: b.url, tokenFile: admin)
        XCTAssertEqual(finalized.status, 0, finalized.stderr)

        // The store is consistent: the audit chain and every finalized review's seal hold, and the adjustments in the
        // audit log are the ones stored (each adjust that answered 0 is in the log; none is there twice).
        try PostgresReplicaTests.assertAuditIntact(c, replica: 1)
        let verified = try MeritProcess.run(["verify", "2026-Q4"], in: c.replicas[1], environment: Company.environment)
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertEqual(
            try db.query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'")
                .trimmingCharacters(in: .whitespacesAndNewlines), "0")
    }
}
