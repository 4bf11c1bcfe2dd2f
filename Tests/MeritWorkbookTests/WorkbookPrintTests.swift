import Foundation
import MeritEngine
import MeritInput
import MeritReport
import XCTest
import ZIPFoundation

@testable import MeritWorkbook

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The workbook as it prints and reads (docs/workbook.md "Printing", "Scorecards", "Data Quality"), read back from
/// the file's own XML parts: page setup, print titles, page header and footer, the Summary chart's place, the
/// Scorecards header rows and number formats, and what the Data Quality sheet says.
final class WorkbookPrintTests: XCTestCase {
    private var directories: [URL] = []

    override func tearDown() {
        for d in directories { try? FileManager.default.removeItem(at: d) }
    }

    private func temporaryDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-print-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        directories.append(dir)
        return dir
    }

    /// The review of `files` (name → CSV text) with `rubric`, for 2026-Q3, bad rows skipped with a warning.
    private func evaluation(_ files: [String: String], rubric: String) throws -> Evaluation {
        let dir = temporaryDirectory()
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let rubric = try RubricLoader.parse(bytes: Array(rubric.utf8), file: "r.yaml")
        let review = try ReviewInputLoader.load(
            directory: DataDirectory(path: dir.path), rubric: rubric, period: Period("2026-Q3")!,
            options: LoadOptions(skipInvalid: true))
        return try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies)
            .prepending(warnings: review.warnings)
    }

    static let rubric = """
        id: wb
        name: Service & Care &P
        version: 2
        metrics:
          - {id: fb, name: Positive feedback share, kind: positive_feedback_share, weight: 30, scoring: {curve: percent}}
          - {id: csat, name: Customer satisfaction, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 70,
             scoring: {curve: linear, zero_at: 1, full_at: 5}}
        bands:
          - {id: A, min: 80, multiplier: 1.5}
          - {id: B, min: 0, multiplier: 1.0}
        """

    static let files = [
        "employees.csv": """
        employee_id,name,team,cost_center,bonus_target,currency
        00123,Ada Lovelace,Blue,CC1,1000.00,USD
        00124,王芳,Blue,CC1,3999,JPY
        00125,Bo Chen,Red,CC2,500.00,USD
        """,
        "feedback.csv": """
        employee_id,received_at,sentiment
        00123,2026-07-01,positive
        00124,2026-07-02,neutral
        00125,2026-07-02,negative
        """,
        "surveys.csv": """
        employee_id,responded_at,score
        00123,2026-07-01,5
        00123,2026-07-02,4
        00123,2026-07-03,4
        00124,2026-07-01,3
        00125,2026-07-01,2
        """,
    ]

    private func write(_ evaluation: Evaluation, _ context: ReviewWorkbook.Context = .init(generatedAt: "2026-11-23T12:00:00Z")) throws -> Parts {
        let path = temporaryDirectory().appendingPathComponent("review.xlsx")
        try ReviewWorkbook.write(evaluation, to: path.path, context: context)
        return try Parts(path)
    }

    // MARK: - Printing

    func testEverySheetPrintsOnePageWideWithItsHeaderRowsOnEveryPage() throws {
        let book = try write(try evaluation(Self.files, rubric: Self.rubric))
        let names = try book.sheetNames()
        XCTAssertEqual(names, ["Summary", "Scorecards", "Bonus", "Training", "Rubric", "Data Quality"])
        let tables: Set<String> = ["Scorecards", "Bonus", "Training", "Data Quality"]
        for name in names {
            let sheet = try book.sheet(name)
            XCTAssertEqual(sheet.first("pageSetUpPr")?["fitToPage"], "1", "\(name) is scaled to fit")
            let setup = try XCTUnwrap(sheet.first("pageSetup"), name)
            XCTAssertEqual(setup["fitToWidth"] ?? "1", "1", "\(name): one page wide (1 is the default when absent)")
            XCTAssertEqual(setup["fitToHeight"], "0", "\(name): as many pages down as the rows need")
            // Landscape exactly when the used columns are wider than a portrait page.
            let wide = try book.columnPixels(name).reduce(0, +) > PrintLayout.portraitWidthPixels
            XCTAssertEqual(setup["orientation"], wide ? "landscape" : "portrait", name)
            // Gridlines print on the tables, so a row can be followed across a scaled-down page.
            XCTAssertEqual(sheet.first("printOptions")?["gridLines"], tables.contains(name) ? "1" : nil, name)
        }
        XCTAssertEqual(try book.sheet("Summary").first("pageSetup")?["orientation"], "portrait")
        XCTAssertEqual(try book.sheet("Scorecards").first("pageSetup")?["orientation"], "landscape")

        // Print titles: the header rows of each table repeat on every page; Summary and Rubric have none.
        let titles = try book.printTitles()
        XCTAssertEqual(
            titles,
            [
                "Scorecards": "Scorecards!$1:$2", "Bonus": "Bonus!$1:$1", "Training": "Training!$1:$1",
                "Data Quality": "'Data Quality'!$1:$1",
            ])
    }

    /// Period and rubric (two lines, left) and status (right) on every page, `&` in the rubric's name printed as
    /// written (not a header code: `&P` would print the page number), and the sheet and page number in the footer.
    func testPageHeaderNamesThePeriodRubricAndStatus() throws {
        let evaluation = try evaluation(Self.files, rubric: Self.rubric)
        let book = try write(evaluation)
        for name in try book.sheetNames() {
            let sheet = try book.sheet(name)
            XCTAssertEqual(sheet.first("oddHeader")?.text, "&LMerit review 2026-Q3\nService && Care &&P (wb v2)&RPRELIMINARY", name)
            XCTAssertEqual(sheet.first("oddFooter")?.text, "&L&A&CPage &P of &N&RGenerated 2026-11-23T12:00:00Z", name)
        }

        func header(_ context: ReviewWorkbook.Context) throws -> String? {
            try write(evaluation, context).sheet("Bonus").first("oddHeader")?.text
        }
        let at = "2026-11-23T12:00:00Z"
        XCTAssertEqual(
            try header(.init(generatedAt: at, review: "2026-Q3 version 1, draft", status: .draft)),
            "&LMerit review 2026-Q3\nService && Care &&P (wb v2)&RDRAFT")
        XCTAssertEqual(
            try header(.init(generatedAt: at, review: "2026-Q3 version 2, final", status: .final)),
            "&LMerit review 2026-Q3\nService && Care &&P (wb v2)&RFINAL")
    }

    /// Excel refuses a header over 255 characters (libxlsxwriter fails the write): a long name full of `&` is
    /// cut, whole characters and escapes kept, and the workbook is written.
    func testALongRubricNameIsCutToFitTheHeader() throws {
        let long = String(repeating: "R&D 研究 ", count: 40)
        let evaluation = try evaluation(Self.files, rubric: Self.rubric.replacingOccurrences(of: "Service & Care &P", with: "'\(long)'"))
        let header = try XCTUnwrap(try write(evaluation).sheet("Summary").first("oddHeader")?.text)
        XCTAssertLessThanOrEqual(header.utf8.count, 255)
        XCTAssertTrue(header.contains("\nR&&D 研究 R&&D"), header)
        XCTAssertTrue(header.contains("…&R"), header)
        let name = header.components(separatedBy: "\n")[1].components(separatedBy: "&R")[0]
        XCTAssertFalse(name.replacingOccurrences(of: "&&", with: "").contains("&"), "no lone & left by the cut: \(name)")
    }

    /// The band chart sits under the band table, from column A, no wider than a portrait page, and ends before the
    /// first printed page does (or starts a page of its own); the team table follows it.
    func testTheSummaryChartPrintsWhole() throws {
        let book = try write(try evaluation(Self.files, rubric: Self.rubric))
        let drawing = try book.part("xl/drawings/drawing1.xml")
        let anchor = try XCTUnwrap(drawing.first("xdr:twoCellAnchor"))
        let from = try XCTUnwrap(anchor.first("xdr:from")), to = try XCTUnwrap(anchor.first("xdr:to"))
        XCTAssertEqual(from.first("xdr:col")?.text, "0", "under the tables, not beside them")
        let firstRow = Int(try XCTUnwrap(from.first("xdr:row")?.text))!, lastRow = Int(try XCTUnwrap(to.first("xdr:row")?.text))!
        let breaks = try book.sheet("Summary").all("brk").compactMap { $0["id"].flatMap(Int.init) }
        XCTAssertTrue(lastRow < PrintLayout.portraitRows || breaks.contains(firstRow), "rows \(firstRow)–\(lastRow), breaks \(breaks)")
        let columns = try book.columnPixels("Summary")
        let lastColumn = Int(try XCTUnwrap(to.first("xdr:col")?.text))!, offset = Int(try XCTUnwrap(to.first("xdr:colOff")?.text))! / 9525
        let width = columns.prefix(lastColumn).reduce(0, +) + offset
        XCTAssertLessThanOrEqual(width, PrintLayout.portraitWidthPixels)
        XCTAssertGreaterThanOrEqual(width, XLSXChart.defaultSize.width - 1, "not shrunk below its usual size")

        let rows = try XLSXWorkbookReader(path: book.url.path).rows(inSheet: "Summary")
        let band = try XCTUnwrap(rows.first { $0.value(at: 0) == .text("Band") }?.number)
        let team = try XCTUnwrap(rows.first { $0.value(at: 0) == .text("Team") }?.number)
        XCTAssertGreaterThan(firstRow + 1, band, "the chart is below the band table")
        XCTAssertGreaterThan(team - 1, lastRow, "the team table is below the chart")
    }

    /// A Summary with more above the chart than a page holds (many bands) breaks the page before the chart.
    func testAChartThatWouldCrossThePageStartsANewOne() throws {
        let bands = (0..<30).map { "  - {id: B\($0), min: \(90 - 3 * $0), multiplier: 1}" }.joined(separator: "\n")
        let rubric = Self.rubric.components(separatedBy: "bands:")[0] + "bands:\n" + bands + "\n  - {id: Z, min: 0, multiplier: 0}\n"
        let book = try write(try evaluation(Self.files, rubric: rubric))
        let anchor = try XCTUnwrap(try book.part("xl/drawings/drawing1.xml").first("xdr:twoCellAnchor"))
        let firstRow = Int(try XCTUnwrap(anchor.first("xdr:from")?.first("xdr:row")?.text))!
        XCTAssertGreaterThan(firstRow + SummarySheet.chartRows, PrintLayout.portraitRows)
        XCTAssertEqual(try book.sheet("Summary").all("brk").compactMap { $0["id"].flatMap(Int.init) }, [firstRow])
    }

    func testTheOrientationRule() {
        XCTAssertFalse(PrintLayout.isWide([20, 30, 12, 12, 10]))  // ~600 px
        XCTAssertTrue(PrintLayout.isWide(Array(repeating: 12, count: 8)))  // 8 × 89 px
        XCTAssertEqual(PrintLayout.pixels(ofColumnWidth: 8.43), 64, "Excel's default column")
    }

    // MARK: - Scorecards

    func testScorecardsAreHeadedByNamesThenIdsAndShowValuesInTheirUnits() throws {
        let evaluation = try evaluation(Self.files, rubric: Self.rubric)
        let book = try write(evaluation)
        let rows = try XLSXWorkbookReader(path: book.url.path).rows(inSheet: "Scorecards")
        let fixed = ScorecardsSheet.fixedHeaders.count
        // Row 1: titles and metric names (each over its three columns, merged); row 2: the ids.
        XCTAssertEqual(rows[0].value(at: 0), .text("Employee ID"))
        XCTAssertEqual(rows[0].value(at: 5), .text("Official Total"))
        XCTAssertEqual(rows[0].value(at: fixed), .text("Positive feedback share"))
        XCTAssertEqual(rows[0].value(at: fixed + 3), .text("Customer satisfaction"))
        XCTAssertEqual(
            (fixed..<(fixed + 6)).map { rows[1].value(at: $0) },
            ["fb", "n", "score", "csat", "n", "score"].map { XLSXCell.text($0) })
        XCTAssertNil(rows[1].value(at: 0), "the fixed columns are titled once")
        let sheet = try book.sheet("Scorecards")
        let merged = sheet.all("mergeCell").compactMap { $0["ref"] }
        let column = XLSXWorksheet.columnName
        XCTAssertEqual(merged, ["\(column(fixed))1:\(column(fixed + 2))1", "\(column(fixed + 3))1:\(column(fixed + 5))1"])
        // The names row is tall enough for its wrapped titles ("Official / Total": two lines at least).
        let height = try XCTUnwrap(sheet.all("row").first { $0["r"] == "1" }?["ht"].flatMap(Double.init))
        XCTAssertGreaterThanOrEqual(height, 30)
        XCTAssertEqual(rows[2].value(at: 0), .text("00123"), "employees from row 3")

        // Number formats by column: the unit of each metric's value, counts, scores, totals.
        let formats = try book.numberFormats()
        let first = rows[2]
        func format(_ c: Int) -> String? { first.cell(at: c).flatMap { formats[$0.styleIndex] } }
        XCTAssertEqual(format(fixed), "0.0\" \"%", "a share as a percentage, like the terminal's 91.3 %")
        XCTAssertEqual(format(fixed + 1), "#,##0")
        XCTAssertEqual(format(fixed + 2), "0.0")
        XCTAssertEqual(format(fixed + 3), "0.00\" / 5\"", "a mean on its scale, like the terminal's 4.42 / 5")
        XCTAssertEqual(format(4), "0.00")
        XCTAssertEqual(format(5), "0.0")
        // Only the format changes: the cell holds the value in full (13/3, not the 4.33 shown).
        let csat = evaluation.employees[0].metrics[1]
        XCTAssertEqual(csat.raw, 13.0 / 3)
        XCTAssertEqual(first.value(at: fixed + 3), .number(try XCTUnwrap(csat.raw)))
        XCTAssertEqual(first.value(at: fixed + 5), .number(try XCTUnwrap(csat.score)))
    }

    /// Every kind's format is read off the terminal's text (`MetricUnits`), and the width the column is sized by
    /// is that text's length.
    func testEveryMetricKindHasTheFormatOfItsTerminalUnit() {
        let expected: [MetricKind: String] = [
            .satisfactionMean: "0.00\" / 5\"", .topBoxRate: "0.0\" \"%", .nps: "+0.0;-0.0;0.0", .retentionRate: "0.0\" \"%",
            .churnRate: "0.0\" \"%", .newCustomers: "0", .complaintRate: "0.0\" /100\"", .complaintResolutionRate: "0.0\" \"%",
            .medianResolutionHours: "0.0\" h\"", .firstContactResolutionRate: "0.0\" \"%", .escalationRate: "0.0\" \"%",
            .salesTotal: "#,##0.00", .salesGrowth: "+0.0\" \"%;-0.0\" \"%;0.0\" \"%", .quotaAttainment: "0.0\" \"%",
            .positiveFeedbackShare: "0.0\" \"%",
        ]
        XCTAssertEqual(Set(expected.keys), Set(MetricKind.allCases))
        var rng = SystemRandomNumberGenerator()
        for kind in MetricKind.allCases {
            let metric = MetricDefinition(
                id: "m", kind: kind, parameters: MetricParameters(scale: kind == .satisfactionMean ? 1...5 : nil),
                weight: 1, curve: .identity)
            let format = MetricNumberFormat(metric, currency: .usd)
            XCTAssertEqual(format.code, expected[kind], kind.rawValue)
            guard kind != .salesTotal else { continue }
            var values: [Double] = [0, -0.0, 0.0004, -0.0004, 0.5, 0.9999, 1, -1, 9.95, 99.95, 999.95, -12.34, 1234.5, 123_456.7]
            for _ in 0..<2_000 { values.append(Double.random(in: -2000...2000, using: &rng) / pow(10, Double(Int.random(in: 0...4, using: &rng)))) }
            for v in values {
                XCTAssertEqual(format.width(of: v), DisplayWidth.of(MetricUnits.format(v, for: metric)), "\(kind.rawValue) \(v)")
            }
        }
        let sales = MetricDefinition(id: "s", kind: .salesTotal, weight: 1, curve: .identity)
        XCTAssertEqual(MetricNumberFormat(sales, currency: Currency("JPY")!).code, "#,##0", "money in its minor digits")
        XCTAssertEqual(MetricNumberFormat(sales, currency: .usd).width(of: 1_234_567.891), "1,234,567.89".count)
    }

    // MARK: - Data Quality

    func testDataQualitySaysNoDataProblemsWhenThereAreNone() throws {
        let evaluation = try evaluation(Self.files, rubric: Self.rubric)
        XCTAssertTrue(evaluation.warnings.isEmpty && evaluation.notEvaluated.isEmpty)
        let rows = try XLSXWorkbookReader(path: try write(evaluation).url.path).rows(inSheet: "Data Quality")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[1].value(at: 3), .text("No data problems"))
    }

    /// People the rubric is meant for but does not evaluate are listed with the reason, after the warnings: joined
    /// after the period, left before it, too few days in it, no role; someone of another role is not (another
    /// rubric's), nor anyone evaluated.
    func testDataQualityListsWhoIsNotEvaluatedAndWhy() throws {
        var files = Self.files
        files["employees.csv"] = """
            employee_id,name,team,role,hire_date,end_date,bonus_target,currency
            00123,Ada Lovelace,Blue,agent,2020-01-01,,1000.00,USD
            00124,王芳,Blue,agent,2026-10-05,,3999,JPY
            00125,Bo Chen,Red,agent,2019-03-01,2026-05-31,500.00,USD
            00126,Late Joiner,Red,agent,2026-09-20,,500.00,USD
            00127,No Role,Red,,2020-01-01,,500.00,USD
            00128,Sales Person,Red,sales-rep,2020-01-01,,500.00,USD
            00130,Long Gone,Red,agent,2019-03-01,2026-03-31,500.00,USD
            00129,Bad Row,Red,agent,not a date,,500.00,USD
            """
        let rubric = Self.rubric.replacingOccurrences(of: "version: 2\n", with: "version: 2\nroles: [agent]\neligibility: {min_days: 30}\n")
        let evaluation = try evaluation(files, rubric: rubric)
        XCTAssertEqual(evaluation.employees.map(\.entry.employeeID), ["00123"])
        XCTAssertEqual(evaluation.warnings.count, 1, "the bad roster row")
        let rows = try XLSXWorkbookReader(path: try write(evaluation).url.path).rows(inSheet: "Data Quality")
        func text(_ row: XLSXRow, _ c: Int) -> String { if case .text(let t)? = row.value(at: c) { return t } else { return "" } }
        XCTAssertEqual(rows.count, 1 + 1 + 4, "header, the warning, four people")
        XCTAssertTrue(text(rows[1], 3).contains("hire_date") || text(rows[1], 2) == "hire_date", "the warning first")
        let people = rows.dropFirst(2).map { (file: text($0, 0), line: $0.value(at: 1), column: text($0, 2), message: text($0, 3)) }
        XCTAssertEqual(people.map(\.file), Array(repeating: "employees.csv", count: 4))
        XCTAssertEqual(people.map(\.line), [3, 4, 5, 6].map { XLSXCell.number(Double($0)) }, "the roster lines, in order")
        XCTAssertEqual(people.map(\.column), ["hire_date", "end_date", "hire_date", "role"])
        XCTAssertEqual(people[0].message, "00124 王芳 (agent) is not evaluated: joined on 2026-10-05, after the period 2026-Q3 ended")
        XCTAssertEqual(people[1].message, "00125 Bo Chen (agent) is not evaluated: left on 2026-05-31, before the period 2026-Q3 began")
        XCTAssertEqual(
            people[2].message,
            "00126 Late Joiner (agent) is not evaluated: joined on 2026-09-20, employed 11 of the period's "
                + "92 days; the rubric requires at least 30")
        XCTAssertEqual(people[3].message, "00127 No Role is not evaluated: no role, and the rubric covers only agent")
        XCTAssertFalse(rows.contains { text($0, 3).contains("Sales Person") }, "another role belongs to another rubric")
        XCTAssertFalse(rows.contains { text($0, 3).contains("Long Gone") }, "left before the previous period: not in its review either")
        XCTAssertFalse(rows.contains { text($0, 3) == "No data problems" })
        // Not part of the result: the conformance document lists only the evaluated.
        XCTAssertFalse(ConformanceDocument.render(evaluation).contains("Late Joiner"))
    }

    /// Dropping an evaluated person afterwards (a pool-currency mismatch) keeps the list of those never evaluated.
    func testDroppingAMemberKeepsWhoWasNotEvaluated() {
        let rubric = Rubric(
            id: "r", version: 1, roles: ["agent"], minDays: 30,
            metrics: [MetricDefinition(id: "m", kind: .nps, weight: 1, curve: .identity)],
            bands: [Band(id: "A", min: 0, multiplier: DecimalNumber("1")!)])
        let roster = [
            RosterEntry(employeeID: "1", name: "Stays", role: "agent", line: 2),
            RosterEntry(employeeID: "2", name: "Dropped", role: "agent", line: 3),
            RosterEntry(employeeID: "3", name: "No role", line: 4),
        ]
        let population = Population(rubric: rubric, period: Period("2026-Q3")!, roster: roster, rosterFile: "staff.csv")
        XCTAssertEqual(population.notEvaluated.map(\.entry.employeeID), ["3"])
        XCTAssertEqual(population.notEvaluated.map(\.file), ["staff.csv"])
        let smaller = population.removing([TextKey("2")], rubric: rubric)
        XCTAssertEqual(smaller.members.map(\.entry.employeeID), ["1"])
        XCTAssertEqual(smaller.notEvaluated, population.notEvaluated)
    }
}

