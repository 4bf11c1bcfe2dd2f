import ArgumentParser
import Foundation
import MeritReport
import MeritServer
import MeritStore

/// `merit audit [PERIOD]`: the append-only audit log (docs/workspace.md), oldest first; `--verify` checks its hash
/// chain and the seals of finalized reviews (docs/workspace.md "Tamper evidence").
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: who did what, when, old, new and why.",
        discussion: """
            Imports, reviews, adjustments, finalizations and amendments, in the order they happened. Nothing deletes or changes an entry.

            --verify checks that nothing did: every entry still matches its SHA-256 and the hash of the entry before it, no entry is missing, and every finalized review (of PERIOD, when given) still matches the seal of its results taken when it was finalized. Each break is listed, naming the entry or review where it starts, and the exit status is 65; otherwise one line gives the number of entries and the chain's head hash (write it down: it also shows entries removed from the end later).

            Examples:
              merit audit
              merit audit 2026-Q3
              merit audit --format json
              merit audit --verify
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "Only this period's entries.")
    var period: String?

    @Option(name: .long, help: "table (for people: values and reasons wrapped to 80 columns) or json (one object per entry).")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "Check the log's hash chain and the finalized reviews' seals instead of printing the log.")
    var verify = false

    func validate() throws { if let period { _ = try parsePeriod(period) } }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.audit(period: period, format: format.rawValue, verify: verify))
        }
        let (_, _, store) = try workspace.open(readOnly: true)
        let key = try period.map { try parsePeriod($0).description }
        if verify {
            let report = try await WorkspaceFailure.run { try TamperCheck.check(store: store, period: key) }
            if format == .json {
                // One JSON value on standard output whatever the verdict; a break still exits 65.
                let object: [String: Any?] = [
                    "intact": report.breaks.isEmpty, "entries": report.entries, "head_sha256": report.head,
                    "sealed_reviews": report.sealedReviews, "breaks": report.breaks,
                ]
                Terminal.write(
                    String(
                        decoding: try JSONSerialization.data(
                            withJSONObject: object.mapValues { $0 ?? NSNull() }, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
                        as: UTF8.self) + "\n")
                if !report.breaks.isEmpty {
                    throw ExitStatus.fail(ExitStatus.dataError, ["merit: \(report.breaks.count) break(s) in the audit log or a finalized review"])
                }
                return
            }
            try Self.printVerdict(report)
            return
        }
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

    /// One line when the log and the seals are intact; each break, and exit 65, when not.
    static func printVerdict(_ report: TamperCheck.Report) throws {
        guard report.breaks.isEmpty else {
            throw ExitStatus.fail(
                ExitStatus.dataError,
                [
                    "merit: the audit log or a finalized review was changed outside Merit (\(report.breaks.count) break\(report.breaks.count == 1 ? "" : "s")):"
                ]
                    + report.breaks.map { "  " + TerminalText.escaped($0, keepLineBreaks: false) })
        }
        Terminal.write(verdict(report) + "\n")
    }

    /// "audit log intact: N entries, chain head sha256 …", and how many finalized reviews match their seals.
    static func verdict(_ report: TamperCheck.Report) -> String {
        let n = report.sealedReviews
        return
            "audit log intact: \(NumberText.grouped(report.entries)) entr\(report.entries == 1 ? "y" : "ies"), chain head sha256 \(report.head ?? "none")"
            + (n == 0 ? "" : "; \(n) finalized review\(n == 1 ? " matches its" : "s match their") seal")
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
