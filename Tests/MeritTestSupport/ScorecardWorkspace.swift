import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small workspace with finalized reviews, for the scorecard tests locally and over HTTP (docs/server.md),
/// built by the real binary. Identity is the real OS account: a scenario writes the roster so that the current
/// login is the employee, manager or HR person under test.
///
///     E1 Ada (ceo) ── E2 Bruno (manager) ── E3 Chen (lead) ── E4 王小明 (agent)
///                                        └─ E5 Dora (agent)
///     E6 Hana (hr)
public enum ScorecardWorkspace {
    /// The current OS login, which Merit takes as "you" (`getpwuid(geteuid())`, docs/server.md "Who sees what").
    public static let me: String = {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid:\(geteuid())" }
        return String(cString: name)
    }()
    /// The seed example, one metric renamed in Chinese (the view must keep CJK names aligned).
    public static let rubric: String = {
        let text = try! String(contentsOf: MeritProcess.packageRoot.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        let path = MeritProcess.temporaryDirectory().appendingPathComponent("seed-cjk.yaml")
        try! text.replacingOccurrences(of: "name: Customer retention", with: "name: 客户留存率").write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }()
    public static let people: [(id: String, name: String, manager: String)] = [
        ("E1", "Ada Boss", ""), ("E2", "Bruno Manager", "E1"), ("E3", "Chen Lead", "E2"), ("E4", "王小明", "E3"),
        ("E5", "Dora Peer", "E2"), ("E6", "Hana HR", ""),
    ]

    /// `people` with some ids written otherwise (`renamed`: old id → new), as managers too.
    public static func people(renamed: [String: String]) -> [(id: String, name: String, manager: String)] {
        people.map { (renamed[$0.id] ?? $0.id, $0.name, renamed[$0.manager] ?? $0.manager) }
    }

    /// The roster, with the current OS login on `employee`'s row (the others get u1…u6).
    public static func roster(loginOf employee: String?, renamed: [String: String] = [:]) -> String {
        var out = "employee_id,name,team,manager_id,role,bonus_target,currency,login\n"
        for (i, p) in people(renamed: renamed).enumerated() {
            out += "\(p.id),\(p.name),North,\(p.manager),agent,2000.00,USD,\(p.id == employee ? me : "u\(i + 1)")\n"
        }
        return out
    }

    /// Surveys, feedback, accounts and sales for 2026-Q2, Q3 and Q4, a little different per person.
    public static func data(_ dir: URL, renamed: [String: String] = [:]) throws {
        var surveys = "employee_id,responded_at,score\n", feedback = "employee_id,received_at,sentiment\n"
        var accounts = "customer_id,employee_id,since,until,end_reason\n", sales = "employee_id,date,amount\n"
        for (i, p) in people(renamed: renamed).enumerated() {
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

    /// The time the workspace's reviews are computed at (`MERIT_TEST_NOW`, honoured by debug builds): after 2026-Q4
    /// ended, so that its draft is not preliminary and a test may finalize it (docs/workspace.md "Preliminary reviews").
    public static let reviewedAt = ["MERIT_TEST_NOW": "2027-01-10T09:00:00.000Z"]

    /// A workspace with 2026-Q2 and Q3 finalized (E4 adjusted in Q3) and 2026-Q4 a draft, all computed at
    /// `reviewedAt`; the logins in `hr` are HR (merit.yaml `hr:`); `renamed` gives some people other ids.
    public static func make(hr: [String] = [], renamed: [String: String] = [:]) throws -> URL {
        let root = MeritProcess.temporaryDirectory()
        let ws = root.appendingPathComponent("ws")
        var r = try MeritProcess.run(["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path])
        precondition(r.status == 0, r.stderr)
        try writeConfig(ws, hr: hr)
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Self.data(data, renamed: renamed)
        try roster(loginOf: nil, renamed: renamed).write(to: data.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
        for d in ["employees", "surveys", "feedback", "accounts", "sales"] {
            r = try MeritProcess.run(["import", d, data.appendingPathComponent("\(d).csv").path], in: ws)
            precondition(r.status == 0, r.stderr)
        }
        for step in [
            ["review", "2026-Q2"], ["finalize", "2026-Q2"], ["review", "2026-Q3"],
            ["adjust", "2026-Q3", renamed["E4"] ?? "E4", "--band", "A", "--reason", "Covered the night shift all quarter"],
            ["finalize", "2026-Q3"], ["review", "2026-Q4"],
        ] {
            r = try MeritProcess.run(step, in: ws, environment: reviewedAt)
            precondition(r.status == 0, "\(step): \(r.stderr)")
        }
        return ws
    }

    public static func writeConfig(_ ws: URL, hr: [String]) throws {
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
    public static func become(_ employee: String?, in ws: URL) throws {
        let file = ws.deletingLastPathComponent().appendingPathComponent("roster-\(UUID().uuidString).csv")
        try roster(loginOf: employee).write(to: file, atomically: true, encoding: .utf8)
        let r = try MeritProcess.run(["import", "employees", file.path], in: ws)
        precondition(r.status == 0, r.stderr)
    }
}
