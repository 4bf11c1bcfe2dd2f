import Foundation
import MeritDemo
import XCTest

/// The generated company must be reproducible and valid under docs/reference.md §2 (so
/// `merit demo` runs in strict mode) and realistic (roles, teams, currencies,
/// joiners and leavers). These tests read the CSV files back with a small
/// RFC 4180 reader of their own, independent of the product's readers.
final class DemoCompanyTests: XCTestCase {

    // MARK: - Fixture: one demo company, generated once

    struct Company: Sendable {
        let directory: String
        let counts: [String: Int]
        let tables: [String: CSVTable]

        subscript(_ name: String) -> CSVTable { tables[name]! }
    }

    static let company: Result<Company, Error> = Result { try generate(seed: 2026, into: "default") }

    static func generate(seed: UInt64, into name: String) throws -> Company {
        let directory = NSTemporaryDirectory() + "merit-demo-tests-\(ProcessInfo.processInfo.processIdentifier)/" + name
        try? FileManager.default.removeItem(atPath: directory)
        let counts = try DemoCompany(seed: seed).write(to: directory)
        var tables: [String: CSVTable] = [:]
        for file in DemoCompany.fileNames {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            tables[file] = try CSVTable(bytes: [UInt8](data))
        }
        return Company(directory: directory, counts: counts, tables: tables)
    }

    private func demo() throws -> Company { try Self.company.get() }

    override class func tearDown() {
        try? FileManager.default.removeItem(
            atPath: NSTemporaryDirectory() + "merit-demo-tests-\(ProcessInfo.processInfo.processIdentifier)")
        super.tearDown()
    }

    private var reviewStart: String { "2026-07-01" }
    private var reviewEnd: String { "2026-09-30" }

    // MARK: - Reproducibility

