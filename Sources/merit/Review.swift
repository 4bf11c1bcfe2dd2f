import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritStore

/// `merit review PERIOD`: the period's draft review from the workspace's data (spec §10).
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period with the workspace's rubrics and store it as a draft.",
        discussion: """
        Every employee is evaluated with the rubric merit.yaml assigns to their role, exactly as merit evaluate would on the same data. The draft keeps the rubrics' bytes (and sha256) and the data it read, so it can be recomputed at any time. Running it again replaces the draft (adjustments are kept); --diff says what changed and why. A finalized review is not replaced: amend it.

        Examples:
          merit review 2026-Q3
          merit review 2026-Q3 --diff
          merit review 2026-Q3 --format json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case summary, table, json }

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Flag(name: .long, help: "Show what changed since the draft this run replaces, and why.")
    var diff = false

    @Option(name: .long, help: "summary (default), table (every employee) or json (the conformance documents).")
    var format: Format = .summary

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        let (ws, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let outcome = try await WorkspaceFailure.run { try await Reviews.review(store: store, workspace: ws, config: config, period: p) }
        switch format {
        case .json:
            Terminal.write(outcome.computed.map { ConformanceDocument.render($0.evaluation) }.joined(separator: "\n"))
        case .table:
            for c in outcome.computed { Terminal.write(ReviewTable.render(c.evaluation)) }
        case .summary:
            break
        }
        var lines: [String] = []
        lines.append("Review of \(p), version \(outcome.version.version) (draft)\(outcome.replaced ? ", replacing the previous draft" : "")")
        for c in outcome.computed {
            let e = c.evaluation.employees
            lines.append("  \(c.rubric.id) v\(c.rubric.version) (sha256 \(c.rubric.sha256.prefix(12))…): \(e.count) evaluated, \(e.filter(\.rated).count) rated, \(c.evaluation.warnings.count) warning\(c.evaluation.warnings.count == 1 ? "" : "s")")
        }
        for idle in outcome.idleAdjustments { Terminal.printError("warning: \(idle)") }
        if diff {
            lines += outcome.diff.isEmpty ? ["No previous draft to compare with."] : outcome.diff
        }
        let text = lines.joined(separator: "\n") + "\n"
        if format == .summary { Terminal.write(text) } else { Terminal.printError(text.dropLast().description) }
    }
}

/// `merit adjust PERIOD EMPLOYEE --band B --reason "…"` (spec §10).
struct Adjust: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Override an employee's band on a draft review, with a reason.",
        discussion: """
        The multiplier and bonus follow the new band (in pool mode the pool is split again); the computed total stays beside it. Who (your OS account), when, old, new and why are kept in the audit log, which nothing deletes. Giving the computed band back removes the override. A finalized review cannot be adjusted (exit 65): amend it first.

        Example:
          merit adjust 2026-Q3 E042 --band B --reason "Covered two territories"
        """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    @Argument(help: "The employee_id.")
    var employee: String

    @Option(name: .long, help: "The band to give (one of the rubric's band ids).")
    var band: String

    @Option(name: .long, help: "Why (required, kept in the audit log).")
    var reason: String

    func validate() throws {
        _ = try parsePeriod(period)
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why the band changes") }
    }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let a = try await WorkspaceFailure.run {
            try await Reviews.adjust(store: store, period: p, employeeID: employee, band: band, reason: reason)
        }
        let total = a.total.map { String(format: "%.1f", $0) } ?? "-"
        var line = "\(a.employeeID) \(a.name), \(p) version \(a.version.version): band \(a.oldBand) → \(a.newBand) (computed total \(total), computed band \(a.computedBand))"
        line += "; bonus \(a.oldBonus ?? "none") → \(a.bonus ?? "none") \(a.currency)"
        if a.newBand == a.computedBand { line += "; back to the computed band, override removed" }
        Terminal.write(line + "\n")
    }
}

/// `merit finalize PERIOD` (spec §10).
struct Finalize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lock a period's review: a finalized review never changes.",
        discussion: "Example:\n  merit finalize 2026-Q3"
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    func validate() throws { _ = try parsePeriod(period) }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run { try Reviews.finalize(store: store, period: p) }
        Terminal.write("Review of \(p), version \(v.version): final (by \(v.finalizedBy ?? "?") at \(v.finalizedAt ?? "?")).\n")
    }
}

/// `merit amend PERIOD --reason "…"` (spec §10).
struct Amend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Correct a finalized review: a new draft version that references it.",
        discussion: """
        The new version starts as a copy of the finalized one (results and adjustments); change it with merit review (recomputed from the workspace's current data) and merit adjust, then finalize it. The finalized version stays as it was.

        Example:
          merit amend 2026-Q3 --reason "Surveys of team North were missing"
        """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    @Option(name: .long, help: "What the amendment corrects (required).")
    var reason: String

    func validate() throws {
        _ = try parsePeriod(period)
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say what the amendment corrects") }
    }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let v = try await WorkspaceFailure.run { try Reviews.amend(store: store, period: p, reason: reason) }
        Terminal.write("Review of \(p), version \(v.version): draft amending version \(v.version - 1). Run merit review \(p) to recompute it, merit adjust to change it, merit finalize \(p) when done.\n")
    }
}
