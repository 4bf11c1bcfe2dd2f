import ArgumentParser
import Foundation
import MeritReport
import MeritStore

/// `merit dispute list [--open] [--period P] [--format table|json]`: the disputes the caller may see (docs/roles.md:
/// an employee their own, a manager theirs and their reports', HR everyone; locally, operators everyone).
struct DisputeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List disputes, oldest first (yours, your reports', or everyone's for HR).",
        discussion: """
            Examples:
              merit dispute list --open
              merit dispute list --period 2026-Q3 --format json
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Flag(name: .long, help: "Only the open disputes.")
    var open = false

    @Option(name: .long, help: "Only the disputes of this period.")
    var period: String?

    @Option(name: .long, help: "table (for people) or json (one object per dispute, for scripts).")
    var format: OutputFormat = .table

    func validate() throws { if let period { _ = try parsePeriod(period) } }

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeList(open: open, period: period, format: format.rawValue))
        }
        let (_, _, store) = try workspace.open(readOnly: true)
        let all = try WorkspaceFailure.runSync {
            try Disputes.list(store: store, period: period.map { try parsePeriod($0).description }, openOnly: open)
        }
        let shown = all.filter { d in Caller.acting?.may(.disputeView, subject: d.employeeID) ?? true }
        if format == .json { return Terminal.write(jsonArray(shown.map(DisputeAccess.json))) }
        guard !shown.isEmpty else { return Terminal.write(open ? "No open dispute.\n" : "No dispute.\n") }
        Terminal.write(Self.table(shown))
    }

    static func table(_ disputes: [Dispute]) -> String {
        let headers = ["ID", "Period", "Employee", "State", "Opened", "Resolved", "About"]
        let rows = disputes.map { d in
            [
                String(d.id), d.period, DisputeAccess.safe(d.employeeID), d.state.rawValue, String(d.openedAt.prefix(10)),
                d.resolvedAt.map { String($0.prefix(10)) } ?? "-", about(d),
            ]
        }
        var widths = headers.map { DisplayWidth.of($0) }
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        // "About" takes what is left of 80 columns (at least its heading's width).
        widths[6] = max(DisplayWidth.of(headers[6]), min(widths[6], 80 - widths[..<6].reduce(0, +) - 2 * 6))
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in DisplayWidth.fit(c, widths[i]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// What a dispute is about, in a few words: its metric and records, or the result as a whole.
    static func about(_ d: Dispute) -> String {
        var parts: [String] = []
        if let m = d.metric { parts.append(DisputeAccess.safe(m)) }
        if !d.records.isEmpty { parts.append("\(d.records.count) record\(d.records.count == 1 ? "" : "s")") }
        return parts.isEmpty ? "the result" : parts.joined(separator: ", ")
    }
}

/// `merit dispute show ID [--format table|json]`: the dispute, its history from the audit log, its exclusions and
/// the amendments that answer it.
struct DisputeShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a dispute, its history, its exclusions and the amendments that answer it.",
        discussion: """
            Example:
              merit dispute show 7
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The dispute's id (merit dispute list).")
    var id: String

    @Option(name: .long, help: "table (for people) or json (for scripts).")
    var format: OutputFormat = .table

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeShow(id: id, format: format.rawValue))
        }
        let (_, config, store) = try workspace.open(readOnly: true)
        let d = try DisputeAccess.dispute(try DisputeAccess.id(id), for: .disputeView, store: store, config: config)
        guard let detail = try WorkspaceFailure.runSync({ try Disputes.detail(store: store, id: d.id) }) else { throw DisputeAccess.refused() }
        if format == .json {
            var object = DisputeAccess.json(detail.dispute)
            object["history"] = detail.history.map { e in
                ["at": e.at, "by": e.by, "action": e.action, "old_value": e.oldValue, "new_value": e.newValue, "reason": e.reason] as [String: Any?]
            }
            .map { $0.mapValues { $0 ?? NSNull() } }
            object["exclusions"] = detail.exclusions.map { x in
                ["record": x.record.description, "created_at": x.createdAt, "created_by": x.createdBy] as [String: Any]
            }
            object["amendments"] = detail.amendments.map { v in ["version": v.version, "status": v.status.rawValue] as [String: Any] }
            // One object, as jsonArray prints each: pretty, sorted keys, nil as null.
            let data = try JSONSerialization.data(
                withJSONObject: object.mapValues { $0 ?? NSNull() }, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return Terminal.write(String(decoding: data, as: UTF8.self) + "\n")
        }
        Terminal.write(Self.text(detail))
    }

    static func text(_ detail: Disputes.Detail) -> String {
        let d = detail.dispute
        let s = DisputeAccess.safe
        var lines = [
            "Dispute \(d.id): \(d.state.rawValue)",
            "Period:    \(d.period) (finalized version \(d.reviewVersion))",
            "Employee:  \(s(d.employeeID))\(d.managerID.map { " (manager \(s($0)) when opened)" } ?? "")",
            "About:     \(d.metric.map { "metric \(s($0))" } ?? "the result")",
        ]
        if !d.records.isEmpty { lines.append("Records:   \(d.records.map { s($0.description) }.joined(separator: ", "))") }
        lines.append("Message:   \(s(d.message))")
        lines.append("Opened:    \(d.openedAt) by \(s(d.openedBy))")
        if let at = d.resolvedAt { lines.append("\(d.state == .withdrawn ? "Withdrawn: " : "Resolved:  ")\(at) by \(s(d.resolvedBy ?? "?"))") }
        if let c = d.comment { lines.append("Comment:   \(s(c))") }
        lines.append("")
        lines.append("History (audit log):")
        for e in detail.history {
            lines.append("  \(e.at)  \(s(e.by))  \(e.action)  \(s(e.newValue ?? ""))\(e.reason.map { " — \(s($0))" } ?? "")")
        }
        lines.append("Exclusions: \(detail.exclusions.isEmpty ? "none" : "")")
        for x in detail.exclusions { lines.append("  \(s(x.record.description)) (\(x.createdAt) by \(s(x.createdBy)))") }
        lines.append("Amendments answering it: \(detail.amendments.isEmpty ? "none" : "")")
        for v in detail.amendments { lines.append("  \(v.period) version \(v.version) (\(v.status.rawValue))") }
        return lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    }
}

