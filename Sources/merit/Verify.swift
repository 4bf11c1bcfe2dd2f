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
            Export, scorecards and the server show the results merit review stored. verify computes the current version of the review again from the data versions and rubric files it stored, with its adjustments, and compares every result byte for byte: each employee's total, band, bonus and metrics, and each rubric's conformance document. It also checks the audit log's hash chain and that each finalized version of the period still matches the seal of its results (as merit audit --verify does). Any difference or break is listed and the exit status is 65; merit finalize makes the same recomputation before it locks a review.

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
        // The audit chain and this period's finalized seals too (docs/workspace.md "Tamper evidence"): a recomputation
        // compares results with the data, not with what was finalized.
        let tamper = try await WorkspaceFailure.run { try TamperCheck.check(store: store, period: p.description) }
        let v = check.version
        let what =
            "Review of \(p), version \(v.version) (\(v.status.rawValue)): \(NumberText.grouped(check.employees)) employee\(check.employees == 1 ? "" : "s") of \(check.rubrics) rubric\(check.rubrics == 1 ? "" : "s") computed again from its stored data and rubrics"
        guard tamper.breaks.isEmpty else {
            throw ExitStatus.fail(
                ExitStatus.dataError,
                [
                    "merit: the audit log, or a finalized review of \(p), was changed outside Merit (\(tamper.breaks.count) break\(tamper.breaks.count == 1 ? "" : "s")):"
                ]
                    + tamper.breaks.map { "  " + TerminalText.escaped($0, keepLineBreaks: false) }
                    + (check.differenceCount == 0
                        ? []
                        : ["and \(check.differenceCount) difference\(check.differenceCount == 1 ? "" : "s") from a recomputation:"]
                            + check.differences.map { "  " + $0 }))
        }
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
        out += "\n" + WrappedLine.wrap(words(AuditCommand.verdict(tamper) + "."))
        if check.filledIn > 0 { out += "\n" + WrappedLine.wrap(words("The full results, stored by an earlier Merit, are now stored too.")) }
        Terminal.write(out + "\n")
    }

    /// A sentence as the words `WrappedLine` may break between (within 80 columns).
    private func words(_ sentence: String) -> [String] { sentence.split(separator: " ").map(String.init) }
}
