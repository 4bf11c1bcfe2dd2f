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
            Refused (exit 65, nothing changes) when the draft is preliminary (computed before its period ended: run merit review after the period), when data, rubrics or merit.yaml changed since it was computed (run merit review first; the message names what changed), and when it pays bonuses for days another finalized review already paid (merit.yaml bonus_period). With merit.yaml's calibration.enforce_guidelines: true it also refuses while a distribution guideline is missed after adjustments, listing each (docs/calibration.md); --override-guidelines --reason "..." finalizes anyway and writes the reason to the audit log (finalize-override). The stored results are then computed again from the data and rubrics the review stored (as merit verify does); if anything differs, nothing is finalized.

            Example:
              merit finalize 2026-Q3
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    @Flag(name: .long, help: "Finalize although a distribution guideline is missed (needs --reason; audit-logged).")
    var overrideGuidelines = false

    @Option(name: .long, help: "Why the guidelines are overridden (with --override-guidelines; at most 2,000 characters).")
    var reason: String?

    func validate() throws {
        _ = try parsePeriod(period)
        if overrideGuidelines {
            guard let reason else { throw ValidationError("--override-guidelines needs --reason \"why the distribution stands\"") }
            try validateReason(reason, mustSay: "why the distribution stands")
        } else if reason != nil {
            throw ValidationError("--reason is given with --override-guidelines only")
        }
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.finalize(period: period, overrideGuidelines: overrideGuidelines ? reason : nil))
        }
        let (ws, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run {
            try await Reviews.finalize(
                store: store, workspace: ws, config: config, period: p,
                overrideGuidelines: overrideGuidelines ? reason?.trimmingCharacters(in: .whitespacesAndNewlines) : nil)
        }
        Terminal.write("Review of \(p), version \(v.version): final (by \(v.finalizedBy ?? "?") at \(v.finalizedAt ?? "?")).\n")
        // The chain head, to keep with the payroll run (docs/workspace.md "Tamper evidence").
        if let head = try await WorkspaceFailure.run({ try AuditLog.head(store) }) {
            Terminal.write(WrappedLine.wrap(["Audit log head:", head + ";", "keep it with this payroll run."]) + "\n")
        }
    }
}
