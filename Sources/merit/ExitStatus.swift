import ArgumentParser
import Foundation
import MeritEngine
import MeritInput

/// The exit codes of docs/reference.md §11 (sysexits), and how each failure maps to one.
enum ExitStatus {
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let software: Int32 = 70
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
    /// A view or an action the viewer may not have (issue 6: EX_NOPERM).
    static let noPermission: Int32 = 77

    /// Prints `lines` on standard error and ends the command with `code`.
    static func fail(_ code: Int32, _ lines: [String]) -> ExitCode {
        Terminal.printError(lines.joined(separator: "\n"))
        return ExitCode(code)
    }

    /// What a command tells its user to do about bad rows (docs/reference.md §11). Only the commands that read a
    /// file take `--skip-invalid`; a command that reads the workspace's stored data (`merit review`, `verify`,
    /// `finalize`) can only point at the import that corrects it — a hint must name options the user can pass.
    enum BadRowsHint {
        /// `merit evaluate`, `merit import`: drop the bad rows with `--skip-invalid`.
        case skipInvalid
        /// The workspace's stored data: correct the rows and import them again (docs/workspace.md "Imports").
        case reimport
    }

    /// The message and exit code for a failed input load (docs/reference.md §11).
    static func fail(_ failure: InputFailure, hint: BadRowsHint = .skipInvalid) -> ExitCode {
        switch failure {
        case .missingInput(let message):
            return fail(noInput, ["merit: \(message)"])
        case .badFile(let issue):
            return fail(dataError, ["merit: cannot read the input:", "\(issue)"])
        case .badRows(let issues, let total):
            let problems = "\(total) problem\(total == 1 ? "" : "s")"
            var lines: [String]
            switch hint {
            case .skipInvalid:
                lines = ["merit: \(problems) in the input data; nothing was written (use --skip-invalid to drop bad rows):"]
            case .reimport:
                lines = [
                    "merit: \(problems) in the stored data; nothing was written (correct the rows named and import them again with merit import; docs/workspace.md \"Imports\" says which stored records an import replaces):"
                ]
            }
            lines += issues.prefix(50).map(\.description)
            if total > 50 { lines.append("... and \(total - 50) more") }
            return fail(dataError, lines)
        }
    }

    /// The message and exit code for a rubric that could not be loaded (docs/reference.md §4, §15).
    static func fail(_ error: RubricLoadError) -> ExitCode {
        switch error {
        case .unreadable(let path, let reason):
            return fail(noInput, ["merit: rubric \(path): \(reason)"])
        case .invalid(let problems):
            return fail(
                dataError, ["merit: the rubric has \(problems.count) problem\(problems.count == 1 ? "" : "s"):"] + problems.map(\.description))
        }
    }

    /// The message and exit code for an evaluation that could not be completed exactly (docs/reference.md §8).
    static func fail(_ failure: Evaluator.Failure) -> ExitCode {
        switch failure {
        case .amountOverflow(let id):
            return fail(
                dataError,
                ["merit: the bonus of employee '\(id)' is too large to compute exactly; check bonus_target, pool amounts and the band multipliers"])
        }
    }
}
