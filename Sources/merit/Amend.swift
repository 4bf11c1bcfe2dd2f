import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit amend PERIOD --reason "…"` (docs/reference.md §10).
struct Amend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Correct a finalized review: a new draft version that references it.",
        discussion: """
            The new version starts as a copy of the finalized one (results and adjustments); change it with merit review (recomputed from the workspace's current data) and merit adjust, then finalize it. The finalized version stays as it was.

            Example:
              merit amend 2026-Q3 --reason "Surveys of team North were missing"
              merit amend 2026-Q3 --dispute 12        # answers accepted dispute 12 (docs/disputes.md)
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    @Option(name: .long, help: "What the amendment corrects (at most 2,000 characters; required unless --dispute names why).")
    var reason: String?

    @Option(name: .long, help: "An accepted dispute of the period the amendment answers (repeatable; merit dispute list).")
    var dispute: [Int64] = []

    func validate() throws {
        _ = try parsePeriod(period)
        if reason != nil || dispute.isEmpty { try validateReason(reason ?? "", mustSay: "what the amendment corrects") }
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.amend(period: period, reason: reason, disputes: dispute.map(String.init)))
        }
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run { try Reviews.amend(store: store, period: p, reason: reason ?? "", disputes: dispute) }
        let ids = Array(Set(dispute)).sorted().map(String.init)
        let answers = ids.isEmpty ? "" : ", answering dispute\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", "))"
        Terminal.write(
            WrappedLine.wrap([
                "Review of \(p), version \(v.version): draft amending version \(v.amendsVersion.map(String.init) ?? "?")\(answers).",
                "Run merit review \(p) to recompute it,", "merit adjust to change it,",
                "merit finalize \(p) when done.",
            ]) + "\n")
    }
}
