import ArgumentParser
import Foundation
import MeritStore

/// `merit dispute accept ID --comment "…" [--exclude DATASET:KEY …]` (docs/disputes.md "Resolving").
struct DisputeAccept: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept an open dispute (the employee's manager or HR; never one's own).",
        discussion: """
            Each --exclude record (surveys:RESPONSE_ID, complaints:TICKET_ID, sales:ORDER_ID; the disputing employee's, in the data the disputed review read) is left out of every later review; the finalized review itself never changes: HR corrects it with merit amend --dispute ID.

            Example:
              merit dispute accept 7 --exclude surveys:R-1042 \\
                  --comment "The CRM shows R-1042 was Lee's ticket"
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The dispute's id (merit dispute list).")
    var id: String

    @Option(name: .long, help: "Why it is accepted (required, at most 2,000 characters).")
    var comment: String

    @Option(name: .long, help: "A record to leave out of later reviews, as DATASET:KEY (repeatable).")
    var exclude: [String] = []

    func validate() throws { try validateComment(comment, required: true) }

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeAccept(id: id, comment: comment, exclude: exclude))
        }
        let (_, config, store) = try workspace.open()
        let d = try DisputeAccess.dispute(try DisputeAccess.id(id), for: .disputeResolve, store: store, config: config)
        let done = try WorkspaceFailure.runSync { try Disputes.accept(store: store, id: d.id, comment: comment, exclude: exclude) }
        var out = DisputeAccess.said(done)
        if !exclude.isEmpty {
            out +=
                "Excluded from later reviews of \(DisputeAccess.safe(done.employeeID)): \(exclude.map(DisputeAccess.safe).joined(separator: ", ")).\n"
        }
        Terminal.write(out)
    }
}

/// `merit dispute reject ID --comment "…"`.
struct DisputeReject: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject an open dispute, saying why (the employee's manager or HR; never one's own).",
        discussion: """
            Example:
              merit dispute reject 7 \\
                  --comment "The survey names you as the agent on the ticket"
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The dispute's id (merit dispute list).")
    var id: String

    @Option(name: .long, help: "Why it is rejected (required, at most 2,000 characters).")
    var comment: String

    func validate() throws { try validateComment(comment, required: true) }

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeReject(id: id, comment: comment))
        }
        let (_, config, store) = try workspace.open()
        let d = try DisputeAccess.dispute(try DisputeAccess.id(id), for: .disputeResolve, store: store, config: config)
        Terminal.write(DisputeAccess.said(try WorkspaceFailure.runSync { try Disputes.reject(store: store, id: d.id, comment: comment) }))
    }
}

/// `merit dispute withdraw ID [--comment "…"]`: the employee takes back their open dispute.
struct DisputeWithdraw: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withdraw",
        abstract: "Take back your open dispute.",
        discussion: """
            Example:
              merit dispute withdraw 7 --comment "Sorted out with my manager"
            """)

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The dispute's id (merit dispute list).")
    var id: String

    @Option(name: .long, help: "Why (optional, at most 2,000 characters).")
    var comment: String?

    func validate() throws { if let comment { try validateComment(comment, required: false) } }

    func run() async throws {
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.disputeWithdraw(id: id, comment: comment))
        }
        let (_, config, store) = try workspace.open()
        let d = try DisputeAccess.dispute(try DisputeAccess.id(id), for: .disputeWithdraw, store: store, config: config)
        Terminal.write(DisputeAccess.said(try WorkspaceFailure.runSync { try Disputes.withdraw(store: store, id: d.id, comment: comment) }))
    }
}

/// A `--comment` checked where it is typed (usage error, exit 64), as `validateReason` checks a `--reason`.
func validateComment(_ comment: String, required: Bool) throws {
    let trimmed = comment.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty, required { throw ValidationError("--comment must say why") }
    if let problem = FreeText.problem(trimmed, option: "--comment") { throw ValidationError(problem) }
}
