import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritStore
import MeritWorkbook

/// `merit export PERIOD --out FILE.xlsx`: the HR workbook (spec §14) of a stored review.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the HR workbook of a period's stored review.",
        discussion: """
        The review is recomputed from what it stored (its data and rubric bytes), with its adjustments applied: Band, Multiplier and Bonus Amount are the adjusted ones, and Scorecards marks each adjusted row with the computed band, the reason, who and when. The change since the previous period of the same form is filled in from that period's review. An Audit sheet follows the six required sheets. With several rubrics, one workbook per rubric is written (FILE-RUBRIC.xlsx) unless --rubric picks one.

        Examples:
          merit export 2026-Q3 --out review-2026-Q3.xlsx
          merit export 2026-Q3 --out cs.xlsx --rubric customer-service
        """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The period.")
    var period: String

    @Option(name: .long, help: "The .xlsx file to write.")
    var out: String

    @Option(name: .long, help: "Only this rubric's workbook (by rubric id).")
    var rubric: String?

    func validate() throws {
        _ = try parsePeriod(period)
        if !out.lowercased().hasSuffix(".xlsx") { throw ValidationError("--out names the workbook to write and must end in .xlsx (got '\(out)')") }
    }

    func run() async throws {
        let (_, _, store) = try workspace.open()
        let p = try parsePeriod(period)
        let export = try await WorkspaceFailure.run { try await Reviews.export(store: store, period: p) }
        var computed = export.computed
        if let rubric {
            computed = computed.filter { $0.rubric.id == rubric }
            if computed.isEmpty {
                throw ExitStatus.fail(ExitStatus.dataError, ["merit: the review of \(p) has no rubric '\(rubric)' (it has \(export.computed.map(\.rubric.id).joined(separator: ", ")))"])
            }
        }
        var adjustments: [TextKey: ReviewWorkbook.Adjustment] = [:]
        for a in export.adjustments where export.computedBands[TextKey(a.employeeID)] != nil {
            adjustments[TextKey(a.employeeID)] = ReviewWorkbook.Adjustment(computedBand: export.computedBands[TextKey(a.employeeID)] ?? "", reason: a.reason,
                                                                   by: a.createdBy, at: a.createdAt)
        }
        let audit = export.audit.map {
            ReviewWorkbook.AuditRow(at: $0.at, by: $0.by, action: $0.action, period: $0.period, version: $0.reviewVersion,
                                    employeeID: $0.employeeID, oldValue: $0.oldValue, newValue: $0.newValue, reason: $0.reason)
        }
        let v = export.version
        var label = "\(p) version \(v.version), \(v.status == .final ? "final" : "draft (not final: do not pay from it)")"
        if let amends = v.amendReason { label += "; amends version \(v.version - 1): \(amends)" }
        label += "; \(export.adjustments.count) band adjustment\(export.adjustments.count == 1 ? "" : "s")"
        var written: [String] = []
        for c in computed {
            let path = computed.count == 1 ? out : String(out.dropLast(5)) + "-\(c.rubric.id).xlsx"
            let context = ReviewWorkbook.Context(generatedAt: WorkbookOutput.generatedAt(), previousTotals: export.previousTotals,
                                                 adjustments: adjustments, audit: audit, review: label)
            try WorkbookOutput.write(c.evaluation, to: path, context: context)
            written.append(path)
        }
        let heading = WrappedLine.wrap([
            "Review of \(p), version \(v.version) (\(v.status.rawValue)), \(export.adjustments.count) adjustment\(export.adjustments.count == 1 ? "" : "s");",
            "change since \(export.previousPeriod)\(export.previousTotals.isEmpty ? " (not reviewed)" : ""):",
        ])
        Terminal.write(heading + "\n" + written.map { "  \($0)" }.joined(separator: "\n") + "\n")
    }
}
