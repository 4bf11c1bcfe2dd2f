import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritStore

/// `--workspace DIR`, shared by every workspace command; without it the workspace
/// is found as git finds a repository: here or in the nearest parent (docs/reference.md §10).
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "The workspace directory (default: the current directory or the nearest parent that is one).")
    var workspace: String?

    /// The workspace, its config and its open store, failures mapped to exit codes; `readOnly` for commands that
    /// only read, so they never wait behind another command's write.
    func open(readOnly: Bool = false) throws -> (Workspace, WorkspaceConfig, Store) {
        do {
            let ws = try Workspace.locate(given: workspace)
            // Told to the workspace's operators; a token holder's command run by merit serve is not theirs to fix.
            if Caller.acting == nil, let exposure = ws.exposure() { Terminal.printError("merit: warning: " + exposure) }
            let config = try ws.config()
            return (ws, config, try ws.openStore(readOnly: readOnly))
        } catch {
            throw WorkspaceFailure.map(error)
        }
    }
}

/// A period argument (docs/reference.md §1); anything else is a usage error (exit 64).
func parsePeriod(_ text: String) throws -> Period {
    guard let p = Period(text) else {
        throw ValidationError("'\(text)' is not a period id: use YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM (e.g. 2026-Q3)")
    }
    return p
}

/// A `--reason` checked where it is typed (usage error, exit 64): not empty, and within `FreeText.limit`, the same
/// rule `FreeText.reason` applies in the store (docs/workspace.md "merit adjust").
func validateReason(_ reason: String, mustSay what: String) throws {
    let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty { throw ValidationError("--reason must say \(what)") }
    if let problem = FreeText.problem(trimmed, option: "--reason") { throw ValidationError(problem) }
}

/// Every failure of a workspace command as a message and an exit code (docs/reference.md §11): never a crash.
///
/// Bad rows met by a workspace command are in the stored data, so by default the hint is to import them again
/// corrected (`BadRowsHint.reimport`); `merit import`, which reads a file, passes `.skipInvalid`.
enum WorkspaceFailure {
    static func map(_ error: Error, hint: ExitStatus.BadRowsHint = .reimport) -> Error {
        switch error {
        case let e as ExitCode: return e
        case let e as StoreError: return ExitStatus.fail(e.exitCode, ["merit: \(e)"])
        case let e as InputFailure: return ExitStatus.fail(e, hint: hint)
        case let e as RubricLoadError: return ExitStatus.fail(e)
        case let e as FileIssue: return ExitStatus.fail(ExitStatus.dataError, ["merit: \(e)"])
        case let e as Evaluator.Failure: return ExitStatus.fail(e)
        case is ValidationError, is CleanExit: return error
        default: return ExitStatus.fail(ExitStatus.software, ["merit: internal error: \(error)"])
        }
    }

    /// Runs `body`, mapping what it throws.
    static func run<T>(hint: ExitStatus.BadRowsHint = .reimport, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw map(error, hint: hint) }
    }
}