    func testSameSeedGivesIdenticalBytes() throws {
        let first = try demo()
        let second = NSTemporaryDirectory() + "merit-demo-tests-\(ProcessInfo.processInfo.processIdentifier)/again"
        try DemoCompany(seed: 2026).write(to: second)
        for file in DemoCompany.fileNames {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.directory + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + file))
            XCTAssertEqual(a, b, "\(file) differs between two runs with the same seed")
        }
    }

    func testDifferentSeedGivesDifferentCompany() throws {
        let first = try demo()
        let other = try Self.generate(seed: 7, into: "seed7")
        for file in ["employees.csv", "surveys.csv", "accounts.csv", "complaints.csv", "sales.csv", "feedback.csv"] {
            XCTAssertNotEqual(first[file].rows, other[file].rows, "\(file) did not change with the seed")
        }
    }

    func testReturnedCountsMatchFilesAndReviewPeriod() throws {
        let c = try demo()
        XCTAssertEqual(Set(c.counts.keys), Set(DemoCompany.fileNames))
        for file in DemoCompany.fileNames {
            XCTAssertEqual(c.counts[file], c[file].rows.count, file)
            XCTAssertGreaterThan(c[file].rows.count, 0, file)
        }
        XCTAssertEqual(DemoCompany().reviewPeriod, "2026-Q3")
        XCTAssertEqual(DemoCompany(quarters: ["2026-Q1", "2026-Q2"]).reviewPeriod, "2026-Q2")
        XCTAssertEqual(c.counts["surveys.csv"], 4 * DemoScale.demo.surveysPerQuarter)
    }

    func testBadQuartersAreRejected() {
        let dir = NSTemporaryDirectory() + "merit-demo-tests-bad"
        XCTAssertThrowsError(try DemoCompany(quarters: []).write(to: dir)) {
            XCTAssertEqual($0 as? DemoError, .noQuarters)
        }
        XCTAssertThrowsError(try DemoCompany(quarters: ["2026-Q5"]).write(to: dir)) {
            XCTAssertEqual($0 as? DemoError, .invalidQuarter("2026-Q5"))
        }
        XCTAssertThrowsError(try DemoCompany(quarters: ["2026-Q2", "2026-Q1"]).write(to: dir)) {
            XCTAssertEqual($0 as? DemoError, .quartersNotIncreasing("2026-Q1"))
        }
    }

    func testTinyCompanyWithOneQuarterStillHasEveryKindOfTeam() throws {
        let tiny = DemoScale(
            employees: 5, teamSize: 1, surveysPerQuarter: 50, complaintsPerQuarter: 0,
            salesPerQuarter: -3, accountSpells: 0, feedbackPerQuarter: 10)
        let dir = NSTemporaryDirectory() + "merit-demo-tests-\(ProcessInfo.processInfo.processIdentifier)/tiny"
        let counts = try DemoCompany(seed: 1, scale: tiny, quarters: ["2026-Q3"]).write(to: dir)
        XCTAssertGreaterThanOrEqual(counts["employees.csv"] ?? 0, 16)
        XCTAssertEqual(counts["surveys.csv"], 50)
        XCTAssertEqual(counts["sales.csv"], 0)
        let roles = try CSVTable(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/employees.csv"))))
            .column("role")
        for role in ["agent", "senior-agent", "account-manager", "sales-rep", "team-lead"] {
            XCTAssertTrue(roles.contains(role), role)
        }
    }

    // MARK: - Format

    func testHeadersAreExactlyAsSpecified() throws {
        let c = try demo()
        let expected: [String: [String]] = [
            "employees.csv": [
                "employee_id", "name", "team", "manager_id", "role", "hire_date", "end_date",
                "bonus_target", "currency", "cost_center", "login", "email",
            ],
            "surveys.csv": ["employee_id", "responded_at", "score", "recommend", "dimension", "customer_id", "response_id"],
            "accounts.csv": ["customer_id", "employee_id", "since", "until", "end_reason", "churn_reason"],
            "complaints.csv": [
                "ticket_id", "employee_id", "opened_at", "resolved_at", "first_contact_resolved",
                "escalated", "customer_id", "severity",
            ],
            "sales.csv": ["employee_id", "date", "amount", "order_id", "customer_id"],
            "feedback.csv": ["employee_id", "received_at", "sentiment"],
            "quotas.csv": ["employee_id", "period", "quota"],
            "pools.csv": ["pool", "amount", "currency"],
        ]
        for (file, header) in expected {
            XCTAssertEqual(c[file].header, header, file)
            for (i, row) in c[file].rows.enumerated() {
                XCTAssertEqual(row.count, header.count, "\(file) row \(i + 2) has \(row.count) fields")
            }
        }
    }

    func testTypesOfEveryRow() throws {
        let c = try demo()
        let surveys = c["surveys.csv"]
        for row in surveys.rows.indices {
            XCTAssertNotNil(Self.timestamp(surveys[row, "responded_at"]), surveys[row, "responded_at"])
            let score = surveys[row, "score"], recommend = surveys[row, "recommend"]
            XCTAssertFalse(score.isEmpty && recommend.isEmpty, "a survey row without any answer")
            if !score.isEmpty { XCTAssertTrue(["1", "2", "3", "4", "5"].contains(score), score) }
            if !recommend.isEmpty { XCTAssertTrue((0...10).contains(Int(recommend) ?? -1), recommend) }
            XCTAssertTrue(["product", "attitude", "speed"].contains(surveys[row, "dimension"]))
        }
        let complaints = c["complaints.csv"]
        for row in complaints.rows.indices {
            for column in ["first_contact_resolved", "escalated"] {
                XCTAssertTrue(["true", "false", ""].contains(complaints[row, column]), complaints[row, column])
            }
            XCTAssertTrue(["low", "medium", "high", "critical"].contains(complaints[row, "severity"]))
        }
        let feedback = c["feedback.csv"]
        for row in feedback.rows.indices {
            XCTAssertNotNil(Self.timestamp(feedback[row, "received_at"]))
            XCTAssertTrue(["positive", "neutral", "negative"].contains(feedback[row, "sentiment"].lowercased()))
        }
        let sales = c["sales.csv"]
        for row in sales.rows.indices { XCTAssertNotNil(Self.day(sales[row, "date"]), sales[row, "date"]) }
        let employees = c["employees.csv"]
        for row in employees.rows.indices {
            for column in ["hire_date", "end_date"] where !employees[row, column].isEmpty {
                XCTAssertNotNil(Self.day(employees[row, column]), employees[row, column])
            }
            if let hire = Self.day(employees[row, "hire_date"]), let end = Self.day(employees[row, "end_date"]) {
                XCTAssertLessThanOrEqual(hire, end)
            }
        }
        for row in c["quotas.csv"].rows.indices { XCTAssertTrue(DemoCompany().quarters.contains(c["quotas.csv"][row, "period"])) }
    }

    // MARK: - Cross-file rules (docs/reference.md §2.3)

    func testEveryReferencedEmployeeExists() throws {
        let c = try demo()
        let employees = c["employees.csv"]
        let ids = employees.column("employee_id")
        XCTAssertEqual(Set(ids).count, ids.count, "duplicate employee_id")
        let known = Set(ids)
        for file in ["surveys.csv", "accounts.csv", "complaints.csv", "sales.csv", "feedback.csv", "quotas.csv"] {
            for id in c[file].column("employee_id") { XCTAssertTrue(known.contains(id), "\(file): unknown \(id)") }
        }
        for manager in employees.column("manager_id") where !manager.isEmpty {
            XCTAssertTrue(known.contains(manager), "unknown manager \(manager)")
        }
    }

    func testIdsAreUnique() throws {
        let c = try demo()
        for (file, column) in [
            ("complaints.csv", "ticket_id"), ("surveys.csv", "response_id"), ("sales.csv", "order_id"),
            ("pools.csv", "pool"), ("employees.csv", "login"), ("employees.csv", "email"),
        ] {
            let values = c[file].column(column)
            XCTAssertFalse(values.contains(""), "\(file): empty \(column)")
            XCTAssertEqual(Set(values).count, values.count, "\(file): duplicate \(column)")
        }
        let quotas = c["quotas.csv"]
        let keys = quotas.rows.indices.map { quotas[$0, "employee_id"] + "|" + quotas[$0, "period"] }
        XCTAssertEqual(Set(keys).count, keys.count, "duplicate (employee_id, period) quota")
    }

    func testManagerGraphIsAcyclicAndShapedLikeTeams() throws {
        let employees = try demo()["employees.csv"]
        var manager: [String: String] = [:]
        var role: [String: String] = [:]
        var team: [String: String] = [:]
        for row in employees.rows.indices {
            manager[employees[row, "employee_id"]] = employees[row, "manager_id"]
            role[employees[row, "employee_id"]] = employees[row, "role"]
            team[employees[row, "employee_id"]] = employees[row, "team"]
        }
        for start in manager.keys {
            var seen: Set<String> = [start]
            var current = start
            while let next = manager[current], !next.isEmpty {
                XCTAssertFalse(seen.contains(next), "manager cycle through \(start)")
                if seen.contains(next) { break }
                seen.insert(next)
                current = next
            }
            XCTAssertTrue(role[current]!.hasPrefix("head-of-"), "\(start)'s chain ends at \(current), not a head")
        }
        let heads = role.filter { $0.value.hasPrefix("head-of-") }
        XCTAssertTrue((1...2).contains(heads.count))
        for (id, r) in role {
            switch r {
            case "team-lead":
                XCTAssertTrue(heads.keys.contains(manager[id]!), "lead \(id) does not report to a head")
            case "agent", "senior-agent", "account-manager", "sales-rep":
                let lead = manager[id]!
                XCTAssertEqual(role[lead], "team-lead", "\(id) does not report to a team lead")
                XCTAssertEqual(team[lead], team[id], "\(id) reports to another team's lead")
            default:
                XCTAssertTrue(r.hasPrefix("head-of-"), "unexpected role \(r)")
            }
        }
    }

    func testComplaintsAreResolvedAfterTheyOpen() throws {
        let complaints = try demo()["complaints.csv"]
        var unresolved = 0, beyondSLA = 0
        for row in complaints.rows.indices {
            let opened = try XCTUnwrap(Self.timestamp(complaints[row, "opened_at"]))
            guard !complaints[row, "resolved_at"].isEmpty else {
                unresolved += 1
                continue
            }
            let resolved = try XCTUnwrap(Self.timestamp(complaints[row, "resolved_at"]))
            XCTAssertGreaterThanOrEqual(resolved, opened, complaints[row, "ticket_id"])
            if resolved - opened > 48 * 3600 { beyondSLA += 1 }
        }
        XCTAssertGreaterThan(unresolved, 0, "some complaints should be unresolved")
        XCTAssertGreaterThan(beyondSLA, 0, "some complaints should miss a 48 h SLA")
    }

    func testAccountSpellsAreWellFormed() throws {
        let accounts = try demo()["accounts.csv"]
        var byCustomer: [String: [(since: Int, until: Int?, owner: String, reason: String)]] = [:]
        for row in accounts.rows.indices {
            let since = try XCTUnwrap(Self.day(accounts[row, "since"]))
            let until = accounts[row, "until"].isEmpty ? nil : Self.day(accounts[row, "until"])
            if let until { XCTAssertGreaterThan(until, since, "until ≤ since for \(accounts[row, "customer_id"])") }
            let reason = accounts[row, "end_reason"]
            XCTAssertTrue(["", "churn", "transfer"].contains(reason))
            if until == nil { XCTAssertEqual(reason, "") }
            byCustomer[accounts[row, "customer_id"], default: []]
                .append((since, until, accounts[row, "employee_id"], reason))
        }
        var transfers = 0, churns = 0
        for (customer, spells) in byCustomer {
            for spell in spells where spell.reason == "transfer" {
                transfers += 1
                XCTAssertTrue(
                    spells.contains { $0.since == spell.until && $0.owner != spell.owner },
                    "transfer of \(customer) not followed by another manager's spell")
            }
            churns += spells.filter { $0.until != nil && $0.reason != "transfer" }.count
        }
        XCTAssertGreaterThan(transfers, 0)
        XCTAssertGreaterThan(churns, 0)
        XCTAssertTrue(accounts.column("since").contains { $0 < "2025-01-01" }, "no long-standing accounts")
        XCTAssertTrue(accounts.column("since").contains { $0 >= reviewStart }, "no new accounts in the review quarter")
    }

    // MARK: - Money (docs/reference.md §8.3)

    func testMoneyHasTheCurrencysPrecision() throws {
        let c = try demo()
        let employees = c["employees.csv"]
        var currency: [String: String] = [:]
        for row in employees.rows.indices {
            let code = employees[row, "currency"]
            currency[employees[row, "employee_id"]] = code
            XCTAssertTrue(Self.isMoney(employees[row, "bonus_target"], code, exactDigits: true), employees[row, "bonus_target"])
        }
        let sales = c["sales.csv"]
        var refunds = 0
        for row in sales.rows.indices {
            let amount = sales[row, "amount"]
            XCTAssertTrue(Self.isMoney(amount, currency[sales[row, "employee_id"]]!, exactDigits: true), amount)
            if amount.hasPrefix("-") { refunds += 1 }
        }
        XCTAssertGreaterThan(refunds, 0, "no refunds")
        let quotas = c["quotas.csv"]
        for row in quotas.rows.indices {
            let quota = quotas[row, "quota"]
            XCTAssertTrue(Self.isMoney(quota, currency[quotas[row, "employee_id"]]!, exactDigits: true), quota)
            XCTAssertGreaterThan(Double(quota) ?? 0, 0)
        }
        let pools = c["pools.csv"]
        for row in pools.rows.indices {
            XCTAssertTrue(Self.isMoney(pools[row, "amount"], pools[row, "currency"], exactDigits: true))
        }
        let codes = Set(currency.values)
        XCTAssertTrue(codes.isSuperset(of: ["USD", "EUR", "JPY"]), "\(codes)")
        let jpySales = sales.rows.indices.filter { currency[sales[$0, "employee_id"]] == "JPY" }
        XCTAssertFalse(jpySales.isEmpty, "the JPY team should book some sales")
    }

    func testCurrenciesPerTeam() throws {
        let c = try demo()
        let employees = c["employees.csv"]
        var teamCurrency: [String: Set<String>] = [:]
        for row in employees.rows.indices { teamCurrency[employees[row, "team"], default: []].insert(employees[row, "currency"]) }
        XCTAssertTrue(teamCurrency.values.allSatisfy { $0.count == 1 }, "a team with two currencies")
        let jpyTeams = teamCurrency.filter { $0.value == ["JPY"] }.count
        let eurTeams = teamCurrency.filter { $0.value == ["EUR"] }.count
        let usdTeams = teamCurrency.filter { $0.value == ["USD"] }.count
        XCTAssertEqual(jpyTeams, 1)
        XCTAssertGreaterThanOrEqual(eurTeams, 1)
        XCTAssertGreaterThan(usdTeams, eurTeams + jpyTeams)
        // One pool per sales team, in the team's currency.
        let pools = c["pools.csv"]
        let salesTeams = Set(employees.rows.indices.filter { employees[$0, "role"] == "sales-rep" }.map { employees[$0, "team"] })
        XCTAssertEqual(Set(pools.column("pool")), salesTeams)
        for row in pools.rows.indices { XCTAssertEqual([pools[row, "currency"]], teamCurrency[pools[row, "pool"]]) }
    }

    // MARK: - Realism

    func testRoleProportionsAndTeamFamilies() throws {
        let employees = try demo()["employees.csv"]
        let evaluated = ["agent", "senior-agent", "account-manager", "sales-rep"]
        let roles = employees.column("role").filter { evaluated.contains($0) }
        let share = { (role: String) in Double(roles.filter { $0 == role }.count) / Double(roles.count) }
        XCTAssertEqual(share("agent"), 0.50, accuracy: 0.03)
        XCTAssertEqual(share("senior-agent"), 0.15, accuracy: 0.03)
        XCTAssertEqual(share("account-manager"), 0.20, accuracy: 0.03)
        XCTAssertEqual(share("sales-rep"), 0.15, accuracy: 0.03)
        XCTAssertEqual(employees.rows.count, DemoScale.demo.employees)

        var families: [String: Set<String>] = [:]
        var leads: [String: Int] = [:]
        for row in employees.rows.indices {
            let role = employees[row, "role"], team = employees[row, "team"]
            if role == "team-lead" { leads[team, default: 0] += 1 }
            guard evaluated.contains(role) else { continue }
            families[team, default: []].insert(role == "senior-agent" ? "agent" : role)
        }
        XCTAssertTrue(families.values.allSatisfy { $0.count == 1 }, "a team mixes role families: \(families)")
        XCTAssertTrue((8...14).contains(families.count), "\(families.count) teams")
        XCTAssertTrue(leads.values.allSatisfy { $0 == 1 } && leads.count == families.count, "one lead per team")
    }

    func testJoinersLeaversAndIneligiblePeople() throws {
        let employees = try demo()["employees.csv"]
        let evaluated = employees.rows.indices.filter {
            ["agent", "senior-agent", "account-manager", "sales-rep"].contains(employees[$0, "role"])
        }
        let hires = evaluated.map { employees[$0, "hire_date"] }
        let ends = evaluated.map { employees[$0, "end_date"] }
        XCTAssertTrue(hires.contains { $0 >= reviewStart && $0 <= reviewEnd }, "no joiner in the review quarter")
        XCTAssertTrue(hires.contains { $0 > reviewEnd }, "nobody hired after the review quarter")
        XCTAssertTrue(hires.contains { $0 >= "2026-09-28" && $0 <= reviewEnd }, "no joiner with too little data")
        XCTAssertTrue(ends.contains { $0 >= reviewStart && $0 <= reviewEnd }, "no leaver in the review quarter")
        XCTAssertTrue(ends.contains { !$0.isEmpty && $0 < reviewStart }, "nobody left before the review quarter")
        XCTAssertTrue(hires.contains(""), "some hire dates should be absent")
    }

    func testNamesAreMultilingualAndLoginsAscii() throws {
        let employees = try demo()["employees.csv"]
        let names = employees.column("name")
        XCTAssertTrue(names.contains("王芳") && names.contains("李雷"), "the featured CJK names are missing")
        XCTAssertTrue(names.contains { $0.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } })
        XCTAssertTrue(names.contains { $0.unicodeScalars.contains { (0xC0...0x17F).contains($0.value) } }, "no accented names")
        for row in employees.rows.indices {
            let login = employees[row, "login"]
            XCTAssertTrue(login.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 }, login)
            XCTAssertEqual(employees[row, "email"], login + "@example.com")
            XCTAssertFalse(employees[row, "cost_center"].isEmpty)
        }
    }

    func testEveryQuarterHasQuotasForEverySalesRep() throws {
        let c = try demo()
        let employees = c["employees.csv"], quotas = c["quotas.csv"]
        let reps = employees.rows.indices.filter { employees[$0, "role"] == "sales-rep" }.map { employees[$0, "employee_id"] }
        let keys = Set(quotas.rows.indices.map { quotas[$0, "employee_id"] + "|" + quotas[$0, "period"] })
        for rep in reps {
            for quarter in DemoCompany().quarters { XCTAssertTrue(keys.contains(rep + "|" + quarter), "\(rep) \(quarter)") }
        }
    }

    func testPeopleHaveRecordsOnlyWhileEmployed() throws {
        let c = try demo()
        let employees = c["employees.csv"]
        var span: [String: (Int, Int)] = [:]
        for row in employees.rows.indices {
            span[employees[row, "employee_id"]] = (
                Self.day(employees[row, "hire_date"]) ?? Int.min,
                Self.day(employees[row, "end_date"]) ?? Int.max
            )
        }
        let surveys = c["surveys.csv"]
        for row in surveys.rows.indices {
            let t = try XCTUnwrap(Self.timestamp(surveys[row, "responded_at"]))
            let day = Int((t / 86_400).rounded(.down))
            let (hire, end) = span[surveys[row, "employee_id"]]!
            XCTAssertTrue(hire <= day && day <= end, "survey outside employment: \(surveys.rows[row])")
        }
    }

    func testScoresDifferByTeam() throws {
        let c = try demo()
        let employees = c["employees.csv"], surveys = c["surveys.csv"]
        var team: [String: String] = [:]
        for row in employees.rows.indices { team[employees[row, "employee_id"]] = employees[row, "team"] }
        var sums: [String: (Double, Int)] = [:]
        for row in surveys.rows.indices where !surveys[row, "score"].isEmpty {
            let t = team[surveys[row, "employee_id"]]!
            let s = sums[t] ?? (0, 0)
            sums[t] = (s.0 + Double(surveys[row, "score"])!, s.1 + 1)
        }
        let means = sums.values.filter { $0.1 >= 100 }.map { $0.0 / Double($0.1) }
        XCTAssertGreaterThan(means.max()! - means.min()!, 0.15, "team averages are too alike: \(means)")
    }

    // MARK: - Helpers

    /// Days since 1970-01-01 of `YYYY-MM-DD`.
    static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        // Days from civil (H. Hinnant), proleptic Gregorian.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    /// Seconds since 1970 (UTC) of `YYYY-MM-DDTHH:MM:SS` + `Z` or `±HH:MM`.
    static func timestamp(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count == 20 || b.count == 25, b[10] == UInt8(ascii: "T"),
            let d = day(String(decoding: b[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ r: Range<Int>) -> Int? { Int(String(decoding: b[r], as: UTF8.self)) }
        guard let h = number(11..<13), let mi = number(14..<16), let s = number(17..<19),
            h < 24, mi < 60, s < 60
        else { return nil }
        var seconds = d * 86_400 + h * 3600 + mi * 60 + s
        if b.count == 20 {
            guard b[19] == UInt8(ascii: "Z") else { return nil }
        } else {
            guard let oh = number(20..<22), let om = number(23..<25) else { return nil }
            let sign = b[19] == UInt8(ascii: "-") ? -1 : 1
            seconds -= sign * (oh * 3600 + om * 60)
        }
        return Double(seconds)
    }

    /// A plain decimal with the currency's minor digits (docs/reference.md §8.3): exactly
    /// that many when `exactDigits`, at most that many otherwise.
    static func isMoney(_ text: String, _ currency: String, exactDigits: Bool) -> Bool {
        let digits = currency == "JPY" ? 0 : 2
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber) else { return false }
        if parts.count == 1 { return digits == 0 || !exactDigits }
        guard parts.count == 2, parts[1].allSatisfy(\.isNumber) else { return false }
        return exactDigits ? parts[1].count == digits : parts[1].count <= digits
    }
}

/// A CSV file read back by RFC 4180 (quotes, doubled quotes, LF rows).
struct CSVTable: Sendable {
    let header: [String]
    let rows: [[String]]
    private let index: [String: Int]

    struct ParseError: Error {}

    init(bytes: [UInt8]) throws {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty {
                quoted = true
            } else if b == 0x2C {
                record.append(String(decoding: field, as: UTF8.self))
                field = []
            } else if b == 0x0A {
                record.append(String(decoding: field, as: UTF8.self))
                records.append(record)
                record = []
                field = []
            } else {
                field.append(b)
            }
            i += 1
        }
        guard !quoted else { throw ParseError() }
        if !field.isEmpty || !record.isEmpty {
            record.append(String(decoding: field, as: UTF8.self))
            records.append(record)
        }
        guard let first = records.first else { throw ParseError() }
        header = first
        rows = Array(records.dropFirst())
        var index: [String: Int] = [:]
        for (k, name) in first.enumerated() where index[name] == nil { index[name] = k }
        self.index = index
    }

    subscript(_ row: Int, _ column: String) -> String { rows[row][index[column]!] }

    func column(_ name: String) -> [String] {
        let k = index[name]!
        return rows.map { $0[k] }
    }
}
