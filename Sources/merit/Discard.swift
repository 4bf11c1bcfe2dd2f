import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit discard PERIOD --reason "…"` (docs/workspace.md "Discarding a draft").
struct Discard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop a mistaken draft review; a finalized review is never discarded.",
        discussion: """
            The period's current draft leaves history, scorecards and every view; the audit log keeps what it held (results, adjustments, inputs) and why it was dropped. When the draft amended a finalized review, that finalized version is the period's review again. A finalized review is refused (exit 65): correct it with merit amend.

            Example:
              merit discard 2026-09 --reason "Monthly review run by mistake"
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    @Option(name: .long, help: "Why the draft is dropped (required, at most 2,000 characters; kept in the audit log).")
    var reason: String

    func validate() throws {
        _ = try parsePeriod(period)
        try validateReason(reason, mustSay: "why the draft is dropped")
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.discard(period: period, reason: reason))
        }
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let (gone, current) = try await WorkspaceFailure.run { try Reviews.discard(store: store, period: p, reason: reason) }
        let now =
            current.map { "the review of \(p) is now version \($0.version) (\($0.status.rawValue))." } ?? "\(p) has no review now."
        Terminal.write(WrappedLine.wrap(["Discarded the draft of \(p), version \(gone.version);", now]) + "\n")
    }
}
