import Foundation
import MeritReport
import MeritTestSupport
import XCTest

/// `merit access` grown up (issue 18, docs/server.md "Access tokens"), run as the real binary: tokens expire (180
/// days unless --expires says otherwise), leavers get none, a team or the whole roster is issued tokens into private
/// files that are never overwritten, and `merit access list` shows holders, dates and status in 80 columns.
final class TokenLifecycleTests: XCTestCase {
    /// "Now" for every command here (debug builds honour it): 2026-10-05, after E4's last day.
    static let now = ["MERIT_TEST_NOW": "2026-10-05T08:00:00.000Z"]

    ///     E1 Ada ── E2 Bruno ── E3 Chen
    ///                       └─ E4 Dora (left 2026-09-30)
    ///            └─ E/05 Eve, .x Xi, 李 04 王小明 (ids that are no safe file name)
    ///     E9 Ivo (no manager)
    /// The test's own login is HR (merit.yaml `hr:`) and on no roster row.
    func workspace() throws -> URL {
        let root = MeritProcess.temporaryDirectory()
        let ws = root.appendingPathComponent("ws")
        try merit(["init", ws.path])
        try ScorecardWorkspace.writeConfig(ws, hr: [ScorecardWorkspace.me])
        let roster = root.appendingPathComponent("employees.csv")
        try """
        employee_id,name,manager_id,hire_date,end_date,login
        E1,Ada Boss,,2020-01-01,,u1
        E2,Bruno Manager,E1,2020-01-01,,u2
        E3,Chen Lead,E2,2020-01-01,,u3
        E4,Dora Leaver,E2,2020-01-01,2026-09-30,u4
        E/05,Eve Slash,E1,2020-01-01,,u5
        .x,Xi Dot,E1,2020-01-01,,u6
        李 04,王小明,E1,2020-01-01,,u7
        E9,Ivo Alone,,2020-01-01,,u9

        """.write(to: roster, atomically: true, encoding: .utf8)
        try merit(["import", "employees", roster.path], in: ws)
        return ws
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0, path)
        return info.st_mode & 0o777
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func testAGrantExpiresIn180DaysUnlessToldOtherwise() throws {
        let ws = try workspace()
        let standard = try merit(["access", "grant", "E1"], in: ws, environment: Self.now)
        XCTAssertTrue(standard.stdout.hasPrefix("mrt_") && standard.stdout.hasSuffix("\n"), standard.stdout)
        XCTAssertTrue(standard.stderr.contains("expires 2027-04-03 (180 days)"), standard.stderr)
        try merit(["access", "grant", "E2", "--expires", "2w"], in: ws, environment: Self.now)
        try merit(["access", "grant", "E3", "--expires", "30d"], in: ws, environment: Self.now)
        let tokens = try json(merit(["access", "list", "--format", "json"], in: ws, environment: Self.now).stdout)
        XCTAssertEqual(
            tokens.map { $0["expires_at"] as? String },
            ["2027-04-03T08:00:00.000Z", "2026-10-19T08:00:00.000Z", "2026-11-04T08:00:00.000Z"])
        // The audit log says each grant's expiry.
        let audit = try merit(["audit", "--format", "json"], in: ws, environment: Self.now, status: 0).stdout
        XCTAssertTrue(audit.contains("expires 2027-04-03T08:00:00.000Z"), audit)
    }

