import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore
import MeritWorkbook

/// `merit export PERIOD --out FILE.xlsx`: the HR workbook (docs/reference.md §14) of a stored review.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the HR workbook of a period's stored review.",
        discussion: """
            The review is recomputed from what it stored (its data and rubric bytes), with its adjustments applied: Band, Multiplier and Bonus Amount are the adjusted ones, and Scorecards marks each adjusted row with the computed band, the reason, who and when. The change since the previous period of the same form is filled in from that period's review. An Audit sheet follows the six required sheets. With several rubrics, one workbook per rubric is written (FILE-RUBRIC.xlsx) unless --rubric picks one.

            --payroll writes one CSV for payroll: a row per person the review pays, across every rubric (--rubric does not narrow it, so payroll never misses anyone), with the review's version and status on each row (docs/payroll.md). A draft is refused unless --draft says that is what you want; its rows then say draft.

            Examples:
              merit export 2026-Q3 --out review-2026-Q3.xlsx
              merit export 2026-Q3 --out cs.xlsx --rubric customer-service
              merit export 2026-Q3 --payroll payroll-2026-Q3.csv
              merit export 2026-Q3 --payroll draft-pay.csv --draft
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period.")
    var period: String

    @Option(name: .long, help: "The .xlsx workbook to write.")
    var out: String?

    @Option(name: .long, help: "Only this rubric's workbook (by rubric id); the payroll file always covers every rubric.")
    var rubric: String?

    @Option(name: .long, help: "Also (or only) write the payroll file: one CSV row per paid person across all rubrics.")
    var payroll: String?

    @Flag(name: .long, help: "Write the payroll file of a draft review (its rows say draft); without it a draft is refused.")
    var draft = false

    /// Where `merit serve` has this command write the files a token holder asked for: its own temporary directory,
    /// under the names asked for, which it then sends back (`RemoteRunner`); nil: where the paths say.
    @TaskLocal static var outputDirectory: String?

    /// Where `path`, as typed, is written: itself, or its name inside `outputDirectory`.
    static func destination(_ path: String) -> String {
        outputDirectory.map { $0 + "/" + URL(fileURLWithPath: path).lastPathComponent } ?? path
    }

    /// Where a file the server wrote for this command goes: next to the path asked for, when its name is one this
    /// command writes (the workbook, a rubric's workbook, the payroll file); nil for any other name.
    func destination(_ name: String) -> String? {
        func directory(_ path: String) -> String {
            let url = URL(fileURLWithPath: path)
            return path.contains("/") ? url.deletingLastPathComponent().path + "/" : ""
        }
        if let out {
            let asked = URL(fileURLWithPath: out).lastPathComponent
            if name == asked || (name.hasPrefix(String(asked.dropLast(5)) + "-") && name.hasSuffix(".xlsx")) { return directory(out) + name }
        }
        if let payroll, name == URL(fileURLWithPath: payroll).lastPathComponent { return directory(payroll) + name }
        return nil
    }

    func validate() throws {
        _ = try parsePeriod(period)
        if out == nil, payroll == nil { throw ValidationError("say what to write: --out FILE.xlsx (the HR workbook), --payroll FILE.csv, or both") }
        if let out, !out.lowercased().hasSuffix(".xlsx") {
            throw ValidationError("--out names the workbook to write and must end in .xlsx (got '\(out)')")
        }
        if let payroll, !payroll.lowercased().hasSuffix(".csv") {
            throw ValidationError("--payroll names the payroll file to write and must end in .csv (got '\(payroll)')")
        }
        if draft, payroll == nil { throw ValidationError("--draft goes with --payroll (a workbook of a draft is always written, marked as a draft)") }
        if let out, let payroll, URL(fileURLWithPath: out).standardized == URL(fileURLWithPath: payroll).standardized {
            throw ValidationError("--out and --payroll name the same file")
        }
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder; the files
        // it writes come back under the names asked for (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            let command = RemoteCommand.export(period: period, workbook: out, rubric: rubric, payroll: payroll, draft: draft)
            return try await client.run(command, destination: destination)
        }
        let (_, config, store) = try workspace.open(readOnly: true)
        let p = try parsePeriod(period)
        // The workbook of one rubric reads only that rubric's results; payroll covers every rubric.
        let only = payroll == nil ? rubric : nil
        let export = try await WorkspaceFailure.run { try await Reviews.export(store: store, period: p, rubricID: only) }
        let v = export.version
        if payroll != nil, v.status != .final, !draft {
            throw ExitStatus.fail(
                ExitStatus.dataError,
                [
                    "merit: the review of \(p) is a draft (version \(v.version)): payroll is paid from a finalized review.",
                    "Finalize it first (merit finalize \(p)), or add --draft to write a payroll file whose every row says draft.",
                ])
        }
        var computed = export.computed
        if let rubric {
            computed = computed.filter { $0.rubric.id == rubric }
            if computed.isEmpty {
                throw ExitStatus.fail(
                    ExitStatus.dataError,
                    ["merit: the review of \(p) has no rubric '\(rubric)' (it has \(export.rubricIDs.joined(separator: ", ")))"])
            }
        }
        var adjustments: [TextKey: ReviewWorkbook.Adjustment] = [:]
        for a in export.adjustments where export.computedBands[TextKey(a.employeeID)] != nil {
            adjustments[TextKey(a.employeeID)] = ReviewWorkbook.Adjustment(
                computedBand: export.computedBands[TextKey(a.employeeID)] ?? "", reason: a.reason,
                by: a.createdBy, at: a.createdAt)
        }
        var label =
            "\(p) version \(v.version), \(v.status == .final ? "final" : v.isPreliminary ? "preliminary draft (not final: do not pay from it)" : "draft (not final: do not pay from it)")"
        if let amends = v.amendReason { label += "; amends version \(v.amendsVersion.map(String.init) ?? "?"): \(amends)" }
        // Calibration sheets only for a workspace whose merit.yaml has a calibration: section (docs/workbook.md), so the
        // workbooks of every other workspace stay exactly as they were.
        var calibration: CalibrationSummary?
        var calibrationNames: [String: String] = [:]
        var calibrationPrevious = p.previous.description
        if out != nil, let configured = config.calibration {
            let inputs = try await WorkspaceFailure.run { try Calibration.inputs(store: store, period: p) }
            // Only what applies to this review: a guideline merit.yaml holds now never keeps it from being exported.
            let settings = Calibration.applicable(configured, to: inputs)
            let caller = Caller.acting
            let sees: (String) -> Bool = { id in caller.map { $0.may(.calibrate, subject: id) } ?? true }
            calibration = CalibrationSummary.compute(
                people: inputs.people, ladders: inputs.ladders, rubricIDs: inputs.rubricIDs, settings: settings,
                showsPerson: { sees($0.employeeID) },
                showsManager: { id in sees(id) || caller.map { id.sameBytes(as: $0.employeeID) } ?? true })
            calibrationNames = inputs.names
            calibrationPrevious = inputs.previousPeriod
        }
        var written: [String] = []
        if let out {
            for c in computed {
                let path = computed.count == 1 ? out : String(out.dropLast(5)) + "-\(c.rubric.id).xlsx"
                // Issue 17: each rubric's workbook shows only its own people's audit entries and adjustments (plus
                // the review-wide entries), never another rubric's reasons (docs/workspace.md "merit export").
                let people = Set(c.evaluation.employees.map { TextKey($0.entry.employeeID) })
                let own = export.adjustments.filter { people.contains(TextKey($0.employeeID)) }.count
                let ownAudit = AuditLog.entries(export.audit, about: people).map {
                    ReviewWorkbook.AuditRow(
                        at: $0.at, by: $0.by, action: $0.action, period: $0.period, version: $0.reviewVersion,
                        employeeID: $0.employeeID, oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason)
                }
                var context = ReviewWorkbook.Context(
                    generatedAt: WorkbookOutput.generatedAt(), previousTotals: export.previousTotals,
                    adjustments: adjustments, audit: ownAudit, review: label + "; \(own) band adjustment\(own == 1 ? "" : "s")",
                    status: v.status == .final ? .final : v.isPreliminary ? .preliminaryDraft : .draft, notices: export.notices,
                    auditHead: export.auditHead)
                // This workbook's people's disputes of the period, by state (docs/disputes.md); none: nothing shown.
                let disputes = export.disputes.filter { people.contains(TextKey($0.employeeID)) }
                if !disputes.isEmpty { context.disputeCounts = Dictionary(grouping: disputes, by: \.state.rawValue).mapValues(\.count) }
                if let part = calibration?.parts.first(where: { $0.rubricID == c.rubric.id }) {
                    context.calibration = ReviewWorkbook.Calibration(
                        part: part, names: calibrationNames, minReports: calibration?.minReports ?? 5, previousPeriod: calibrationPrevious)
                }
                try WorkbookOutput.write(c.evaluation, to: Self.destination(path), context: context)
                written.append(path)
            }
        }
        if let payroll {
            // A preliminary draft's rows say so (docs/payroll.md): its data cannot be complete.
            let review = PayrollFile.Review(
                period: p.description, version: v.version, status: v.status == .draft && v.isPreliminary ? "preliminary" : v.status.rawValue)
            written.append(
                try PayrollOutput.write(export.computed.map(\.evaluation), review: review, to: Self.destination(payroll), shownAs: payroll))
        }
        var words = [
            "Review of \(p), version \(v.version) (\(v.status == .draft && v.isPreliminary ? "preliminary draft" : v.status.rawValue)), \(export.adjustments.count) adjustment\(export.adjustments.count == 1 ? "" : "s")"
        ]
        if out != nil {
            words[0] += ";"
            words.append("change since \(export.previousPeriod)\(export.previousTotals.isEmpty ? " (not reviewed)" : ""):")
        } else {
            words[0] += ":"
        }
        let heading = WrappedLine.wrap(words)
        Terminal.write(heading + "\n" + written.map { "  \($0)" }.joined(separator: "\n") + "\n")
    }
}
