import CWorkbookDeflate
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook
import XCTest
import ZIPFoundation

/// The HR workbook read back from the file libxlsxwriter wrote (docs/reference.md §14).
final class ReviewWorkbookTests: XCTestCase {
    private var directories: [URL] = []

    override func tearDown() {
        for d in directories { try? FileManager.default.removeItem(at: d) }
    }

    private func temporaryDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-wb-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        directories.append(dir)
        return dir
    }

    static let rubricText = """
        id: wb
        version: 2
        metrics:
          - {id: fb, name: Positive feedback share, kind: positive_feedback_share, weight: 30, scoring: {curve: percent}, min_samples: 2,
             training: {below: 80, module: Customer communication}}
          - {id: csat, name: Customer satisfaction, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 70,
             scoring: {curve: linear, zero_at: 1, full_at: 5}}
        bands:
          - {id: A, min: 80, multiplier: 1.5}
          - {id: B, min: 50, multiplier: 1.0}
          - {id: C, min: 0, multiplier: 0, training: Performance improvement plan}
        """

    /// A small review with hostile texts, leading-zero ids, CJK names, two currencies, an unrated person and a dropped row.
    private func evaluation(rubricText: String = ReviewWorkbookTests.rubricText) throws -> Evaluation {
        let dir = temporaryDirectory()
        let files = [
            "employees.csv": """
            employee_id,name,team,cost_center,bonus_target,currency
            00123,"=HYPERLINK(""x"")",+Team,@cc,1000.00,USD
            00124,王芳,-Blue,CC1,3999,JPY
            00125,Bo Chen,Blue,CC1,500.00,USD
            00126,No Data,Blue,CC1,500.00,USD
            """,
            "feedback.csv": """
            employee_id,received_at,sentiment
            00123,2026-07-01,positive
            00123,2026-07-02,positive
            00124,2026-07-01,positive
            00124,2026-07-02,neutral
            00125,2026-07-02,negative
            00125,not a date,negative
            """,
            "surveys.csv": """
            employee_id,responded_at,score
            00123,2026-07-01,5
            00124,2026-07-01,3
            00125,2026-07-01,2
            """,
        ]
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let rubric = try RubricLoader.parse(bytes: Array(rubricText.utf8), file: "wb.yaml")
        let review = try ReviewInputLoader.load(
            directory: DataDirectory(path: dir.path), rubric: rubric, period: Period("2026-Q3")!,
            options: LoadOptions(skipInvalid: true))
        return try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies)
            .prepending(warnings: review.warnings)
    }

    private func written() throws -> (Evaluation, XLSXWorkbookReader, URL) {
        let evaluation = try evaluation()
        let path = temporaryDirectory().appendingPathComponent("review.xlsx")
        try ReviewWorkbook.write(evaluation, to: path.path, context: .init(generatedAt: "2026-11-23T12:00:00Z"))
        return (evaluation, try XLSXWorkbookReader(path: path.path), path)
    }

    func testSheetsAreInTheContractOrder() throws {
        let (_, reader, _) = try written()
        XCTAssertEqual(Array(reader.sheetNames.prefix(6)), ["Summary", "Scorecards", "Bonus", "Training", "Rubric", "Data Quality"])
    }

    func testBonusSheetMatchesTheJSONCellByCell() throws {
        let (evaluation, reader, _) = try written()
        let json = try JSONSerialization.jsonObject(with: Data(ConformanceDocument.render(evaluation).utf8)) as! [String: Any]
        let employees = json["employees"] as! [[String: Any]]
        let rows = try reader.rows(inSheet: "Bonus")
        XCTAssertEqual(
            rows[0].cells.map(\.value),
            [
                "Employee ID", "Name", "Team", "Cost Center", "Currency", "Bonus Target", "Band", "Multiplier", "Proration", "Bonus Amount",
            ].map { XLSXCell.text($0) })
        XCTAssertEqual(rows.count, employees.count + 1, "one row per employee, no blank rows")
        for (row, e) in zip(rows.dropFirst(), employees) {
            XCTAssertEqual(row.number, rows.firstIndex { $0.number == row.number }! + 1)
            let id = row.cells.first { $0.column == 0 }!
            XCTAssertEqual(id.value, .text(e["employee_id"] as! String), "ids are text: leading zeros survive")
            XCTAssertNotEqual(id.rawType, "n")
            XCTAssertEqual(row.value(at: 4), .text(e["currency"] as! String))
            XCTAssertEqual(row.value(at: 6), (e["band"] as? String).map(XLSXCell.text))
            if let bonus = e["bonus"] as? String {
                guard case .number(let amount)? = row.value(at: 9) else { return XCTFail("bonus of \(e["employee_id"]!) is not a number") }
                let digits = bonus.contains(".") ? bonus.split(separator: ".").last!.count : 0
                XCTAssertEqual(String(format: "%.\(digits)f", amount), bonus)
            } else {
                XCTAssertNil(row.value(at: 9), "no bonus: an empty cell")
            }
            if let multiplier = e["multiplier"] as? String {
                XCTAssertEqual(row.value(at: 7), .number(Double(multiplier)!))
            }
            XCTAssertEqual(row.value(at: 8), .number(e["proration"] as! Double))
        }
        let tables = try reader.tables(inSheet: "Bonus")
        XCTAssertEqual(tables.map(\.name), ["BonusImport"])
        XCTAssertEqual(tables.first?.range, "A1:J\(employees.count + 1)")
    }

    func testInputTextIsNeverAFormula() throws {
        let (_, reader, _) = try written()
        for (sheet, firstEmployee) in [("Scorecards", 2), ("Bonus", 1)] {
            let row = try reader.rows(inSheet: sheet)[firstEmployee]
            let name = row.cells.first { $0.column == 1 }!
            XCTAssertEqual(name.value, .text("=HYPERLINK(\"x\")"), sheet)
            XCTAssertNil(name.formula, sheet)
            XCTAssertEqual(row.cells.first { $0.column == 2 }?.value, .text("+Team"))
        }
        let bonusRow = try reader.rows(inSheet: "Bonus")[1]
        XCTAssertEqual(bonusRow.value(at: 3), .text("@cc"))
    }

    func testScorecardTotalsAreFormulasWithCachedValues() throws {
        let (evaluation, reader, _) = try written()
        let rows = try reader.rows(inSheet: "Scorecards")
        let header = rows[0].cells.compactMap { if case .text(let t)? = $0.value { return t } else { return nil } }
        XCTAssertEqual(Array(header.prefix(4)), ["Employee ID", "Name", "Team", "Role"])
        XCTAssertEqual(rows.count, evaluation.employees.count + 2, "two header rows, then one row per employee")
        for (row, e) in zip(rows.dropFirst(2), evaluation.employees) {
            let total = row.cells.first { $0.column == 4 }
            if let exact = e.totalExact {
                XCTAssertNotNil(total?.formula)
                XCTAssertTrue(total!.formula!.contains("Rubric!$E$"), total!.formula!)
                guard case .number(let cached)? = total?.value else { return XCTFail("no cached total") }
                XCTAssertEqual(cached, exact, accuracy: 1e-12)
            } else {
                XCTAssertNil(total?.value, "unrated: no total")
            }
        }
    }

    /// Satisfaction shrunk towards the mean and rated without samples (shrink 10, min_samples 0): 00126 answered no
    /// survey, so the engine scores them at the population's mean — which is not their raw value. The Scorecards sheet
    /// leaves that cell empty, keeps n 0 and the score, names the metric "adjusted for sample size", and its total
    /// formula (over the scores, never the values) still gives the computed total (issue 17).
    func testScorecardsShowNoValueForNoDataAndLabelAdjustedMetrics() throws {
        let shrunk = Self.rubricText.replacingOccurrences(
            of: "scoring: {curve: linear, zero_at: 1, full_at: 5}}",
            with: "scoring: {curve: linear, zero_at: 1, full_at: 5}, shrink: 10, min_samples: 0}")
        XCTAssertNotEqual(shrunk, Self.rubricText)
        let evaluation = try evaluation(rubricText: shrunk)
        let path = temporaryDirectory().appendingPathComponent("review.xlsx")
        try ReviewWorkbook.write(evaluation, to: path.path, context: .init(generatedAt: "2026-11-23T12:00:00Z"))
        let rows = try XLSXWorkbookReader(path: path.path).rows(inSheet: "Scorecards")
        // Fixed columns A–J, then fb (K L M) and csat (N O P).
        let csatValue = 13, csatN = 14, csatScore = 15
        XCTAssertEqual(rows[0].value(at: csatValue), .text("Customer satisfaction (adjusted for sample size)"))
        XCTAssertEqual(rows[0].value(at: 10), .text("Positive feedback share"), "a metric without shrink keeps its name")
        XCTAssertEqual(rows[1].value(at: csatValue), .text("csat"), "the ids row stays the id")
        let slot = try XCTUnwrap(evaluation.employees.firstIndex { $0.entry.employeeID == "00126" })
        let e = evaluation.employees[slot]
        XCTAssertEqual(e.metrics[1].n, 0)
        XCTAssertNotNil(e.metrics[1].raw, "the engine's value: μ (docs/reference.md §15)")
        let row = rows[2 + slot]
        XCTAssertNil(row.value(at: csatValue), "no data: no value")
        XCTAssertEqual(row.value(at: csatN), .number(0))
        guard case .number(let score)? = row.value(at: csatScore) else { return XCTFail("no score") }
        XCTAssertEqual(score, try XCTUnwrap(e.metrics[1].score), accuracy: 1e-12, "scored, as the engine scored it")
        let total = try XCTUnwrap(row.cells.first { $0.column == 4 })
        let formula = try XCTUnwrap(total.formula)
        XCTAssertNil(formula.firstMatch(of: /(^|[^A-Z$])N\d/), "the total reads scores, not the value column: \(formula)")
        guard case .number(let cached)? = total.value else { return XCTFail("no cached total") }
        XCTAssertEqual(cached, try XCTUnwrap(e.totalExact), accuracy: 1e-12)
        // Someone with surveys keeps their (adjusted) value.
        let rated = try XCTUnwrap(evaluation.employees.firstIndex { $0.entry.employeeID == "00123" })
        guard case .number(let value)? = rows[2 + rated].value(at: csatValue) else { return XCTFail("00123's value") }
        XCTAssertEqual(value, try XCTUnwrap(evaluation.employees[rated].metrics[1].raw), accuracy: 1e-12)
    }

    func testTrainingAndDataQuality() throws {
        let (evaluation, reader, _) = try written()
        let training = try reader.rows(inSheet: "Training")
        let recommendations = evaluation.employees.reduce(0) { $0 + $1.training.count }
        XCTAssertEqual(training.count - 1, recommendations)
        let priorities = training.dropFirst().map { row -> Double in
            if case .number(let p)? = row.value(at: 4) { return p }
            return .infinity
        }
        XCTAssertEqual(priorities, priorities.sorted(by: >), "highest priority first")
        let quality = try reader.rows(inSheet: "Data Quality")
        XCTAssertEqual(quality.count - 1, evaluation.warnings.count)
        XCTAssertEqual(quality[1].value(at: 0), .text("feedback.csv"))
        XCTAssertEqual(quality[1].value(at: 1), .number(7))
        XCTAssertEqual(quality[1].value(at: 2), .text("received_at"))
    }

    func testSummaryNamesThePeriodRubricAndHash() throws {
        let (evaluation, reader, _) = try written()
        let rows = try reader.rows(inSheet: "Summary")
        var pairs: [String: XLSXCell] = [:]
        for row in rows { if case .text(let label)? = row.value(at: 0), let v = row.value(at: 1) { pairs[label] = v } }
        XCTAssertEqual(pairs["Period"], .text("2026-Q3"))
        XCTAssertEqual(pairs["Rubric"], .text("wb"))
        XCTAssertEqual(pairs["Rubric SHA-256"], .text(evaluation.rubric.sha256))
        XCTAssertEqual(pairs["Generated"], .text("2026-11-23T12:00:00Z"))
        XCTAssertEqual(pairs["Employees evaluated"], .number(Double(evaluation.employees.count)))
    }

    /// The same review and "generated" time write the same bytes (spec: reproducible), the file's own stamp included.
    func testTheSameReviewWritesTheSameBytes() throws {
        let evaluation = try evaluation()
        let dir = temporaryDirectory()
        let paths = ["a.xlsx", "b.xlsx"].map { dir.appendingPathComponent($0) }
        for path in paths {
            try ReviewWorkbook.write(evaluation, to: path.path, context: .init(generatedAt: "2026-11-23T12:00:00Z"))
            Thread.sleep(forTimeInterval: 1.1)  // a clock-based stamp would differ
        }
        XCTAssertEqual(try Data(contentsOf: paths[0]), try Data(contentsOf: paths[1]))
    }

    func testAnUnwritableDestinationLeavesNothingBehind() throws {
        let evaluation = try evaluation()
        XCTAssertThrowsError(try ReviewWorkbook.write(evaluation, to: "/nonexistent/folder/review.xlsx", context: .init(generatedAt: "x"))) {
            guard case ReviewWorkbook.Failure.cannotCreate = $0 else { return XCTFail("\($0)") }
        }
        let dir = temporaryDirectory()
        XCTAssertThrowsError(try ReviewWorkbook.write(evaluation, to: dir.path, context: .init(generatedAt: "x")))
        let success = dir.appendingPathComponent("ok.xlsx")
        try ReviewWorkbook.write(evaluation, to: success.path, context: .init(generatedAt: "x"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["ok.xlsx"], "no temporary file is left")
    }

    /// Every deflated part of the file says "super fast" (zlib level 1) in its zip flags: the executable's minizip
    /// entry point is the one libxlsxwriter calls (issue: company scale).
    func testThePartsAreDeflatedAtTheFastestLevel() throws {
        let (_, _, path) = try written()
        // Debian's libxlsxwriter calls the system minizip (loaded as libminizip), which this executable's entry point
        // stands in for. A build of the library that carries its own minizip never calls it: the workbook is then
        // simply written at level 6, which is worth a notice, not a failure. Where libminizip is loaded, the level
        // must be 1, so a lost stand-in fails here.
        // (Read through a handle: /proc files report a size of 0, so whole-file reads come back empty.)
        let maps =
            (try? FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/maps")).readToEnd())
            .flatMap { String(data: $0, encoding: .utf8) } ?? ""
        guard maps.contains("libminizip") else {
            throw XCTSkip("this libxlsxwriter does not call the system minizip; parts stay at zlib's default level")
        }
        XCTAssertGreaterThan(merit_workbook_deflated_entries(), 0, "libxlsxwriter called the real minizip, not the stand-in")
        let bytes = [UInt8](try Data(contentsOf: path))
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var offset = 0, deflated = 0
        while offset + 30 <= bytes.count, u32(offset) == 0x0403_4B50 {
            let flags = u16(offset + 6), method = u16(offset + 8)
            let name = String(decoding: bytes[(offset + 30)..<(offset + 30 + u16(offset + 26))], as: UTF8.self)
            if method == 8 {
                deflated += 1
                XCTAssertEqual(flags >> 1 & 3, 3, "\(name) is not deflated at level 1 (flags \(flags))")
            }
            // Sizes follow in a data descriptor (flag bit 3): find the next header after this entry's data.
            var next = offset + 30 + u16(offset + 26) + u16(offset + 28)
            while next + 4 <= bytes.count, u32(next) != 0x0403_4B50, u32(next) != 0x0201_4B50 { next += 1 }
            offset = next
        }
        XCTAssertGreaterThan(deflated, 10, "the sheets, styles and relationships are deflated")
    }

    /// A part bigger than one deflate piece (1 MB) is deflated in pieces, on a helper thread as it streams in, and
    /// the pieces join into one stream: it inflates to the whole sheet libxlsxwriter wrote, whose CRC is the one the
    /// entry records, row for row, and writing it again gives the same bytes.
    func testAPartOfManyPiecesInflatesToTheWholeSheet() throws {
        let dir = temporaryDirectory()
        let people = 4_000
        var employees = "employee_id,name,team,cost_center,bonus_target,currency\n"
        var feedback = "employee_id,received_at,sentiment\n"
        var surveys = "employee_id,responded_at,score\n"
        for i in 0..<people {
            let id = String(format: "E%05d", i)
            employees += "\(id),Person \(i),Team \(i % 40),CC\(i % 7),\(1000 + i).00,USD\n"
            feedback += "\(id),2026-07-0\(1 + i % 9),\(["positive", "neutral", "negative"][i % 3])\n"
            surveys += "\(id),2026-08-1\(i % 10),\(1 + i % 5)\n"
        }
        for (name, text) in ["employees.csv": employees, "feedback.csv": feedback, "surveys.csv": surveys] {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let rubric = try RubricLoader.parse(bytes: Array(Self.rubricText.utf8), file: "wb.yaml")
        let review = try ReviewInputLoader.load(directory: DataDirectory(path: dir.path), rubric: rubric, period: Period("2026-Q3")!)
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies)
        let paths = ["a.xlsx", "b.xlsx"].map { dir.appendingPathComponent($0) }
        for path in paths { try ReviewWorkbook.write(evaluation, to: path.path, context: .init(generatedAt: "2026-11-23T12:00:00Z")) }
        XCTAssertEqual(try Data(contentsOf: paths[0]), try Data(contentsOf: paths[1]), "the pieces do not depend on thread timing")

        let archive = try Archive(url: paths[0], accessMode: .read)
        let entry = try XCTUnwrap(archive["xl/worksheets/sheet2.xml"])
        XCTAssertGreaterThan(entry.uncompressedSize, 2 << 20, "Scorecards spans several pieces")
        var sheet = Data()
        let crc = try archive.extract(entry, skipCRC32: false, consumer: { sheet.append($0) })
        XCTAssertEqual(crc, entry.checksum, "the combined CRC of the pieces is the sheet's")
        let xml = String(decoding: sheet, as: UTF8.self)
        XCTAssertTrue(xml.hasSuffix("</worksheet>"), "the stream ends where the sheet does")
        XCTAssertEqual(xml.components(separatedBy: "<row ").count - 1, people + 2)
        XCTAssertEqual(try XLSXWorkbookReader(path: paths[0].path).rows(inSheet: "Scorecards").count, people + 2)
    }

    /// The streamed sheets (constant-memory mode, inline strings) read back like the others, and `Bonus` keeps its table.
    func testStreamedSheetsHoldInlineTextAndBonusKeepsItsTable() throws {
        let (evaluation, reader, path) = try written()
        let archive = try Archive(url: path, accessMode: .read)
        func part(_ name: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try XCTUnwrap(archive[name]), consumer: { data.append($0) })
            return String(decoding: data, as: UTF8.self)
        }
        XCTAssertTrue(try part("xl/worksheets/sheet2.xml").contains("t=\"inlineStr\""), "Scorecards is streamed")
        XCTAssertFalse(try part("xl/worksheets/sheet3.xml").contains("inlineStr"), "Bonus is not: it holds the table")
        XCTAssertEqual(try reader.rows(inSheet: "Scorecards").count, evaluation.employees.count + 2)
        XCTAssertEqual(try reader.tables(inSheet: "Bonus").map(\.name), ["BonusImport"])
    }
}
