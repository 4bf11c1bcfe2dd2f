import ArgumentParser
import Foundation
import MeritReport
import MeritStore

/// `merit history [EMPLOYEE]` (spec §10 "History").
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Totals and bands across periods, with the change since the previous period of the same form.",
        discussion: """
        Each reviewed period counts with its current version (draft or final). An adjusted band is marked with *.

        Examples:
          merit history
          merit history E042
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "One employee_id (default: everyone).")
    var employee: String?

    @Option(name: .long, help: "table (default) or json.")
    var format: Format = .table

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let entries = try await WorkspaceFailure.run { try History.entries(store: store, employeeID: employee) }
        if entries.isEmpty, let employee {
            throw ExitStatus.fail(ExitStatus.dataError, ["merit: no review in this workspace evaluates employee '\(employee)'"])
        }
        switch format {
        case .json: Terminal.write(json(entries))
        case .table: Terminal.write(table(entries))
        }
    }

    func table(_ entries: [History.Entry]) -> String {
        let headers = ["Employee", "Name", "Period", "Review", "Rubric", "Total", "Change", "Band", "Bonus"]
        var rows: [[String]] = []
        for e in entries {
            rows.append([
                e.employeeID, e.name, e.period, "v\(e.version) \(e.status.rawValue)", e.rubricID,
                e.total.map { String(format: "%.1f", $0) } ?? "unrated",
                e.change.map { String(format: "%+.1f", $0) } ?? (e.previousPeriod == nil ? "" : "-"),
                (e.band ?? "-") + (e.adjusted ? "*" : "") + (e.previousBand.map { p in p != e.band ? " (was \(p))" : "" } ?? ""),
                e.bonus.map { "\($0) \(e.currency)" } ?? "-",
            ])
        }
        var widths = headers.map { DisplayWidth.of($0) }
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - DisplayWidth.of(c)) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(headers)] + rows.map(line)
        if entries.contains(where: \.adjusted) { out.append("* band adjusted by a manager (merit export shows the reason)") }
        return out.joined(separator: "\n") + "\n"
    }

    func json(_ entries: [History.Entry]) -> String {
        func s(_ v: String?) -> Any { v ?? NSNull() }
        func d(_ v: Double?) -> Any { v ?? NSNull() }
        let array: [[String: Any]] = entries.map { e in
            ["employee_id": e.employeeID, "name": e.name, "period": e.period, "version": e.version, "status": e.status.rawValue,
             "rubric": e.rubricID, "total": d(e.total), "band": s(e.band), "adjusted": e.adjusted, "bonus": s(e.bonus),
             "currency": e.currency, "previous_period": s(e.previousPeriod), "previous_total": d(e.previousTotal),
             "previous_band": s(e.previousBand), "change": d(e.change)]
        }
        let data = (try? JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