/// `merit dispute stats [--format table|json]`: per manager, how their people's disputes went (HR and admins).
struct DisputeStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Disputes per manager: counts, acceptance ratio and median resolution time (HR).",
        discussion: """
            The manager is the employee's manager in the roster when the dispute was opened. The acceptance ratio is accepted / (accepted + rejected): withdrawn and open disputes count in neither. The median resolution time is in hours, from opening to accepting or rejecting (withdrawn and open disputes are left out); of an even count, the mean of the two middle times.

            Example:
              merit dispute stats --format json
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: "table (for people) or json (one object per manager, for scripts).")
    var format: OutputFormat = .table

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeStats(format: format.rawValue))
        }
        let (_, _, store) = try workspace.open(readOnly: true)
        if let caller = Caller.acting, !caller.may(.disputeStats) { throw DisputeAccess.refused() }
        let stats = try WorkspaceFailure.runSync { try Disputes.stats(store: store) }
        if format == .json {
            return Terminal.write(
                jsonArray(
                    stats.map { s in
                        [
                            "manager_id": s.managerID, "open": s.open, "accepted": s.accepted, "rejected": s.rejected, "withdrawn": s.withdrawn,
                            "acceptance_ratio": s.acceptanceRatio, "median_resolution_hours": s.medianResolutionHours,
                        ]
                    }))
        }
        guard !stats.isEmpty else { return Terminal.write("No dispute.\n") }
        Terminal.write(Self.table(stats))
    }

    static func table(_ stats: [DisputeStats]) -> String {
        let headers = ["Manager", "Open", "Accepted", "Rejected", "Withdrawn", "Acceptance", "Median hours"]
        let rows = stats.map { s in
            [
                DisputeAccess.safe(s.managerID ?? "(none)"), String(s.open), String(s.accepted), String(s.rejected), String(s.withdrawn),
                s.acceptanceRatio.map { String(format: "%.0f%%", $0 * 100) } ?? "-",
                s.medianResolutionHours.map { String(format: "%.1f", $0) } ?? "-",
            ]
        }
        var widths = headers.map { DisplayWidth.of($0) }
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in DisplayWidth.fit(c, widths[i], alignRight: i > 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
            + "\n\nAcceptance = accepted / (accepted + rejected); withdrawn and open disputes count in neither.\n"
            + "Median hours: opened to accepted or rejected; of an even count, the mean of the two middle times.\n"
    }
}
