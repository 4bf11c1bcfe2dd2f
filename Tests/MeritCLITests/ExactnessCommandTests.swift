import Foundation
import MeritTestSupport
import XCTest

/// The exactness rules (docs: exactness; docs/reference.md §15 "Exactness and hostile input") as a user meets them, through
/// `merit evaluate` on small data directories: sums that never wrap, numbers compared as the decimals written,
/// and text keys compared by their bytes.
final class ExactnessCommandTests: XCTestCase {
    private func evaluate(_ files: [String: String], rubric: String, extra: [String] = []) throws -> (MeritProcess.Result, [String: Any]?) {
        var files = files
        files["rubric.yaml"] = rubric
        let dir = MeritProcess.temporaryDirectory(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try MeritProcess.run(
            [
                "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
                "--period", "2026-Q3", "--format", "json",
            ] + extra)
        let doc = r.status == 0 ? try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] : nil
        return (r, doc)
    }

    private func employees(_ doc: [String: Any]?) -> [[String: Any]] { doc?["employees"] as? [[String: Any]] ?? [] }

    private func metric(_ employee: [String: Any], _ index: Int = 0) -> [String: Any] {
        (employee["metrics"] as? [[String: Any]])?[index] ?? [:]
    }

    /// A rubric with one metric (a YAML flow mapping) and one band, plus any further top-level lines.
    private static func rubric(_ id: String, metric: String, _ more: String = "") -> String {
        "id: \(id)\nversion: 1\n\(more)metrics:\n  - \(metric)\nbands: [{id: A, min: 0, multiplier: 1}]\n"
    }

    // MARK: Sums never wrap

