import ArgumentParser
import Foundation
import MeritReport
import MeritStore

/// `merit audit [PERIOD]`: the append-only audit log (docs/workspace.md), oldest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who did what, when, old, new and why.",
        discussion: """
            Imports, reviews, adjustments, finalizations and amendments, in the order they happened. Nothing deletes or changes an entry.

            Examples:
              merit audit
              merit audit 2026-Q3
              merit audit --format json
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Only this period's entries.")
    var period: String?

    @Option(name: .long, help: "table (for people: values and reasons wrapped to 80 columns) or json (one object per entry).")
    var format: OutputFormat = .table

    func validate() throws { if let period { _ = try parsePeriod(period) } }

    func run() async throws {
        let (_, _, store) = try workspace.open(readOnly: true)
        let key = try period.map { try parsePeriod($0).description }
        let entries = try await WorkspaceFailure.run { try AuditLog.entries(store, period: key) }
        if format == .json {
            Terminal.write(json(entries))
            return
        }
        guard !entries.isEmpty else {
            Terminal.write(key.map { "No audit entries for \($0).\n" } ?? "The audit log is empty.\n")
            return
        }
        var out = ""
        for e in entries {
            var head = "\(e.at)  \(e.by)  \(e.action)"
            if let p = e.period { head += " \(p)" + (e.reviewVersion.map { " v\($0)" } ?? "") }
            if let id = e.employeeID { head += " \(id)" }
            out += head + "\n"
            // Values and reasons are free text: wrapped at their spaces to 80 columns, continuing under the text.
            for (label, text) in [("old", e.oldValue), ("new", e.newValue), ("why", e.reason)] {
                guard let text else { continue }
                // One entry's text never runs onto lines of its own, where it could pass for another entry.
                let words = TerminalText.escaped(text, keepLineBreaks: false).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                out += WrappedLine.wrap(words, lead: "    \(label): ", indent: "         ") + "\n"
            }
        }
        Terminal.write(out)
    }

    /// The entries as a JSON array, oldest first; absent values are null.
    func json(_ entries: [AuditLog.Entry]) -> String {
        jsonArray(
            entries.map { e in
                [
                    "at": e.at, "by": e.by, "action": e.action, "period": e.period, "version": e.reviewVersion,
                    "employee_id": e.employeeID, "old": e.oldValue, "new": e.newValue, "reason": e.reason,
                ]
            })
    }
}
