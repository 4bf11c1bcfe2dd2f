import Foundation
import MeritTestSupport
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Self-service scorecards end to end (issue 6), through the real binary: the local view under the access
/// policy, and `merit serve` on a loopback port read by `merit scorecard --server`. Identity is the real OS
/// account: each scenario writes the roster so that the current login is the employee, manager or HR person
/// under test (the people and reviews of `ScorecardWorkspace`, in Tests/MeritTestSupport).
final class ScorecardCommandTests: XCTestCase {
    func auditViews(_ ws: URL) throws -> [String] {
        try merit(["audit"], in: ws).stdout.components(separatedBy: "\n").enumerated()
            .filter { $0.element.contains("scorecard-view") }.map(\.element)
    }

    // MARK: local

    static let shared: URL = try! ScorecardWorkspace.make()

    func testAnEmployeeSeesTheirOwnScorecardAndNoColleagues() throws {
        let ws = Self.shared
        try ScorecardWorkspace.become("E4", in: ws)
        let own = try merit(["scorecard"], in: ws)
        XCTAssertTrue(own.stdout.contains("王小明 · E4 · 2026-Q3"), own.stdout)
        XCTAssertTrue(own.stdout.contains("Covered the night shift"), "the adjustment's reason: \(own.stdout)")
        XCTAssertTrue(own.stdout.contains("2026-Q2"), "history: \(own.stdout)")
        XCTAssertFalse(own.stdout.contains("\u{1B}["), "no colour when piped")
        assertLinesFit(own.stdout, width: TerminalColumns.width)

        let json = try merit(["scorecard", "E4", "--period", "2026-Q2", "--json"], in: ws)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["employee_id"] as? String, "E4")
        XCTAssertEqual(object?["period"] as? String, "2026-Q2")