    func testMoneySumsPastInt64AreExact() throws {
        let rubric = """
            id: big
            version: 1
            metrics:
              - {id: total, kind: sales_total, weight: 1, scoring: {curve: percentile}}
              - {id: growth, kind: sales_growth, weight: 1, scoring: {curve: percentile}}
            bands: [{id: A, min: 0, multiplier: 1}]
            """
        // Two sales of 5e15 JPY: 10^19 thousandths, past Int64 (about 9.22e18). Then 9e15 and -9e15 (accepted
        // amounts that crashed the evaluation) and a growth whose difference passes Int64 too.
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name,currency\nE1,Ann,JPY\nE2,Bo,JPY\n",
                "sales.csv": """
                employee_id,date,amount
                E1,2026-07-01,5000000000000000
                E1,2026-07-02,5000000000000000
                E2,2026-07-01,9000000000000000.00
                E2,2026-07-02,-9000000000000000.00
                E2,2026-08-01,-9000000000000000
                E2,2026-04-01,9000000000000000

                """,
            ], rubric: rubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        let people = employees(doc)
        XCTAssertEqual(people.count, 2)
        XCTAssertEqual(metric(people[0])["raw"] as? Double, 1e16)
        XCTAssertEqual(metric(people[1])["raw"] as? Double, -9e15)
        // (-9e15 − 9e15) ÷ 9e15 = −2: the difference is 1.8e19 thousandths, past Int64.
        XCTAssertEqual(metric(people[1], 1)["raw"] as? Double, -2)
    }

    func testAnAmountTooLargeToHoldStopsEvenWithSkipInvalid() throws {
        // Dropping the row would change the sum: the evaluation stops instead, naming the file and line.
        let (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "sales.csv": "employee_id,date,amount\nE1,2026-07-01,99999999999999999.99\nE1,2026-07-02,oops\n",
            ], rubric: Self.rubric("huge", metric: "{id: total, kind: sales_total, weight: 1, scoring: {curve: percentile}}"),
            extra: ["--skip-invalid"])
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("sales.csv:2: amount:") && r.stderr.contains("too large"), r.stderr)
        XCTAssertFalse(r.stderr.contains("sales.csv:3:"), "an ordinary bad row is still dropped: \(r.stderr)")
        XCTAssertEqual(r.stdout, "")
    }

    // MARK: Numbers are the decimals written

    private static let surveyRubric = """
        id: exact
        version: 1
        metrics:
          - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: linear, zero_at: 1, full_at: 5}}
          - {id: top, kind: top_box_rate, params: {scale: [1, 5], threshold: 4}, weight: 1, scoring: {curve: percent}}
          - {id: nps, kind: nps, weight: 1, scoring: {curve: identity}}
        bands: [{id: A, min: 0, multiplier: 1}]
        """

    func testAScoreJustAboveTheScaleIsAnError() throws {
        let (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "surveys.csv":
                    "employee_id,responded_at,score\nE1,2026-07-01,5\nE1,2026-07-02,5.00000000000000001\nE1,2026-07-03,0.99999999999999999\n",
            ], rubric: Self.surveyRubric)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("surveys.csv:3: score:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("surveys.csv:4: score:"), r.stderr)
        XCTAssertFalse(r.stderr.contains("surveys.csv:2:"), r.stderr)
    }

    func testARecommendJustOffAnIntegerIsAnError() throws {
        let (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "surveys.csv": "employee_id,responded_at,recommend\nE1,2026-07-01,9.0\nE1,2026-07-02,9.00000000000000001\nE1,2026-07-03,90e-1\n",
            ], rubric: Self.surveyRubric)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("surveys.csv:3: recommend:"), r.stderr)
        XCTAssertFalse(r.stderr.contains("surveys.csv:2:") || r.stderr.contains("surveys.csv:4:"), r.stderr)
    }

    func testAThresholdComparesTheWrittenDecimal() throws {
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\nE2,Bo\n",
                "surveys.csv": """
                employee_id,responded_at,score
                E1,2026-07-01,3.99999999999999999
                E2,2026-07-01,4.000000000000000000
                E2,2026-07-02,4.00000000000000001

                """,
            ], rubric: Self.surveyRubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        let people = employees(doc)
        XCTAssertEqual(metric(people[0], 1)["raw"] as? Double, 0, "3.99999999999999999 is below 4")
        XCTAssertEqual(metric(people[1], 1)["raw"] as? Double, 1, "4.0… and just above 4 are at least 4")
        let mean = try XCTUnwrap(metric(people[0], 0)["raw"] as? Double)
        XCTAssertEqual(mean, 4, accuracy: 1e-12, "the mean is still the value, to far better than 1e-6")
    }

    // MARK: Text compares byte for byte

    /// `É1` precomposed (U+00C9) and decomposed (E + U+0301): canonically equivalent, different bytes.
    private static let composed = "\u{00C9}1", decomposed = "E\u{0301}1"

    func testCanonicallyEquivalentIdsAreTwoEmployees() throws {
        let rubric = """
            id: ids
            version: 1
            metrics:
              - {id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 50, multiplier: 1}, {id: B, min: 0, multiplier: 0}]
            """
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\n\(Self.composed),Precomposed\n\(Self.decomposed),Decomposed\n",
                "feedback.csv": "employee_id,received_at,sentiment\n\(Self.decomposed),2026-07-01,positive\n\(Self.composed),2026-07-01,negative\n",
            ], rubric: rubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        let people = employees(doc)
        XCTAssertEqual(
            people.map { Array(($0["employee_id"] as? String ?? "").utf8) },
            [Array(Self.decomposed.utf8), Array(Self.composed.utf8)], "two people, in byte order")
        XCTAssertEqual(people.map { $0["name"] as? String }, ["Decomposed", "Precomposed"])
        XCTAssertEqual(people.map { metric($0)["raw"] as? Double }, [1, 0], "each row counts for its own id")
    }

    func testCanonicallyEquivalentTeamsAreTwoPools() throws {
        let rubric = """
            id: pools
            version: 1
            metrics:
              - {id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 0, multiplier: 1}]
            bonus: {mode: pool, pool_by: team}
            """
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name,team,bonus_target\nE1,Ann,Caf\u{00E9},100\nE2,Bo,Cafe\u{0301},100\n",
                "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE2,2026-07-01,positive\n",
                "pools.csv": "pool,amount\nCaf\u{00E9},1000\nCafe\u{0301},10\n",
            ], rubric: rubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(employees(doc).map { $0["bonus"] as? String }, ["1000.00", "10.00"], "each team is paid from its own pool")
        XCTAssertEqual((doc?["warnings"] as? [Any])?.count, 0)
    }

    func testCanonicallyEquivalentCustomersAreTwoNewCustomers() throws {
        let rubric = Self.rubric("customers", metric: "{id: new, kind: new_customers, weight: 1, scoring: {curve: identity}}")
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\nE2,Bo\n",
                "accounts.csv": "customer_id,employee_id,since\nC\u{00C9},E1,2026-01-05\nCE\u{0301},E2,2026-07-05\n",
            ], rubric: rubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(employees(doc).map { metric($0)["raw"] as? Double }, [0, 1], "E2's customer is not E1's earlier one")
    }

    func testRolesCompareByBytes() throws {
        let rubric = Self.rubric(
            "roles", metric: "{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}", "roles: [\"r\u{00F4}le\"]\n")
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name,role\nE1,Ann,r\u{00F4}le\nE2,Bo,ro\u{0302}le\n",
                "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\n",
            ], rubric: rubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(employees(doc).map { $0["employee_id"] as? String }, ["E1"], "only the byte-equal role is covered")
    }

    // MARK: Time

    private static let complaintRubric = """
        id: time
        version: 1
        metrics:
          - {id: sla, kind: complaint_resolution_rate, params: {sla_hours: 48}, weight: 1, scoring: {curve: percent}}
        bands: [{id: A, min: 0, multiplier: 1}]
        """

    func testFractionsPastTheNanosecondCompareExactly() throws {
        var (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "complaints.csv": """
                ticket_id,employee_id,opened_at,resolved_at
                T1,E1,2026-07-01T10:00:00.0000000002Z,2026-07-01T10:00:00.0000000001Z
                T2,E1,2026-07-01T10:00:00.0000000001Z,2026-07-01T10:00:00.00000000010000000000000000000000001Z

                """,
            ], rubric: Self.complaintRubric)
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("complaints.csv:2: resolved_at:"), "a tenth of a nanosecond earlier: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("complaints.csv:3:"), "a digit past the 27th is later, not earlier")

        let doc: [String: Any]?
        (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\nE2,Bo\n",
                "complaints.csv": """
                ticket_id,employee_id,opened_at,resolved_at
                T1,E1,2026-07-01T10:00:00.5Z,2026-07-03T10:00:00.500000000000Z
                T2,E2,2026-07-01T10:00:00.5Z,2026-07-03T10:00:00.5000000000001Z

                """,
            ], rubric: Self.complaintRubric)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(employees(doc).map { metric($0)["raw"] as? Double }, [1, 0], "exactly 48 hours is within; a hair past is not")
    }

    func testTimestampsMustFallWithinYearsOneTo9999InUTC() throws {
        let (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "feedback.csv": """
                employee_id,received_at,sentiment
                E1,0001-01-01,positive
                E1,0001-01-01T00:30+01:00,positive
                E1,9999-12-31T23:59:59.999Z,positive
                E1,9999-12-31T23:30-01:00,positive

                """,
            ], rubric: Self.rubric("years", metric: "{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}"))
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "feedback.csv:").count - 1, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("feedback.csv:3: received_at:") && r.stderr.contains("feedback.csv:5: received_at:"), r.stderr)
    }

    // MARK: Unknown employees

    func testAnUnknownEmployeeIsTheRowsOneError() throws {
        let (r, _) = try evaluate(
            [
                "employees.csv": "employee_id,name,currency\nE1,Ann,JPY\n",
                "sales.csv": "employee_id,date,amount\nE9,2026-07-01,10.555\nE1,2026-07-01,10.5\n",
            ], rubric: Self.rubric("unknown", metric: "{id: total, kind: sales_total, weight: 1, scoring: {curve: percentile}}", "currency: JPY\n"))
        XCTAssertEqual(r.status, 65, r.stderr)
        let lines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("sales.csv:") }
        XCTAssertEqual(lines.count, 2, r.stderr)
        XCTAssertTrue(lines[0].hasPrefix("sales.csv:2: employee_id:"), "no precision error for the unknown E9: \(r.stderr)")
        XCTAssertTrue(lines[1].hasPrefix("sales.csv:3: amount:"), "E1 is paid in JPY: \(r.stderr)")
    }

    // MARK: Control characters

    func testControlCharactersInNamesAndMessagesAreShownEscaped() throws {
        let rubric = Self.rubric("ctl", metric: "{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}}")
        var files = [
            "employees.csv": "employee_id,name,team\nE1,\"Ann\u{1B}[2J\u{1B}]0;owned\u{07}\",\"Blue\rRed\"\n",
            "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\n",
            "rubric.yaml": rubric,
        ]
        var dir = MeritProcess.temporaryDirectory(files)
        let table = try MeritProcess.run([
            "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
            "--period", "2026-Q3",
        ])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertFalse(table.stdout.contains("\u{1B}[2J") || table.stdout.contains("\u{1B}]0") || table.stdout.contains("\r"), table.stdout)
        XCTAssertTrue(table.stdout.contains("Ann\\x1B[2J"), table.stdout)

        files["feedback.csv"] = "employee_id,received_at,sentiment\nE1,2026-07-01,\u{1B}[2Jpositive\n"
        dir = MeritProcess.temporaryDirectory(files)
        let error = try MeritProcess.run([
            "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
            "--period", "2026-Q3",
        ])
        XCTAssertEqual(error.status, 65, error.stderr)
        XCTAssertFalse(error.stderr.contains("\u{1B}[2J"), error.stderr)
        XCTAssertTrue(error.stderr.contains("\\x1B[2Jpositive"), error.stderr)
    }

    // MARK: Found by the differential comparison

    func testAScoreIsNotRoundedBeforeTheOfficialTotal() throws {
        // 65.2499999989 + 1e-9 is 65.2499999999: official 65.2. Rounded to nine decimals first it became 65.3.
        let (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\nE2,Bo\n",
                "surveys.csv": "employee_id,responded_at,score\nE1,2026-07-01,65.2499999989\nE2,2026-07-01,4e-10\n",
            ],
            rubric: Self.rubric(
                "tie", metric: "{id: csat, kind: satisfaction_mean, params: {scale: [0, 100]}, weight: 1, scoring: {curve: identity}}"))
        XCTAssertEqual(r.status, 0, r.stderr)
        let people = employees(doc)
        XCTAssertEqual(people.first?["total"] as? Double, 65.2)
        XCTAssertEqual(try XCTUnwrap(people.first?["total_exact"] as? Double), 65.2499999989, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(metric(people[1])["raw"] as? Double), 4e-10, accuracy: 1e-19, "a tiny score is kept")
    }

    func testTrainingComparesAndOrdersAsExactValuesWould() throws {
        // 57 of 100 positive scores 57 (100 × 0.57 is 56.99999999999999 in binary): not below 57.
        var feedback = "employee_id,received_at,sentiment\n"
        for i in 0..<100 { feedback += "E1,2026-07-01,\(i < 57 ? "positive" : "negative")\n" }
        var (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n", "feedback.csv": feedback,
            ],
            rubric: Self.rubric(
                "below", metric: "{id: fb, kind: positive_feedback_share, weight: 1, scoring: {curve: percent}, training: {below: 57, module: M}}"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual((employees(doc).first?["training"] as? [Any])?.count, 0, "a score equal to below is not below it")

        // Priorities 2/7 × (75 − 0) and 5/7 × (60 − 30) are both 150/7: the metric id orders them.
        (r, doc) = try evaluate(
            [
                "employees.csv": "employee_id,name\nE1,Ann\n",
                "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,negative\n",
                "surveys.csv": "employee_id,responded_at,score\n" + (0..<10).map { "E1,2026-07-01,\($0 < 3 ? 5 : 1)\n" }.joined(),
            ],
            rubric: """
                id: ties
                version: 1
                metrics:
                  - {id: b_top, kind: top_box_rate, params: {scale: [1, 5], threshold: 4}, weight: 5, scoring: {curve: percent}, training: {below: 60, module: Top}}
                  - {id: a_fb, kind: positive_feedback_share, weight: 2, scoring: {curve: percent}, training: {below: 75, module: Feedback}}
                bands: [{id: A, min: 0, multiplier: 1}]
                """)
        XCTAssertEqual(r.status, 0, r.stderr)
        let training = employees(doc).first?["training"] as? [[String: Any]] ?? []
        XCTAssertEqual(training.map { $0["metric"] as? String }, ["a_fb", "b_top"])
    }
}
