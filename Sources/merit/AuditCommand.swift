import ArgumentParser
import Foundation
import MeritReport
import MeritStore

/// `merit audit [PERIOD]`: the append-only audit log (spec §10), oldest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who did what, when, old, new and why.",
        discussion: """
        Imports, reviews, adjustments, finalizations and amendments, in the order they happened. Nothing deletes or changes an entry.

        Examples:
          merit audit
          merit audit 2026-Q3
        """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "Only this period's entries.")
    var period: String?

    func validate() throws { if let period { _ = try parsePeriod(period) } }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let key = try period.map { try parsePeriod($0).description }
        let entries = try await WorkspaceFailure.run { try AuditLog.entries(store, period: key) }
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
        Terminal.write(out.isEmpty ? "The audit log is empty.\n" : out)
    }
}
