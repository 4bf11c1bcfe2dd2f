import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritStore

/// `merit import DATASET FILE`: a dataset into the workspace, all or nothing (docs/reference.md §2, §10, §11).
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a dataset file (CSV or XLSX) into the workspace.",
        discussion: """
            DATASET is one of employees, surveys, accounts, complaints, sales, feedback, quotas, pools. The file is checked exactly as merit evaluate checks a data directory's file (strict: every bad row is reported as FILE:LINE: COLUMN: message and nothing is stored; --skip-invalid drops bad rows with a warning). Records are stored in one transaction by their natural key, so importing the same records again adds nothing; a changed record replaces the stored one. Import the roster (employees) first: records of unknown employees are errors.

            Examples:
              merit import employees hr/roster.csv
              merit import surveys crm/export.xlsx --mapping crm/mapping.yaml
              merit import sales q3-sales.csv --skip-invalid --dry-run
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The dataset: employees, surveys, accounts, complaints, sales, feedback, quotas or pools.")
    var dataset: String

    @Argument(help: "The file to import (.csv or .xlsx).")
    var file: String

    @Option(name: .long, help: "A column mapping file (docs/reference.md, section 2.1); only its section for DATASET is used.")
    var mapping: String?

    @Flag(name: .long, help: "Drop bad rows with a warning instead of failing.")
    var skipInvalid = false

    @Flag(name: .long, help: "Check and count, but store nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Remove the dataset's stored records first (the file is the whole dataset).")
    var replace = false

    func validate() throws {
        let ext = (file as NSString).pathExtension.lowercased()
        if ["xls", "ods", "numbers", "xlsb", "xlsm"].contains(ext) {
            throw ValidationError("\(file): .\(ext) files are not read; save it as .xlsx (Excel workbook) or .csv (UTF-8)")
        }
        guard Dataset(rawValue: dataset) != nil else {
            throw ValidationError("'\(dataset)' is not a dataset; use one of \(Dataset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let (_, config, store) = try workspace.open()
        let progress = ImportProgress(path: file)
        // A file's bad rows can be dropped here: the hint names --skip-invalid, which this command takes.
        let summary = try await WorkspaceFailure.run(hint: .skipInvalid) {
            try Importer.run(
                store: store, config: config, dataset: Dataset(rawValue: dataset)!, path: file,
                options: .init(skipInvalid: skipInvalid, mappingPath: mapping, dryRun: dryRun, replace: replace),
                progress: progress.update)
        }
        progress.finish()
        for w in summary.warnings {
            Terminal.printError("warning: \(w.file):\(w.line.map(String.init) ?? "-"): \(w.column ?? "-"): \(w.message)")
        }
        let n = NumberText.grouped as (Int) -> String
        var pieces = [
            "\(summary.file) → \(summary.dataset.rawValue): \(n(summary.read)) read, \(n(summary.loaded)) loaded",
            "(\(n(summary.new)) new, \(n(summary.changed)) changed, \(n(summary.unchanged)) unchanged), \(n(summary.rejected)) rejected",
        ]
        if summary.removed > 0 { pieces[1] += ";"; pieces.append("\(n(summary.removed)) stored records removed first") }
        if summary.dryRun { pieces.append("— dry run, nothing stored") }
        Terminal.write(WrappedLine.wrap(pieces) + "\n")
    }
}
