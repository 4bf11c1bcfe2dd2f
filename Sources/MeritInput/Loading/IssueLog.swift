import MeritEngine

/// Collects row problems as files stream by (docs/reference.md §11).
///
/// Strict mode keeps the errors (enough to print the first 50 in report
/// order) and counts them all; `--skip-invalid` turns each bad row into one
/// warning carrying its first problem.
final class IssueLog {
    let skipInvalid: Bool
    private(set) var errors: [DataIssue] = []
    private(set) var errorCount = 0
    private(set) var warnings: [EvaluationWarning] = []
    private static let keptPerDataset = 5_000
    private var keptByDataset: [Dataset: Int] = [:]

    init(skipInvalid: Bool) { self.skipInvalid = skipInvalid }

    /// What a log holds, as a value that can leave the task that filled it.
    struct Snapshot: Sendable {
        let errors: [DataIssue]
        let errorCount: Int
        let warnings: [EvaluationWarning]
    }

    var snapshot: Snapshot { Snapshot(errors: errors, errorCount: errorCount, warnings: warnings) }

    /// Moves line numbers counted within a part of a file to the file's lines.
    static func shifting(_ s: Snapshot, by offset: Int) -> Snapshot {
        guard offset != 0 else { return s }
        return Snapshot(
            errors: s.errors.map {
                DataIssue(
                    dataset: $0.dataset, file: $0.file, line: $0.line + offset, column: $0.column,
                    columnIndex: $0.columnIndex, message: $0.message)
            },
            errorCount: s.errorCount,
            warnings: s.warnings.map {
                EvaluationWarning(
                    dataset: $0.dataset, file: $0.file, line: $0.line.map { $0 + offset },
                    column: $0.column, message: $0.message)
            })
    }

    /// Adds the issues another log collected (another file read concurrently).
    func absorb(_ other: Snapshot) {
        errors += other.errors
        errorCount += other.errorCount
        warnings += other.warnings
    }

    /// Records the problems of one row. With `unskippable` (an amount too large to hold exactly), the row stops
    /// the command even with `--skip-invalid`: dropping it would change a sum, and a sum Merit cannot represent
    /// ends the evaluation with exit 65, never with another number (docs: exactness).
    func report(
        _ problems: [(column: String, index: Int, message: String)], dataset: Dataset, file: String, line: Int,
        unskippable: Bool = false
    ) {
        guard !problems.isEmpty else { return }
        let ordered = problems.enumerated().sorted { a, b in
            a.element.index != b.element.index ? a.element.index < b.element.index : a.offset < b.offset
        }.map(\.element)
        if skipInvalid && !unskippable {
            let first = ordered[0]
            warnings.append(
                EvaluationWarning(
                    dataset: dataset, file: file, line: line, column: first.column,
                    message: "row dropped: \(first.message)"))
            return
        }
        for p in ordered {
            errorCount += 1
            let kept = keptByDataset[dataset, default: 0]
            guard kept < IssueLog.keptPerDataset else { continue }
            keptByDataset[dataset] = kept + 1
            errors.append(DataIssue(dataset: dataset, file: file, line: line, column: p.column, columnIndex: p.index, message: p.message))
        }
    }

    /// The failure strict mode ends with, or nil when there is nothing to report.
    func strictFailure() -> InputFailure? {
        // With --skip-invalid only unskippable rows are counted as errors.
        guard errorCount > 0 else { return nil }
        return .badRows(errors.sorted(by: DataIssue.reportOrder), total: errorCount)
    }

    /// Warnings in report order (dataset, then line).
    var orderedWarnings: [EvaluationWarning] {
        warnings.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.dataset != y.dataset { return x.dataset < y.dataset }
            if x.line != y.line { return (x.line ?? 0) < (y.line ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }
}
