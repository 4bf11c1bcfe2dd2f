import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook

/// Writes the HR workbook, mapping failures to exit codes (docs/reference.md §11: 73 cannot create output, 74 I/O).
enum WorkbookOutput {
    /// `context` defaults to a plain `merit evaluate` or `merit demo` (generated now, no history, no adjustments):
    /// a preliminary result, not a stored review, which its pages say (docs/workbook.md "Printing").
    static func write(_ evaluation: Evaluation, to path: String, context: ReviewWorkbook.Context? = nil) throws {
        do {
            try ReviewWorkbook.write(
                evaluation, to: path, context: context ?? ReviewWorkbook.Context(generatedAt: generatedAt(), status: .preliminary))
        } catch {
            switch error {
            case .cannotCreate: throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: \(error)"])
            case .writeFailed: throw ExitStatus.fail(ExitStatus.ioError, ["merit: \(error)"])
            }
        }
    }

    /// Now in UTC (ISO 8601), or `SOURCE_DATE_EPOCH` when set, for reproducible files.
    static func generatedAt() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            return formatter.string(from: Date(timeIntervalSince1970: epoch))
        }
        return formatter.string(from: Date())
    }
}
