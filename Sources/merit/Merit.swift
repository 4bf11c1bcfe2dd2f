import ArgumentParser

/// The `merit` command line: a thin shell over the modules (spec §12).
@main
struct Merit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merit",
        abstract: "Weighted, auditable performance ratings, bonuses and training from customer data.",
        discussion: """
        Examples:
          merit demo                                   build a sample company and review it
          merit evaluate --data q3/ --rubric rubrics/customer-service.yaml --period 2026-Q3
          merit evaluate --data q3/ --rubric r.yaml --period 2026-Q3 --format json > review.json
        """,
        subcommands: [Evaluate.self, Demo.self]
    )
}

