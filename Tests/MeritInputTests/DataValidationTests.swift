import Foundation
import MeritEngine
import MeritInput
import XCTest

/// Row and file rules of docs/reference.md §2.1–§2.3, §11 and §15, through the real loader on real files.
final class DataValidationTests: XCTestCase {
    private var dirs: [String] = []

    override func tearDown() {
        for d in dirs { try? FileManager.default.removeItem(atPath: d) }
    }

    private func write(_ files: [String: String]) -> String {
        let dir = NSTemporaryDirectory() + "merit-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try! text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        dirs.append(dir)
        return dir
    }

    private static let rubric: Rubric = try! RubricLoader.parse(
        bytes: Array(
            """
            id: t
            version: 1
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: percent}}
              - {id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 0, multiplier: 1}]
            """.utf8), file: "r.yaml")

    private static let employees = "employee_id,name,team,manager_id,currency,bonus_target\nE1,Ann,Blue,,USD,100\nE2,Bo,Blue,E1,EUR,100\n"
    private static let surveys = "employee_id,responded_at,score\nE1,2026-07-01,5\n"
    private static let feedback = "employee_id,received_at,sentiment\nE1,2026-07-01,positive\n"

    private func load(_ files: [String: String], rubric: Rubric = rubric, skip: Bool = false, mapping: String? = nil) throws -> LoadedReview {
        var all = ["employees.csv": Self.employees, "surveys.csv": Self.surveys, "feedback.csv": Self.feedback]
        for (k, v) in files { all[k] = v }
        let dir = write(all.filter { !$0.value.isEmpty || $0.key == "employees.csv" })
        return try ReviewInputLoader.load(
            directory: DataDirectory(path: dir), rubric: rubric, period: Period("2026-Q3")!,
            options: LoadOptions(skipInvalid: skip, mappingPath: mapping))
    }

    /// The `FILE:LINE: COLUMN` of every strict-mode error.
    private func errors(_ files: [String: String], rubric: Rubric = rubric) -> [String] {
        do {
            _ = try load(files, rubric: rubric)
            XCTFail("expected row errors")
            return []
        } catch {
            guard case .badRows(let issues, _) = error as? InputFailure else { XCTFail("\(error)"); return [] }
            return issues.map { "\($0.file):\($0.line): \($0.column)" }
        }
    }

    private func fileIssue(_ files: [String: String], skip: Bool = false) -> FileIssue? {
        do {
            _ = try load(files, skip: skip)
            XCTFail("expected a file issue")
        } catch {
            if case .badFile(let issue) = error as? InputFailure { return issue }
            XCTFail("\(error)")
        }
        return nil
    }

    func testRosterRules() {
        let roster = """
            employee_id,name,team,manager_id,hire_date,end_date,bonus_target,currency
            E1,Ann,Blue,,2024-01-01,2023-01-01,100.00,USD
            E1,Dup,Blue,,,,,
            E3,,Blue,,,,,
            E4,Cy,Blue,NOBODY,,,,
            E5,Di,Blue,E6,,,-5,
            E6,Ed,Blue,E5,,,,
            E7,Fa,Blue,E7,,,,
            E8,Gu,Blue,E5,,,,
            E9,Ha,Blue,,,,10,US
            E10,Io,Blue,,,,1.234,USD
            """
        XCTAssertEqual(
            errors(["employees.csv": roster, "surveys.csv": "employee_id,responded_at\n", "feedback.csv": "employee_id,received_at,sentiment\n"]),
            [
                "employees.csv:2: end_date", "employees.csv:3: employee_id", "employees.csv:4: name", "employees.csv:5: manager_id",
                "employees.csv:6: manager_id", "employees.csv:6: bonus_target", "employees.csv:7: manager_id", "employees.csv:8: manager_id",
                "employees.csv:10: currency", "employees.csv:11: bonus_target",
            ].sorted { a, b in
                let la = Int(a.split(separator: ":")[1])!, lb = Int(b.split(separator: ":")[1])!
                return la < lb
            }.sortedStable(by: Self.columnOrder))
    }

    /// Orders issues of one line the way the loader does: by the column's position in the roster header.
    private static func columnOrder(_ a: String, _ b: String) -> Bool {
        let header = ["employee_id", "name", "team", "manager_id", "hire_date", "end_date", "bonus_target", "currency"]
        let la = Int(a.split(separator: ":")[1])!, lb = Int(b.split(separator: ":")[1])!
        if la != lb { return la < lb }
        let ca = header.firstIndex(of: String(a.split(separator: " ").last!))!, cb = header.firstIndex(of: String(b.split(separator: " ").last!))!
        return ca < cb
    }

