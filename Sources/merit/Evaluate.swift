import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook

/// `merit evaluate`: one rubric over one period of a data directory (docs/reference.md §12).
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period's data with a rubric and print the result.",
        discussion: """
            Reads the data directory (employees.csv and the datasets the rubric needs; the files and their columns are in docs/reference.md, section 2), validates every row, and prints a table for people or, with --format json, the conformance document for scripts. Bad rows stop the command with exit 65 and a FILE:LINE: COLUMN: message for each; fix them, or drop them with a warning with --skip-invalid.

            Examples:
              merit evaluate --data q3/ --rubric customer-service.yaml --period 2026-Q3
              merit evaluate --data q3/ --rubric sales-rep.yaml --period 2026-Q3 \\
                             --format json
              merit evaluate --data crm/ --rubric r.yaml --period 2026-09 \\
                             --mapping crm/mapping.yaml --skip-invalid
            """
    )

    @Option(name: .long, help: "The data directory (employees.csv, surveys.csv, ...).")
    var data: String

    @Option(name: .long, help: "The rubric YAML file.")
    var rubric: String

    @Option(name: .long, help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Option(name: .long, help: "table (for people) or json (the conformance document, for scripts).")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Drop bad rows with a warning instead of failing.")
    var skipInvalid = false

    @Option(name: .long, help: "A column mapping file (replaces DATA/mapping.yaml).")
    var mapping: String?

    @Option(name: .long, help: "Also write the HR workbook (sheets Summary, Scorecards, Bonus, Training, Rubric, Data Quality) to this .xlsx file.")
    var out: String?

    func validate() throws {
        if let out, !out.lowercased().hasSuffix(".xlsx") {
            throw ValidationError("--out names the workbook to write and must end in .xlsx (got '\(out)')")
        }
        guard Period(period) != nil else {
            throw ValidationError("'\(period)' is not a period id: use YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM (e.g. 2026-Q3)")
        }
    }

    func run() async throws {
        let evaluation = try await EvaluatePipeline.run(
            data: data, rubricPath: rubric, period: Period(period)!,
            options: LoadOptions(skipInvalid: skipInvalid, mappingPath: mapping)
        )
        // The text is rendered on the other core while the workbook is written (both are pure reads of
        // the evaluation; for a large company each takes a noticeable share of a second).
        let format = self.format
        async let text = format == .json ? ConformanceDocument.renderUTF8(evaluation) : Array(ReviewTable.render(evaluation).utf8)
        if let out { try WorkbookOutput.write(evaluation, to: out) }
        Terminal.write(utf8: await text)
    }
}
