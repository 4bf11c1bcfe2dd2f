import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritStore

/// `merit verify PERIOD` (docs/workspace.md "Results are stored once"): the stored review computed again from what it
/// stored, and compared with its stored results.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute a period's review again from what it stored, and compare with its stored results.",
        discussion: """
            Export, scorecards and the server show the results merit review stored. verify computes the current version of the review again from the data versions and rubric files it stored, with its adjustments, and compares every result byte for byte: each employee's total, band, bonus and metrics, and each rubric's conformance document. Any difference is listed and the exit status is 65; merit finalize makes the same check before it locks a review.

            A review stored by an earlier Merit kept only totals and bands: when they agree, verify stores its full results once.

            Examples:
              merit verify 2026-Q3
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let check = try await WorkspaceFailure.run { try await Reviews.verify(store: store, period: p) }
        let v = check.version
        let what =
            "Review of \(p), version \(v.version) (\(v.status.rawValue)): \(NumberText.grouped(check.employees)) employee\(check.employees == 1 ? "" : "s") of \(check.rubrics) rubric\(check.rubrics == 1 ? "" : "s") computed again from its stored data and rubrics"
        guard check.differenceCount == 0 else {
            let heading = WrappedLine.wrap(
                words(
                    "merit: \(what): \(NumberText.grouped(check.differenceCount)) difference\(check.differenceCount == 1 ? "" : "s") from what is stored:"
                ))
            throw ExitStatus.fail(
                ExitStatus.dataError,
                heading.split(separator: "\n").map(String.init)
                    + check.differences.map { "  " + $0 }
                    + (check.differenceCount > check.differences.count ? ["  …"] : [])
                    + ["Run merit review \(p) --force to compute the draft again;", "a finalized review is corrected with merit amend."])
        }
        var out = WrappedLine.wrap(words(what + ": identical to what is stored."))
        if check.filledIn > 0 { out += "\n" + WrappedLine.wrap(words("The full results, stored by an earlier Merit, are now stored too.")) }
        Terminal.write(out + "\n")
    }

    /// A sentence as the words `WrappedLine` may break between (within 80 columns).
    private func words(_ sentence: String) -> [String] { sentence.split(separator: " ").map(String.init) }
}
