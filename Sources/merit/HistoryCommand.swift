import ArgumentParser
import Foundation
import MeritReport
import MeritServer
import MeritStore

/// `merit history [EMPLOYEE]` (docs/workspace.md).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Totals and bands across periods, with the change since the previous period of the same form.",
        discussion: """
            Each reviewed period counts with its current version (draft or final). An adjusted band is marked with *.

            Examples:
              merit history
              merit history E042
              merit history --format json
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "One employee_id (default: everyone).")
    var employee: String?

    @Option(name: .long, help: "table (for people: a heading per rubric, names cut to fit 80 columns) or json (every field whole).")
    var format: OutputFormat = .table

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.history(employee: employee, format: format.rawValue))
        }
        let (_, _, store) = try workspace.open(readOnly: true)
        // Through merit serve, only what the caller may see (docs/roles.md): their own finalized periods (figures of
        // finalized reviews only), and a manager's reports' periods, drafts included.
        let sight = Caller.acting.map { caller in
            { (id: String) -> History.Sight in
                caller.may(.history, subject: id, draft: true) ? .current : caller.may(.history, subject: id) ? .finalized : .none
            }
        }
        let entries = try await WorkspaceFailure.run { try History.entries(store: store, employeeID: employee, sight: sight) }
        if entries.isEmpty, let employee {
            throw ExitStatus.fail(ExitStatus.dataError, ["merit: no review in this workspace evaluates employee '\(employee)'"])
        }
        switch format {
        case .json: Terminal.write(json(entries))
        case .table: Terminal.write(table(entries))
        }
    }

    /// The entries under a line per rubric, in columns that fit `width` (80-column terminals): the
    /// rubric is a heading rather than a column, names give way first when the table is still too
    /// wide (cut with an ellipsis; `--format json` has them whole), then the gaps between columns.
    func table(_ entries: [History.Entry], width: Int = 80) -> String {
        let headers = ["Employee", "Name", "Period", "Review", "Total", "Change", "Band", "Bonus"]
        var groups: [(rubric: String, rows: [[String]])] = []
        for e in entries {
            let row = [
                e.employeeID, e.name, e.period, "v\(e.version) \(e.preliminary ? "prelim" : e.status.rawValue)",
                e.total.map { String(format: "%.1f", $0) } ?? "unrated",
                e.change.map { String(format: "%+.1f", $0) } ?? (e.previousPeriod == nil ? "" : "-"),
                (e.band ?? "-") + (e.adjusted ? "*" : "") + (e.previousBand.map { p in p != e.band ? " (was \(p))" : "" } ?? ""),
                e.bonus.map { NumberText.money($0, e.currency) } ?? "-",
            ]
            if let g = groups.firstIndex(where: { $0.rubric == e.rubricID }) {
                groups[g].rows.append(row)
            } else {
                groups.append((e.rubricID, [row]))
            }
        }
        var widths = headers.map { DisplayWidth.of($0) }
        for group in groups { for r in group.rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } } }
        var gap = 2
        func tableWidth() -> Int { widths.reduce(0, +) + gap * (widths.count - 1) }
        if tableWidth() > width { widths[1] = max(8, widths[1] - (tableWidth() - width)) }
        if tableWidth() > width { gap = 1 }
        func line(_ cells: [String]) -> String {
            // Total, Change and Bonus are right-aligned, so digits and grouped amounts line up.
            cells.enumerated().map { i, c in DisplayWidth.fit(c, widths[i], alignRight: [4, 5, 7].contains(i)) }
                .joined(separator: String(repeating: " ", count: gap))
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(headers)]
        for group in groups { out.append("Rubric \(group.rubric)"); out += group.rows.map(line) }
        if entries.contains(where: \.adjusted) { out.append("* band adjusted by a manager (merit export shows the reason)") }
        if entries.contains(where: \.preliminary) { out.append("prelim: a preliminary draft, computed before its period ended; not to be paid") }
        return out.joined(separator: "\n") + "\n"
    }

    func json(_ entries: [History.Entry]) -> String {
        jsonArray(
            entries.map { e in
                [
                    "employee_id": e.employeeID, "name": e.name, "period": e.period, "version": e.version, "status": e.status.rawValue,
                    "preliminary": e.preliminary,
                    "rubric": e.rubricID, "total": e.total, "band": e.band, "adjusted": e.adjusted, "bonus": e.bonus,
                    "currency": e.currency, "previous_period": e.previousPeriod, "previous_total": e.previousTotal,
                    "previous_band": e.previousBand, "change": e.change,
                ]
            })
    }
}
