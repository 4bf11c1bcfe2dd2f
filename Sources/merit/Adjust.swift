import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit adjust PERIOD EMPLOYEE --band B --reason "…"` (docs/reference.md §10).
struct Adjust: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Override an employee's band on a draft review, with a reason.",
        discussion: """
            The multiplier and bonus follow the new band (in pool mode the pool is split again, and every colleague whose bonus moves is listed and logged); the computed total stays beside it. Who (your OS account), when, old, new and why are kept in the audit log, which nothing deletes. Giving the computed band back removes the override. A finalized review cannot be adjusted (exit 65): amend it first.

            Example:
              merit adjust 2026-Q3 E042 --band B --reason "Covered two territories"
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    @Argument(help: "The employee_id.")
    var employee: String

    @Option(name: .long, help: "The band to give (one of the rubric's band ids).")
    var band: String

    @Option(name: .long, help: "Why (required, at most 2,000 characters; kept in the audit log).")
    var reason: String

    @Option(name: .long, help: "The calibration session the change is made in (docs/calibration.md); merit calibrate --session lists it.")
    var session: String?

    func validate() throws {
        _ = try parsePeriod(period)
        try validateReason(reason, mustSay: "why the band changes")
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.adjust(period: period, employee: employee, band: band, reason: reason, session: session))
        }
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let a = try await WorkspaceFailure.run {
            try await Reviews.adjust(store: store, period: p, employeeID: employee, band: band, reason: reason, session: session)
        }
        let total = a.total.map { String(format: "%.1f", $0) } ?? "-"
        var pieces = [
            "\(a.employeeID) \(a.name), \(p) version \(a.version.version): band \(a.oldBand) → \(a.newBand)",
            "(computed total \(total), computed band \(a.computedBand));",
            "bonus \(a.oldBonus.map(NumberText.grouped) ?? "none") → \(a.bonus.map(NumberText.grouped) ?? "none") \(a.currency)",
        ]
        if a.newBand == a.computedBand { pieces[2] += ";"; pieces.append("back to the computed band, override removed") }
        var out = WrappedLine.wrap(pieces) + "\n"
        // Every bonus the adjustment moved, not only the adjusted person's (issue 17): in pool mode the colleagues'.
        // Through merit serve, only the colleagues the caller may see by name (docs/roles.md): a manager's reports.
        let shown = a.moved.filter { m in Caller.acting?.seesInReview(m.employeeID) ?? true }
        // Not how many: with the pool's amount on a report's scorecard, a count would tell what the others got.
        if shown.count < a.moved.count { out += "The pool was split again: bonuses of people outside your reports moved too.\n" }
        for m in shown {
            out +=
                WrappedLine.wrap([
                    "\(m.employeeID) \(m.name): bonus \(Self.money(m.oldBonus, m.currency)) → \(Self.money(m.newBonus, m.currency))",
                    "(pool split again)",
                ]) + "\n"
        }
        Terminal.write(out)
    }

    /// An amount with its currency (`1,200.00 USD`), or none.
    static func money(_ amount: String?, _ currency: String) -> String {
        amount.map { "\(NumberText.grouped($0)) \(currency)" } ?? "none"
    }
}
