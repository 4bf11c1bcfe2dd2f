import ArgumentParser

/// The `merit` command line: a thin shell over the modules (docs/reference.md §12, docs/workspace.md).
@main
struct Merit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merit",
        abstract: "Weighted, auditable performance ratings, bonuses and training from customer data.",
        discussion: """
            Examples:
              merit demo                       build a sample company and review it
              merit evaluate --data q3/ --rubric r.yaml --period 2026-Q3
              merit evaluate --data q3/ --rubric r.yaml --period 2026-Q3 \\
                             --format json > review.json

            Workspaces (a directory that remembers data, reviews and history):
              merit init acme && cd acme
              merit import employees roster.csv
              merit import surveys surveys.xlsx
              merit review 2026-Q3
              merit show 2026-Q3               the stored review, adjustments marked
              merit adjust 2026-Q3 E042 --band B --reason "..."
              merit finalize 2026-Q3
              merit discard 2026-09 --reason "..."   drop a mistaken draft
              merit export 2026-Q3 --out review.xlsx
              merit export 2026-Q3 --payroll pay.csv   payroll: every payment, one CSV
              merit history E042
              merit calibrate 2026-Q3          bands against guidelines, leniency, 9-box
              merit dispute open --period 2026-Q3 --message "..."
                                               dispute your finalized result
              merit dispute list --open        disputes to resolve (managers, HR)
              merit migrate-store --to postgresql://merit@db:5432/merit
                                               the store copied into PostgreSQL, verified

            Rubrics (built into merit; copy one to edit it):
              merit rubrics list
              merit rubrics show customer-service > rubrics/customer-service.yaml

            Self-service (finalized reviews only):
              merit scorecard                  your own latest scorecard
              merit scorecard E042             a report's (managers), anyone's (HR)
              merit access grant E042          HR: a token for E042, shown once
              merit serve --port 8080          scorecards over HTTP on 127.0.0.1
              MERIT_TOKEN=mrt_... merit scorecard --server http://host:8080

            Through a server, as your token's holder (docs/roles.md says who may do what):
              merit show 2026-Q3 --server https://merit.example.com    a manager: their people
              merit adjust 2026-Q3 E042 --band B --reason "..." --server https://merit.example.com
              (or MERIT_SERVER=..., or server: in ~/.config/merit/client.yaml)

            Commands that print results take --format table (for people, the default) or --format json (for scripts).
            """,
        version: MeritVersion.current,
        subcommands: [
            Evaluate.self, Demo.self, Init.self, Import.self, Review.self, Show.self, Adjust.self, Finalize.self, Amend.self, Discard.self,
            Verify.self, Export.self, HistoryCommand.self, Calibrate.self, AuditCommand.self, ScorecardCommand.self, Access.self, Serve.self,
            RubricsCommand.self, MigrateStore.self, DisputeCommand.self,
        ]
    )
}
