import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit review PERIOD`: the period's draft review from the workspace's data (docs/workspace.md).
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period with the workspace's rubrics and store it as a draft.",
        discussion: """
            Every employee is evaluated with the rubric merit.yaml assigns to their role, exactly as merit evaluate would on the same data. The draft keeps the rubrics' bytes (and sha256) and the data it read, so it can be recomputed at any time. Running it again replaces the draft (adjustments are kept); --diff says what changed and why. When nothing it reads changed since the draft was computed (data, rubric files, merit.yaml), it writes nothing and says so (--force computes and stores it anyway). A finalized review is not replaced: amend it.

            A review of a period that has not ended yet is a preliminary draft: marked so everywhere, and merit finalize refuses it until merit review runs again after the period. A review of a period the workspace does not pay bonuses for (merit.yaml bonus_period, quarter by default) rates people and pays no bonus.

            Output: by default one line per rubric (evaluated, rated, warnings), which stays short for a company of any size; --employees prints every employee's row before it (the stored review, as merit show prints it); --format json prints one JSON array with a document per rubric, every employee, adjustments applied (docs/workspace.md "Looking at a review"), and --format jsonl the same documents one per line (the summary then goes to standard error). merit show prints a stored review without computing anything; merit export writes it as a workbook.

            A workspace whose merit.yaml lists no rubric cannot be reviewed (exit 66): merit rubrics list shows the shipped rubrics, merit rubrics show ID prints one to copy.

            Examples:
              merit review 2026-Q3
              merit review 2026-Q3 --diff
              merit review 2026-Q3 --employees
              merit review 2026-Q3 --force          after merit verify found a difference
              merit review 2026-Q3 --format json > review.json
              merit show 2026-Q3
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Flag(name: .long, help: "Show what changed since the draft this run replaces, and why.")
    var diff = false

    @Option(
        name: .long,
        help: "table (for people: a summary line per rubric), json (one JSON array of documents, every employee) or jsonl (a document per line).")
    var format: ReviewOutputFormat = .table

    @Flag(name: .long, help: "With the table format: also print every employee's row, rubric by rubric.")
    var employees = false

    @Flag(name: .long, help: "Compute and store the draft even when nothing it reads changed (after merit verify found stored results that differ).")
    var force = false

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.review(period: period, format: format.rawValue, employees: employees, force: force, diff: diff))
        }
        let (ws, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let outcome = try await WorkspaceFailure.run {
            try await Reviews.review(store: store, workspace: ws, config: config, period: p, force: force)
        }
        let v = outcome.version
        // Every employee's row, and the JSON, are the stored review as `merit show` prints it: official results with
        // adjustments, never the computation alone.
        if format != .table || employees {
            let shown = try await WorkspaceFailure.run { try await Reviews.show(store: store, period: p) }
            Terminal.write(ShownOutput.render(shown, format: format))
        }
        var lines: [String] = []
        let status = v.isPreliminary ? "preliminary draft" : "draft"
        if outcome.unchanged {
            lines.append(
                WrappedLine.wrap([
                    "Review of \(p), version \(v.version) (\(status)) is up to date:",
                    "no data, rubric or setting it reads", "changed since it was computed", "at \(v.computedAt) by \(v.computedBy);",
                    "nothing was written.", "merit show \(p) prints it.",
                ]))
        } else {
            lines.append("Review of \(p), version \(v.version) (\(status))\(outcome.replaced ? ", replacing the previous draft" : "")")
        }
        for c in outcome.computed {
            let e = c.evaluation.employees
            lines.append(
                "  \(c.rubric.id) v\(c.rubric.version) (sha256 \(c.rubric.sha256.prefix(12))…): \(NumberText.grouped(e.count)) evaluated, \(NumberText.grouped(e.filter(\.rated).count)) rated, \(NumberText.grouped(c.evaluation.warnings.count)) warning\(c.evaluation.warnings.count == 1 ? "" : "s")"
            )
        }
        let notices = try await WorkspaceFailure.run { try Reviews.notices(store: store, version: v) }
        lines += notices.map { WrappedLine.wrap($0.text.split(separator: " ").map(String.init)) }
        for idle in outcome.idleAdjustments { Terminal.printError("warning: \(idle)") }
        if diff {
            if outcome.unchanged {
                lines.append("Nothing changed since version \(v.version) was computed.")
            } else {
                // Each line wrapped at 80 columns between words, continuing under its text.
                lines +=
                    outcome.diff.isEmpty
                    ? ["No previous draft to compare with."]
                    : outcome.diff.map { line in
                        let lead = String(line.prefix { $0 == " " })
                        return WrappedLine.wrap(line.dropFirst(lead.count).split(separator: " ").map(String.init), lead: lead, indent: lead + "    ")
                    }
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        // With JSON on standard output, the summary for people goes to standard error.
        if format == .table { Terminal.write(text) } else { Terminal.printError(text.dropLast().description) }
    }
}
