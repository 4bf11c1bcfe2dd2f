import Foundation
import MeritTestSupport
import XCTest

/// SIGKILL at any moment of a command that writes the store leaves the store exactly as it was (docs/reference.md §10:
/// "an import that fails or is killed changes nothing"), and the command run again completes.
///
/// The store is compared as a full logical dump (python3's sqlite3 `iterdump()`: the schema and every row of every
/// table, with the user version), never through Merit's own tables, so the test holds for any store layout.
final class WorkspaceKillTests: XCTestCase {
    /// What a kill attempt found.
    struct Attempt: CustomStringConvertible {
        /// When SIGKILL was sent, in seconds from the start, and the fraction of the command's full duration.
        let delay: TimeInterval, fraction: Double
        /// The command was still running when SIGKILL was sent (and died of it).
        let landed: Bool
        /// How many bytes the store's files (the database, its WAL or journal) had grown by then.
        let grown: Int
        /// The store held the command's whole work: the kill came after it committed, as it tidied up or exited.
        var committed = false
        /// Killed before the command had done its work.
        var midway: Bool { landed && !committed }
        var description: String {
            String(format: "%.2f s (%.0f %%) ", delay, fraction * 100)
                + (landed ? "landed, store +\(grown) bytes\(committed ? ", after the commit" : "")" : "too late")
        }
    }

    /// Bytes written to the store's files by the time of a kill that shows the command was in the middle of a large
    /// write (an import of 200,000 records writes tens of megabytes).
    static let bulkWrite = 1 << 20

    /// Where the test's workspaces and their copies live; removed at the end.
    var scratch = MeritProcess.temporaryDirectory()

    override func tearDown() {
        try? FileManager.default.removeItem(at: scratch)
        super.tearDown()
    }

