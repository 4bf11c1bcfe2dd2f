import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritStore

/// `merit finalize PERIOD` (docs/reference.md §10).
struct Finalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lock a period's review: a finalized review never changes.",
        discussion: """
            The stored results are first computed again from the data and rubrics the review stored (as merit verify does); if anything differs, nothing is finalized (exit 65).

            Example:
              merit finalize 2026-Q3
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run { try await Reviews.finalize(store: store, period: p) }
        Terminal.write("Review of \(p), version \(v.version): final (by \(v.finalizedBy ?? "?") at \(v.finalizedAt ?? "?")).\n")
    }
}
