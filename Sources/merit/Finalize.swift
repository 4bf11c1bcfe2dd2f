import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit finalize PERIOD` (docs/reference.md §10).
struct Finalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lock a period's review: a finalized review never changes.",
        discussion: """
            Refused (exit 65, nothing changes) when the draft is preliminary (computed before its period ended: run merit review after the period), when data, rubrics or merit.yaml changed since it was computed (run merit review first; the message names what changed), and when it pays bonuses for days another finalized review already paid (merit.yaml bonus_period). The stored results are then computed again from the data and rubrics the review stored (as merit verify does); if anything differs, nothing is finalized.

            Example:
              merit finalize 2026-Q3
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) { return try await client.run(.finalize(period: period)) }
        let (ws, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run { try await Reviews.finalize(store: store, workspace: ws, config: config, period: p) }
        Terminal.write("Review of \(p), version \(v.version): final (by \(v.finalizedBy ?? "?") at \(v.finalizedAt ?? "?")).\n")
        // The chain head, to keep with the payroll run (docs/workspace.md "Tamper evidence").
        if let head = try await WorkspaceFailure.run({ try AuditLog.head(store) }) {
            Terminal.write(WrappedLine.wrap(["Audit log head:", head + ";", "keep it with this payroll run."]) + "\n")
        }
    }
}