    /// The pristine workspace copied for each attempt, so a command that ends before its kill spoils nothing.
    func copy(_ ws: URL) throws -> URL {
        let dir = scratch.appendingPathComponent("copy-\(UUID().uuidString)/ws")
        try FileManager.default.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ws, to: dir)
        return dir
    }

    func discard(_ copy: URL) { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }

    func store(_ ws: URL) -> String { ws.appendingPathComponent(".merit/merit.sqlite").path }

    /// The integrity check's answer, then the number of lines and the SHA-256 of the store's logical dump.
    func dump(_ ws: URL) throws -> (integrity: String, digest: String) {
        let script = """
            from hashlib import sha256
            from sqlite3 import connect
            from sys import argv
            db = connect(argv[1])
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
            h = sha256()
            lines = 0
            for pragma in ("user_version", "application_id"):
                h.update(("PRAGMA %s = %s;\\n" % (pragma, db.execute("PRAGMA " + pragma).fetchone()[0])).encode())
            for line in db.iterdump():
                h.update(line.encode() + b"\\n")
                lines += 1
            db.close()
            print(integrity)
            print("%d lines %s" % (lines, h.hexdigest()))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, store(ws)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not dump \(store(ws))")
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return (lines.first ?? "", lines.dropFirst().first ?? "")
    }

    /// The bytes of the store's directory (the database, its WAL or journal, any temporary file) but the
    /// shared-memory index, which SQLite sizes on opening, before any write.
    func storeBytes(_ ws: URL) -> Int {
        let dir = ws.appendingPathComponent(".merit")
        var bytes = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] where !name.hasSuffix("-shm") {
            bytes += (try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path))?[.size] as? Int ?? 0
        }
        return bytes
    }

    /// Runs `arguments` in `ws` and SIGKILLs it after `fraction` of `full` seconds, or (`fraction` nil) as soon as it
    /// has written a `bulkWrite` to the store's files, unless it ended first.
    func killed(_ arguments: [String], in ws: URL, at fraction: Double?, of full: TimeInterval) throws -> Attempt {
        let bytesBefore = storeBytes(ws)
        let process = Process()
        process.executableURL = MeritProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = ws
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let start = Date()
        var grown = 0
        while process.isRunning {
            let elapsed = Date().timeIntervalSince(start)
            grown = max(grown, storeBytes(ws) - bytesBefore)
            if let fraction, elapsed >= full * fraction { break }
            // Generous: a loaded machine may take twice as long as the measured run.
            if fraction == nil, grown >= Self.bulkWrite || elapsed >= full * 3 { break }
            usleep(2_000)
        }
        let elapsed = Date().timeIntervalSince(start)
        let running = process.isRunning
        if running { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let landed = running && process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return Attempt(delay: elapsed, fraction: elapsed / full, landed: landed, grown: grown)
    }

    /// How long the command takes to the end, in its own copy of `ws`.
    func duration(_ arguments: [String], in ws: URL) throws -> TimeInterval {
        let copy = try copy(ws)
        defer { discard(copy) }
        let start = Date()
        try merit(arguments, in: copy)
        return Date().timeIntervalSince(start)
    }

    /// Kills `arguments` at fractions of its full duration (and, with `bulk`, once in the middle of a large write),
    /// each time in a fresh copy of `ws`, and checks that the store of every copy dumps exactly as `ws` does, its
    /// integrity intact, unless `completed` finds the command's whole work there (a kill that came after the commit).
    /// A command may end before its kill when the machine is idle: then more attempts, until at least three kills
    /// landed midway, one in the command's second half (and, with `bulk`, one while it had written a `bulkWrite`).
    /// Returns the copy of the last kill that landed midway.
    func assertKillsChangeNothing(
        _ arguments: [String], in ws: URL, bulk: Bool, completed: (URL) throws -> Bool, file: StaticString = #filePath, line: UInt = #line
    ) throws -> URL {
        let before = try dump(ws)
        XCTAssertEqual(before.integrity, "ok", file: file, line: line)
        XCTAssertFalse(before.digest.isEmpty, file: file, line: line)
        var full = try duration(arguments, in: ws)
        // nil: in the middle of a large write.
        let plan: [Double?] = [0.15, 0.4, 0.65, 0.9] + (bulk ? [nil] : [])
        let extra: [Double?] = [0.2, 0.6, 0.4, 0.8] + (bulk ? [nil, nil] : [0.5, 0.7])
        var attempts: [Attempt] = []
        var lastKilled: URL?
        func enough() -> Bool {
            let midway = attempts.filter(\.midway)
            return midway.count >= 3 && midway.contains { $0.fraction >= 0.5 } && (!bulk || midway.contains { $0.grown >= Self.bulkWrite })
        }
        for (n, fraction) in (plan + extra).enumerated() where n < plan.count || !enough() {
            let copy = try copy(ws)
            var attempt = try killed(arguments, in: copy, at: fraction, of: full)
            // Ended before its kill: it ran faster than measured (the machine got quieter), so aim by this run.
            if !attempt.landed { full = min(full, attempt.delay) }
            if attempt.landed {
                let after = try dump(copy)
                XCTAssertEqual(after.integrity, "ok", "killed after \(attempt)", file: file, line: line)
                if after.digest == before.digest {
                    if let lastKilled { discard(lastKilled) }
                    lastKilled = copy
                    attempts.append(attempt)
                    continue
                } else if try completed(copy) {
                    attempt.committed = true
                } else {
                    XCTFail("killed after \(attempt) of \(full) s: the store changed, and not to the command's whole work", file: file, line: line)
                }
            }
            discard(copy)
            attempts.append(attempt)
        }
        let command = "merit \(arguments.joined(separator: " ")) (\(String(format: "%.2f", full)) s to the end)"
        print("WorkspaceKillTests: \(command): \(attempts)")
        XCTAssertTrue(
            enough(), "\(command): too few kills landed midway, in its second half\(bulk ? ", or in a large write" : ""): \(attempts)", file: file,
            line: line)
        return try XCTUnwrap(lastKilled, file: file, line: line)
    }

    /// How many entries a JSON array holds.
    func entries(_ json: String) throws -> Int {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any]).count
    }

    func testSIGKILLDuringImportOrReviewLeavesTheStoreAsItWas() throws {
        let root = scratch
        let ws = root.appendingPathComponent("ws")
        try merit(["init", ws.path, "--rubrics", WorkspaceCommandTests.rubrics], in: root)
        for d in WorkspaceCommandTests.datasets {
            try merit(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
        }
        // 200,000 surveys of the demo's people: an import and a review of them take seconds in a debug build.
        let ids = try String(contentsOf: WorkspaceCommandTests.demoData.appendingPathComponent("employees.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        var text = "employee_id,responded_at,score,recommend,response_id\n"
        text.reserveCapacity(200_000 * 60)
        for i in 0..<200_000 {
            text += "\(ids[i % ids.count]),2026-0\(7 + i % 3)-\(String(format: "%02d", i % 28 + 1))T\(String(format: "%02d", i % 24)):00:00Z,"
            text += "\(i % 5 + 1),\(i % 11),K\(i)\n"
        }
        let big = root.appendingPathComponent("big-surveys.csv")
        try text.write(to: big, atomically: true, encoding: .utf8)

        // The import: killed, the store is as before; run again, it loads everything. A kill that came after the
        // commit leaves every record stored (a dry run finds them all unchanged).
        let importing = ["import", "surveys", big.path]
        let afterImportKill = try assertKillsChangeNothing(importing, in: ws, bulk: true) { copy in
            try self.merit(importing + ["--dry-run"], in: copy).stdout.unwrapped.contains("(0 new, 0 changed, 200,000 unchanged)")
        }
        let done = try merit(importing, in: afterImportKill)
        XCTAssertTrue(done.stdout.unwrapped.contains("200,000 loaded (200,000 new"), done.stdout)

        // A review over an existing draft: killed, the draft and everything else are as before; run again, it replaces
        // it. It writes the draft in one short transaction at its end (too short to aim a kill at), so the kills land
        // while it reads and computes. A kill that came after the commit leaves one more review in the audit log and
        // the same results (the data did not change).
        let reviewed = afterImportKill
        try merit(["review", "2026-Q3"], in: reviewed)
        let reference = try copy(reviewed)
        let audit = try entries(try merit(["audit", "--format", "json"], in: reference).stdout)
        let history = try merit(["history", "--format", "json"], in: reference).stdout
        discard(reference)
        // --force: nothing changed, so a plain review would write nothing (docs/workspace.md "Re-running a review").
        let afterReviewKill = try assertKillsChangeNothing(["review", "2026-Q3", "--force"], in: reviewed, bulk: false) { copy in
            try self.entries(try self.merit(["audit", "--format", "json"], in: copy).stdout) == audit + 1
                && (try self.merit(["history", "--format", "json"], in: copy).stdout) == history
        }
        let again = try merit(["review", "2026-Q3", "--force"], in: afterReviewKill)
        XCTAssertTrue(again.stdout.contains("replacing the previous draft"), again.stdout)
        XCTAssertEqual(try dump(afterReviewKill).integrity, "ok")
    }
}

extension String {
    /// A summary as one line again: `WrappedLine` breaks a long one between its pieces, indenting the rest by two.
    fileprivate var unwrapped: String { replacingOccurrences(of: "\n  ", with: " ") }
}
