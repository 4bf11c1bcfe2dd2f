import Foundation
import MeritTestSupport
import XCTest

/// Commands that only read (`audit`, `history`, `export`) open the store read-only (docs/workspace.md): they do not
/// wait behind another command's open write transaction. Opening for writing, even to read, waited for the writer
/// (up to the ten-minute busy timeout).
final class ReadOnlyCommandsTests: XCTestCase {
    func testReadingCommandsDoNotWaitBehindAnOpenWriteTransaction() throws {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        XCTAssertEqual(try MeritProcess.run(["init", ws.path]).status, 0)
        for d in WorkspaceCommandTests.datasets {
            let r = try MeritProcess.run(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(try MeritProcess.run(["review", "2026-Q3"], in: ws).status, 0)

        // Another process's write transaction, begun and left open (an import between two statements): a Python
        // sqlite3 connection that holds it until its standard input closes.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let script =
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1],isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('held',flush=True); sys.stdin.read()"
        holder.arguments = ["python3", "-c", script, ws.appendingPathComponent(".merit/merit.sqlite").path]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        XCTAssertTrue(
            String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("held"), "the holder began its transaction")

        let out = ws.appendingPathComponent("review.xlsx").path
        for args in [["audit", "2026-Q3"], ["history"], ["export", "2026-Q3", "--out", out, "--rubric", "customer-service"]] {
            // `timeout` ends a command that waits; a reading command must be done long before.
            let r = try MeritProcess.run(["60", MeritProcess.binary.path] + args, in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
            XCTAssertEqual(r.status, 0, "merit \(args.joined(separator: " ")) waited for the writer or failed: \(r.stderr)")
        }
        // A command that writes still waits for the writer (and here gives up at once: the holder never commits).
        let finalize = try MeritProcess.run(
            ["5", MeritProcess.binary.path, "finalize", "2026-Q3"], in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        XCTAssertEqual(finalize.status, 124, "finalize waits for the open write transaction")
    }
}