    func testALifetimeThatIsNoneIsAUsageError() throws {
        let ws = try workspace()
        for bad in ["0d", "-5d", "never", "abc", "731d", "105w", "10", "1.5d"] {
            let r = try merit(["access", "grant", "E1", "--expires=\(bad)"], in: ws, environment: Self.now, status: 64)
            XCTAssertTrue(r.stderr.contains("--expires '\(bad)' is not a lifetime"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertEqual(try merit(["access", "list"], in: ws).stdout, "No access token was issued.\n")
        // Where the tokens go is said, once.
        try merit(["access", "grant", "E1", "--out", "d"], in: ws, status: 64)
        try merit(["access", "grant", "--team", "E1"], in: ws, status: 64)
        try merit(["access", "grant", "E1", "--all", "--out", "d"], in: ws, status: 64)
        try merit(["access", "grant", "--team", "E404", "--out", "d"], in: ws, status: 65)
    }

    func testALeaverIsGrantedNothing() throws {
        let ws = try workspace()
        let r = try merit(["access", "grant", "E4"], in: ws, environment: Self.now, status: 65)
        XCTAssertTrue(r.stderr.contains("E4 has left"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        // On their last day they still may be.
        try merit(["access", "grant", "E4"], in: ws, environment: ["MERIT_TEST_NOW": "2026-09-30T23:00:00.000Z"])
    }

    func testATeamIsIssuedPrivateFilesThatAreNeverOverwritten() throws {
        let ws = try workspace()
        let dir = ws.deletingLastPathComponent().appendingPathComponent("tokens").path
        let r = try merit(["access", "grant", "--team", "E2", "--out", dir], in: ws, environment: Self.now)
        XCTAssertEqual(r.stdout, "", "the tokens are in the files only")
        XCTAssertTrue(r.stderr.contains("skipped E4: left"), r.stderr)
        XCTAssertTrue(r.stderr.contains("issued 2 tokens into \(dir), expiring 2027-04-03 (180 days); skipped 1 leaver"), r.stderr)
        XCTAssertEqual(mode(dir), 0o700)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["E2.token", "E3.token"])
        var tokens: [String: String] = [:]
        for id in ["E2", "E3"] {
            let path = "\(dir)/\(id).token"
            XCTAssertEqual(mode(path), 0o600)
            tokens[id] = try String(contentsOfFile: path, encoding: .utf8)
            XCTAssertTrue(tokens[id]!.hasPrefix("mrt_") && tokens[id]!.hasSuffix("\n"))
        }
        let listed = try json(merit(["access", "list", "--format", "json"], in: ws, environment: Self.now).stdout)
        XCTAssertEqual(listed.map { $0["employee_id"] as? String }, ["E2", "E3"])
        for t in listed {
            XCTAssertTrue(tokens[t["employee_id"] as? String ?? ""]?.hasPrefix("mrt_\(t["id"] as? String ?? "?")_") == true, "\(t)")
        }

        // Again: every file exists, so nothing is issued and nothing is overwritten.
        let again = try merit(["access", "grant", "--team", "E2", "--out", dir], in: ws, environment: Self.now)
        XCTAssertTrue(again.stderr.contains("skipped E2: \(dir)/E2.token exists and is not overwritten"), again.stderr)
        XCTAssertTrue(again.stderr.contains("no token issued into \(dir); skipped 1 leaver, 2 with a file already"), again.stderr)
        for id in ["E2", "E3"] { XCTAssertEqual(try String(contentsOfFile: "\(dir)/\(id).token", encoding: .utf8), tokens[id]) }
        XCTAssertEqual(try json(merit(["access", "list", "--format", "json"], in: ws).stdout).count, 2)
    }

    func testEveryoneIsIssuedFilesNamedSafelyAndExistingOnesAreKept() throws {
        let ws = try workspace()
        let dir = ws.deletingLastPathComponent().appendingPathComponent("all")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try "mine\n".write(to: dir.appendingPathComponent("E1.token"), atomically: false, encoding: .utf8)
        // A link where a token would go is not followed.
        let elsewhere = ws.deletingLastPathComponent().appendingPathComponent("elsewhere")
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("E9.token").path, withDestinationPath: elsewhere.path)

        let r = try merit(["access", "grant", "--all", "--out", dir.path], in: ws, environment: Self.now)
        XCTAssertTrue(r.stderr.contains("warning: \(dir.path) is open to other users (mode 755)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped E1:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped E9:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("issued 5 tokens"), r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped 1 leaver, 2 with a file already"), r.stderr)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(),
            ["%2Ex.token", "%E6%9D%8E%2004.token", "E%2F05.token", "E1.token", "E2.token", "E3.token", "E9.token"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("E1.token"), encoding: .utf8), "mine\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: elsewhere.path), "the link was not followed")
        for name in ["%2Ex.token", "%E6%9D%8E%2004.token", "E%2F05.token"] {
            XCTAssertEqual(mode(dir.appendingPathComponent(name).path), 0o600)
        }
        let holders = try json(merit(["access", "list", "--format", "json"], in: ws).stdout).compactMap { $0["employee_id"] as? String }
        XCTAssertEqual(Set(holders), [".x", "E/05", "E2", "E3", "李 04"])
    }

    func testTheListHasAHeaderHoldersDatesAndStatusIn80Columns() throws {
        let ws = try workspace()
        // E4 is granted before they left; E2's token expires; E3's is revoked; 李 04's stays active.
        try merit(["access", "grant", "E4"], in: ws, environment: ["MERIT_TEST_NOW": "2026-09-01T08:00:00.000Z"])
        try merit(["access", "grant", "E2", "--expires", "1d"], in: ws, environment: ["MERIT_TEST_NOW": "2026-09-01T08:00:00.000Z"])
        try merit(["access", "grant", "E3"], in: ws, environment: Self.now)
        try merit(["access", "revoke", "E3"], in: ws, environment: Self.now)
        try merit(["access", "grant", "李 04"], in: ws, environment: Self.now)

        let table = try merit(["access", "list"], in: ws, environment: Self.now).stdout
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, table)
        XCTAssertEqual(
            lines[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "),
            "Token Employee Name Issued Expires Last used Status")
        for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 80, line) }
        func row(_ employee: String) -> String? { lines.first { $0.contains(" \(employee) ") } }
        let e2Row = try XCTUnwrap(row("E2"), table)
        for cell in ["Bruno Manager", "2026-09-01", "2026-09-02", "never"] { XCTAssertTrue(e2Row.contains(cell), e2Row) }
        XCTAssertTrue(row("E2")?.hasSuffix("expired") == true, table)
        XCTAssertTrue(row("E3")?.hasSuffix("revoked") == true, table)
        XCTAssertTrue(row("E4")?.hasSuffix("left") == true, table)
        XCTAssertTrue(row("李 04")?.contains("王小明") == true && row("李 04")?.hasSuffix("active") == true, table)

        let listed = try json(merit(["access", "list", "--format", "json"], in: ws, environment: Self.now).stdout)
        let e2 = try XCTUnwrap(listed.first { $0["employee_id"] as? String == "E2" })
        for key in ["id", "employee_id", "issued_at", "issued_by", "revoked_at", "revoked_by", "name", "expires_at", "last_used_at", "status"] {
            XCTAssertTrue(e2.keys.contains(key), key)
        }
        XCTAssertEqual(e2["name"] as? String, "Bruno Manager")
        XCTAssertEqual(e2["status"] as? String, "expired")
        XCTAssertEqual(e2["expires_at"] as? String, "2026-09-02T08:00:00.000Z")
        XCTAssertTrue(e2["last_used_at"] is NSNull)
        XCTAssertEqual(Set(listed.compactMap { $0["status"] as? String }), ["expired", "revoked", "left", "active"])
    }
}
