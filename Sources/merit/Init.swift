import ArgumentParser
import Foundation
import MeritEngine
import MeritStore

/// `merit init [DIR]`: a new workspace (docs/reference.md §10).
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a workspace: its store, a config and copies of the shipped rubrics.",
        discussion: """
            Makes DIR (default: the current directory) a workspace: merit.yaml (currency, time zone, which rubric reviews which roles), rubrics/ (copies of the shipped rubrics, to edit) and .merit/merit.sqlite (the store). Other commands find the workspace from any directory inside it.

            Examples:
              merit init acme && cd acme
              merit init --currency EUR --time-zone +01:00
            """
    )

    @Argument(help: "The directory to make a workspace (created when missing).")
    var directory: String = "."

    @Option(name: .long, help: "Currency of employees without one (ISO 4217).")
    var currency: String = "USD"

    @Option(name: .customLong("time-zone"), help: "UTC, an offset such as +08:00, or an IANA zone name.")
    var timeZone: String = "UTC"

    @Option(name: .long, help: "A folder of rubrics to copy instead of the ones built into merit.")
    var rubrics: String?

    func validate() throws {
        guard Currency(currency) != nil else { throw ValidationError("--currency must be a three-letter code such as USD") }
    }

    func run() async throws {
        let shipped = try Demo.rubricFiles(rubrics)
        let ws = try await WorkspaceFailure.run {
            try Workspace.create(root: directory, rubrics: shipped, currency: Currency(currency)!, timeZone: timeZone)
        }
        let lines = [
            "Workspace created in \(ws.root)", "  config:  \(ws.configPath)", "  store:   \(ws.storePath)",
            "  rubrics: \((ws.root as NSString).appendingPathComponent("rubrics"))",
        ]
        Terminal.write(
            (lines + ["Next: merit import employees FILE, then the other datasets,", "then merit review PERIOD."])
                .joined(separator: "\n") + "\n")
    }
}