    func testRecordRulesAcrossFiles() {
        let surveys = """
            employee_id,responded_at,score,recommend,response_id
            E1,2026-07-01T10:00:00Z,5,9,R1
            E9,2026-07-01,4,,R2
            E1,2026-07-01,4,,R1
            E1,2026-07-01,6,,
            E1,2025-01-01,six,,
            E1,2026-07-01T25:00Z,4,,
            E1,2026-07-01,4,9.5,
            E1,,4,,
            E2,2026-07-01,9,,
            """
        let feedback = "employee_id,received_at,sentiment\nE1,2026-07-01,Positive\nE1,2026-07-01,happy\n"
        XCTAssertEqual(
            errors(["surveys.csv": surveys, "feedback.csv": feedback]),
            [
                "surveys.csv:3: employee_id", "surveys.csv:4: response_id", "surveys.csv:5: score", "surveys.csv:6: score",
                "surveys.csv:7: responded_at", "surveys.csv:8: recommend", "surveys.csv:9: responded_at", "surveys.csv:10: score",
                "feedback.csv:3: sentiment",
            ])
    }

    func testAccountsComplaintsSalesQuotasPools() {
        let accounts =
            "customer_id,employee_id,since,until,end_reason\nK1,E1,2025-01-01,2025-01-01,\nK2,E1,2025-01-01,2026-08-01,moved\nK3,E1,2025-01-01,,moved\n"
        let complaints =
            "ticket_id,employee_id,opened_at,resolved_at,escalated,first_contact_resolved\nT1,E1,2026-07-01T10:00Z,2026-07-01T09:00Z,,\nT1,E1,2026-07-01,,,\nT2,E1,2026-07-01,,maybe,Y\n"
        let sales = "employee_id,date,amount,order_id\nE1,2026-07-01,12.345,O1\nE2,2026-07-01,12.30,O2\nE1,2026-07-01,1e3,O1\nE1,2026-07-01,-5.5,O3\n"
        let quotas = "employee_id,period,quota\nE1,2026-Q3,100\nE1,2026-Q3,200\nE1,2026-Q9,100\nE1,2026-Q2,0\n"
        let pools = "pool,amount,currency\nBlue,100,USD\nBlue,100,USD\nRed,-1,USD\nGreen,5,EURO\n"
        XCTAssertEqual(
            errors(["accounts.csv": accounts, "complaints.csv": complaints, "sales.csv": sales, "quotas.csv": quotas, "pools.csv": pools]),
            [
                "accounts.csv:2: until", "accounts.csv:3: end_reason",
                "complaints.csv:2: resolved_at", "complaints.csv:3: ticket_id", "complaints.csv:4: escalated",
                "sales.csv:2: amount", "sales.csv:4: amount", "sales.csv:4: order_id",
                "quotas.csv:3: period", "quotas.csv:4: period", "quotas.csv:5: quota",
                "pools.csv:3: pool", "pools.csv:4: amount", "pools.csv:5: currency",
            ])
    }

    func testAKnownButInvalidEmployeeIsNoCascade() throws {
        let roster = "employee_id,name,hire_date\nE1,Ann,\nE2,Bo,2026-13-01\n"
        let surveys = "employee_id,responded_at,score\nE2,2026-07-01,5\nE1,2026-07-01,4\n"
        XCTAssertEqual(errors(["employees.csv": roster, "surveys.csv": surveys]), ["employees.csv:3: hire_date"])
        let review = try load(["employees.csv": roster, "surveys.csv": surveys], skip: true)
        XCTAssertEqual(review.population.members.map(\.entry.employeeID), ["E1"])
        XCTAssertEqual(review.warnings.map { "\($0.file):\($0.line!): \($0.column!)" }, ["employees.csv:3: hire_date"])
        XCTAssertTrue(review.warnings[0].message.hasPrefix("row dropped: "))
    }

    func testSkipInvalidDropsRowsAndKeepsTheRest() throws {
        let surveys = "employee_id,responded_at,score\nE1,2026-07-01,5\nE1,2026-07-01,7\nE1,2026-07-02,3\n"
        let review = try load(["surveys.csv": surveys], skip: true)
        XCTAssertEqual(review.tallies[0][0].n, 2)
        XCTAssertEqual(review.tallies[0][0].numerator, 8)
        XCTAssertEqual(review.warnings.map(\.line), [3])
    }

    func testRowsOfAnyDateAreValidatedButOnlyPeriodRowsCount() throws {
        XCTAssertEqual(errors(["feedback.csv": "employee_id,received_at,sentiment\nE1,2019-01-01,meh\n"]), ["feedback.csv:2: sentiment"])
        let review = try load(["surveys.csv": "employee_id,responded_at,score\nE1,2025-07-01,9\nE1,2026-07-01,4\n"])
        XCTAssertEqual(review.tallies[0][0].n, 1, "a score outside the scale outside P is not checked and not counted")
    }

