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

        // Another process's write transaction, begun and left open (an import between two statements).
        let holder = try HeldWriteTransaction(store: ws.appendingPathComponent(".merit/merit.sqlite"))
        defer { holder.release() }

        let out = ws.appendingPathComponent("review.xlsx").path
        for args in [["audit", "2026-Q3"], ["history"], ["show", "2026-Q3"], ["export", "2026-Q3", "--out", out, "--rubric", "customer-service"]] {
            // `timeout` ends a command that waits; a reading command must be done long before.
            let r = try MeritProcess.run(["60", MeritProcess.binary.path] + args, in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
            XCTAssertEqual(r.status, 0, "merit \(args.joined(separator: " ")) waited for the writer or failed: \(r.stderr)")
        }
        // A command that writes still waits for the writer (and here gives up at once: the holder never commits).
        let finalize = try MeritProcess.run(
            ["5", MeritProcess.binary.path, "finalize", "2026-Q3"], in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        XCTAssertEqual(finalize.status, 124, "finalize waits for the open write transaction")
    }

    /// A person's own scorecard is read without writing (docs/workspace.md "Who may open the store"): it does not wait
    /// behind an open write transaction, and it leaves no audit entry.
    func testOnesOwnScorecardIsReadWithoutWriting() throws {
        let ws = try ScorecardWorkspace.make()
        try ScorecardWorkspace.become("E4", in: ws)
        let holder = try HeldWriteTransaction(store: ws.appendingPathComponent(".merit/merit.sqlite"))
        defer { holder.release() }
        let r = try MeritProcess.run(["60", MeritProcess.binary.path, "scorecard"], in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        XCTAssertEqual(r.status, 0, "merit scorecard waited for the writer or failed: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("王小明"), r.stdout)
    }

    /// HR lists the access tokens without writing: it does not wait behind an open write transaction.
    func testListingAccessTokensDoesNotWrite() throws {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        try merit(["access", "grant", "E4"], in: ws)
        let holder = try HeldWriteTransaction(store: ws.appendingPathComponent(".merit/merit.sqlite"))
        defer { holder.release() }
        let r = try MeritProcess.run(
            ["60", MeritProcess.binary.path, "access", "list"], in: ws, executable: URL(fileURLWithPath: "/usr/bin/timeout"))
        XCTAssertEqual(r.status, 0, "merit access list waited for the writer or failed: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("E4"), r.stdout)
    }

    /// `merit init` makes the store private to its owner, whatever the umask; every command warns when it is not.
    func testTheStoreIsPrivateAndEveryCommandSaysWhenItIsNot() throws {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        XCTAssertEqual(try MeritProcess.run(["init", ws.path]).status, 0)
        let marker = ws.appendingPathComponent(".merit").path, store = ws.appendingPathComponent(".merit/merit.sqlite").path
        func mode(_ path: String) -> mode_t {
            var info = stat()
            XCTAssertEqual(stat(path, &info), 0)
            return info.st_mode & 0o777
        }
        XCTAssertEqual(mode(marker), 0o700)
        XCTAssertEqual(mode(store), 0o600)
        XCTAssertFalse(try merit(["history"], in: ws).stderr.contains("warning"))
        XCTAssertEqual(chmod(marker, 0o755), 0)
        XCTAssertEqual(chmod(store, 0o644), 0)
        let exposed = try merit(["history"], in: ws).stderr
        XCTAssertTrue(exposed.contains("can be read by every account on this machine (mode 644)") && exposed.contains("chmod 600"), exposed)
        XCTAssertEqual(chmod(store, 0o640), 0)
        XCTAssertTrue(try merit(["history"], in: ws).stderr.contains("can be read by its group"))
        XCTAssertEqual(chmod(marker, 0o700), 0)
        XCTAssertFalse(try merit(["history"], in: ws).stderr.contains("warning"), "nobody else can enter .merit/")
    }
}

/// Another process's write transaction on a store, begun and left open (an import between two statements): a Python
/// sqlite3 connection that holds it until released.
final class HeldWriteTransaction {
    let process = Process()
    let input = Pipe()

    init(store: URL) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1],isolation_level=None); c.execute('BEGIN IMMEDIATE'); print('held',flush=True); sys.stdin.read()",
            store.path,
        ]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        precondition(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("held"), "the holder began its transaction")
    }

    func release() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
