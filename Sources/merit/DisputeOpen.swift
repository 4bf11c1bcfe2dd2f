import ArgumentParser
import Foundation
import MeritStore

/// `merit dispute open --period P [--metric ID] [--record DATASET:KEY …] --message "…"` (docs/disputes.md "Opening").
struct DisputeOpen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Dispute your finalized result of a period (within merit.yaml's dispute_days of its finalization).",
        discussion: """
            You are the roster row whose login is your OS login (through --server, your token's holder). Name a metric of your rubric with --metric, and records with --record DATASET:KEY (surveys by response_id, complaints by ticket_id, sales by order_id): each must be yours in the data the finalized review read. Operators may open a dispute on someone's behalf with --employee; it is recorded as opened by them.

            Examples:
              merit dispute open --period 2026-Q3 \\
                  --message "My Q3 total misses the September sales"
              merit dispute open --period 2026-Q3 --metric csat \\
                  --record surveys:R-1042 --record surveys:R-1043 \\
                  --message "These two surveys were about another agent's tickets"
            """)

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: "The period whose finalized result you dispute.")
    var period: String

    @Option(name: .long, help: "A metric of your rubric the dispute is about.")
    var metric: String?

    @Option(name: .long, help: "A record the dispute is about, as DATASET:KEY (repeatable).")
    var record: [String] = []

    @Option(name: .long, help: "What is wrong, and why (required, at most 2,000 characters).")
    var message: String

    @Option(name: .long, help: "Operators: the employee the dispute is opened for (default: your own roster row).")
    var employee: String?

    func validate() throws {
        _ = try parsePeriod(period)
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw ValidationError("--message must say what is wrong, and why") }
        if let problem = FreeText.problem(trimmed, option: "--message") { throw ValidationError(problem) }
    }

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeOpen(period: period, employee: employee, metric: metric, records: record, message: message))
        }
        let (_, config, store) = try workspace.open()
        let p = try parsePeriod(period)
        let policy = try WorkspaceFailure.runSync { try Scorecards.policy(store: store, config: config) }
        let subject: String
        if let caller = Caller.acting {
            // A token holder disputes only their own result (docs/roles.md "dispute open": own).
            if let employee, !employee.sameBytes(as: caller.employeeID) { throw DisputeAccess.refused() }
            subject = caller.employeeID
        } else if let employee {
            subject = employee
        } else if let own = policy.employeeID(login: Account.current) {
            subject = own
        } else {
            throw ExitStatus.fail(
                ExitStatus.usage,
                [
                    "merit: your login '\(Account.current)' is not in the roster's login column, so Merit cannot tell whose result you dispute; pass --employee ID to open a dispute on someone's behalf"
                ])
        }
        let d = try WorkspaceFailure.runSync {
            try Disputes.open(
                store: store, config: config, period: p, employeeID: subject, managerID: policy.manager(employeeID: subject), metric: metric,
                records: record, message: message)
        }
        Terminal.write(
            "Opened dispute \(d.id) of \(DisputeAccess.safe(d.employeeID))'s result of \(d.period) (version \(d.reviewVersion)); their manager or HR resolves it (merit dispute show \(d.id)).\n"
        )
    }
}