    func testFileLevelProblemsStopEvenWithSkipInvalid() {
        let missingColumn = fileIssue(["surveys.csv": "employee,responded_at,score\nE1,2026-07-01,5\n"], skip: true)
        XCTAssertEqual(missingColumn?.file, "surveys.csv")
        XCTAssertTrue(missingColumn?.message.contains("missing required column 'employee_id'") ?? false)
        XCTAssertTrue(missingColumn?.message.contains("'employee'") ?? false, "names the columns found")
        let unclosed = fileIssue(["surveys.csv": "employee_id,responded_at,score\nE1,2026-07-01,5\nE1,\"2026-07-01,5\nE1,2026-07-02,4\n"], skip: true)
        XCTAssertEqual(unclosed?.line, 3)
    }

    func testInvalidUTF8IsAFileError() throws {
        let dir = write(["employees.csv": Self.employees, "surveys.csv": Self.surveys])
        var bytes = Array("employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE1,2026-07-01,pos".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        FileManager.default.createFile(atPath: dir + "/feedback.csv", contents: Data(bytes))
        do {
            _ = try ReviewInputLoader.load(directory: DataDirectory(path: dir), rubric: Self.rubric, period: Period("2026-Q3")!)
            XCTFail("expected a file error")
        } catch {
            guard case .badFile(let issue) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(issue.file, "feedback.csv")
            XCTAssertEqual(issue.line, 3)
        }
    }

    func testMissingFilesNameWhatNeedsThem() {
        do {
            _ = try load(["feedback.csv": ""])
            XCTFail("expected missing input")
        } catch {
            guard case .missingInput(let message) = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("feedback.csv") && message.contains("'fb'"), message)
        }
    }

    func testMappingRenamesColumnsAndRejectsUnknownOnes() throws {
        let dir = write([
            "employees.csv": "工号,姓名\nW1,王芳\n", "surveys.csv": "坐席,Survey Date,满意度\nW1,2026-07-01 09:30,5\n",
            "feedback.csv": Self.feedback.replacingOccurrences(of: "E1", with: "W1"),
            "mapping.yaml": "employees: {employee_id: 工号, name: 姓名}\nsurveys:\n  employee_id: 坐席\n  responded_at: survey date\n  score: 满意度\n",
        ])
        let review = try ReviewInputLoader.load(directory: DataDirectory(path: dir), rubric: Self.rubric, period: Period("2026-Q3")!)
        XCTAssertEqual(review.population.members.first?.entry.name, "王芳")
        XCTAssertEqual(review.tallies[0][0].numerator, 5)
        try "surveys: {grade: 满意度}\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try ReviewInputLoader.load(
                directory: DataDirectory(path: dir), rubric: Self.rubric, period: Period("2026-Q3")!,
                options: LoadOptions(mappingPath: dir + "/bad.yaml"))
            XCTFail("expected a mapping error")
        } catch {
            guard case .badFile(let issue) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(issue.message.contains("unknown column 'grade'"), issue.message)
        }
    }

    func testPoolCurrencyMismatchIsARowErrorOnTheEmployee() throws {
        let rubric = try RubricLoader.parse(
            bytes: Array(
                """
                id: p
                version: 1
                metrics: [{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}]
                bands: [{id: A, min: 0, multiplier: 1}]
                bonus: {mode: pool, pool_by: team}
                """.utf8), file: "p.yaml")
        let pools = "pool,amount,currency\nBlue,100,USD\n"
        XCTAssertEqual(errors(["pools.csv": pools, "surveys.csv": ""], rubric: rubric), ["employees.csv:3: currency"])
        let review = try load(["pools.csv": pools, "surveys.csv": ""], rubric: rubric, skip: true)
        XCTAssertEqual(review.population.members.map(\.entry.employeeID), ["E1"])
    }

    func testStrictModeCountsEveryErrorAndOrdersThem() {
        var surveys = "employee_id,responded_at,score\n"
        for _ in 0..<70 { surveys += "E1,2026-07-01,x\n" }
        do {
            _ = try load(["surveys.csv": surveys, "employees.csv": Self.employees + "E1,Dup,,,,\n"])
            XCTFail("expected errors")
        } catch {
            guard case .badRows(let issues, let total) = error as? InputFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(total, 71)
            XCTAssertEqual(issues.first?.file, "employees.csv", "employees come first")
            XCTAssertEqual(issues.dropFirst().map(\.line), Array(2...71))
        }
    }
}

extension Array {
    func sortedStable(by less: (Element, Element) -> Bool) -> [Element] {
        enumerated().sorted { less($0.element, $1.element) || (!less($1.element, $0.element) && $0.offset < $1.offset) }.map(\.element)
    }
}
