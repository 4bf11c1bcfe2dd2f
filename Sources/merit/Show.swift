import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `--format` of `merit show` and `merit review`: a stored review as people read it, as one JSON value, or as JSON
/// Lines (docs/workspace.md "Looking at a review").
enum ReviewOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}

/// `merit show PERIOD`: a stored review as it is, without computing or writing anything (docs/workspace.md "Looking at
/// a review").
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a period's stored review: official results, adjustments marked, nothing recomputed.",
        discussion: """
            What is shown is what is stored, exported and paid: adjusted bands and bonuses, each adjusted band marked * with the computed band beside it, and totals with the adjustments. A preliminary review (computed before its period ended), a review that pays no bonus (merit.yaml bonus_period) and a rubric changed without a new version are said first. It only reads the workspace, so it needs no write permission and leaves no trace in the audit log.

            --format table prints one table per rubric; json prints one JSON array with a document per rubric (the conformance document of the official results, plus "review" and, per employee, "computed" and "adjustment"); jsonl prints the same documents one per line.

            Examples:
              merit show 2026-Q3
              merit show 2026-Q3 --rubric customer-service
              merit show 2026-Q3 --format json > review.json
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Option(name: .long, help: "table (for people), json (one JSON array of documents) or jsonl (a document per line).")
    var format: ReviewOutputFormat = .table

    @Option(name: .long, help: "Only this rubric's results (by rubric id).")
    var rubric: String?

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.show(period: period, rubric: rubric, format: format.rawValue))
        }
        let (_, _, store) = try workspace.open(readOnly: true)
        let p = try parsePeriod(period)
        var shown = try await WorkspaceFailure.run { try await Reviews.show(store: store, period: p, rubricID: rubric) }
        // Through merit serve, only the rows the caller may see: a manager's reports (docs/roles.md).
        if let caller = Caller.acting, RoleTable.scope(caller.role, .show) != .everyone { shown = shown.restricted(to: caller.seesInReview) }
        Terminal.write(ShownOutput.render(shown, format: format))
    }
}

/// A stored review in one of `ReviewOutputFormat`'s forms, for `merit show` and `merit review`.
enum ShownOutput {
    static func render(_ shown: Reviews.Shown, format: ReviewOutputFormat) -> String {
        let evaluations = shown.rubrics.map(\.evaluation)
        switch format {
        case .json: return String(decoding: ReviewDocument.json(evaluations, facts: shown.facts), as: UTF8.self)
        case .jsonl: return String(decoding: ReviewDocument.jsonLines(evaluations, facts: shown.facts), as: UTF8.self)
        case .table:
            let facts = shown.facts
            return ReviewTable.heading(facts) + evaluations.map { ReviewTable.render($0, facts: facts) }.joined(separator: "\n")
        }
    }
}
