import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Self-service scorecards end to end (issue 6), through the real binary: the local view under the access
/// policy, and `merit serve` on a loopback port read by `merit scorecard --server`. Identity is the real OS
/// account: each scenario writes the roster so that the current login is the employee, manager or HR person
/// under test.
///
///     E1 Ada (ceo) ── E2 Bruno (manager) ── E3 Chen (lead) ── E4 王小明 (agent)
///                                        └─ E5 Dora (agent)
///     E6 Hana (hr)
final class ScorecardCommandTests: XCTestCase {
    static let me: String = {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid:\(geteuid())" }
        return String(cString: name)
    }()
    /// The seed example, one metric renamed in Chinese (the view must keep CJK names aligned).
    static let rubric: String = {
        let text = try! String(contentsOf: MeritProcess.packageRoot.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        let path = MeritProcess.temporaryDirectory().appendingPathComponent("seed-cjk.yaml")
        try! text.replacingOccurrences(of: "name: Customer retention", with: "name: 客户留存率").write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }()
    static let people: [(id: String, name: String, manager: String)] = [
        ("E1", "Ada Boss", ""), ("E2", "Bruno Manager", "E1"), ("E3", "Chen Lead", "E2"), ("E4", "王小明", "E3"),
        ("E5", "Dora Peer", "E2"), ("E6", "Hana HR", ""),
    ]

    /// The roster, with the current OS login on `employee`'s row (the others get u1…u6).
    static func roster(loginOf employee: String?) -> String {
        var out = "employee_id,name,team,manager_id,role,bonus_target,currency,login\n"
        for (i, p) in people.enumerated() {
            out += "\(p.id),\(p.name),North,\(p.manager),agent,2000.00,USD,\(p.id == employee ? me : "u\(i + 1)")\n"
        }
        return out
    }

    /// Surveys, feedback, accounts and sales for 2026-Q2, Q3 and Q4, a little different per person.
    static func data(_ dir: URL) throws {
        var surveys = "employee_id,responded_at,score\n", feedback = "employee_id,received_at,sentiment\n"
        var accounts = "customer_id,employee_id,since,until,end_reason\n", sales = "employee_id,date,amount\n"
        for (i, p) in people.enumerated() {
            for (q, month) in [(0, 4), (1, 7), (2, 10)] {
                for d in 1...12 {
                    let score = (d + i + q) % 4 == 0 ? 3 : (d % 3 == 0 ? 4 : 5)
                    surveys += "\(p.id),2026-\(String(format: "%02d", month))-\(String(format: "%02d", d))T10:00:00Z,\(score)\n"
                    feedback +=
                        "\(p.id),2026-\(String(format: "%02d", month + 1))-\(String(format: "%02d", d)),\((d + i) % 3 == 0 ? "negative" : "positive")\n"
                }
                sales += "\(p.id),2026-\(String(format: "%02d", month + 1))-10,\(1000 + 100 * i + 50 * q).00\n"
            }
            for c in 1...4 {
                accounts += "C\(i)\(c),\(p.id),2025-01-01,\(c == 4 && i % 2 == 0 ? "2026-08-15" : ""),\(c == 4 && i % 2 == 0 ? "churn" : "")\n"
            }
        }
        for (name, text) in ["surveys": surveys, "feedback": feedback, "accounts": accounts, "sales": sales] {
            try text.write(to: dir.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
        }
    }

    /// A workspace with 2026-Q2 and Q3 finalized (E4 adjusted in Q3) and 2026-Q4 a draft.
    static func workspace(hr: [String] = []) throws -> URL {
        let root = MeritProcess.temporaryDirectory()
        let ws = root.appendingPathComponent("ws")
        var r = try MeritProcess.run(["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path])
        precondition(r.status == 0, r.stderr)
        try writeConfig(ws, hr: hr)
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Self.data(data)
        try roster(loginOf: nil).write(to: data.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
        for d in ["employees", "surveys", "feedback", "accounts", "sales"] {
            r = try MeritProcess.run(["import", d, data.appendingPathComponent("\(d).csv").path], in: ws)
            precondition(r.status == 0, r.stderr)
        }
        for step in [
            ["review", "2026-Q2"], ["finalize", "2026-Q2"], ["review", "2026-Q3"],
            ["adjust", "2026-Q3", "E4", "--band", "A", "--reason", "Covered the night shift all quarter"],
            ["finalize", "2026-Q3"], ["review", "2026-Q4"],
        ] {
            r = try MeritProcess.run(step, in: ws)
            precondition(r.status == 0, "\(step): \(r.stderr)")
        }
        return ws
    }

    static func writeConfig(_ ws: URL, hr: [String]) throws {
        let quoted = hr.map { "\"\($0)\"" }.joined(separator: ", ")
        try """
        currency: USD
        time_zone: UTC
        rubrics:
          - file: "\(rubric)"
        hr: [\(quoted)]
        admins: []

        """.write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
    }

    /// Puts the current OS login on `employee`'s roster row (nil: on nobody's).
    static func become(_ employee: String?, in ws: URL) throws {
        let file = ws.deletingLastPathComponent().appendingPathComponent("roster-\(UUID().uuidString).csv")
        try roster(loginOf: employee).write(to: file, atomically: true, encoding: .utf8)
        let r = try MeritProcess.run(["import", "employees", file.path], in: ws)
        precondition(r.status == 0, r.stderr)
    }

    @discardableResult
    func merit(
        _ args: [String], in ws: URL, env: [String: String] = [:], status: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> MeritProcess.Result {
        let r = try MeritProcess.run(args, in: ws, environment: env)
        XCTAssertEqual(r.status, status, "merit \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr, file: file, line: line)
        return r
    }

    func auditViews(_ ws: URL) throws -> [String] {
        try merit(["audit"], in: ws).stdout.components(separatedBy: "\n").enumerated()
            .filter { $0.element.contains("scorecard-view") }.map(\.element)
    }

    // MARK: local

    static let shared: URL = try! workspace()

    func testAnEmployeeSeesTheirOwnScorecardAndNoColleagues() throws {
        let ws = Self.shared
        try Self.become("E4", in: ws)
        let own = try merit(["scorecard"], in: ws)
        XCTAssertTrue(own.stdout.contains("王小明 · E4 · 2026-Q3"), own.stdout)
        XCTAssertTrue(own.stdout.contains("Covered the night shift"), "the adjustment's reason: \(own.stdout)")
        XCTAssertTrue(own.stdout.contains("2026-Q2"), "history: \(own.stdout)")
        XCTAssertFalse(own.stdout.contains("\u{1B}["), "no colour when piped")
        for line in own.stdout.split(separator: "\n") { XCTAssertLessThanOrEqual(Self.width(String(line)), 80, String(line)) }

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
        XCTAssertEqual(try auditViews(ws).filter { $0.hasSuffix(" E4") && $0.contains(" \(Self.me) ") }.count, 0, "own views are not logged")
    }

    func testManagersSeeDirectAndIndirectReportsAndTheViewIsAudited() throws {
        let ws = try Self.workspace()
        try Self.become("E3", in: ws)
        XCTAssertTrue(try merit(["scorecard", "E4"], in: ws).stdout.contains("王小明"))
        try merit(["scorecard", "E5"], in: ws, status: 77)
        try merit(["scorecard", "E2"], in: ws, status: 77)
        try Self.become("E2", in: ws)
        XCTAssertTrue(try merit(["scorecard", "E4", "--period", "2026-Q3"], in: ws).stdout.contains("王小明"), "indirect")
        XCTAssertTrue(try merit(["scorecard", "E5"], in: ws).stdout.contains("Dora Peer"), "direct")
        try merit(["scorecard", "E1"], in: ws, status: 77)
        let audit = try merit(["audit", "2026-Q3"], in: ws).stdout
        XCTAssertEqual(audit.components(separatedBy: "scorecard-view 2026-Q3 v1 E4").count - 1, 2, audit)
        XCTAssertTrue(audit.contains("viewed by \(Self.me) (E3) via local"), audit)
        XCTAssertTrue(audit.contains("viewed by \(Self.me) (E2) via local"), audit)

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
        let ws = try Self.workspace(hr: [Self.me])
        try Self.become(nil, in: ws)
        for (id, name) in [("E1", "Ada Boss"), ("E4", "王小明"), ("E6", "Hana HR")] {
            XCTAssertTrue(try merit(["scorecard", id], in: ws).stdout.contains(name))
        }
        try merit(["scorecard", "E4", "--period", "2026-Q4"], in: ws, status: 77)
        // Without a roster row of their own, "my scorecard" is refused plainly.
        XCTAssertTrue(try merit(["scorecard"], in: ws, status: 77).stderr.contains("no row of the roster"))
    }

    func testOnlyHRGrantsTokens() throws {
        let ws = Self.shared
        try Self.become("E1", in: ws)
        let r = try merit(["access", "grant", "E4"], in: ws, status: 77)
        XCTAssertEqual(r.stdout, "")
        try merit(["access", "list"], in: ws, status: 77)
    }

    // MARK: the terminal

    func testColourOnlyOnATerminal() throws {
        let ws = Self.shared
        try Self.become("E4", in: ws)
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
        for line in lines { XCTAssertLessThanOrEqual(Self.width(line), 80, line) }
        // The table's columns line up with its header whatever the name's script: every metric row is as wide.
        let printed = lines.filter { !$0.isEmpty }  // "\r\n" splits into a line and an empty one
        guard let headerIndex = printed.firstIndex(where: { $0.hasPrefix("Metric ") }) else { return XCTFail(plain) }
        let rows = printed[(headerIndex + 1)...].prefix { !$0.hasPrefix("─") }.filter { !$0.hasPrefix("  ") }
        XCTAssertEqual(rows.count, 4, plain)
        for row in rows where row.hasSuffix(".0") || row.hasSuffix(".5") || row.last?.isNumber == true {
            XCTAssertEqual(Self.width(row), Self.width(printed[headerIndex]), "\(row)\n\(printed[headerIndex])")
        }
    }

    /// As a person sees it: tmux at 80×24, the screen captured. Every metric row ends in the Points column, whatever
    /// the script of the metric's name, and the bars are drawn.
    func testAlignedUnderTmuxAt80x24() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        let ws = Self.shared
        try Self.become("E4", in: ws)
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
            XCTAssertEqual(Self.width(row), Self.width(screen[header]), "\(row)\n\(screen[header])")
        }
        XCTAssertTrue(screen.contains { $0.contains("█") }, "bars")
        XCTAssertTrue(screen[0].hasPrefix("王小明 · E4 · 2026-Q3"), screen[0])
    }

    /// Display columns (East Asian wide characters take two).
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}
