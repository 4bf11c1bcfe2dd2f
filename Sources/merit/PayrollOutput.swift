import MeritEngine
import MeritReport
import MeritWorkbook

/// Writes the payroll file (docs/payroll.md), mapping failures to exit codes (73 cannot create output, 74 I/O).
enum PayrollOutput {
    /// Writes the payroll file of `evaluations` to `path`; returns the line `merit export` prints for it, with what
    /// it pays per currency so the person running it can check the sums against the workbooks before sending it.
    /// `shownAs` is the path the line names (the one typed, when `merit serve` writes the file elsewhere first).
    static func write(_ evaluations: [Evaluation], review: PayrollFile.Review, to path: String, shownAs: String? = nil) throws -> String {
        let rows = PayrollFile.rows(evaluations)
        do {
            try OutputFile.write(PayrollFile.render(rows, review: review), to: path)
        } catch {
            switch error {
            case .cannotCreate: throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: \(error)"])
            case .writeFailed: throw ExitStatus.fail(ExitStatus.ioError, ["merit: \(error)"])
            }
        }
        let totals = PayrollFile.totals(rows).map { "\($0.description) to \($0.count) \($0.count == 1 ? "person" : "people")" }
        return "\(shownAs ?? path) (payroll, \(review.status): \(totals.isEmpty ? "nobody is paid" : totals.joined(separator: ", ")))"
    }
}
