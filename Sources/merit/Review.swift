import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritStore

/// `merit review PERIOD`: the period's draft review from the workspace's data (docs/workspace.md).
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period with the workspace's rubrics and store it as a draft.",
        discussion: """
            Every employee is evaluated with the rubric merit.yaml assigns to their role, exactly as merit evaluate would on the same data. The draft keeps the rubrics' bytes (and sha256) and the data it read, so it can be recomputed at any time. Running it again replaces the draft (adjustments are kept); --diff says what changed and why. A finalized review is not replaced: amend it.

            Output: by default one line per rubric (evaluated, rated, warnings), which stays short for a company of any size; --employees prints every employee's row before it; --format json prints the conformance documents, one per rubric, with every employee (the summary then goes to standard error). merit export writes the whole review as a workbook.

            A workspace whose merit.yaml lists no rubric cannot be reviewed (exit 66): merit rubrics list shows the shipped rubrics, merit rubrics show ID prints one to copy.

            Examples:
              merit review 2026-Q3
              merit review 2026-Q3 --diff
              merit review 2026-Q3 --employees
              merit review 2026-Q3 --format json > review.json
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Flag(name: .long, help: "Show what changed since the draft this run replaces, and why.")
    var diff = false

    @Option(name: .long, help: "table (for people: a summary line per rubric) or json (the conformance documents, every employee).")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "With the table format: also print every employee's row, rubric by rubric.")
    var employees = false

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        let (ws, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let outcome = try await WorkspaceFailure.run { try await Reviews.review(store: store, workspace: ws, config: config, period: p) }
        switch format {
        case .json:
            Terminal.write(outcome.computed.map { ConformanceDocument.render($0.evaluation) }.joined(separator: "\n"))
        case .table:
            if employees { for c in outcome.computed { Terminal.write(ReviewTable.render(c.evaluation)) } }
        }
        var lines: [String] = []
        lines.append("Review of \(p), version \(outcome.version.version) (draft)\(outcome.replaced ? ", replacing the previous draft" : "")")
        for c in outcome.computed {
            let e = c.evaluation.employees
            lines.append(
                "  \(c.rubric.id) v\(c.rubric.version) (sha256 \(c.rubric.sha256.prefix(12))…): \(NumberText.grouped(e.count)) evaluated, \(NumberText.grouped(e.filter(\.rated).count)) rated, \(NumberText.grouped(c.evaluation.warnings.count)) warning\(c.evaluation.warnings.count == 1 ? "" : "s")"
            )
        }
        for idle in outcome.idleAdjustments { Terminal.printError("warning: \(idle)") }
        if diff {
            lines += outcome.diff.isEmpty ? ["No previous draft to compare with."] : outcome.diff
        }
        let text = lines.joined(separator: "\n") + "\n"
        // With JSON on standard output, the summary for people goes to standard error.
        if format == .table { Terminal.write(text) } else { Terminal.printError(text.dropLast().description) }
    }
}
