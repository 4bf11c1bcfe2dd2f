import ArgumentParser
import Foundation
import MeritEngine
import MeritPostgres
import MeritStore

/// `merit init [DIR]`: a new workspace (docs/reference.md §10).
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a workspace: its store, a config and copies of the shipped rubrics.",
        discussion: """
            Makes DIR (default: the current directory) a workspace: merit.yaml (currency, time zone, which rubric reviews which roles), rubrics/ (copies of the shipped rubrics, to edit) and .merit/merit.sqlite (the store). Other commands find the workspace from any directory inside it.

            With --store, the store is a PostgreSQL database instead (docs/postgresql.md): merit.yaml names it, and the password comes from PGPASSWORD or ~/.pgpass. A database another workspace already uses is shared: that is how several merit serve replicas work on one store.

            Examples:
              merit init acme && cd acme
              merit init --currency EUR --time-zone +01:00
              merit init acme --store postgresql://merit@db.example.com:5432/merit
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

    @Option(name: .long, help: "Keep the store in PostgreSQL: postgresql://USER@HOST:PORT/DB (no password in it).")
    var store: String?

    func validate() throws {
        guard Currency(currency) != nil else { throw ValidationError("--currency must be a three-letter code such as USD") }
        if let store {
            do { _ = try PostgresLocation.parse(store) } catch { throw ValidationError("--store: \(error)") }
        }
    }

    func run() async throws {
        let shipped = try Demo.rubricFiles(rubrics)
        let ws = try await WorkspaceFailure.run {
            try Workspace.create(
                root: directory, rubrics: shipped, currency: Currency(currency)!, timeZone: timeZone,
                store: try store.map { location throws(StoreError) in
                    do { return try PostgresLocation.parse(location) } catch { throw .usage("--store: \(error)") }
                })
        }
        let lines = [
            "Workspace created in \(ws.root)", "  config:  \(ws.configPath)",
            "  store:   \(try ws.storeLocation()?.description ?? ws.storePath)",
            "  rubrics: \((ws.root as NSString).appendingPathComponent("rubrics"))",
        ]
        Terminal.write(
            (lines + ["Next: merit import employees FILE, then the other datasets,", "then merit review PERIOD."])
                .joined(separator: "\n") + "\n")
    }
}