/// The parts of a written workbook, parsed.
private struct Parts {
    let url: URL
    private let archive: Archive

    init(_ url: URL) throws {
        self.url = url
        archive = try Archive(url: url, accessMode: .read)
    }

    func part(_ name: String) throws -> PartXML {
        guard let entry = archive[name] else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
        var data = Data()
        _ = try archive.extract(entry, consumer: { data.append($0) })
        return try PartXML.parse(data)
    }

    func sheetNames() throws -> [String] { try part("xl/workbook.xml").all("sheet").compactMap { $0["name"] } }

    /// The XML of the sheet called `name`.
    func sheet(_ name: String) throws -> PartXML {
        let sheet = try XCTUnwrap(try part("xl/workbook.xml").all("sheet").first { $0["name"] == name })
        let target = try XCTUnwrap(try part("xl/_rels/workbook.xml.rels").all("Relationship").first { $0["Id"] == sheet["r:id"] }?["Target"])
        return try part(target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
    }

    /// `_xlnm.Print_Titles` by sheet name.
    func printTitles() throws -> [String: String] {
        let workbook = try part("xl/workbook.xml")
        let names = workbook.all("sheet").compactMap { $0["name"] }
        var titles: [String: String] = [:]
        for defined in workbook.all("definedName") where defined["name"] == "_xlnm.Print_Titles" {
            titles[names[Int(defined["localSheetId"]!)!]] = defined.text
        }
        return titles
    }

    /// Each used column's width in pixels, from column A, as the orientation rule measures it: the sized columns,
    /// and Excel's default width for a column in between left unsized.
    func columnPixels(_ name: String) throws -> [Int] {
        let sheet = try self.sheet(name)
        var widths: [Int: Double] = [:]
        for col in sheet.all("col") {
            for c in Int(col["min"]!)!...Int(col["max"]!)! { widths[c] = Double(col["width"]!)! }
        }
        let last = widths.keys.max() ?? 0
        return (1...max(last, 1)).map { PrintLayout.pixels(ofColumnWidth: widths[$0] ?? SheetWriter.defaultColumnWidth) }
    }

    /// Each cell style's number format code, by style index (built-in formats by their id).
    func numberFormats() throws -> [Int: String] {
        let styles = try part("xl/styles.xml")
        var codes: [String: String] = ["0": "General", "1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00", "9": "0%", "10": "0.00%"]
        for f in styles.all("numFmt") { codes[f["numFmtId"]!] = f["formatCode"] }
        let xfs = try XCTUnwrap(styles.first("cellXfs")).children.filter { $0.name == "xf" }
        var out: [Int: String] = [:]
        for (i, xf) in xfs.enumerated() { out[i] = codes[xf["numFmtId"] ?? "0"] }
        return out
    }
}

/// A parsed XML element: name as written (with its prefix), attributes, text, children.
private final class PartXML {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [PartXML] = []

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    /// This element and every element under it called `name`, in document order.
    func all(_ name: String) -> [PartXML] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    func first(_ name: String) -> PartXML? { all(name).first }

    static func parse(_ data: Data) throws -> PartXML {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { throw parser.parserError ?? CocoaError(.fileReadCorruptFile) }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: PartXML?
        var stack: [PartXML] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let element = PartXML(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    }
}