        // A peer, a manager, a stranger and a draft: one message shape, exit 77, nothing on standard output.
        var messages: [String] = []
        for (subject, period) in [("E5", "2026-Q3"), ("E3", "2026-Q3"), ("E404", "2026-Q3"), ("E4", "2026-Q4"), ("E4", "2027-Q1")] {
            let r = try merit(["scorecard", subject, "--period", period], in: ws, status: 77)
            XCTAssertEqual(r.stdout, "")
            messages.append(r.stderr.replacingOccurrences(of: "'\(subject)'", with: "'X'").replacingOccurrences(of: period, with: "P"))
        }
        XCTAssertEqual(Set(messages), ["merit: you cannot see a scorecard for 'X' for P\n"])
        XCTAssertEqual(
            try auditViews(ws).filter { $0.hasSuffix(" E4") && $0.contains(" \(ScorecardWorkspace.me) ") }.count, 0, "own views are not logged")
    }

    /// E4's 2026-Q3 band was raised to A by a manager: the JSON gives the computed band, multiplier and bonus and the
    /// ones in force in two parts, each consistent in itself (issue 17). The server sends the same document
    /// (ServeCommandTests compares the two byte for byte).
    func testAnAdjustedScorecardsJSONKeepsTheComputedAndTheOfficialOutcomeApart() throws {
        let ws = Self.shared
        try ScorecardWorkspace.become("E4", in: ws)
        let json = try merit(["scorecard", "--period", "2026-Q3", "--format", "json"], in: ws).stdout
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], json)
        let computed = try XCTUnwrap(object["computed"] as? [String: Any], json)
        let official = try XCTUnwrap(object["official"] as? [String: Any], json)
        // The roster's bonus_target is 2000.00: the bonus is 2000 × the part's own multiplier.
        let multipliers = ["A": "1.5", "B": "1.2", "C": "1.0", "D": "0.5", "E": "0"]
        let band = try XCTUnwrap(computed["band"] as? String, json)
        XCTAssertNotEqual(band, "A", "the fixture's computed band is not the adjusted one")
        XCTAssertEqual(computed["multiplier"] as? String, multipliers[band])
        XCTAssertEqual(
            Decimal(string: try XCTUnwrap(computed["bonus"] as? String)), 2000 * Decimal(string: multipliers[band]!)!, json)
        XCTAssertEqual(official["band"] as? String, "A")
        XCTAssertEqual(official["multiplier"] as? String, "1.5")
        XCTAssertEqual(official["bonus"] as? String, "3000.00")
        XCTAssertEqual(official["adjusted"] as? Bool, true)
        XCTAssertEqual(official["reason"] as? String, "Covered the night shift all quarter")
        let total = try XCTUnwrap(computed["total"] as? Double, json)
        XCTAssertEqual(total, (total * 10).rounded() / 10, "the total in the unit shown, one decimal")
        XCTAssertNil(object["band"], json)
        XCTAssertNil(object["bonus"], json)
        XCTAssertFalse(json.contains("total_tenths"), json)
    }

    func testManagersSeeDirectAndIndirectReportsAndTheViewIsAudited() throws {
        let ws = try ScorecardWorkspace.make()
        try ScorecardWorkspace.become("E3", in: ws)
        XCTAssertTrue(try merit(["scorecard", "E4"], in: ws).stdout.contains("王小明"))
        try merit(["scorecard", "E5"], in: ws, status: 77)
        try merit(["scorecard", "E2"], in: ws, status: 77)
        try ScorecardWorkspace.become("E2", in: ws)
        XCTAssertTrue(try merit(["scorecard", "E4", "--period", "2026-Q3"], in: ws).stdout.contains("王小明"), "indirect")
        XCTAssertTrue(try merit(["scorecard", "E5"], in: ws).stdout.contains("Dora Peer"), "direct")
        try merit(["scorecard", "E1"], in: ws, status: 77)
        let audit = try merit(["audit", "2026-Q3"], in: ws).stdout
        XCTAssertEqual(audit.components(separatedBy: "scorecard-view 2026-Q3 v1 E4").count - 1, 2, audit)
        XCTAssertTrue(audit.contains("viewed by \(ScorecardWorkspace.me) (E3) via local"), audit)
        XCTAssertTrue(audit.contains("viewed by \(ScorecardWorkspace.me) (E2) via local"), audit)

        // An amendment in progress is a draft: the finalized version stays the one shown until it is finalized.
        try merit(["amend", "2026-Q2", "--reason", "Late surveys"], in: ws)
        try merit(["scorecard", "E4", "--period", "2026-Q2"], in: ws)
        try merit(["review", "2026-Q2"], in: ws)
        try merit(["finalize", "2026-Q2"], in: ws)
        try merit(["scorecard", "E4", "--period", "2026-Q2"], in: ws)
        let q2 = try merit(["audit", "2026-Q2"], in: ws).stdout
        XCTAssertTrue(q2.contains("scorecard-view 2026-Q2 v1 E4"), q2)
        XCTAssertTrue(q2.contains("scorecard-view 2026-Q2 v2 E4"), q2)
    }

    func testHRSeesEveryoneButNeverADraft() throws {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        try ScorecardWorkspace.become(nil, in: ws)
        for (id, name) in [("E1", "Ada Boss"), ("E4", "王小明"), ("E6", "Hana HR")] {
            XCTAssertTrue(try merit(["scorecard", id], in: ws).stdout.contains(name))
        }
        try merit(["scorecard", "E4", "--period", "2026-Q4"], in: ws, status: 77)
        // Without a roster row of their own, "my scorecard" is refused plainly.
        XCTAssertTrue(try merit(["scorecard"], in: ws, status: 77).stderr.contains("no row of the roster"))
    }

    /// A login on two roster rows is nobody (issue 18), even when merit.yaml lists it under hr:: the tester's login on
    /// E4's and E5's rows sees no scorecard, not even "their own", and is told why.
    func testALoginOnTwoRowsIsNobodyEvenIfHR() throws {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        let twins = ws.deletingLastPathComponent().appendingPathComponent("twins.csv")
        try ScorecardWorkspace.roster(loginOf: "E4").replacingOccurrences(of: ",u5\n", with: ",\(ScorecardWorkspace.me)\n")
            .write(to: twins, atomically: true, encoding: .utf8)
        try merit(["import", "employees", twins.path], in: ws)
        for subject in ["E1", "E4", "E5", "E6"] {
            let r = try merit(["scorecard", subject, "--period", "2026-Q3"], in: ws, status: 77)
            XCTAssertEqual(r.stderr, "merit: you cannot see a scorecard for '\(subject)' for 2026-Q3\n")
        }
        let mine = try merit(["scorecard"], in: ws, status: 77)
        XCTAssertTrue(mine.stderr.contains("more than one row"), mine.stderr)
        // Nor may it manage tokens as HR.
        let access = try merit(["access", "grant", "E1"], in: ws, status: 77)
        XCTAssertEqual(access.stdout, "", "no token issued")
        XCTAssertTrue(access.stderr.contains("more than one row"), access.stderr)
    }

    func testOnlyHRGrantsTokens() throws {
        let ws = Self.shared
        try ScorecardWorkspace.become("E1", in: ws)
        let r = try merit(["access", "grant", "E4"], in: ws, status: 77)
        XCTAssertEqual(r.stdout, "")
        try merit(["access", "list"], in: ws, status: 77)
    }

    // MARK: the terminal

    func testColourOnlyOnATerminal() throws {
        let ws = Self.shared
        try ScorecardWorkspace.become("E4", in: ws)
        func underPTY(_ env: String) throws -> String {
            // script(1) runs the command on a pseudo-terminal and relays what it shows to its own output.
            let command = "cd '\(ws.path)' && \(env) '\(MeritProcess.binary.path)' scorecard"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            p.arguments = ["-qec", command, "/dev/null"]
            p.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"]
            let out = Pipe()
            p.standardInput = FileHandle.nullDevice
            p.standardOutput = out
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            return String(decoding: data, as: UTF8.self)
        }
        let coloured = try underPTY("")
        XCTAssertTrue(coloured.contains("\u{1B}["), "colour on a terminal: \(coloured)")
        XCTAssertTrue(coloured.contains("王小明"))
        let plain = try underPTY("NO_COLOR=1")
        XCTAssertFalse(plain.contains("\u{1B}["), "NO_COLOR: \(plain)")
        // CJK: the name takes two columns a character, and every line still fits 80 columns.
        // ("\r\n" is one Character in Swift: split on scalars.)
        let lines = plain.components(separatedBy: CharacterSet.newlines)
        XCTAssertTrue(lines.contains { $0.hasPrefix("王小明 · E4 · ") })
        assertLinesFit(lines, width: TerminalColumns.width)
        // The table's columns line up with its header whatever the name's script: every metric row is as wide.
        let printed = lines.filter { !$0.isEmpty }  // "\r\n" splits into a line and an empty one
        guard let headerIndex = printed.firstIndex(where: { $0.hasPrefix("Metric ") }) else { return XCTFail(plain) }
        let rows = printed[(headerIndex + 1)...].prefix { !$0.hasPrefix("─") }.filter { !$0.hasPrefix("  ") }
        XCTAssertEqual(rows.count, 4, plain)
        for row in rows where row.hasSuffix(".0") || row.hasSuffix(".5") || row.last?.isNumber == true {
            XCTAssertEqual(TerminalColumns.width(row), TerminalColumns.width(printed[headerIndex]), "\(row)\n\(printed[headerIndex])")
        }
    }

    /// As a person sees it: tmux at 80×24, the screen captured. Every metric row ends in the Points column, whatever
    /// the script of the metric's name, and the bars are drawn.
    func testAlignedUnderTmuxAt80x24() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        let ws = Self.shared
        try ScorecardWorkspace.become("E4", in: ws)
        let session = "merit-\(UUID().uuidString.prefix(8))"
        // The tmux server that new-session starts inherits Foundation's descriptor that tells a Process has ended,
        // so new-session is not waited for (the screen is polled instead).
        func tmux(_ args: [String], capture: Bool = false, wait: Bool = true) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
            p.arguments = ["-L", session] + args
            let out = Pipe()
            p.standardOutput = capture ? out : FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let data = capture ? out.fileHandleForReading.readDataToEndOfFile() : Data()
            if wait { p.waitUntilExit() }
            return String(decoding: data, as: UTF8.self)
        }
        defer { _ = try? tmux(["kill-server"]) }
        let done = ws.deletingLastPathComponent().appendingPathComponent("\(session).done")
        _ = try tmux(
            [
                "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", ws.path,
                "'\(MeritProcess.binary.path)' scorecard --period 2026-Q3; touch '\(done.path)'; sleep 20",
            ], wait: false)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: done.path), Date() < deadline { usleep(100_000) }
        let screen = try tmux(["capture-pane", "-p", "-t", session], capture: true).components(separatedBy: "\n")
        guard let header = screen.firstIndex(where: { $0.hasPrefix("Metric ") }) else { return XCTFail(screen.joined(separator: "\n")) }
        let rows = screen[(header + 1)...].prefix { !$0.hasPrefix("─") }.filter { !$0.hasPrefix("  ") }
        XCTAssertEqual(rows.count, 4, screen.joined(separator: "\n"))
        XCTAssertTrue(rows.contains { $0.hasPrefix("客户留存率 ") }, screen.joined(separator: "\n"))
        for row in rows where row.hasSuffix(".0") || row.hasSuffix(".5") || row.last?.isNumber == true {
            XCTAssertEqual(TerminalColumns.width(row), TerminalColumns.width(screen[header]), "\(row)\n\(screen[header])")
        }
        XCTAssertTrue(screen.contains { $0.contains("█") }, "bars")
        XCTAssertTrue(screen[0].hasPrefix("王小明 · E4 · 2026-Q3"), screen[0])
    }

}
