import Foundation
import MeritEngine
import MeritReport

/// The HR workbook of an evaluation (docs/reference.md §14): `Summary`, `Scorecards`,
/// `Bonus`, `Training`, `Rubric`, `Data Quality`, in that order.
///
/// The sheets with a row per employee or recommendation (`Scorecards`,
/// `Training`, `Data Quality`) are streamed in libxlsxwriter's constant-memory
/// mode, set per sheet; `Bonus` is not, because the `BonusImport` table that
/// HR imports from is not supported there
/// (../shared/notes/libxlsxwriter-from-swift.md). The parts are deflated at
/// zlib level 1, in pieces on a second core as they stream into the zip (the
/// `CWorkbookDeflate` target). The file is written to a
/// temporary path beside the destination and renamed into place, so an
/// interrupted run never leaves a half-written workbook.
public enum ReviewWorkbook {
    /// Why the workbook could not be written.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The destination cannot be created (exit 73).
        case cannotCreate(path: String, reason: String)
        /// libxlsxwriter failed while writing (exit 74 for I/O, 70 otherwise).
        case writeFailed(path: String, error: XLSXError)

        public var description: String {
            switch self {
            case .cannotCreate(let path, let reason): return "cannot create \(path): \(reason)"
            case .writeFailed(let path, let error): return "cannot write \(path): \(error)"
            }
        }
    }

    /// Where the review stands, printed in every page header (docs/workbook.md "Printing").
    public enum Status: String, Sendable {
        /// `merit evaluate --out` and `merit demo`: computed, but not a stored review; nobody can finalize it.
        case preliminary
        /// A stored review before `merit finalize`: it may still change.
        case draft
        /// A stored draft computed before its period ended (docs/workspace.md "Preliminary reviews"): its data cannot
        /// be complete, and it cannot be finalized.
        case preliminaryDraft = "preliminary draft"
        /// A finalized stored review: locked.
        case final

        /// How the page header says it: a stamp, in capitals.
        var label: String { rawValue.uppercased() }
    }

    /// What the workbook says beyond the evaluation itself.
    public struct Context: Sendable {
        /// When the workbook was generated (ISO 8601, UTC).
        public var generatedAt: String
        /// Previous official totals by employee id, for the change column (a stored history, docs/reference.md §10).
        public var previousTotals: [TextKey: Double]

        /// Band adjustments of a stored review by employee id (docs/reference.md §10): the evaluation already carries the adjusted
        /// band, multiplier and bonus; `Scorecards` marks them and shows the computed band and the reason beside them.
        /// nil for a plain `merit evaluate` (no such columns).
        public var adjustments: [TextKey: Adjustment]?
        /// The review's audit trail, written as an `Audit` sheet after the required ones; nil: no such sheet.
        public var audit: [AuditRow]?
        /// Which stored review this is (`2026-Q3 version 2, draft`), on `Summary`; nil for `merit evaluate`.
        public var review: String?
        /// The review's status, in every page header: preliminary for a plain evaluation, draft or final for a
        /// stored review (`merit export` says which).
        public var status: Status
        /// What must be read before the numbers (docs/workspace.md "Looking at a review"): a preliminary review, a
        /// review that pays no bonus and why, a rubric changed without a new version. On `Summary`, and the first two
        /// beside the `Bonus` table too, where HR imports from.
        public var notices: [ReviewNotice]
        /// The audit log's chain head when the workbook was written, on `Summary` (docs/workspace.md "Tamper
        /// evidence"): a workbook HR keeps is a record of it that a rewrite of the store cannot reach.
        public var auditHead: String?
        /// How many of the workbook's people's disputes of the period are in each state (`open`, `accepted`,
        /// `rejected`, `withdrawn`; docs/disputes.md), on `Summary`; nil — and nothing on the sheet — when there are
        /// none, and for `merit evaluate`.
        public var disputeCounts: [String: Int]? = nil
        /// The rubric's calibration (docs/calibration.md), written as `Calibration` and `Performance Grid` sheets after
        /// the others; nil (a plain evaluation, a workspace without `calibration:` in merit.yaml): no such sheets.
        public var calibration: Calibration?

        public init(
            generatedAt: String, previousTotals: [TextKey: Double] = [:], adjustments: [TextKey: Adjustment]? = nil,
            audit: [AuditRow]? = nil, review: String? = nil, status: Status = .preliminary, notices: [ReviewNotice] = [],
            auditHead: String? = nil
        ) {
            self.auditHead = auditHead
            self.notices = notices
            self.review = review
            self.status = status
            self.generatedAt = generatedAt
            self.previousTotals = previousTotals
            self.adjustments = adjustments
            self.audit = audit
        }
    }

    /// What the calibration sheets show of one rubric (docs/workbook.md "Calibration").
    public struct Calibration: Sendable {
        public var part: CalibrationSummary.RubricPart
        /// Names by employee id, for the managers of the leniency table.
        public var names: [String: String]
        public var minReports: Int
        /// The previous period of the same form the trajectory is measured from.
        public var previousPeriod: String
        public init(part: CalibrationSummary.RubricPart, names: [String: String], minReports: Int, previousPeriod: String) {
            self.part = part
            self.names = names
            self.minReports = minReports
            self.previousPeriod = previousPeriod
        }
    }

    /// A manager's band override (docs/reference.md §10).
    public struct Adjustment: Sendable {
        public var computedBand: String
        public var reason: String
        public var by: String
        public var at: String
        public init(computedBand: String, reason: String, by: String, at: String) {
            self.computedBand = computedBand
            self.reason = reason
            self.by = by
            self.at = at
        }
    }

    /// One entry of the audit log.
    public struct AuditRow: Sendable {
        public var at, by, action: String
        public var period: String?
        public var version: Int?
        public var employeeID, oldValue, newValue, reason: String?
        public init(
            at: String, by: String, action: String, period: String?, version: Int?, employeeID: String?,
            oldValue: String?, newValue: String?, reason: String?
        ) {
            self.at = at; self.by = by; self.action = action; self.period = period; self.version = version
            self.employeeID = employeeID; self.oldValue = oldValue; self.newValue = newValue; self.reason = reason
        }
    }

    /// Writes the workbook of `evaluation` to `path`, atomically.
    public static func write(_ evaluation: Evaluation, to path: String, context: Context) throws(Failure) {
        let temporary: PartialFile
        do { temporary = try PartialFile.create(for: path) } catch { throw .cannotCreate(path: path, reason: error.reason) }
        do {
            try build(evaluation, at: temporary.path, context: context)
        } catch {
            temporary.discard()
            if error.isFileCreation { throw .cannotCreate(path: path, reason: error.message) }
            throw .writeFailed(path: path, error: error)
        }
        if let error = temporary.commit() { throw .cannotCreate(path: path, reason: String(cString: strerror(error))) }
    }

    private static func build(_ evaluation: Evaluation, at path: String, context: Context) throws(XLSXError) {
        let workbook = try XLSXWorkbook(path: path)
        let rubric = evaluation.rubric
        try workbook.setProperties(
            title: "Merit review \(evaluation.period) — \(rubric.id)",
            subject: "Performance ratings, bonuses and training for \(evaluation.period)",
            author: "Merit",
            comments: "Rubric \(rubric.id) v\(rubric.version), sha256 \(rubric.sha256); generated \(context.generatedAt)",
            keywords: "merit, review, \(evaluation.period), \(rubric.id)",
            // The file's own creation stamp is the review's "generated" time, so a run with SOURCE_DATE_EPOCH
            // set writes the same bytes every time.
            created: ISO8601DateFormatter().date(from: context.generatedAt).map { Int($0.timeIntervalSince1970) }
        )
        let layout = RubricSheet.layout(for: rubric)
        // Sheets are created in the contract's order, then filled.
        let summary = try workbook.addWorksheet(SummarySheet.sheetName)
        let scorecards = try workbook.addWorksheet(ScorecardsSheet.sheetName, streamed: true)
        let bonus = try workbook.addWorksheet(BonusSheet.sheetName)
        let training = try workbook.addWorksheet(TrainingSheet.sheetName, streamed: true)
        let rubricSheet = try workbook.addWorksheet(RubricSheet.sheetName)
        let quality = try workbook.addWorksheet(DataQualitySheet.sheetName, streamed: true)
        let auditSheet = try context.audit.map { _ throws(XLSXError) in try workbook.addWorksheet(AuditSheet.sheetName) }
        let calibrationSheets = try context.calibration.map { _ throws(XLSXError) in
            (try workbook.addWorksheet(CalibrationSheet.sheetName), try workbook.addWorksheet(PerformanceGridSheet.sheetName))
        }

        // Every sheet prints one page wide with the review's period, rubric and status on each page; the header
        // rows of the sheets with a row per person or warning repeat on every page (docs/workbook.md "Printing").
        let pages = PrintLayout(
            period: evaluation.period.description,
            rubric: "\(rubric.name ?? rubric.id) (\(rubric.id) v\(rubric.version))",
            status: context.status.label,
            generatedAt: context.generatedAt)
        var w = SheetWriter(summary, workbook: workbook)
        try SummarySheet.write(
            evaluation, generatedAt: context.generatedAt, review: context.review, notices: context.notices.map { $0.lines() },
            auditHead: context.auditHead, disputes: context.disputeCounts,
            into: &w)
        try pages.apply(to: summary, columnWidths: w.columnWidths, headerRows: nil)
        w = SheetWriter(scorecards, workbook: workbook)
        try ScorecardsSheet.write(
            evaluation, layout: layout, previousTotals: context.previousTotals,
            adjustments: context.adjustments, into: &w)
        try pages.apply(to: scorecards, columnWidths: w.columnWidths, headerRows: ScorecardsSheet.headerRows)
        w = SheetWriter(bonus, workbook: workbook)
        try BonusSheet.write(evaluation, notices: context.notices.filter(\.concernsPay).map(\.short), into: &w)
        try pages.apply(to: bonus, columnWidths: w.columnWidths, headerRows: 0...0)
        w = SheetWriter(training, workbook: workbook)
        try TrainingSheet.write(evaluation, into: &w)
        try pages.apply(to: training, columnWidths: w.columnWidths, headerRows: 0...0)
        w = SheetWriter(rubricSheet, workbook: workbook)
        try RubricSheet.write(rubric, layout: layout, into: &w)
        try pages.apply(to: rubricSheet, columnWidths: w.columnWidths, headerRows: nil)
        w = SheetWriter(quality, workbook: workbook)
        try DataQualitySheet.write(evaluation, into: &w)
        try pages.apply(to: quality, columnWidths: w.columnWidths, headerRows: 0...0)
        if let auditSheet, let rows = context.audit {
            w = SheetWriter(auditSheet, workbook: workbook)
            try AuditSheet.write(rows, into: &w)
            try pages.apply(to: auditSheet, columnWidths: w.columnWidths, headerRows: 0...0)
        }
        if let (calibrationSheet, gridSheet) = calibrationSheets, let calibration = context.calibration {
            w = SheetWriter(calibrationSheet, workbook: workbook)
            try CalibrationSheet.write(calibration, into: &w)
            try pages.apply(to: calibrationSheet, columnWidths: w.columnWidths, headerRows: 0...0)
            w = SheetWriter(gridSheet, workbook: workbook)
            try PerformanceGridSheet.write(calibration, into: &w)
            try pages.apply(to: gridSheet, columnWidths: w.columnWidths, headerRows: 0...0)
        }
        try workbook.close()
    }
}
